#!/usr/bin/env bash
# Soak benchmark: does any process grow with the run's length? A long run is sampled every half
# second: the resident set (VmRSS) of every qnet process of the run (coordinator, nodes,
# stations) against the pairs delivered so far (summary.json, rewritten about once a second).
# Printed per process: RSS at 10 %, 50 % and 100 % of the pairs, the growth from 10 % to 100 %
# per delivered pair (bytes; a table bounded by the scenario shows ~0), and the peak (VmHWM) at
# the last sample. Then `qnet report` of the run's folder, its peak RSS (GNU time): the report
# reads pairs.csv a block at a time and holds at most 100 000 rows, whatever the run's length.
#
# Usage: bench/soak.sh [two-node|chain|both]   (default both)
#   PAIRS        pairs on the two-node link (default 1000000)
#   CHAIN_PAIRS  pairs end to end on the 5-node chain (default 100000)
#   QNET=path    use this binary (skips the build)
# Linux only: it reads /proc and uses GNU date and time.
set -euo pipefail
# A relative QNET is relative to where the script was started.
if [ -n "${QNET:-}" ]; then QNET=$(realpath "$QNET"); fi
cd "$(dirname "$0")/.."
which="${1:-both}"
if [ -z "${QNET:-}" ]; then
    scripts/install-deps.sh
    scripts/build-release.sh >/dev/null
    QNET=.build/release/qnet
fi
[ -x /usr/bin/time ] || { echo "soak: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
out=$(mktemp -d)
run_pid=
cleanup() {
    if [ -n "$run_pid" ]; then
        kill -TERM "$run_pid" 2>/dev/null || true
        wait "$run_pid" 2>/dev/null || true
    fi
    rm -rf "$out"
}
trap cleanup EXIT

cat >"$out/two-node.yaml" <<EOF
# Two nodes 1 km apart, ideal memories: as many pairs per wall second as the link layer gives.
name: soak-two-node
seed: 1
duration: 1000000 s
defaults:
  memory:    { qubits: 2 }
  photonics: { emissionEfficiency: 0.9, attemptPeriod: 10 us }
  link:      { scheme: single-click, brightStatePopulation: 0.1 }
nodes: [{ name: a }, { name: b }]
links: [{ nodes: [a, b], length: 1 km }]
requests:
  - { from: a, to: b, pairs: ${PAIRS:-1000000}, type: keep }
EOF
cat >"$out/chain.yaml" <<EOF
# Five nodes 1 km apart, swap-ASAP, finite memories with a cutoff.
name: soak-chain
seed: 1
duration: 1000000 s
defaults:
  memory:    { qubits: 2, t1: 10 s, t2: 1 s }
  photonics: { emissionEfficiency: 0.9, attemptPeriod: 10 us }
  link:      { scheme: single-click, brightStatePopulation: 0.1 }
topology: { kind: chain, nodes: 5, spacing: 1 km }
requests:
  - { from: n0, to: n4, pairs: ${CHAIN_PAIRS:-100000}, type: keep }
policies: { swap: asap, cutoff: 10 ms }
EOF

# Every descendant of pid $1 (the processes the run spawned), one per line.
descendants() {
    local children c
    children=$(pgrep -P "$1" || true)
    for c in $children; do
        echo "$c"
        descendants "$c"
    done
}

soak() {
    local name="$1" scenario="$out/$1.yaml" results="$out/$1-results" samples="$out/$1-samples.csv"
    "$QNET" run "$scenario" --out "$results" --stations process --quiet >"$out/$name.log" 2>&1 &
    run_pid=$!
    echo "elapsed,delivered,process,rssKiB,peakKiB" >"$samples"
    local start delivered pids pid label rss
    start=$(date +%s.%N)
    while kill -0 "$run_pid" 2>/dev/null; do
        delivered=$(python3 -c 'import json,sys
try: print(sum(r["pairsDelivered"] for r in json.load(open(sys.argv[1]))["requests"]))
except Exception: print(-1)' "$results/summary.json" 2>/dev/null || echo -1)
        pids="$run_pid $(descendants "$run_pid")"
        for pid in $pids; do
            [ -r /proc/"$pid"/status ] || continue
            # The role and name from the command line: "coordinator", "node n1", "station station-n0-n1".
            # A process may end between the check above and here: skip it.
            label=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | awk '{
                if ($2 == "run") { print "coordinator"; exit }
                for (i = 1; i <= NF; i++) if ($i == "--name") { print $2 " " $(i + 1); exit }
                print $2 }') || continue
            rss=$(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { if (r != "") print r "," h }' /proc/"$pid"/status 2>/dev/null || true)
            [ -n "$rss" ] && echo "$(awk -v now="$(date +%s.%N)" -v t0="$start" 'BEGIN { printf "%.2f", now - t0 }'),$delivered,$label,$rss" >>"$samples"
        done
        sleep 0.5
    done
    wait "$run_pid" || { echo "soak: $name run failed:"; cat "$out/$name.log"; exit 1; }
    run_pid=
    local report_kib
    report_kib=$( { /usr/bin/time -f '%M' "$QNET" report "$results" --out "$out/$name-report.html" >/dev/null; } 2>&1 | tail -n 1) || {
        echo "soak: qnet report of the $name run failed: $report_kib" >&2; exit 1; }
    case "$report_kib" in ''|*[!0-9]*) echo "soak: qnet report of the $name run: no peak RSS ($report_kib)" >&2; exit 1 ;; esac
    python3 - "$samples" "$results/summary.json" "$name" "$report_kib" <<'PY'
import csv, json, sys
samples, summary, name, report_kib = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3], int(sys.argv[4])
total = sum(r["pairsDelivered"] for r in summary["requests"])
if total == 0:
    sys.exit(f"soak: the {name} run delivered no pairs (status {summary['status']})")
rows = [r for r in csv.DictReader(open(samples)) if int(r["delivered"]) >= 0]
by = {}
for r in rows:
    by.setdefault(r["process"], []).append((int(r["delivered"]), int(r["rssKiB"]), int(r["peakKiB"])))
print(f"{name}: {total} pairs in {summary['wallSeconds']:.1f} s wall ({summary['wallSeconds'] / total * 1e6:.1f} us per pair), "
      f"status {summary['status']}")
print(f"  {'process':28s} {'RSS@10%':>12s} {'RSS@50%':>12s} {'RSS@100%':>12s} {'growth 10->100%':>16s} {'peak':>12s}")
for process, points in sorted(by.items()):
    def at(fraction):
        # The first sample at or past the fraction; the last sample stands for 100 %.
        target = fraction * total
        hits = [p for p in points if p[0] >= target]
        return hits[0] if hits and fraction < 1 else points[-1]
    (d10, r10, _), (_, r50, _), (d100, r100, peak) = at(0.1), at(0.5), at(1.0)
    per_pair = (r100 - r10) * 1024 / (d100 - d10) if d100 > d10 else float("nan")
    print(f"  {process:28s} {r10 / 1024:8.1f} MiB {r50 / 1024:8.1f} MiB {r100 / 1024:8.1f} MiB {per_pair:9.2f} B/pair {peak / 1024:8.1f} MiB")
print(f"  qnet report of the {total} pairs: peak RSS {report_kib / 1024:.1f} MiB")
PY
}

case "$which" in
    two-node) soak two-node ;;
    chain) soak chain ;;
    both) soak two-node; soak chain ;;
    *) echo "usage: bench/soak.sh [two-node|chain|both]" >&2; exit 64 ;;
esac
