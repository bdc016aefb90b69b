"""What podman-py's integration tests need to run offline here, for either client.

Their tests start services of their own (``podman system service`` through
``podman.tests.integration.utils.PodmanLauncher``) with no ``--root``: everything a
service stores or reads is set through the environment this module writes
(:func:`run_environment`), so the host's store and config are never touched.

- Images: one static busybox rootfs, ``podman import``ed (not built: a built image
  carries an ``io.buildah.version`` label that test_container_labels does not expect)
  under every name the tests pull, and pushed once to a TLS registry that all runs share
  (:func:`publish_images`). registries.conf sends quay.io, docker.io and
  registry.access.redhat.com there; the service trusts the registry's CA through
  ``$HOME/.config/containers/certs.d``, since podman-py pulls with ``tlsVerify=true``.
- Containers start on this host only with cgroups disabled, no network and
  ``default_ulimits`` within the host's hard limits (containers.conf), in a mount
  namespace with cgroup v2 over /sys/fs/cgroup (the ``podman`` wrapper on ``PATH``).
- Pods with an infra container use :data:`INFRA_IMAGE` (Podman 4.3.1 would build one
  from catatonit, which is not installed).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tarfile
import time
from pathlib import Path

from tests.harness.mounts import remove_tree, unmount_below
from tests.harness.podman_service import write_config
from tests.harness.registry import Registry

BUSYBOX = Path("/bin/busybox")
ALPINE_CMD = 'CMD ["/bin/sh"]'
# A process that lives until it is stopped, for pods' infra containers.
INFRA_ENTRYPOINT = (
    'ENTRYPOINT ["/bin/sh", "-c", "trap \'exit 0\' TERM INT; while :; do sleep 1; done"]'
)
INFRA_IMAGE = "quay.io/libpod/podman-sdk-compat-infra:latest"

# Registry path -> the --change instructions of its import. The tests pull these names
# through the registries.conf below (docker.io adds "library/"; short names resolve
# through its aliases).
IMAGES: dict[str, tuple[str, ...]] = {
    "libpod/alpine:latest": (ALPINE_CMD,),
    "libpod/alpine_labels:latest": (ALPINE_CMD, "LABEL test=alpine_labels"),
    "libpod/busybox:latest": (ALPINE_CMD,),
    "ubi8:latest": (ALPINE_CMD,),
    "library/alpine:latest": (ALPINE_CMD,),
    INFRA_IMAGE.removeprefix("quay.io/"): (INFRA_ENTRYPOINT,),
}
REDIRECTED = ("quay.io", "docker.io", "registry.access.redhat.com")

# Short names resolve through aliases; searches go to the local registry itself.
REGISTRIES_CONF = """\
unqualified-search-registries = ["{host}"]
short-name-mode = "permissive"

[aliases]
"alpine" = "docker.io/library/alpine"
"ubi8" = "registry.access.redhat.com/ubi8"
"""

CONTAINERS_CONF = """\
[containers]
log_driver = "k8s-file"
cgroups = "disabled"
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{state}/events.log"
lock_type = "file"
static_dir = "{state}/root/libpod"
volume_path = "{state}/root/volumes"
tmp_dir = "{state}/tmp"
infra_image = "{infra}"

[network]
network_config_dir = "{state}/networks"
"""


def busybox_rootfs(name: str) -> bytes:
    """A tar of a root filesystem: Debian's static busybox with every applet linked.

    ``name`` goes into /etc/podman-sdk-image, so that no two images share a layer:
    removing one by id then never reports another (test_image_crud checks the list).
    """
    if not BUSYBOX.is_file():
        raise FileNotFoundError(f"{BUSYBOX} missing: install Debian's busybox-static")
    applets = subprocess.run(
        [str(BUSYBOX), "--list-full"], check=True, capture_output=True, text=True
    ).stdout.split()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for directory in ("bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "root", "var"):
            info = tarfile.TarInfo(directory)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if directory == "tmp" else 0o755
            tar.addfile(info)
        data = BUSYBOX.read_bytes()
        info = tarfile.TarInfo("bin/busybox")
        info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data))
        for path, text in (("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                           ("etc/group", "root:x:0:\n"),
                           ("etc/podman-sdk-image", f"{name}\n")):  # fmt: skip
            info = tarfile.TarInfo(path)
            info.size, info.mode = len(text), 0o644
            tar.addfile(info, io.BytesIO(text.encode()))
        for applet in applets:
            if applet == "bin/busybox":
                continue
            info = tarfile.TarInfo(applet)
            info.type = tarfile.SYMTYPE
            info.linkname = "/bin/busybox"
            tar.addfile(info)
    return out.getvalue()


def registries_conf(registry: Registry) -> str:
    """registries.conf that serves every public name the tests use from ``registry``."""
    lines = [REGISTRIES_CONF.format(host=registry.host)]
    for prefix in REDIRECTED:
        lines.append(f'[[registry]]\nprefix = "{prefix}"\nlocation = "{registry.host}"\n')
    return "\n".join(lines)


def run_environment(state: Path, registry: Registry, podman_dir: Path) -> dict[str, str]:
    """Private config for one run below ``state``; the environment of its test process.

    ``podman_dir`` holds the ``podman`` command that the tests' launcher and
    ``podman.tests.utils`` run (found on ``PATH`` and through ``PODMAN_BINARY``).
    """
    env = write_config(state, str(state))
    (state / "registries.conf").write_text(registries_conf(registry))
    (state / "containers.conf").write_text(CONTAINERS_CONF.format(state=state, infra=INFRA_IMAGE))
    home = state / "home"
    # Podman 4 reads $HOME/.config/containers/certs.d, Podman 6 the same below
    # $XDG_CONFIG_HOME: one directory serves both.
    trust = home / ".config" / "containers" / "certs.d" / registry.host
    trust.mkdir(parents=True)
    if registry.ca_cert is None:
        raise ValueError("podman-py pulls with tlsVerify=true: the registry must serve TLS")
    shutil.copy(registry.ca_cert, trust / "ca.crt")
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        PATH=f"{podman_dir}:{env['PATH']}",
        PODMAN_BINARY=str(podman_dir / "podman"),
        PODMAN_LOG_LEVEL="WARNING",
        # Build RUN steps: crun's memlock rlimit is refused here, chroot isolation works.
        BUILDAH_ISOLATION="chroot",
        LANG="C.UTF-8",
    )
    return env


def publish_images(state: Path, registry: Registry) -> float:
    """Import the busybox rootfs under every name in :data:`IMAGES` and push each to
    ``registry``, with the host's podman on a private store; return the seconds taken."""
    started = time.monotonic()
    env = write_config(state, str(state))
    rootfs = state / "rootfs.tar"
    podman = ["podman", "--root", f"{state}/root", "--runroot", f"{state}/runroot"]
    try:
        for path, changes in IMAGES.items():
            local = f"localhost/compat/{path}"
            rootfs.write_bytes(busybox_rootfs(path))
            argv = [*podman, "import", "--quiet"]
            for change in changes:
                argv += ["--change", change]
            run_checked([*argv, str(rootfs), local], env)
            destination = f"{registry.host}/{path}"
            run_checked([*podman, "push", "--quiet", "--tls-verify=false", local, destination], env)
    finally:
        remove_store(state, env)
    return time.monotonic() - started


def run_checked(argv: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(argv, env=env, check=False, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr[-2000:]}")


def processes_naming(text: str) -> list[int]:
    """PIDs of processes whose command line holds ``text`` (conmon and containers the
    tests' services left running after they stopped)."""
    marker = text.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def remove_store(
    state: Path, env: dict[str, str], podman: str = "podman", marker: str | None = None
) -> None:
    """Remove what the runs left in ``state``: containers and pods (through ``podman``
    on the store), then leftover processes by PID (those whose command line names
    ``marker``, by default ``state``), then mounts; delete the tree."""
    for argv in (["pod", "rm", "-af", "-t", "0"], ["rm", "-af", "-t", "0"]):
        subprocess.run([podman, *argv], env=env, check=False, capture_output=True, timeout=120)
    for signum in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_naming(marker or str(state))
        for pid in pids:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 5
        while pids and time.monotonic() < deadline:
            pids = [pid for pid in pids if Path(f"/proc/{pid}").exists()]
            time.sleep(0.1)
    unmount_below(state)
    remove_tree(state)
