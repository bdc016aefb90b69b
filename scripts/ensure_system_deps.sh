#!/usr/bin/env bash
# Install the Debian packages a make target needs, when they are missing.
# Usage: ensure_system_deps.sh [python] [node] [podman] [podman6]
# As root it installs with apt-get; otherwise it names the packages to install.
set -euo pipefail

need=()
installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
for group in "$@"; do
  case "$group" in
    python) command -v python3 >/dev/null || need+=(python3 python3-venv) ;;
    node)   command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm) ;;
    podman)
      command -v podman >/dev/null || need+=(podman uidmap slirp4netns)
      command -v docker-registry >/dev/null || need+=(docker-registry)
      command -v htpasswd >/dev/null || need+=(apache2-utils)
      command -v debootstrap >/dev/null || need+=(debootstrap)
      command -v curl >/dev/null || need+=(curl)
      # The runnable test image's only file; not Debian's dynamic busybox.
      installed busybox-static || need+=(busybox-static)
      ;;
    podman6)  # what scripts/podman6_build.sh compiles and patches with
      for pkg in libseccomp-dev libgpgme-dev libsystemd-dev libapparmor-dev libsqlite3-dev \
        pkg-config gcc make patchelf xz-utils python3-pip; do
        installed "$pkg" || need+=("$pkg")
      done
      ;;
    *) echo "ensure_system_deps.sh: unknown group $group" >&2; exit 2 ;;
  esac
done

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
