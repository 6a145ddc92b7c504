#!/usr/bin/env bash
# Repeater chain n0 ... n(N-1), N = 3, 5, 9: QNetLab (`qnet run`) beside the SeQUeNCe
# baseline (bench/sequence_chain.py), the same physics on both sides, RUNS alternating
# runs of each, medians reported.
#
# Usage: bench/chain.sh [runs]                  (default 3)
# Environment:
#   NODES="3 5 9"       chain lengths
#   MEMORIES=1          memories per link end, one row per value (e.g. MEMORIES="1 4"): SeQUeNCe's
#                       routers get 2M memories and reserve M per link end; qnet's nodes get
#                       `qubits: 2M, communicationQubits: M` (an interior node's two links share its
#                       2M qubits, at most M each; an end node uses M of its 2M). With M > 1 both
#                       sides keep up to M pairs per link in flight
#   PAIRS=200           end-to-end pairs asked of SeQUeNCe
#   QNET_PAIRS=1000     end-to-end pairs asked of qnet (it is ~10x faster per pair; more pairs keep its
#                       process start-up, included in its wallSeconds, a small part of the per-pair figure)
#   SPACING_KM=2        distance between adjacent nodes
#   SEED=1              seed of every run on both sides (repeats measure timing noise, not sampling noise)
#   QNET=path           qnet binary to use (default .build/release/qnet, built here first)
#   SKIP_BUILD=1        do not run `swift build` (implied when QNET is set)
#   PYTHON=path         a Python >= 3.12 for the SeQUeNCe venv (default: newest 3.12+ from pyenv)
#   KEEP=dir            keep every scenario, result folder and JSON line in dir
#   STATIONS="process coordinator"
#                       where qnet runs the stations (`qnet run --stations`): each its own process,
#                       or inside the coordinator
#   BACKPLANE="direct coordinator"
#                       how qnet's backplane messages travel (`qnet run --backplane`): node to node,
#                       or through the coordinator; one qnet row per placement and route
#
# Per-pair wall time: qnet's is summary.json wallSeconds / pairsDelivered (the whole run,
# process start-up included); SeQUeNCe's is timeline.run() / pairs (its setup, Python
# start-up and imports excluded; setup is printed separately). "s/run" columns are the
# whole-run figures of each. "vt/pair" is virtual time per delivered pair from the start of
# service (qnet: the request's start; SeQUeNCe: the reservation's start) to the last delivery,
# a check that both sides model the same thing (SeQUeNCe's negotiated attempts are slower, see
# bench/sequence_chain.py) and that M > 1 pipelines (vt/pair falls with M).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
nodes_list="${NODES:-3 5 9}"
memories_list="${MEMORIES:-1}"
pairs="${PAIRS:-200}"
qnet_pairs="${QNET_PAIRS:-1000}"
spacing="${SPACING_KM:-2}"
seed="${SEED:-1}"
stations_list="${STATIONS:-process coordinator}"
backplane_list="${BACKPLANE:-direct coordinator}"
configs=""
for st in $stations_list; do for bp in $backplane_list; do configs="$configs $st/$bp"; done; done

# --- SeQUeNCe venv (idempotent) ---------------------------------------------------------
venv=.venv-sequence
python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
if [ ! -x "$venv/bin/python" ] || ! python_ok "$venv/bin/python"; then
    py="${PYTHON:-}"
    if [ -z "$py" ]; then
        root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
        for v in $(ls "$root/versions" 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k2,2nr -k3,3nr); do
            if python_ok "$root/versions/$v/bin/python"; then py="$root/versions/$v/bin/python"; break; fi
        done
    fi
    for cand in "$py" python3.13 python3.12 python3; do
        [ -n "$cand" ] && python_ok "$cand" && { py="$cand"; break; }
    done
    if [ -z "$py" ] || ! python_ok "$py"; then
        echo "chain.sh: SeQUeNCe needs Python >= 3.12; none found (try: pyenv install 3.12, or PYTHON=...)" >&2
        exit 1
    fi
    rm -rf "$venv"
    "$py" -m venv "$venv"
fi
"$venv/bin/python" -c 'import sequence' 2>/dev/null || "$venv/bin/pip" install --quiet sequence
seq_version="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("sequence"))')"

# --- qnet ---------------------------------------------------------------------------------
if [ -n "${QNET:-}" ]; then
    qnet="$QNET"
else
    qnet=.build/release/qnet
    [ "${SKIP_BUILD:-0}" = 1 ] || scripts/build-release.sh >/dev/null
fi
[ -x "$qnet" ] || { echo "chain.sh: no qnet binary at $qnet" >&2; exit 1; }

out="${KEEP:-$(mktemp -d)}"
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT

scenario() {  # N P M FILE
    local n=$1 p=$2 m=$3
    cat >"$4" <<YAML
name: chain-$n
seed: $seed
duration: 600 s
defaults:
  memory:    { qubits: $((2 * m)), communicationQubits: $m, t1: inf, t2: inf }   # $m memories per link end, as the SeQUeNCe side reserves
  photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us }
  detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
  link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
topology: { kind: chain, nodes: $n, spacing: $spacing km }
requests:
  - { from: n0, to: n$((n - 1)), pairs: $p, type: keep }
policies: { swap: asap, cutoff: none }
YAML
}

echo "SeQUeNCe $seq_version ($("$venv/bin/python" -V)); qnet $("$qnet" --version 2>/dev/null || echo '?'); $runs runs each, alternating"
for n in $nodes_list; do for m in $memories_list; do
    scenario "$n" "$qnet_pairs" "$m" "$out/chain-$n-m$m.yaml"
    for i in $(seq "$runs"); do
        # qnet: a failure is recorded (first line of its error) and the other runs still go on.
        for config in $configs; do
            st="${config%/*}" bp="${config#*/}"
            dir="$out/qnet-$st-$bp-$n-m$m-$i"
            if "$qnet" run "$out/chain-$n-m$m.yaml" --stations "$st" --backplane "$bp" --out "$dir" --quiet >"$dir.log" 2>&1 && [ -f "$dir/summary.json" ]; then
                echo ok >"$dir.status"
            else
                { grep -m1 -i 'error' "$dir.log" || head -n1 "$dir.log" || true; } >"$dir.status"
            fi
        done
        "$venv/bin/python" bench/sequence_chain.py --nodes "$n" --pairs "$pairs" --seed "$seed" \
            --spacing-km "$spacing" --memories "$m" >"$out/seq-$n-m$m-$i.json" || true
    done
done; done

"$venv/bin/python" - "$out" "$runs" "$nodes_list" "$configs" "$memories_list" <<'PY'
import csv, json, statistics, sys
out, runs, nodes = sys.argv[1], int(sys.argv[2]), [int(n) for n in sys.argv[3].split()]
configs = [c.split("/") for c in sys.argv[4].split()]
memories = [int(m) for m in sys.argv[5].split()]
med = lambda xs: statistics.median(xs) if xs else None

def fmt(x, width, spec, suffix=""):
    return (format(x, spec) + suffix if x is not None else "-").rjust(width)

def qnet_virtual_per_pair(folder, request):
    """Virtual seconds per pair from the request's start to its last delivery (pairs.csv)."""
    with open(f"{folder}/pairs.csv", newline="") as f:
        delivered = [float(row["deliveredSeconds"]) for row in csv.DictReader(f)]
    if not delivered:
        return None
    return (max(delivered) - (request.get("startSeconds") or 0)) / len(delivered)

def qnet_runs(n, m, st, bp):
    rows, errors = [], []
    for i in range(1, runs + 1):
        folder = f"{out}/qnet-{st}-{bp}-{n}-m{m}-{i}"
        status = open(f"{folder}.status").read().strip()
        if status != "ok":
            errors.append(status or "qnet run failed (no output)")
            continue
        s = json.load(open(f"{folder}/summary.json"))
        r = s["requests"][0]
        k = r["pairsDelivered"]
        if not k:
            errors.append("qnet delivered no pair")
            continue
        rows.append({"run": s["wallSeconds"], "pair": s["wallSeconds"] / k, "fid": r["fidelity"]["mean"], "k": k,
                     "vt": qnet_virtual_per_pair(folder, r)})
    return rows, errors

def seq_runs(n, m):
    rows = []
    for i in range(1, runs + 1):
        try:
            r = json.loads(open(f"{out}/seq-{n}-m{m}-{i}.json").read().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            continue
        if r.get("pairsDelivered"):
            rows.append({"run": r["wallSeconds"], "pair": r["wallSecondsPerPair"], "fid": r["meanFidelity"],
                         "k": r["pairsDelivered"], "setup": r["setupSeconds"], "vt": r["virtualSecondsPerPair"]})
    return rows

us = lambda x: x * 1e6 if x is not None else None
cols = [("N", 3), ("M", 2), ("stations", 11), ("backplane", 11), ("qnet pairs", 10), ("qnet s/run", 10), ("qnet s/pair", 11),
        ("SeQ pairs", 9), ("SeQ s/run", 9), ("SeQ s/pair", 10), ("SeQ setup s", 11), ("SeQ/qnet", 8), ("F qnet", 7),
        ("F SeQ", 7), ("qnet vt/pair", 12), ("SeQ vt/pair", 11)]
print(" ".join(name.rjust(w) for name, w in cols) + f"   (medians of {runs} runs; vt/pair in virtual us)")
notes = []
for n in nodes:
  for m in memories:
    s = seq_runs(n, m)
    sp = med([r["pair"] for r in s])
    for st, bp in configs:
        q, errors = qnet_runs(n, m, st, bp)
        qp = med([r["pair"] for r in q])
        ratio = sp / qp if qp and sp else None
        cells = [str(n).rjust(3), str(m).rjust(2), st.rjust(11), bp.rjust(11),
                 fmt(med([r["k"] for r in q]), 10, ".0f"), fmt(med([r["run"] for r in q]), 10, ".3f"),
                 fmt(qp, 11, ".2e"), fmt(med([r["k"] for r in s]), 9, ".0f"), fmt(med([r["run"] for r in s]), 9, ".3f"),
                 fmt(sp, 10, ".2e"), fmt(med([r["setup"] for r in s]), 11, ".4f"), fmt(ratio, 8, ".1f", "x"),
                 fmt(med([r["fid"] for r in q]), 7, ".4f"), fmt(med([r["fid"] for r in s]), 7, ".4f"),
                 fmt(us(med([r["vt"] for r in q if r["vt"] is not None])), 12, ".1f"),
                 fmt(us(med([r["vt"] for r in s if r["vt"] is not None])), 11, ".1f")]
        print(" ".join(cells))
        if errors:
            notes.append(f"N={n} M={m} stations={st} backplane={bp}: qnet run failed in {len(errors)}/{runs} runs: {errors[0]}")
    if len(s) < runs:
        notes.append(f"N={n} M={m}: SeQUeNCe delivered in only {len(s)}/{runs} runs (see seq-{n}-m{m}-*.json)")
for note in notes:
    print(note)
PY
