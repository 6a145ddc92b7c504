#!/usr/bin/env bash
# Transport benchmark (release build): raw ZeroMQ DEALER↔ROUTER round trip beside the
# coordinator-routed round trip, in the same run, then the two-node lockstep run
# (pairs per wall second, messages per pair, peak RSS per process).
# Usage: bench/transport.sh [runs]   (default 3; medians of the runs are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
scripts/install-deps.sh
scripts/build-release.sh >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
    .build/release/qnet bench transport --json >"$out/$i.json"
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
rs = [json.load(open(f"{out}/{i}.json")) for i in range(1, runs + 1)]
med = lambda f: statistics.median(f(r) for r in rs)
print(f"medians of {runs} runs")
print(f"raw DEALER<->ROUTER round trip   p50 {med(lambda r: r['rawRoundTripMicroseconds']['p50']):8.1f} us  p99 {med(lambda r: r['rawRoundTripMicroseconds']['p99']):8.1f} us")
print(f"routed A->coordinator->B->A      p50 {med(lambda r: r['routedRoundTripMicroseconds']['p50']):8.1f} us  p99 {med(lambda r: r['routedRoundTripMicroseconds']['p99']):8.1f} us")
print(f"routed / raw (median of ratios)  {med(lambda r: r['routedOverRawMedian']):.2f}x")
print(f"two-node lockstep: {med(lambda r: r['pairsPerWallSecond']):.0f} pairs per wall second, "
      f"{med(lambda r: r['messagesPerDeliveredPair']):.2f} messages per pair (+{med(lambda r: r['clockMessagesPerDeliveredPair']):.2f} clock)")
for name in sorted(rs[0]['peakRSSMiB']):
    print(f"  peak RSS {name:<22} {med(lambda r: r['peakRSSMiB'][name]):6.1f} MiB")
PY
