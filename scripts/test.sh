#!/usr/bin/env bash
# The test command: installs what is needed, checks the generated protobuf code is current,
# builds, checks the generated compose/ examples are current and valid, and runs every suite
# (unit suites and the multi-process integration suites, the cluster modes among them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-protos.sh
swift build --build-tests
scripts/check-compose.sh
swift test --skip-build "$@"
