#!/usr/bin/env bash
# Builds the project's container image with podman, without a registry.
#
#   1. The base, localhost/qnetlab-base:bookworm: a Debian bookworm root file system made with
#      `debootstrap --variant=minbase` from Debian's packages and imported with `podman import`
#      (about 35 s, once: it stays in podman's image store, and later runs reuse it).
#   2. The project image (default localhost/qnetlab/qnet:latest): compose/Containerfile.local
#      FROM that base, with libzmq5 from Debian, the qnet binary and the Swift runtime libraries
#      it links. It is rebuilt only when the binary changed (its sha256 is a label of the image).
#
# Usage: scripts/build-image.sh [--binary PATH] [--tag IMAGE]
#   --binary  the qnet executable to put in the image (default .build/debug/qnet)
#   --tag     the image name (default localhost/qnetlab/qnet:latest)
# Prints the image name on standard output. Needs root (debootstrap) and podman
# (scripts/install-deps.sh installs both).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARY="$ROOT/.build/debug/qnet"
TAG="localhost/qnetlab/qnet:latest"
BASE="localhost/qnetlab-base:bookworm"
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) BINARY="${2:?--binary needs a path}"; shift 2 ;;
        --tag) TAG="${2:?--tag needs an image name}"; shift 2 ;;
        *) echo "build-image: unknown argument '$1' (allowed: --binary PATH, --tag IMAGE)" >&2; exit 64 ;;
    esac
done
[ -x "$BINARY" ] || { echo "build-image: no qnet executable at $BINARY (run swift build first)" >&2; exit 1; }
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/compose/containers.conf}"

# One build at a time on this machine (test suites may ask in parallel).
exec 9>/tmp/qnetlab-build-image.lock
flock 9

if ! podman image exists "$BASE"; then
    echo "build-image: making the base $BASE with debootstrap (once)" >&2
    ROOTFS="$(mktemp -d /tmp/qnetlab-rootfs.XXXXXX)"
    trap 'rm -rf "$ROOTFS"' EXIT
    MIRROR="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
    debootstrap --variant=minbase bookworm "$ROOTFS" "${MIRROR:-http://deb.debian.org/debian}" >"$ROOTFS.log" 2>&1 \
        || { tail -20 "$ROOTFS.log" >&2; rm -f "$ROOTFS.log"; echo "build-image: debootstrap failed" >&2; exit 1; }
    rm -f "$ROOTFS.log"
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    tar -C "$ROOTFS" -c . | podman import --quiet - "$BASE" >/dev/null
    rm -rf "$ROOTFS"
    trap - EXIT
fi

SHA="$(sha256sum "$BINARY" | cut -d' ' -f1)"
if [ "$(podman image inspect --format '{{index .Labels "qnetlab.binary-sha256"}}' "$TAG" 2>/dev/null || true)" = "$SHA" ]; then
    echo "$TAG"
    exit 0
fi
echo "build-image: building $TAG from $BINARY" >&2
CONTEXT="$(mktemp -d /tmp/qnetlab-image.XXXXXX)"
trap 'rm -rf "$CONTEXT"' EXIT
mkdir -p "$CONTEXT/lib"
cp "$BINARY" "$CONTEXT/qnet"
# The Swift runtime: every library the binary links from outside the system's library folders.
ldd "$BINARY" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do
    case "$lib" in
        /lib/*|/usr/lib/*) ;;
        *) cp -L "$lib" "$CONTEXT/lib/" ;;
    esac
done
podman build --quiet --build-arg BASE="$BASE" --label "qnetlab.binary-sha256=$SHA" \
    -f "$ROOT/compose/Containerfile.local" -t "$TAG" "$CONTEXT" >/dev/null
podman image prune --force >/dev/null 2>&1 || true
# Per-binary tags (scripts/cluster.sh: …:sha-HASH) older than a day go; podman keeps any in use.
podman images --filter "reference=${TAG%:*}:sha-*" --filter until=24h --format '{{.Repository}}:{{.Tag}}' 2>/dev/null \
    | grep -vxF "$TAG" | xargs -r podman rmi >/dev/null 2>&1 || true
echo "$TAG"
