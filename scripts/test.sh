#!/usr/bin/env bash
# The test command: installs what is needed, checks the generated protobuf code is current,
# builds, and runs every suite (unit suites and the multi-process integration suite).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-protos.sh
swift build --build-tests
swift test --skip-build "$@"
