"""Podman 5 from Debian 13, served from a debootstrap chroot.

The chroot itself is built once per machine by ``scripts/podman5_chroot.sh`` and cached
under /var/cache/podman-sdk/. A session never mounts anything on the cached tree: it
bind-mounts the tree onto a mount point of its own (so the chroot's "/" is a mount
point, which Podman 5 needs to remount it while copying layers), binds /proc, /sys and
/dev below that, and runs ``chroot <mount point> podman system service`` there, in a
mount namespace of its own with cgroup v2 over the chroot's /sys/fs/cgroup so that
containers start (the chroot's crun, 1.21, runs them as it is). Two test
sessions on one machine therefore never share mounts, and tearing one down is
``umount -R`` of its own mount point.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from tests.harness.mounts import (
    MountError,
    claim,
    mounts_below,
    remove_stale,
    remove_tree,
    run_mount,
    unmount_below,
)
from tests.harness.podman_service import ServiceProcess, cgroup2_namespace

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "scripts" / "podman5_chroot.sh"
BUILD_TIMEOUT = 900.0

# Mounted in this order below the session's mount point, unmounted in reverse.
HOST_TREES = ("proc", "sys", "dev")
STATE_PREFIX = "podman-sdk-"


def ensure_chroot() -> Path:
    """Build the cached chroot if it is missing and return its path."""
    proc = subprocess.run(
        [str(BUILD_SCRIPT)], check=False, capture_output=True, text=True, timeout=BUILD_TIMEOUT
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{BUILD_SCRIPT.name} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}"
        )
    return Path(proc.stdout.strip().splitlines()[-1])


class ChrootMount:
    """The cached chroot bind-mounted at ``<base>/rootfs``, with /proc, /sys, /dev."""

    def __init__(self, chroot: Path, base: Path) -> None:
        self.root = base / "rootfs"
        self.root.mkdir()
        self.made: list[Path] = []
        try:
            run_mount("--bind", str(chroot), str(self.root))
            self.made.append(self.root)
            # Private: nothing mounted below here may leak back to the host's tree.
            run_mount("--make-private", str(self.root))
            for name in HOST_TREES:
                target = self.root / name
                run_mount("--rbind", f"/{name}", str(target))
                self.made.append(target)
                # A slave copy: unmounting it later never unmounts the host's own mounts.
                run_mount("--make-rslave", str(target))
        except BaseException:
            self.unmount()
            raise

    def unmount(self) -> None:
        """Undo every mount made here, in reverse order, plus whatever Podman left."""
        for target in reversed(self.made):
            unmount_below(target)
        self.made.clear()
        unmount_below(self.root)
        if mounts_below(self.root):
            raise MountError(f"mounts left below {self.root}")


class Podman5Service:
    """A ``podman system service`` running inside the chroot."""

    def __init__(self, base: Path, timeout: float = 90.0) -> None:
        chroot = ensure_chroot()
        self.base = Path(os.path.realpath(base)) / "podman5"
        self.base.mkdir(parents=True)
        self.mount = ChrootMount(chroot, self.base)
        try:
            remove_stale(chroot / "var/tmp", STATE_PREFIX)
            state = Path(tempfile.mkdtemp(prefix=STATE_PREFIX, dir=self.mount.root / "var/tmp"))
            claim(state)
            inner = "/" + str(state.relative_to(self.mount.root))
            # The same directory seen through the cached tree, for deleting it later.
            self.state_in_cache = chroot / inner.lstrip("/")
            root = str(self.mount.root)
            podman = [*cgroup2_namespace(f"{root}/sys/fs/cgroup"), "chroot", root, "podman"]
            self.process = ServiceProcess("podman5", state, inner, podman, timeout)
        except BaseException:
            self._cleanup_mounts()
            raise

    def _cleanup_mounts(self) -> None:
        self.mount.unmount()
        # The state directory lives in the cached tree: delete it only now that
        # nothing is mounted below the session's mount point any more.
        state = getattr(self, "state_in_cache", None)
        if state is not None:
            remove_tree(state)
        remove_tree(self.base)

    def stop(self) -> None:
        """Stop the service by its PID, unmount everything, delete the state."""
        try:
            self.process.stop()
        finally:
            self._cleanup_mounts()
