#!/usr/bin/env bash
# Runs the C controller against a scenario with placement: controller.
#   examples/controller-c/run.sh [SCENARIO] [qnet run options...]
# Builds it (build.sh), starts `qnet run SCENARIO --external-controller` and the controller,
# and waits for both. QNET: the qnet executable (default: .build/debug/qnet, built when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/examples/controller-c"
SCENARIO="${1:-$ROOT/scenarios/chain-5-controller.yaml}"
shift || true
QNET="${QNET:-$ROOT/.build/debug/qnet}"
[ -x "$QNET" ] || (cd "$ROOT" && scripts/install-deps.sh && swift build --product qnet)
"$HERE/build.sh" >/dev/null
ENDPOINT="ipc://$(mktemp -d)/controller"
"$QNET" run "$SCENARIO" --external-controller --controller-endpoint "$ENDPOINT" "$@" &
RUN=$!
trap 'kill $RUN 2>/dev/null || true' INT TERM
"$HERE/build/controller" --connect "$ENDPOINT" &
CONTROLLER=$!
status=0
wait $RUN || status=$?
wait $CONTROLLER || true
exit $status
