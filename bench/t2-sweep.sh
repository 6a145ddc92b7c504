#!/usr/bin/env bash
# Fidelity and rate against memory T2 for the swap policies asap, nested and sequential on the
# 5-node chain (scenarios/chain-5.yaml: n0 … n4, 10 km links, double-click, 5 ms cutoff): one
# `qnet sweep` over T2 × swap policy with SEEDS seeds per point, then `qnet report` and
# scripts/check-report.sh on its report, and a table of sweep.json's figures.
#
# Usage: bench/t2-sweep.sh [out]        (default results/t2-sweep-<yyyyMMdd-HHmmss>; new or empty)
# Environment:
#   T2="1 ms,3 ms,10 ms,30 ms,100 ms,1 s"   memory T2 of every node (defaults.memory.t2), the x axis
#   SWAP="asap,nested,sequential"           swap policies (policies.swap), one series each
#   SEEDS=20  JOBS=2                        seeds per point, runs at a time
#   SCENARIO=scenarios/chain-5.yaml
#   QNET=path (default .build/release/qnet, built here first), SKIP_BUILD=1
# The stations run inside the coordinator (`--stations coordinator`): under the lockstep clock
# results are the same as with one process each, and runs start faster.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-results/t2-sweep-$(date +%Y%m%d-%H%M%S)}"
t2="${T2:-1 ms,3 ms,10 ms,30 ms,100 ms,1 s}"
swap="${SWAP:-asap,nested,sequential}"
seeds="${SEEDS:-20}" jobs="${JOBS:-2}"
scenario="${SCENARIO:-scenarios/chain-5.yaml}"
qnet="${QNET:-.build/release/qnet}"
[ -n "${QNET:-}" ] || [ "${SKIP_BUILD:-0}" = 1 ] || scripts/build-release.sh >/dev/null
"$qnet" sweep "$scenario" --set "defaults.memory.t2=$t2" --set "policies.swap=$swap" \
    --seeds "$seeds" --jobs "$jobs" --run-arguments "--stations coordinator" --out "$out"
"$qnet" report "$out"
scripts/check-report.sh "$out/report.html"
python3 - "$out/sweep.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
print(f"{t['scenario']}: {len(t['rows'])} points x {t['seeds']} seeds (mean over seeds, 95% interval over seeds)")
print(f"{'T2':>8} {'swap':>10} {'fidelity':>8} {'[95% interval]':>18} {'rate (pairs/s)':>14} {'[95% interval]':>16} runs")
for r in t["rows"]:
    f, q = r["metrics"].get("request0.fidelity"), r["metrics"].get("request0.ratePerSecond")
    if not f or not q:
        print(f"{r['values']['defaults.memory.t2']:>8} {r['values']['policies.swap']:>10}  (no pairs)")
        continue
    print(f"{r['values']['defaults.memory.t2']:>8} {r['values']['policies.swap']:>10} {f['mean']:8.4f} [{f['ci95'][0]:.4f}, {f['ci95'][1]:.4f}] "
          f"{q['mean']:14.1f} [{q['ci95'][0]:6.1f}, {q['ci95'][1]:6.1f}] {f['runs']}")
PY
