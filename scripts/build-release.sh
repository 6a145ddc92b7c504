#!/usr/bin/env bash
# The release build of `qnet` that benchmarks and clusters use: optimised, with cross-module
# optimisation across the whole package and its dependencies (SwiftProtobuf's generic decoding
# is specialised for the envelope types instead of going through protocol witnesses; about 10 %
# less CPU per lockstep round). Every release build in this repository goes through here, so the
# flags never change between builds (a change would rebuild everything).
#
# Usage: scripts/build-release.sh [extra swift build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift build -c release --product qnet -Xswiftc -cross-module-optimization "$@"
