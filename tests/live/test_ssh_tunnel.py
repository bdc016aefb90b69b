"""SshTunnel against a real sshd and a real Podman service, both started here.

sshd listens on 127.0.0.1 with a host key generated for the test and root's
authorized key in the temp dir; ssh itself runs with ``-F /dev/null``-style
isolation (an empty config file) so root's own ssh setup cannot interfere.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from podman_sdk import PodmanClient
from podman_sdk._exceptions import PodmanConnectionError
from podman_sdk._transport import SshEndpoint, build_transport
from podman_sdk._transport.ssh_tunnel import SshTunnel

from tests.harness import ImageFactory, PodmanService
from tests.harness.both_clients import client_for
from tests.harness.mounts import remove_tree

pytestmark = pytest.mark.live

SSHD = "/usr/sbin/sshd"

SSHD_CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {tmp}/host_key
PidFile {tmp}/sshd.pid
AuthorizedKeysFile {tmp}/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The temp dir lives under /tmp, which is world-writable: StrictModes would refuse it.
StrictModes no
AllowStreamLocalForwarding yes
# No "AllowTcpForwarding no": OpenSSH 9.2 then denies the stream-local forward as well.
X11Forwarding no
"""

CONTAINERS_CONF = """\
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{state}/events.log"
lock_type = "file"
static_dir = "{state}/root/libpod"
volume_path = "{state}/root/volumes"
tmp_dir = "{state}/tmp"
"""


@dataclass(frozen=True)
class SshServer:
    port: int
    client_key: Path
    known_hosts: Path
    ssh_config: Path
    pid: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout} s")
        time.sleep(0.05)


def tcp_accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate our own child by its PID, kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def sshd() -> Iterator[SshServer]:
    if not Path(SSHD).exists():
        if os.geteuid() != 0:
            pytest.skip("openssh-server is not installed")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "openssh-server"], check=True, capture_output=True
        )
    if shutil.which("ssh") is None:
        pytest.skip("no ssh client")
    # sshd refuses to start without its privilege separation directory.
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdk-sshd-") as tmp_name:
        tmp = Path(tmp_name)
        keygen(tmp / "host_key")
        keygen(tmp / "client_key")
        shutil.copy(tmp / "client_key.pub", tmp / "authorized_keys")
        port = free_port()
        (tmp / "sshd_config").write_text(SSHD_CONFIG.format(port=port, tmp=tmp))
        host_key = (tmp / "host_key.pub").read_text().split()
        (tmp / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
        (tmp / "ssh_config").write_text("")
        with open(tmp / "sshd.log", "wb") as log:
            process = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(tmp / "sshd_config")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            wait_until(lambda: tcp_accepts(port) or process.poll() is not None, "sshd")
            if process.poll() is not None:
                pytest.fail(f"sshd exited: {(tmp / 'sshd.log').read_text()}")
            yield SshServer(
                port=port,
                client_key=tmp / "client_key",
                known_hosts=tmp / "known_hosts",
                ssh_config=tmp / "ssh_config",
                pid=process.pid,
            )
        finally:
            stop(process)


@pytest.fixture(scope="module")
def podman_socket() -> Iterator[Path]:
    """Our own ``podman system service`` with its own root, runroot and tmp dir."""
    state = Path(tempfile.mkdtemp(prefix="sdk-ssh-podman-"))
    try:
        for sub in ("root", "runroot", "tmp", "home"):
            (state / sub).mkdir()
        (state / "containers.conf").write_text(CONTAINERS_CONF.format(state=state))
        env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(state / "home"),
            "XDG_RUNTIME_DIR": str(state / "runroot"),
            "CONTAINERS_CONF": str(state / "containers.conf"),
            "TMPDIR": str(state / "tmp"),
        }
        sock = state / "p.sock"
        argv = ["podman", "--root", f"{state}/root", "--runroot", f"{state}/runroot"]
        argv += ["--tmpdir", f"{state}/tmp", "system", "service", "--time=0", f"unix://{sock}"]
        with open(state / "service.log", "wb") as log:
            process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        try:
            wait_until(lambda: sock.exists() or process.poll() is not None, "podman service")
            if process.poll() is not None:
                pytest.fail(f"podman exited: {(state / 'service.log').read_text()}")
            yield sock
        finally:
            stop(process)
    finally:
        # findmnt + umount -R below the state dir before deleting it: never rm through a mount.
        remove_tree(state)


def endpoint_for(server: SshServer, remote_socket: Path) -> SshEndpoint:
    return SshEndpoint(
        host="127.0.0.1",
        path=str(remote_socket),
        user="root",
        port=server.port,
        identity=str(server.client_key),
    )


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ping_through_the_tunnel(sshd: SshServer, podman_socket: Path) -> None:
    endpoint = endpoint_for(sshd, podman_socket)
    with SshTunnel(
        endpoint, known_hosts_file=str(sshd.known_hosts), ssh_config_file=str(sshd.ssh_config)
    ) as tunnel:
        transport, base = build_transport(tunnel.local_endpoint)
        with httpx.Client(transport=transport, base_url=base, trust_env=False) as client:
            response = client.get("/_ping")
        assert response.status_code == 200
        assert response.text == "OK"
        assert "Libpod-Api-Version" in response.headers


def test_a_client_given_an_ssh_url_works_through_its_tunnel(
    sshd: SshServer, podman_socket: Path, flavour: str
) -> None:
    url = f"ssh://root@127.0.0.1:{sshd.port}{podman_socket}"
    options = {"identity": str(sshd.client_key), "known_hosts_file": str(sshd.known_hosts)}
    with client_for(flavour, url, **options) as client:
        assert client.ping() is True
        assert client.endpoint == url
        assert client.images.list() == []
        assert not client.images.exists("localhost/nothing-here")


def test_save_and_load_through_the_tunnel(  # noqa: PLR0917 - pytest passes fixtures by name
    sshd: SshServer,
    podman_socket: Path,
    podman_service: PodmanService,
    image_factory: ImageFactory,
    tmp_path: Path,
    flavour: str,
) -> None:
    # The tunnel ends in a local Unix socket, so the sync client's exports take the
    # bulk read path.
    image_factory(podman_service, "localhost/sdk-ssh:one", size_bytes=300_000)
    with PodmanClient(podman_service.url) as local:
        original = local.images.get("localhost/sdk-ssh:one")
        archive = original.save_to(tmp_path / "local.tar", named=True)
    with (
        SshTunnel(
            endpoint_for(sshd, podman_socket),
            known_hosts_file=str(sshd.known_hosts),
            ssh_config_file=str(sshd.ssh_config),
        ) as tunnel,
        client_for(flavour, f"unix://{tunnel.local_endpoint.path}") as remote,
    ):
        (loaded,) = remote.images.load(file_path=archive.path)
        saved = loaded.save_to(tmp_path / "remote.tar", named=True)
        streamed = b"".join(loaded.save(chunk_size=None, named=True))
    assert loaded.id == original.id
    assert loaded.tags == ["localhost/sdk-ssh:one"]
    assert saved.sha256 == hashlib.sha256(saved.path.read_bytes()).hexdigest()
    with tarfile.open(fileobj=io.BytesIO(streamed)) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert len(streamed) > 300_000


def test_unknown_host_key_is_refused(sshd: SshServer, podman_socket: Path, tmp_path: Path) -> None:
    empty_known_hosts = tmp_path / "known_hosts"
    empty_known_hosts.write_text("")
    tunnel = SshTunnel(
        endpoint_for(sshd, podman_socket),
        known_hosts_file=str(empty_known_hosts),
        ssh_config_file=str(sshd.ssh_config),
    )
    with pytest.raises(PodmanConnectionError, match="Host key verification failed") as info:
        tunnel.open()
    assert info.value.endpoint == f"ssh://root@127.0.0.1:{sshd.port}{podman_socket}"
    assert tunnel.pid is None


def test_wrong_host_key_is_refused(sshd: SshServer, podman_socket: Path, tmp_path: Path) -> None:
    keygen(tmp_path / "other")
    other = (tmp_path / "other.pub").read_text().split()
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{sshd.port} {other[0]} {other[1]}\n")
    tunnel = SshTunnel(
        endpoint_for(sshd, podman_socket),
        known_hosts_file=str(known_hosts),
        ssh_config_file=str(sshd.ssh_config),
    )
    with pytest.raises(PodmanConnectionError, match="Host key verification failed"):
        tunnel.open()


def test_close_leaves_no_ssh_process_and_no_socket(sshd: SshServer, podman_socket: Path) -> None:
    tunnel = SshTunnel(
        endpoint_for(sshd, podman_socket),
        known_hosts_file=str(sshd.known_hosts),
        ssh_config_file=str(sshd.ssh_config),
    )
    local = tunnel.open()
    pid = tunnel.pid
    assert pid is not None
    assert Path(local.path).exists()
    tunnel.close()
    assert not process_exists(pid)
    assert not Path(local.path).exists()
    assert not Path(local.path).parent.exists()
    with pytest.raises(PodmanConnectionError, match="not open"):
        _ = tunnel.local_endpoint
    tunnel.close()  # closing twice is harmless


def test_rejected_key_raises_with_ssh_stderr(
    sshd: SshServer, podman_socket: Path, tmp_path: Path
) -> None:
    keygen(tmp_path / "stranger")
    endpoint = SshEndpoint(
        host="127.0.0.1",
        path=str(podman_socket),
        user="root",
        port=sshd.port,
        identity=str(tmp_path / "stranger"),
    )
    tunnel = SshTunnel(
        endpoint, known_hosts_file=str(sshd.known_hosts), ssh_config_file=str(sshd.ssh_config)
    )
    with pytest.raises(PodmanConnectionError, match="Permission denied"):
        tunnel.open()
