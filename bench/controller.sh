#!/usr/bin/env bash
# Controller placement benchmark (release build), each figure beside its baseline in the same run:
#  - the controller's decision round trip (coordinator → controller program → coordinator, wall
#    time per observation, from summary.json) against the raw ZeroMQ DEALER↔ROUTER round trip
#    (qnet bench transport);
#  - wall time per delivered pair on the 5-node chain with its decisions at a controller beside
#    n2 (scenarios/chain-5-controller.yaml) against the same chain deciding in the nodes, and
#    with link generation at the controller too (generationPlacement: controller).
# Runs alternate between the three placements. Usage: bench/controller.sh [runs] (default 3; medians).
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
sed -e "s/pairs: 100/pairs: $pairs/" -e 's/controllerAt: n2/controllerAt: n2, generationPlacement: controller/' \
    scenarios/chain-5-controller.yaml >"$out/generation.yaml"
for i in $(seq "$runs"); do
    "$QNET" bench transport --json >"$out/transport-$i.json"
    for placement in nodes controller generation; do
        "$QNET" run "$out/$placement.yaml" --out "$out/$placement-$i" --quiet >/dev/null
    done
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
med = statistics.median
raw = [json.load(open(f"{out}/transport-{i}.json"))["rawRoundTripMicroseconds"]["p50"] for i in range(1, runs + 1)]
s = {p: [json.load(open(f"{out}/{p}-{i}/summary.json")) for i in range(1, runs + 1)] for p in ("nodes", "controller", "generation")}
rt = [x["controller"]["roundTripMicroseconds"]["p50"] for x in s["controller"]]
assert all(x["requests"][0]["pairsDelivered"] > 0 for p in s for x in s[p]), "a run delivered nothing"
per = {p: [x["wallSeconds"] / x["requests"][0]["pairsDelivered"] * 1e3 for x in s[p]] for p in s}
fid = {p: med(x["requests"][0]["fidelity"]["mean"] for x in s[p]) for p in s}
obs = {p: med(x["controller"]["observations"] / x["requests"][0]["pairsDelivered"] for x in s[p]) for p in ("controller", "generation")}
virt = {p: med(x["virtualSeconds"] / x["requests"][0]["pairsDelivered"] * 1e6 for x in s[p]) for p in s}
print(f"medians of {runs} runs, {s['nodes'][0]['requests'][0]['pairsRequested']} pairs per run, 5-node chain")
print(f"raw ZeroMQ DEALER<->ROUTER round trip p50      {med(raw):8.1f} us")
print(f"controller decision round trip p50            {med(rt):8.1f} us   ({med(a / b for a, b in zip(rt, raw)):.1f}x raw)")
print(f"wall time per delivered pair, in-node         {med(per['nodes']):8.2f} ms   (mean F {fid['nodes']:.4f})")
print(f"wall time per delivered pair, controller      {med(per['controller']):8.2f} ms   (mean F {fid['controller']:.4f}, "
      f"{obs['controller']:.1f} observations per pair)")
print(f"controller / in-node (median of ratios)       {med(a / b for a, b in zip(per['controller'], per['nodes'])):8.2f}x")
print(f"wall time per delivered pair, + generation    {med(per['generation']):8.2f} ms   (mean F {fid['generation']:.4f}, "
      f"{obs['generation']:.1f} observations per pair)")
print(f"+ generation / in-node (median of ratios)     {med(a / b for a, b in zip(per['generation'], per['nodes'])):8.2f}x")
print(f"virtual time per pair: in-node {virt['nodes']:.1f} us, controller {virt['controller']:.1f} us, + generation {virt['generation']:.1f} us")
PY
