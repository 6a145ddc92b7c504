#!/usr/bin/env bash
# Fails when the committed generated code does not match Protos/qnet/v1.
#
# Regenerates into a temporary directory with scripts/generate-protos.sh and
# compares with Sources/QNetWire/Generated. Exit status 0: up to date;
# 1: differs (run scripts/generate-protos.sh and commit the result).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMITTED="$ROOT/Sources/QNetWire/Generated"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

"$ROOT/scripts/generate-protos.sh" "$TMP" >/dev/null

if diff -ru "$COMMITTED" "$TMP" >"$TMP.diff" 2>&1; then
    rm -f "$TMP.diff"
    echo "check-protos: generated code is up to date"
else
    cat "$TMP.diff"
    rm -f "$TMP.diff"
    echo "check-protos: Sources/QNetWire/Generated does not match Protos/qnet/v1." >&2
    echo "check-protos: run scripts/generate-protos.sh and commit the result." >&2
    exit 1
fi
