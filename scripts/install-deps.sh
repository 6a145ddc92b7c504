#!/usr/bin/env bash
# Installs the system packages QNetLab builds and runs with (idempotent, quiet).
#   libzmq3-dev        ZeroMQ, the transport between processes
#   protobuf-compiler  protoc, for scripts/generate-protos.sh and scripts/check-protos.sh
#   libprotobuf-c-dev  protobuf-c, for the C controller example
#   pkg-config         how SwiftPM finds libzmq
set -euo pipefail
packages=(libzmq3-dev protobuf-compiler libprotobuf-c-dev protobuf-c-compiler pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "install-deps: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
