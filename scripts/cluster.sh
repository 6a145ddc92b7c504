#!/usr/bin/env bash
# Runs a scenario as a cluster, three ways, with the same results under the lockstep clock:
#
#   local       every member a process on this machine (`qnet run`);
#   netns       the coordinator and every member in its own network namespace, with its own
#               address on a bridge this script creates (veth pairs), talking real TCP;
#               namespaces, links and processes are removed on success, failure and Ctrl-C;
#   containers  one container per member from the project's image (scripts/build-image.sh),
#               through a compose file that `qnet compose` generates, under podman-compose.
#
# Usage: scripts/cluster.sh SCENARIO --mode local|netns|containers [--out DIR] [--subnet CIDR]
#                           [-- MORE_QNET_RUN_OPTIONS…]
#   --out     results folder (default results/<scenario>-<mode>; a run replaces the results in
#             it, as `qnet run --force` does); netns and containers also
#             write every member's output to DIR/logs/<member>.log
#   --subnet  the hosts' subnet (netns default 10.214.0.0/24, on a bridge with no address on
#             this host; containers default: the first free 10.215.N.0/24)
#   after --  options for the coordinator's `qnet run`, e.g. -- --member-silence-limit 3
#
# The hosts (names, roles, arguments such as a station's --link) come from `qnet members` and
# `qnet compose`, i.e. from the cluster plan, never from reading the scenario here.
# Exit status: the coordinator's (0 completed, 1 failed — a dead member is named —, 130 after
# Ctrl-C, 143 after SIGTERM), 64 for bad input, 69 when a needed tool is missing.
# Environment: QNET_BINARY (default .build/debug/qnet), CONTAINERS_CONF (default
# compose/containers.conf).
set -euo pipefail

# A shell cannot trap a signal that was ignored when it started (as SIGINT is for a command
# started with `&` from a script): start again with the default dispositions, so that Ctrl-C
# and SIGTERM always reach the trap below and the cluster is taken down in order.
if [ -z "${QNET_CLUSTER_SIGNALS:-}" ]; then
    export QNET_CLUSTER_SIGNALS=1
    exec env --default-signal=INT,TERM "$0" "$@"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QNET="${QNET_BINARY:-$ROOT/.build/debug/qnet}"
say() { echo "cluster.sh: $*" >&2; }
usage_error() { say "$*"; say "usage: scripts/cluster.sh SCENARIO --mode local|netns|containers [--out DIR] [--subnet CIDR] [-- QNET_RUN_OPTIONS…]"; exit 64; }

SCENARIO="" MODE="" OUT="" SUBNET=""
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) [ $# -ge 2 ] || usage_error "--mode needs a value"; MODE="$2"; shift 2 ;;
        --out) [ $# -ge 2 ] || usage_error "--out needs a folder"; OUT="$2"; shift 2 ;;
        --subnet) [ $# -ge 2 ] || usage_error "--subnet needs a CIDR"; SUBNET="$2"; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        -*) usage_error "unknown option '$1'" ;;
        *) [ -z "$SCENARIO" ] || usage_error "one scenario only (got '$SCENARIO' and '$1')"; SCENARIO="$1"; shift ;;
    esac
done
[ -n "$SCENARIO" ] || usage_error "no scenario given"
[ -f "$SCENARIO" ] || usage_error "scenario '$SCENARIO' is not a file"
case "$MODE" in
    local|netns|containers) ;;
    "") usage_error "no --mode given (allowed: local, netns, containers)" ;;
    *) usage_error "--mode '$MODE' is not one of local, netns, containers" ;;
esac
[ -x "$QNET" ] || { say "no qnet executable at $QNET (run swift build first, or set QNET_BINARY)"; exit 69; }
OUT="${OUT:-results/$(basename "${SCENARIO%.*}")-$MODE}"

# Bad scenarios fail here with qnet's one line, before anything is created.
"$QNET" validate "$SCENARIO" >/dev/null || exit $?

if [ "$MODE" = local ]; then
    exec "$QNET" run "$SCENARIO" --out "$OUT" --force ${EXTRA[@]+"${EXTRA[@]}"}
fi

[ "$(id -u)" -eq 0 ] || { say "--mode $MODE needs root (network namespaces, podman networks)"; exit 69; }
mkdir -p "$OUT/logs"
OUT="$(cd "$OUT" && pwd)"
SCENARIO_ABS="$(cd "$(dirname "$SCENARIO")" && pwd)/$(basename "$SCENARIO")"
ID="$(printf '%04x' $(( ($$ ^ RANDOM) & 0xFFFF )))"

# The hosts, from the cluster plan: role, name, host name, address, qnet arguments…
read_hosts() {
    ROLES=() NAMES=() HOSTNAMES=() ADDRESSES=() ARGS=()
    local line
    while IFS= read -r line; do
        IFS=$'\t' read -r -a fields <<<"$line"
        ROLES+=("${fields[0]}") NAMES+=("${fields[1]}") HOSTNAMES+=("${fields[2]}") ADDRESSES+=("${fields[3]}")
        ARGS+=("$(printf '%q ' "${fields[@]:4}")")
    done < <("$QNET" members "$SCENARIO_ABS" --subnet "$1" --out "$OUT" -- ${EXTRA[@]+"${EXTRA[@]}"} || echo "FAILED")
    [ "${ROLES[-1]:-}" != FAILED ] || exit 64
}

STATUS=0
INTERRUPTED=""
on_signal() { INTERRUPTED="$1"; }
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# ---------------------------------------------------------------- netns
if [ "$MODE" = netns ]; then
    command -v ip >/dev/null || { say "netns mode needs ip (iproute2; scripts/install-deps.sh installs it)"; exit 69; }
    SUBNET="${SUBNET:-10.214.0.0/24}"
    read_hosts "$SUBNET"
    PREFIX="${SUBNET#*/}"
    BRIDGE="qnb-$ID"
    NAMESPACES=() PIDS=()
    cleanup() {
        local pid ns
        for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
        for _ in $(seq 20); do
            local alive=0
            for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill -0 "$pid" 2>/dev/null && alive=1; done
            [ $alive -eq 0 ] && break
            sleep 0.1
        done
        for ns in ${NAMESPACES[@]+"${NAMESPACES[@]}"}; do
            # Anything still running in the namespace (nothing should be) is killed with it.
            ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
            ip netns del "$ns" 2>/dev/null || true
        done
        local i
        for i in "${!NAMESPACES[@]}"; do ip link del "qnh$ID$i" 2>/dev/null || true; done
        ip link del "$BRIDGE" 2>/dev/null || true
    }
    trap cleanup EXIT
    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" up
    for i in "${!NAMES[@]}"; do
        ns="qn-$ID-$i"
        ip netns add "$ns"
        NAMESPACES+=("$ns")
        ip link add "qnh$ID$i" type veth peer name "qnp$ID$i"
        ip link set "qnp$ID$i" netns "$ns"
        ip link set "qnh$ID$i" master "$BRIDGE" up
        ip -n "$ns" link set "qnp$ID$i" name eth0
        ip -n "$ns" addr add "${ADDRESSES[$i]}/$PREFIX" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" link set lo up
    done
    # The coordinator first (its output is this script's), then the members (logs/NAME.log).
    eval "ip netns exec qn-$ID-0 \"\$QNET\" ${ARGS[0]} &"
    COORDINATOR=$!
    PIDS+=("$COORDINATOR")
    for i in "${!NAMES[@]}"; do
        [ "$i" -eq 0 ] && continue
        eval "ip netns exec qn-$ID-$i \"\$QNET\" ${ARGS[$i]} >\"\$OUT/logs/\${NAMES[\$i]}.log\" 2>&1 &"
        PIDS+=("$!")
    done
    declare -A REPORTED=()
    forwarded=""
    while kill -0 "$COORDINATOR" 2>/dev/null; do
        if [ -n "$INTERRUPTED" ] && [ -z "$forwarded" ]; then
            kill -"$INTERRUPTED" "$COORDINATOR" 2>/dev/null || true
            forwarded=1
        fi
        for i in "${!PIDS[@]}"; do
            [ "$i" -eq 0 ] && continue
            pid="${PIDS[$i]}"
            if [ -z "${REPORTED[$i]:-}" ] && ! kill -0 "$pid" 2>/dev/null; then
                REPORTED[$i]=1
                code=0
                { wait "$pid"; } 2>/dev/null || code=$?
                how="exited with status $code"
                [ "$code" -gt 128 ] && how="was killed by signal $((code - 128))"
                say "${ROLES[$i]} '${NAMES[$i]}' (pid $pid, namespace qn-$ID-$i, ${ADDRESSES[$i]}) $how"
            fi
        done
        sleep 0.1
    done
    wait "$COORDINATOR" || STATUS=$?
    # Members leave on the coordinator's Shutdown; cleanup (on exit) stops any that did not.
    for _ in $(seq 30); do
        alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    exit "$STATUS"
fi

# ---------------------------------------------------------------- containers
command -v podman >/dev/null && command -v podman-compose >/dev/null \
    || { say "containers mode needs podman and podman-compose (scripts/install-deps.sh installs them)"; exit 69; }
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/compose/containers.conf}"
# A tag per binary: another run on this machine with another build cannot re-point the tag
# between this run's build and its containers' creation (podman-compose creates one at a time).
IMAGE="$("$ROOT/scripts/build-image.sh" --binary "$QNET" --tag "localhost/qnetlab/qnet:sha-$(sha256sum "$QNET" | cut -c1-12)")"
PROJECT="qnet-$ID"
NETWORK="${PROJECT}_qnet"
WORK="$(mktemp -d /tmp/qnet-cluster-XXXXXX)"
cleanup() {
    podman-compose -p "$PROJECT" -f "$WORK/docker-compose.yml" down >/dev/null 2>&1 || true
    # podman-compose 1.0 leaves a stopped container or the network in some cases: remove both.
    podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman rm -f -t 1 >/dev/null 2>&1 || true
    podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# A subnet no podman network uses (podman refuses overlapping ones); chosen under a lock so
# that parallel runs pick different ones.
exec 8>/tmp/qnetlab-subnets.lock
flock 8
if [ -z "$SUBNET" ]; then
    used="$(podman network ls -q | xargs -r podman network inspect 2>/dev/null | grep -o '"subnet": *"[^"]*"' || true)"
    for n in $(seq 0 255); do
        if ! grep -q "\"10\.215\.$n\.0/" <<<"$used" && ! ip -4 route | grep -q "^10\.215\.$n\."; then
            SUBNET="10.215.$n.0/24"
            break
        fi
    done
    [ -n "$SUBNET" ] || { say "no free 10.215.N.0/24 subnet for the container network"; exit 69; }
fi
read_hosts "$SUBNET"
"$QNET" compose "$SCENARIO_ABS" --out "$WORK" --image "$IMAGE" --results "$OUT" --subnet "$SUBNET" --by-address \
    -- ${EXTRA[@]+"${EXTRA[@]}"} >/dev/null
# Hosts reach each other by address (--by-address): no name lookups during the run (libzmq
# resolves a peer's name on the thread that also carries the member's link to the coordinator,
# and podman's aardvark-dns has left such lookups unanswered for many seconds). podman-compose 1.0
# applies neither a network's subnet nor a service's ipv4_address, so the network is made here,
# with the labels podman-compose gives its own, and each container is pinned to its address below.
podman network create --subnet "$SUBNET" --label "io.podman.compose.project=$PROJECT" \
    --label "com.docker.compose.project=$PROJECT" "$NETWORK" >/dev/null \
    || { say "cannot create the container network $NETWORK ($SUBNET)"; exit 1; }
# Created by podman-compose, started by one `podman start` (the coordinator first): members
# must all register within the members' 15 s patience, and podman-compose starts one at a time.
podman-compose -p "$PROJECT" -f "$WORK/docker-compose.yml" up --no-start >"$WORK/up.log" 2>&1 \
    || { tail -20 "$WORK/up.log" >&2; say "podman-compose up failed"; exit 1; }
flock -u 8
container() { echo "${PROJECT}_${HOSTNAMES[$1]}_1"; }
for i in "${!NAMES[@]}"; do
    { podman network disconnect "$NETWORK" "$(container "$i")" \
        && podman network connect --ip "${ADDRESSES[$i]}" --alias "${HOSTNAMES[$i]}" "$NETWORK" "$(container "$i")"; } >/dev/null \
        || { say "cannot give container $(container "$i") the address ${ADDRESSES[$i]}"; exit 1; }
done
MEMBER_CONTAINERS=()
for i in "${!NAMES[@]}"; do [ "$i" -eq 0 ] || MEMBER_CONTAINERS+=("$(container "$i")"); done
podman start "$(container 0)" >/dev/null && podman start "${MEMBER_CONTAINERS[@]}" >/dev/null \
    || { say "podman start failed"; exit 1; }
state() { podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$(container "$1")" 2>/dev/null || echo "gone 255"; }
declare -A REPORTED=()
forwarded=""
while :; do
    read -r cstatus ccode <<<"$(state 0)"
    [ "$cstatus" = exited ] || [ "$cstatus" = gone ] && break
    if [ -n "$INTERRUPTED" ] && [ -z "$forwarded" ]; then
        podman kill --signal "$INTERRUPTED" "$(container 0)" >/dev/null 2>&1 || true
        forwarded=1
    fi
    for i in "${!NAMES[@]}"; do
        [ "$i" -eq 0 ] && continue
        [ -n "${REPORTED[$i]:-}" ] && continue
        read -r mstatus mcode <<<"$(state "$i")"
        if [ "$mstatus" = exited ] || [ "$mstatus" = gone ]; then
            REPORTED[$i]=1
            how="exited with status $mcode"
            [ "$mcode" -gt 128 ] && how="was killed by signal $((mcode - 128))"
            say "${ROLES[$i]} '${NAMES[$i]}' (container $(container "$i")) $how"
        fi
    done
    sleep 0.2
done
podman logs "$(container 0)" 2>&1 | grep -v '^failed to connect to syslog' || true
STATUS="$ccode"
# Members leave on the coordinator's Shutdown; keep their output, then remove everything.
for _ in $(seq 30); do
    running="$(podman ps -q --filter "label=io.podman.compose.project=$PROJECT" | wc -l)"
    [ "$running" -eq 0 ] && break
    sleep 0.1
done
for i in "${!NAMES[@]}"; do
    [ "$i" -eq 0 ] && continue
    podman logs "$(container "$i")" >"$OUT/logs/${NAMES[$i]}.log" 2>&1 || true
done
exit "$STATUS"
