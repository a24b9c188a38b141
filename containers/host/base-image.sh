#!/usr/bin/env bash
# Makes the Debian base image every offline build starts FROM, when no image registry answers.
# Usage: base-image.sh [tag]   (default authlab/debian:bookworm)
set -euo pipefail
tag="${1:-authlab/debian:bookworm}"
if docker image inspect "$tag" >/dev/null 2>&1; then echo "$tag already present"; exit 0; fi
mirror="${AUTHLAB_DEBIAN_MIRROR:-$(grep -hoE '^URIs: *\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | awk '{print $2}')}"
mirror="${mirror:-http://deb.debian.org/debian}"
rootfs="$(mktemp -d /tmp/authlab-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/tmp/authlab-debootstrap.log 2>&1 \
  || { tail -20 /tmp/authlab-debootstrap.log >&2; exit 1; }
tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$tag" >/dev/null
echo "$tag imported"
