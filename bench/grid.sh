#!/usr/bin/env bash
# A ROWS×COLUMNS grid (default 16×16: 256 node processes, stations inside the coordinator) with
# 8 concurrent requests whose paths cross: start-up time, peak RSS per node process, wall time
# per delivered pair.
#
# Usage: bench/grid.sh [rows] [columns] [pairs per request]     (default 16 16 10)
# Environment: QNET=path (default .build/release/qnet, built here first), SKIP_BUILD=1, KEEP=dir
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-16}" columns="${2:-16}" pairs="${3:-10}"
[ "$rows" -ge 4 ] && [ "$columns" -ge 4 ] || { echo "grid.sh: rows and columns must be at least 4" >&2; exit 64; }
qnet="${QNET:-.build/release/qnet}"
[ -n "${QNET:-}" ] || [ "${SKIP_BUILD:-0}" = 1 ] || scripts/build-release.sh >/dev/null
out="${KEEP:-$(mktemp -d)}"
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
r=$((rows - 1)) c=$((columns - 1)) mr=$((rows / 2)) mc=$((columns / 2))
cat >"$out/grid.yaml" <<YAML
name: grid-${rows}x${columns}
seed: 4
duration: 60 s
defaults:
  memory:    { qubits: 2, communicationQubits: 1, t1: inf, t2: inf }
  photonics: { emissionEfficiency: 0.5, attemptPeriod: 1 us }
  detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
  link:      { attenuation: 0.2 dB/km, scheme: double-click }
topology: { kind: grid, rows: $rows, columns: $columns, spacing: 2 km }
requests:
  - { from: g0_0, to: g${r}_${c}, pairs: $pairs }
  - { from: g${r}_0, to: g0_${c}, pairs: $pairs }
  - { from: g0_${mc}, to: g${r}_${mc}, pairs: $pairs }
  - { from: g${mr}_0, to: g${mr}_${c}, pairs: $pairs }
  - { from: g1_1, to: g$((r - 1))_$((c - 1)), pairs: $pairs }
  - { from: g$((r - 1))_1, to: g1_$((c - 1)), pairs: $pairs }
  - { from: g0_$((c - 1)), to: g${r}_1, pairs: $pairs }
  - { from: g${mr}_${mc}, to: g1_$((c - 1)), pairs: $pairs }
policies: { request: fifo, routing: hops }
YAML
"$qnet" run "$out/grid.yaml" --stations coordinator --out "$out/results" --quiet >"$out/run.log" 2>&1 || { cat "$out/run.log" >&2; exit 1; }
python3 - "$out/results/summary.json" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
delivered = sum(r["pairsDelivered"] for r in s["requests"])
nodes = [p["peakRSSBytes"] / 2**20 for p in s["processes"] if p["role"] == "node" and p.get("peakRSSBytes")]
start = s.get("startupSeconds") or 0
print(f"{s['scenario']}: {s['status']}, {len(nodes)} node processes, {delivered} pairs")
print(f"  start-up {start:.2f} s; wall {s['wallSeconds']:.2f} s; per delivered pair {s['wallSeconds'] / max(delivered, 1):.3f} s "
      f"({(s['wallSeconds'] - start) / max(delivered, 1):.3f} s after start-up)")
print(f"  peak RSS per node process: median {statistics.median(nodes):.1f} MiB, max {max(nodes):.1f} MiB")
print(f"  fairness (Jain) {s.get('fairness')}")
PY
