#!/usr/bin/env bash
# Controller placement benchmark (release build), each figure beside its baseline in the same run:
#  - the controller's decision round trip (coordinator → controller program → coordinator, wall
#    time per observation, from summary.json) against the raw ZeroMQ DEALER↔ROUTER round trip
#    (qnet bench transport);
#  - wall time per delivered pair on the 5-node chain with its decisions at a controller beside
#    n2 (scenarios/chain-5-controller.yaml) against the same chain deciding in the nodes.
# Runs alternate between the two placements. Usage: bench/controller.sh [runs] (default 3; medians).
# PAIRS (default 300) pairs per run; QNET=path skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
pairs="${PAIRS:-300}"
if [ -z "${QNET:-}" ]; then
    scripts/install-deps.sh
    scripts/build-release.sh >/dev/null
    QNET=.build/release/qnet
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed "s/pairs: 100/pairs: $pairs/" scenarios/chain-5-controller.yaml >"$out/controller.yaml"
sed -e "s/pairs: 100/pairs: $pairs/" -e 's/, placement: controller, controllerAt: n2//' -e 's/^name: chain-5-controller/name: chain-5-nodes/' \
    scenarios/chain-5-controller.yaml >"$out/nodes.yaml"
for i in $(seq "$runs"); do
    "$QNET" bench transport --json >"$out/transport-$i.json"
    for placement in nodes controller; do
        "$QNET" run "$out/$placement.yaml" --out "$out/$placement-$i" --quiet >/dev/null
    done
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
med = statistics.median
raw = [json.load(open(f"{out}/transport-{i}.json"))["rawRoundTripMicroseconds"]["p50"] for i in range(1, runs + 1)]
s = {p: [json.load(open(f"{out}/{p}-{i}/summary.json")) for i in range(1, runs + 1)] for p in ("nodes", "controller")}
rt = [x["controller"]["roundTripMicroseconds"]["p50"] for x in s["controller"]]
per = {p: [x["wallSeconds"] / x["requests"][0]["pairsDelivered"] * 1e3 for x in s[p]] for p in s}
fid = {p: med(x["requests"][0]["fidelity"]["mean"] for x in s[p]) for p in s}
obs = med(x["controller"]["observations"] / x["requests"][0]["pairsDelivered"] for x in s["controller"])
print(f"medians of {runs} runs, {s['nodes'][0]['requests'][0]['pairsRequested']} pairs per run, 5-node chain")
print(f"raw ZeroMQ DEALER<->ROUTER round trip p50      {med(raw):8.1f} us")
print(f"controller decision round trip p50            {med(rt):8.1f} us   ({med(a / b for a, b in zip(rt, raw)):.1f}x raw)")
print(f"wall time per delivered pair, in-node         {med(per['nodes']):8.2f} ms   (mean F {fid['nodes']:.4f})")
print(f"wall time per delivered pair, controller      {med(per['controller']):8.2f} ms   (mean F {fid['controller']:.4f}, "
      f"{obs:.1f} observations per pair)")
print(f"controller / in-node (median of ratios)       {med(a / b for a, b in zip(per['controller'], per['nodes'])):8.2f}x")
PY
