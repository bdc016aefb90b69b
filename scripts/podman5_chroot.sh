#!/usr/bin/env bash
# Build (once) a Debian 13 "trixie" chroot holding Podman 5, for the live tests.
#
# Usage: scripts/podman5_chroot.sh [TARGET]
#   TARGET defaults to $PODMAN5_CHROOT or /var/cache/podman-sdk/podman5-trixie.
# Prints TARGET on stdout when it is ready. Needs root and debootstrap.
#
# The chroot is built in a temporary directory beside TARGET and renamed into place,
# with a marker file written last, so an interrupted build never looks complete.
# Mirror: $PODMAN5_MIRROR, else the Debian mirror apt already uses on this machine.
set -euo pipefail

target=${1:-${PODMAN5_CHROOT:-/var/cache/podman-sdk/podman5-trixie}}
marker=.podman-sdk-complete
packages=podman,netavark,catatonit,ca-certificates

if [ -e "$target/$marker" ]; then
  echo "$target"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "podman5_chroot.sh: needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "podman5_chroot.sh: debootstrap missing" >&2; exit 1; }

. "$(dirname "$0")/debian_mirror.sh"
mirror=${PODMAN5_MIRROR:-$(detect_mirror)}

parent=$(dirname "$target")
mkdir -p "$parent"
exec 9>"$target.lock"
flock 9
# Another build may have finished while this one waited for the lock.
if [ -e "$target/$marker" ]; then
  echo "$target"
  exit 0
fi

work=$(mktemp -d "$parent/.build.XXXXXX")
cleanup() {
  # debootstrap mounts /proc and /sys in the target and may leave them on failure:
  # unmount everything below the work dir before deleting it.
  local m
  while m=$(findmnt -rn -o TARGET | grep -F "$work" | sort -r | head -n1) && [ -n "$m" ]; do
    umount -R "$m" 2>/dev/null || umount -l "$m"
  done
  if findmnt -rn -o TARGET | grep -qF "$work"; then
    echo "podman5_chroot.sh: mounts left below $work, not deleting it" >&2
    return
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

start=$(date +%s)
echo "podman5_chroot.sh: debootstrap trixie from $mirror into $work" >&2
log=$target.debootstrap.log
debootstrap --variant=minbase --include="$packages" trixie "$work/root" "$mirror" >"$log" 2>&1 || {
  tail -n 30 "$log" >&2
  exit 1
}
# Not `podman --version`: podman needs /proc, which is not mounted here.
version="podman $(chroot "$work/root" dpkg-query -W -f '${Version}' podman)"
echo "$version built in $(($(date +%s) - start)) s" >"$work/root/$marker"

if [ -e "$target" ]; then
  # An incomplete leftover: only delete it when nothing is mounted below it.
  if findmnt -rn -o TARGET | grep -qF "$target"; then
    echo "podman5_chroot.sh: mounts below incomplete $target; unmount them first" >&2
    exit 1
  fi
  rm -rf --one-file-system "$target"
fi
mv "$work/root" "$target"
echo "podman5_chroot.sh: $version ready in $target" >&2
echo "$target"
