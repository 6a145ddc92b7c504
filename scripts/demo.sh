#!/usr/bin/env bash
# The demo command: installs what is needed, builds, and runs the embedded two-node scenario
# on a local cluster (coordinator, two nodes and a station as separate processes).
# Extra arguments go to `qnet run` (e.g. a scenario file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product qnet
exec .build/debug/qnet run --out results/demo --force "$@"
