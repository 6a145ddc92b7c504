#!/usr/bin/env bash
# Scale: a chain of N nodes (default 64): N node processes plus N−1 station processes and the
# coordinator, on this machine. Reports start-up time, peak RSS per process and wall time per
# delivered end-to-end pair (release build).
# Usage: bench/scale.sh [nodes] [pairs] [qnet run options…]   (e.g. --stations coordinator)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-64}"
pairs="${2:-20}"
scripts/install-deps.sh
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >/dev/null
qnet="${QNET:-.build/release/qnet}"
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
/usr/bin/time -f "%e" -o "$dir/time" "$qnet" run "$dir/chain.yaml" --out "$dir/out" --quiet "${@:3}"
python3 - "$dir/out/summary.json" "$(cat "$dir/time")" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1])); total = float(sys.argv[2])
r = s["requests"][0]
rss = {p["role"]: [] for p in s["processes"]}
for p in s["processes"]:
    rss[p["role"]].append((p.get("peakRSSBytes") or 0) / 2**20)
print(f"chain of {len(s['processes']) - 1} member processes ({s['scenario']}): status {s['status']}")
print(f"start-up (all members registered): {s['startupSeconds']:.2f} s; whole command {total:.2f} s wall")
print(f"pairs delivered {r['pairsDelivered']}/{r['pairsRequested']}, fidelity {r['fidelity']['mean']:.4f}, "
      f"{s['wallSeconds'] / max(r['pairsDelivered'], 1):.3f} s wall per pair "
      f"({(s['wallSeconds'] - s['startupSeconds']) / max(r['pairsDelivered'], 1):.3f} s after start-up)")
for role, values in rss.items():
    print(f"peak RSS {role:<12} min {min(values):5.1f}  median {statistics.median(values):5.1f}  max {max(values):5.1f} MiB  (n={len(values)})")
print(f"messages: {s['messages']['routed']} routed, {s['messages']['backplane']} backplane, {s['messages']['clock']} clock")
PY
