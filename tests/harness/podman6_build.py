"""Podman 6.0.0-rc1 built from source, served through the build's ``podman6`` wrapper.

``scripts/podman6_build.sh`` builds it once per machine, cached under
/var/cache/podman-sdk/, with forky's crun for containers. The wrapper enters a mount
namespace of its own with cgroup v2 bound over /sys/fs/cgroup and adds the host's
runtime settings (``CONTAINERS_CONF_OVERRIDE``); the service's state directory, config
files and socket are the harness's as for Podman 4. :func:`start_podman6_own_config`
instead runs the wrapper as a person would, on its own config files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.harness.podman_service import ServiceProcess

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "scripts" / "podman6_build.sh"
# A first build compiles Podman (about 2 minutes here) and fetches crun.
BUILD_TIMEOUT = 1200.0


def ensure_podman6() -> Path:
    """Build Podman 6 if the cache lacks it and return the wrapper command's path."""
    proc = subprocess.run(
        [str(BUILD_SCRIPT)], check=False, capture_output=True, text=True, timeout=BUILD_TIMEOUT
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{BUILD_SCRIPT.name} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}"
        )
    return Path(proc.stdout.strip().splitlines()[-1])


def start_podman6(base: Path, timeout: float = 60.0) -> ServiceProcess:
    """Start Podman 6 with all its state in a new directory below ``base``."""
    wrapper = ensure_podman6()
    state = Path(os.path.realpath(base)) / "podman6"
    state.mkdir(parents=True)
    return ServiceProcess("podman6", state, str(state), [str(wrapper)], timeout)


def start_podman6_own_config(
    wrapper: Path, state: Path, home: Path, timeout: float = 60.0
) -> ServiceProcess:
    """Serve the roots below ``state`` through ``wrapper`` with the wrapper's own config.

    Only ``--root``, ``--runroot`` and ``--tmpdir`` say where state goes: no CONTAINERS_*
    variable, no TMPDIR, and ``home`` as HOME. ``state`` may hold roots of an earlier run.
    """
    state.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
    }
    return ServiceProcess("podman6", state, str(state), [str(wrapper)], timeout, env=env)
