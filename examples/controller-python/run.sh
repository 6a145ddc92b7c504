#!/usr/bin/env bash
# Runs the Python controller against a scenario with placement: controller.
#   examples/controller-python/run.sh [SCENARIO] [qnet run options...]
# Generates the protobuf Python code (protoc --python_out) into examples/controller-python/build,
# starts `qnet run SCENARIO --external-controller` and the controller, and waits for both.
# QNET: the qnet executable (default: .build/debug/qnet, built when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/examples/controller-python"
SCENARIO="${1:-$ROOT/scenarios/chain-5-controller.yaml}"
shift || true
QNET="${QNET:-$ROOT/.build/debug/qnet}"
[ -x "$QNET" ] || (cd "$ROOT" && scripts/install-deps.sh && swift build --product qnet)
# Generated in a folder of its own and moved into place in one rename, so that runs starting at
# once never import a half-written module.
mkdir -p "$HERE/build/qnet/v1"
WORK="$(mktemp -d "$HERE/build/.work.XXXXXX")"
protoc --proto_path="$ROOT/Protos" --python_out="$WORK" "$ROOT/Protos/qnet/v1/scheduler.proto"
mv -f "$WORK/qnet/v1/scheduler_pb2.py" "$HERE/build/qnet/v1/scheduler_pb2.py"
rm -rf "$WORK"
ENDPOINT="ipc://$(mktemp -d)/controller"
"$QNET" run "$SCENARIO" --external-controller --controller-endpoint "$ENDPOINT" "$@" &
RUN=$!
trap 'kill $RUN 2>/dev/null || true' INT TERM
/usr/bin/python3 "$HERE/controller.py" --connect "$ENDPOINT" &
CONTROLLER=$!
status=0
wait $RUN || status=$?
wait $CONTROLLER || true
exit $status
