#!/usr/bin/env bash
# Regenerates the Swift code for the wire schemas.
#
#   Protos/qnet/v1/*.proto  →  Sources/QNetWire/Generated/*.pb.swift
#
# protoc comes from Debian's protobuf-compiler package (installed when missing);
# protoc-gen-swift is built from the swift-protobuf version pinned by this
# package, so the generated code always matches the SwiftProtobuf runtime.
#
# Usage: scripts/generate-protos.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to Sources/QNetWire/Generated (scripts/check-protos.sh
#   passes a temporary directory).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/Sources/QNetWire/Generated}"
SCRATCH="$ROOT/.build-protoc"
PROTO_DIR="$ROOT/Protos"

# protoc: install Debian's package if it is missing (quiet, idempotent).
if ! command -v protoc >/dev/null 2>&1; then
    echo "generate-protos: protoc not found; installing protobuf-compiler" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler >/dev/null
fi

# protoc-gen-swift: build it from the swift-protobuf checkout pinned for this
# package, in a dedicated scratch path so the main build is untouched.
swift package --package-path "$ROOT" --scratch-path "$SCRATCH" resolve >/dev/null
CHECKOUT="$SCRATCH/checkouts/swift-protobuf"
if [ ! -f "$CHECKOUT/Package.swift" ]; then
    echo "generate-protos: swift-protobuf checkout missing at $CHECKOUT" >&2
    exit 1
fi
swift build -c release --product protoc-gen-swift \
    --package-path "$CHECKOUT" --scratch-path "$SCRATCH/protoc-gen-swift" >/dev/null
PLUGIN_BIN="$(swift build -c release --package-path "$CHECKOUT" \
    --scratch-path "$SCRATCH/protoc-gen-swift" --show-bin-path)"
PLUGIN="$PLUGIN_BIN/protoc-gen-swift"

# Generate. Types stay internal to QNetWire: other targets see only the
# hand-written Envelope / MessageBody layer (STYLE habit 1).
mkdir -p "$OUT"
rm -f "$OUT"/*.pb.swift
(
    cd "$PROTO_DIR"
    protoc \
        --plugin=protoc-gen-swift="$PLUGIN" \
        --swift_out="$OUT" \
        --swift_opt=Visibility=Internal \
        --swift_opt=FileNaming=DropPath \
        -I . \
        qnet/v1/*.proto
)
echo "generate-protos: wrote $(ls "$OUT"/*.pb.swift | wc -l) files to ${OUT#"$ROOT"/}"
