#!/usr/bin/env bash
# The three cluster modes side by side in one run (scripts/cluster.sh): a chain of N nodes
# (default 9: 9 nodes, 8 stations, the coordinator), the same scenario as local processes, one
# network namespace per host, and one container per host. Reports, per mode: start-up (the
# coordinator's start until every member registered, summary.json startupSeconds), the whole
# command's wall time (containers: image check, compose up, removal included), and wall time per
# delivered pair after start-up. Needs root (netns, podman).
# Usage: bench/clusters.sh [nodes] [pairs]    (QNET_BINARY: default .build/release/qnet)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-9}"
pairs="${2:-200}"
scripts/install-deps.sh
export QNET_BINARY="${QNET_BINARY:-$PWD/.build/release/qnet}"
[ -n "${SKIP_BUILD:-}" ] || [ "$QNET_BINARY" != "$PWD/.build/release/qnet" ] || scripts/build-release.sh >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/chain.yaml" <<YAML
name: chain-$nodes
seed: 1
duration: 600 s
defaults:
  memory:    { qubits: 2, t1: inf, t2: inf }
  photonics: { emissionEfficiency: 0.5, visibility: 0.98, attemptPeriod: 1 us }
  detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
  link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
topology: { kind: chain, nodes: $nodes, spacing: 2 km }
requests:
  - { from: n0, to: n$((nodes - 1)), pairs: $pairs, type: keep }
YAML
scripts/build-image.sh --binary "$QNET_BINARY" >/dev/null   # outside the timing: built once
for mode in local netns containers; do
    /usr/bin/time -f "%e" -o "$dir/$mode.time" scripts/cluster.sh "$dir/chain.yaml" --mode "$mode" --out "$dir/$mode" >/dev/null 2>"$dir/$mode.err" \
        || echo "bench: the $mode run failed (see its row)" >&2
done
python3 - "$dir" <<'PY'
import csv, json, os, sys
d = sys.argv[1]
rows, pairs = [], {}
for mode in ["local", "netns", "containers"]:
    s = json.load(open(os.path.join(d, mode, "summary.json")))
    total = float(open(os.path.join(d, mode + ".time")).read().split()[-1])
    r = s["requests"][0]
    if s["status"] != "completed":
        print(f"{mode}: {s['status']}: {s.get('error')}")
    n = max(r["pairsDelivered"], 1)
    pairs[mode] = list(csv.DictReader(open(os.path.join(d, mode, "pairs.csv"))))
    rows.append((mode, len(s["processes"]) - 1, s["startupSeconds"], total, s["wallSeconds"],
                 (s["wallSeconds"] - s["startupSeconds"]) / n * 1e3, r["pairsDelivered"]))
print(f"{'mode':<11} {'members':>7} {'start-up s':>10} {'command s':>9} {'run s':>7} {'ms/pair':>8} {'pairs':>6}")
for m, k, st, tot, w, pp, n in rows:
    print(f"{m:<11} {k:>7} {st:>10.2f} {tot:>9.2f} {w:>7.2f} {pp:>8.2f} {n:>6}")
same = all(len(pairs[m]) == len(pairs["local"]) > 0 and len(pairs[m]) == len(pairs["local"]) and all(
    a["createdSeconds"] == b["createdSeconds"] and a["deliveredSeconds"] == b["deliveredSeconds"]
    and abs(float(a["fidelity"]) - float(b["fidelity"])) <= 1e-9 for a, b in zip(pairs["local"], pairs[m]))
    for m in ["netns", "containers"])
print("pairs identical in the three modes (times exact, fidelities within 1e-9):", "yes" if same else "NO")
PY
