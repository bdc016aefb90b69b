"""The ``podman`` command that podman-py's launcher runs, per Podman major.

podman-py's tests run ``podman`` (``PATH``, and ``PODMAN_BINARY`` for the launcher);
each major gets a command of that name in a directory of its own:

- podman4: the host's podman, in a mount namespace with cgroup v2 over /sys/fs/cgroup;
- podman5: podman inside the cached Debian chroot, bind-mounted for the session. The
  command rewrites the paths in its arguments and environment to the chroot's view, and
  each run's state lives inside the chroot (the sockets the tests make too);
- podman6: the cached build's ``podman6`` wrapper.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness.mounts import claim, remove_stale, remove_tree
from tests.harness.podman5_chroot import STATE_PREFIX, ChrootMount, ensure_chroot
from tests.harness.podman6_build import ensure_podman6
from tests.harness.podman_service import cgroup2_namespace


@dataclass(frozen=True)
class Major:
    """Where a major's runs keep their state, and the command that serves them."""

    name: str
    command: Path  # a file named "podman"
    state_base: Path  # each run's state directory goes below it
    # Paths as the test process sees them -> as the command's podman sees them.
    views: tuple[tuple[str, str], ...] = ()
    # A short name for state_base, for the tests' TMPDIR (their sockets live there).
    link: Path | None = None

    def service_path(self, path: Path) -> str:
        """``path`` as the service sees it (processes it left name it so)."""
        text = str(path)
        for outside, inside in self.views:
            text = text.replace(outside, inside)
        return text


CHROOT_COMMAND = """\
#!{python}
# Written by the podman-sdk compatibility suite: podman 5 inside the chroot, with every
# path the caller names rewritten to the chroot's view.
import os
import sys

VIEWS = {views!r}
PREFIX = {prefix!r}


def inside(text):
    for outside, seen in VIEWS:
        text = text.replace(outside, seen)
    return text


env = {{name: inside(value) for name, value in os.environ.items()}}
os.execvpe(PREFIX[0], PREFIX + [inside(arg) for arg in sys.argv[1:]], env)
"""


def write_podman4_command(directory: Path) -> Path:
    """``directory/podman``: the host's podman in a mount namespace with cgroup v2."""
    real = shutil.which("podman")
    if real is None:
        raise FileNotFoundError("the podman command is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    command = directory / "podman"
    argv = " ".join(shlex.quote(part) for part in [*cgroup2_namespace(), real])
    command.write_text(f'#!/bin/sh\nexec {argv} "$@"\n')
    command.chmod(0o755)
    return command


@contextmanager
def prepare(name: str, base: Path) -> Iterator[Major]:
    """The command and state location for major ``name`` below ``base`` (kept short:
    Podman refuses a runroot path over 50 characters)."""
    if name == "podman4":
        yield Major(name, write_podman4_command(base / "bin"), base)
    elif name == "podman6":
        if os.geteuid() != 0:
            raise PermissionError("podman6: the build and its mount namespace need root")
        (base / "bin").mkdir(parents=True)
        command = base / "bin" / "podman"
        command.symlink_to(ensure_podman6())
        yield Major(name, command, base)
    elif name == "podman5":
        with podman5_chroot(base) as major:
            yield major
    else:
        raise ValueError(f"no podman command for {name}")


@contextmanager
def podman5_chroot(base: Path) -> Iterator[Major]:
    if os.geteuid() != 0:
        raise PermissionError("podman5: the chroot needs root")
    chroot = ensure_chroot()
    base.mkdir(parents=True)
    mount = ChrootMount(chroot, base)
    state_in_cache: Path | None = None
    try:
        remove_stale(chroot / "var/tmp", STATE_PREFIX)
        state = Path(tempfile.mkdtemp(prefix=STATE_PREFIX, dir=mount.root / "var/tmp"))
        claim(state)
        state_in_cache = chroot / state.relative_to(mount.root)
        root = str(mount.root)
        # The tests' sockets live below TMPDIR: a short link keeps their paths within
        # the 108 bytes a Unix socket path may have, seen from outside.
        link = base / "t"
        link.symlink_to(state, target_is_directory=True)
        views = ((str(link), str(state)), (root, ""))
        command = base / "bin" / "podman"
        command.parent.mkdir()
        prefix = [*cgroup2_namespace(f"{root}/sys/fs/cgroup"), "chroot", root, "podman"]
        command.write_text(CHROOT_COMMAND.format(python=sys.executable, views=views, prefix=prefix))
        command.chmod(0o755)
        yield Major("podman5", command, state, views, link)
    finally:
        try:
            mount.unmount()
        finally:
            # Deleted through the cached tree, now that nothing is mounted below it.
            if state_in_cache is not None:
                remove_tree(state_in_cache)
            remove_tree(base)
