"""Mount bookkeeping: find, undo and check the mounts below a directory.

A Podman service started with its own ``--root`` leaves overlay mounts below that root
after it stops, and the Podman 5 chroot needs bind mounts of its own. Nothing below a
directory may be deleted while anything is still mounted there: :func:`remove_tree`
unmounts first and refuses to delete when a mount survives.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path


class MountError(RuntimeError):
    """A mount or unmount failed, or a mount survived an unmount."""


def mount_targets() -> list[str]:
    """Every mount point on the machine, as findmnt lists them."""
    out = subprocess.run(
        ["findmnt", "-rn", "-o", "TARGET"], check=True, capture_output=True, text=True
    ).stdout
    # findmnt -r escapes blanks and other odd characters as \xNN.
    return [line.encode().decode("unicode_escape") for line in out.splitlines()]


def mounts_below(path: Path) -> list[Path]:
    """Return every mount point at or below ``path``, deepest first."""
    root = str(path.resolve())
    found = [
        Path(target)
        for target in mount_targets()
        if target == root or target.startswith(root.rstrip("/") + "/")
    ]
    return sorted(found, key=lambda p: len(p.parts), reverse=True)


def run_mount(*args: str) -> None:
    """Run ``mount`` with ``args``, raising :class:`MountError` with its message."""
    proc = subprocess.run(["mount", *args], check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        raise MountError(f"mount {' '.join(args)}: {proc.stderr.strip()}")


def unmount_below(path: Path) -> None:
    """Unmount everything at or below ``path`` (deepest first) and check none is left."""
    for _ in range(5):
        left = mounts_below(path)
        if not left:
            return
        for target in left:
            subprocess.run(["umount", "-R", str(target)], check=False, capture_output=True)
    for target in mounts_below(path):
        # Still busy after several tries: detach it so the tree can at least be left.
        subprocess.run(["umount", "-R", "-l", str(target)], check=False, capture_output=True)
    left = mounts_below(path)
    if left:
        raise MountError(f"still mounted below {path}: {', '.join(map(str, left))}")


def remove_tree(path: Path) -> None:
    """Unmount everything below ``path``, confirm with findmnt, then delete it."""
    if not path.exists():
        return
    unmount_below(path)
    if mounts_below(path):  # never delete through a mount
        raise MountError(f"refusing to delete {path}: mounts left below it")
    shutil.rmtree(path)


OWNER_FILE = "owner.pid"
# Where a session's directory keeps the pid files of the processes it started, relative
# to the directory: its own services and registries, and the chroot service's state
# seen through the session's bind mount.
PID_FILES = ("*/*.pid", "*.pid", "podman5/rootfs/var/tmp/*/*.pid")


def record_pid(path: Path, pid: int, marker: str) -> None:
    """Note a started process; ``marker`` is a string found in its command line."""
    path.write_text(f"{pid} {marker}\n")


def stop_recorded(path: Path, timeout: float = 10.0) -> None:
    """Stop the process a pid file names, if it is still the one that was started.

    The command line must still hold the recorded marker (a unique state path), so a
    reused PID is never signalled.
    """
    try:
        pid_text, marker = path.read_text().split(maxsplit=1)
        pid = int(pid_text)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, ValueError):
        return
    if marker.strip() not in cmdline:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def claim(directory: Path) -> None:
    """Record this process as the owner of ``directory`` (see :func:`remove_stale`)."""
    (directory / OWNER_FILE).write_text(f"{os.getpid()}\n")


def owner_alive(directory: Path) -> bool:
    try:
        pid = int((directory / OWNER_FILE).read_text())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Delete ``parent/prefix*`` directories whose owning process is gone.

    A test session killed outright (SIGKILL, a lost machine) cannot tear down; the next
    session clears what it left: unmount, confirm, delete. Directories that were never
    claimed are left alone, so a session still starting up is never touched.
    """
    removed = []
    for directory in sorted(parent.glob(f"{prefix}*")):
        if not directory.is_dir() or not (directory / OWNER_FILE).exists():
            continue
        if owner_alive(directory):
            continue
        for pattern in PID_FILES:
            for pid_file in directory.glob(pattern):
                if pid_file.name != OWNER_FILE:
                    stop_recorded(pid_file)
        unmount_below(directory)
        # The same tree may still be mounted through another path (the chroot's state
        # seen through a session's bind mount): leave it for that session's cleanup.
        if any(directory.name in target for target in mount_targets()):
            continue
        remove_tree(directory)
        removed.append(directory)
    return removed
