#!/usr/bin/env bash
# Builds the C controller: protoc-c generates the scheduler.proto code, cc links it with
# Debian's libzmq and libprotobuf-c (scripts/install-deps.sh installs them).
#   examples/controller-c/build.sh   →   examples/controller-c/build/controller
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/examples/controller-c"
mkdir -p "$HERE/build"
# Built in a folder of its own and moved into place in one rename, so that builds running at
# once (and controllers running meanwhile) never see a half-written file.
WORK="$(mktemp -d "$HERE/build/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
protoc-c --proto_path="$ROOT/Protos" --c_out="$WORK" "$ROOT/Protos/qnet/v1/scheduler.proto"
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$WORK" \
    "$HERE/controller.c" "$WORK/qnet/v1/scheduler.pb-c.c" \
    $(pkg-config --cflags --libs libzmq libprotobuf-c) -o "$WORK/controller"
mv -f "$WORK/controller" "$HERE/build/controller"
echo "$HERE/build/controller"
