"""Start and stop an isolated ``podman system service`` on a Unix socket.

Everything the service writes lives in one state directory: storage root and runroot,
tmpdir, private ``storage.conf`` / ``registries.conf`` / ``containers.conf``, auth file,
socket and log. The user's own configuration is never read. The same code drives the
host's Podman 4, the Podman 5 inside the chroot and the Podman 6 build: ``inner`` is the
state directory as the service sees it, ``state`` the same directory as the host sees it.

Containers start on this host only with what :func:`cgroup2_namespace` and
``CONTAINERS_CONF`` below set up, plus per container cgroups disabled and no network
(see :mod:`tests.harness.containers`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.harness.mounts import record_pid, remove_tree


@dataclass(frozen=True)
class PodmanService:
    """A running Podman service, as tests see it."""

    name: str  # "podman4", "podman5" or "podman6"
    version: str  # server version from GET /version, e.g. "4.3.1"
    socket_path: Path
    url: str  # "unix:///abs/path/podman.sock"


class ServiceStartError(RuntimeError):
    """The service did not start; the message carries the reason and its log tail."""


STORAGE_CONF = """\
[storage]
driver = "overlay"
graphroot = "{inner}/root"
runroot = "{inner}/runroot"
"""

# Every local test registry listens on 127.0.0.1 over plain HTTP or a self-signed
# certificate; "insecure" lets pulls and pushes reach them without tlsVerify=false.
# The prefix matches any port ("127.0.0.1:5000/name" starts with "127.0.0.1:").
REGISTRIES_CONF = """\
unqualified-search-registries = []
short-name-mode = "permissive"

[[registry]]
location = "127.0.0.1"
insecure = true

[[registry]]
location = "localhost"
insecure = true
"""

# File locks instead of the shared-memory segment in /dev/shm, which every other
# podman on this machine (and the chroot, through its /dev bind) would share.
# default_ulimits: Podman's defaults exceed this host's hard limits, and a container's
# start then fails with "setrlimit RLIMIT_NOFILE: Operation not permitted".
CONTAINERS_CONF = """\
[containers]
log_driver = "k8s-file"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{inner}/events.log"
lock_type = "file"
static_dir = "{inner}/root/libpod"
volume_path = "{inner}/root/volumes"
tmp_dir = "{inner}/tmp"

[network]
network_config_dir = "{inner}/networks"
"""


def write_config(state: Path, inner: str) -> dict[str, str]:
    """Write the private config files into ``state`` and return the service's env."""
    for sub in ("root", "runroot", "tmp", "networks"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    (state / "storage.conf").write_text(STORAGE_CONF.format(inner=inner))
    (state / "registries.conf").write_text(REGISTRIES_CONF)
    (state / "containers.conf").write_text(CONTAINERS_CONF.format(inner=inner))
    (state / "auth.json").write_text("{}\n")
    return {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": f"{inner}/tmp",
        "TMPDIR": f"{inner}/tmp",
        "XDG_RUNTIME_DIR": f"{inner}/runroot",
        "XDG_CONFIG_HOME": f"{inner}/tmp/config",
        "CONTAINERS_STORAGE_CONF": f"{inner}/storage.conf",
        "CONTAINERS_REGISTRIES_CONF": f"{inner}/registries.conf",
        "CONTAINERS_CONF": f"{inner}/containers.conf",
        "REGISTRY_AUTH_FILE": f"{inner}/auth.json",
        # Podman 5 warns on every start that this machine still mounts cgroups v1.
        "PODMAN_IGNORE_CGROUPSV1_WARNING": "1",
    }


def service_argv(inner: str) -> list[str]:
    """The arguments after ``podman`` that serve state directory ``inner``."""
    return [
        "--root",
        f"{inner}/root",
        "--runroot",
        f"{inner}/runroot",
        "--tmpdir",
        f"{inner}/tmp",
        "system",
        "service",
        "--time=0",
        f"unix://{inner}/podman.sock",
    ]


def cgroup2_namespace(cgroup_mount: str = "/sys/fs/cgroup") -> list[str]:
    """A command prefix: run in a private mount namespace with cgroup v2 at ``cgroup_mount``.

    This host mounts cgroups in hybrid mode, which crun refuses ("cgroups in hybrid mode
    not supported") and Podman 6 refuses outright; its v2 tree is /sys/fs/cgroup/unified.
    Bound over ``cgroup_mount`` in a namespace of the service's own, the host keeps its
    layout and the service's mounts vanish with it. Every step execs: the PID stays the
    service's. Empty on a host that already has only cgroup v2.
    """
    if not Path("/sys/fs/cgroup/unified").is_dir():
        return []
    script = 'mount --bind /sys/fs/cgroup/unified "$0" && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, cgroup_mount]


# Libpod routes exist only under a version prefix: GET /libpod/info is a 404, while
# GET /v4.0.0/libpod/info works on Podman 4 and 5 alike (compat routes need none).
LIBPOD = "/v4.0.0/libpod"


def uds_client(socket_path: Path, timeout: float = 30.0) -> httpx.Client:
    """An httpx client that talks to the service on ``socket_path``."""
    return httpx.Client(
        transport=httpx.HTTPTransport(uds=str(socket_path)),
        base_url="http://d",
        timeout=timeout,
    )


class ServiceProcess:
    """A started service process, its state directory, and how to stop it."""

    def __init__(
        self,
        name: str,
        state: Path,
        inner: str,
        podman: list[str],
        timeout: float = 60.0,
        *,
        env: dict[str, str] | None = None,
    ) -> None:
        """Run ``[*podman, *service_argv(inner)]``; ``podman`` is how to call Podman.

        Without ``env``, the service reads the private config files written into
        ``state``; with it, that environment and whatever config it leads Podman to.
        """
        self.name = name
        self.state = state
        self.socket_path = state / "podman.sock"
        self.log_path = state / "service.log"
        if env is None:
            env = write_config(state, inner)
        started = time.monotonic()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*podman, *service_argv(inner)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        record_pid(state / "service.pid", self.process.pid, f"{inner}/podman.sock")
        try:
            self.version = self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - started
        self.service = PodmanService(
            name=name,
            version=self.version,
            socket_path=self.socket_path,
            url=f"unix://{self.socket_path}",
        )

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _wait_ready(self, timeout: float) -> str:
        """Poll GET /_ping until it answers OK, then return GET /version's Version."""
        deadline = time.monotonic() + timeout
        last = "socket never appeared"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceStartError(
                    f"{self.name}: service exited with {self.process.returncode}:\n"
                    + self.log_tail()
                )
            if self.socket_path.exists():
                try:
                    with uds_client(self.socket_path, timeout=5) as client:
                        ping = client.get("/_ping")
                        if ping.status_code == 200 and ping.text == "OK":
                            version: str = client.get("/version").json()["Version"]
                            return version
                        last = f"/_ping answered {ping.status_code} {ping.text!r}"
                except httpx.TransportError as exc:
                    last = repr(exc)
            time.sleep(0.1)
        raise ServiceStartError(
            f"{self.name}: no answer on {self.socket_path} in {timeout:.0f} s ({last}):\n"
            + self.log_tail()
        )

    def stop(self) -> None:
        """Stop the service by its PID (TERM, then KILL), leaving the state in place."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                # The session leader is ours: kill its group (conmon, helpers) too.
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_podman4(base: Path, timeout: float = 60.0) -> ServiceProcess:
    """Start the host's Podman with all its state in a new directory below ``base``."""
    state = Path(os.path.realpath(base)) / "podman4"
    state.mkdir(parents=True)
    return ServiceProcess("podman4", state, str(state), [*cgroup2_namespace(), "podman"], timeout)


def stop_and_remove(proc: ServiceProcess) -> None:
    """Stop the service, unmount what it left below its state directory, delete it."""
    proc.stop()
    remove_tree(proc.state)
