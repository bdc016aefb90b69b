"""Mount bookkeeping: find, undo and check the mounts below a directory.

A Podman service started with its own ``--root`` leaves overlay mounts below that root
after it stops, and the Podman 5 chroot needs bind mounts of its own. Nothing below a
directory may be deleted while anything is still mounted there: :func:`remove_tree`
unmounts first and refuses to delete when a mount survives.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


class MountError(RuntimeError):
    """A mount or unmount failed, or a mount survived an unmount."""


def mounts_below(path: Path) -> list[Path]:
    """Return every mount point at or below ``path``, deepest first."""
    out = subprocess.run(
        ["findmnt", "-rn", "-o", "TARGET"], check=True, capture_output=True, text=True
    ).stdout
    root = str(path.resolve())
    found = []
    for line in out.splitlines():
        # findmnt -r escapes blanks and other odd characters as \xNN.
        target = line.encode().decode("unicode_escape")
        if target == root or target.startswith(root.rstrip("/") + "/"):
            found.append(Path(target))
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
