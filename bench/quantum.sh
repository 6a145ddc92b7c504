#!/usr/bin/env bash
# State-engine benchmark beside its NumPy baseline, in the same run.
# Usage: bench/quantum.sh [runs]   (default 3 alternating runs of each; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy
scripts/build-release.sh >/dev/null
qnet=.build/release/qnet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
    "$qnet" bench quantum --json >"$out/swift.$i.json"
    # OPENBLAS_* slow a current NumPy on some processors here; unset for this command only.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/quantum_numpy.py >"$out/numpy.$i.json"
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
load = lambda kind: [json.load(open(f"{out}/{kind}.{i}.json")) for i in range(1, runs + 1)]
swift, numpy = load("swift"), load("numpy")
print(f"{'workload':<24}{'qnet ops/s':>14}{'numpy ops/s':>14}{'ratio':>9}   (medians of {runs} runs)")
for key in ["swapsPerSecond", "decoherencePerSecond", "bsmPerSecond", "gates10QubitPerSecond"]:
    s = statistics.median(r[key] for r in swift)
    n = statistics.median(r[key] for r in numpy)
    print(f"{key:<24}{s:>14,.0f}{n:>14,.0f}{s / n:>8.1f}x")
PY
