#!/usr/bin/env bash
# Builds the C controller: protoc-c generates the scheduler.proto code, cc links it with
# Debian's libzmq and libprotobuf-c (scripts/install-deps.sh installs them).
#   examples/controller-c/build.sh   →   examples/controller-c/build/controller
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/examples/controller-c"
mkdir -p "$HERE/build"
protoc-c --proto_path="$ROOT/Protos" --c_out="$HERE/build" "$ROOT/Protos/qnet/v1/scheduler.proto"
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$HERE/build" \
    "$HERE/controller.c" "$HERE/build/qnet/v1/scheduler.pb-c.c" \
    $(pkg-config --cflags --libs libzmq libprotobuf-c) -o "$HERE/build/controller"
echo "$HERE/build/controller"
