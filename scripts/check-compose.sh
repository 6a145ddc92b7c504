#!/usr/bin/env bash
# Fails when the generated examples in compose/ are not what `qnet compose` writes now, or when
# what it writes is not a valid compose file or valid Kubernetes manifests.
#
#   compose/two-node  ← scenarios/two-node.yaml
#   compose/chain-5   ← scenarios/chain-5.yaml
#
# Each example is generated again into a temporary folder and compared; the compose files are
# checked with `docker-compose config` and the manifests with kubernetes-validate (offline, against
# the Kubernetes schemas it ships), both installed by scripts/install-deps.sh.
# Usage: scripts/check-compose.sh [--write]   (--write regenerates the examples in place)
# Needs a built qnet (.build/debug/qnet, or QNET_BINARY).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QNET="${QNET_BINARY:-$ROOT/.build/debug/qnet}"
EXAMPLES=("scenarios/two-node.yaml compose/two-node" "scenarios/chain-5.yaml compose/chain-5")
[ -x "$QNET" ] || { echo "check-compose: no qnet executable at $QNET (run swift build first)" >&2; exit 1; }
cd "$ROOT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

status=0
for example in "${EXAMPLES[@]}"; do
    read -r scenario folder <<<"$example"
    if [ "${1:-}" = --write ]; then
        rm -rf "$folder"
        "$QNET" compose "$scenario" --out "$folder" >/dev/null
        continue
    fi
    # Generated with the same command line as the committed one, so the headers match too.
    mkdir -p "$TMP/$folder"
    (cd "$TMP" && ln -sfn "$ROOT/scenarios" scenarios && "$QNET" compose "$scenario" --out "$folder" >/dev/null)
    if ! diff -ru "$folder" "$TMP/$folder" >"$TMP/diff" 2>&1; then
        cat "$TMP/diff"
        echo "check-compose: $folder is not what \`qnet compose $scenario --out $folder\` writes; run scripts/check-compose.sh --write and commit" >&2
        status=1
    fi
    docker-compose -f "$TMP/$folder/docker-compose.yml" config -q \
        || { echo "check-compose: docker-compose rejects $folder/docker-compose.yml" >&2; status=1; }
    kubernetes-validate --strict --quiet "$TMP/$folder"/k8s/*.yaml \
        || { echo "check-compose: kubernetes-validate rejects $folder/k8s" >&2; status=1; }
done
[ "${1:-}" = --write ] && { echo "check-compose: wrote ${#EXAMPLES[@]} examples"; exit 0; }
[ $status -eq 0 ] && echo "check-compose: compose/ examples are current and valid"
exit $status
