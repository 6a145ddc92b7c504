#!/usr/bin/env bash
# Installs the system packages QNetLab builds and runs with (idempotent, quiet).
#   libzmq3-dev        ZeroMQ, the transport between processes
#   protobuf-compiler  protoc, for scripts/generate-protos.sh and scripts/check-protos.sh
#   libprotobuf-c-dev  protobuf-c, for the C controller example (examples/controller-c)
#   python3-zmq, python3-protobuf
#                      pyzmq and the protobuf runtime for Debian's python3: the Python controller
#                      example (examples/controller-python)
#   pkg-config         how SwiftPM finds libzmq
#   iproute2           ip netns, veth, bridges: scripts/cluster.sh --mode netns
#   podman, podman-compose, runc, debootstrap
#                      containers without a Docker engine or a registry: scripts/cluster.sh --mode
#                      containers, scripts/build-image.sh (compose/containers.conf selects runc)
#   chromium           headless check that report.html opens without errors (scripts/check-report.sh;
#                      installs in about 57 s here)
#   docker-compose     only its offline `config` check of the generated compose files
#   time, procps       GNU time (peak RSS) and pgrep for bench/soak.sh
#   kubernetes-validate (PyPI) offline validation of the generated Kubernetes manifests
set -euo pipefail
packages=(libzmq3-dev protobuf-compiler libprotobuf-c-dev protobuf-c-compiler pkg-config python3-zmq python3-protobuf
          iproute2 podman podman-compose runc debootstrap docker-compose chromium time procps)
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
if ! command -v kubernetes-validate >/dev/null 2>&1; then
    echo "install-deps: installing kubernetes-validate (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore kubernetes-validate >/dev/null
    hash -r
    command -v kubernetes-validate >/dev/null 2>&1 || {
        echo "install-deps: kubernetes-validate installed but not on PATH ($(python3 -m site --user-base 2>/dev/null)/bin?)" >&2
        exit 1
    }
fi
