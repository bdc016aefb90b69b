"""Local OCI registries: Debian's ``docker-registry`` on 127.0.0.1 and a free port.

Each registry gets its own directory (config, storage, log, and the htpasswd file or
TLS certificate it needs), is stopped by its PID, and its directory is deleted.
"""

from __future__ import annotations

import secrets
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.harness.mounts import record_pid, remove_tree


@dataclass(frozen=True)
class Registry:
    """A running registry, as tests see it."""

    host: str  # "127.0.0.1:PORT" (what goes in an image reference)
    url: str  # "http://127.0.0.1:PORT" or "https://..."
    username: str | None
    password: str | None
    ca_cert: Path | None

    def client(self, *, auth: bool = True, timeout: float = 30.0) -> httpx.Client:
        """An httpx client for the registry's HTTP API, trusting its CA if it has one."""
        verify: ssl.SSLContext | bool = True
        if self.ca_cert is not None:
            verify = ssl.create_default_context(cafile=str(self.ca_cert))
        credentials = None
        if auth and self.username is not None and self.password is not None:
            credentials = httpx.BasicAuth(self.username, self.password)
        return httpx.Client(base_url=self.url, verify=verify, auth=credentials, timeout=timeout)


class RegistryStartError(RuntimeError):
    """The registry did not start; the message carries its log tail."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` (a loopback address) that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (IP SAN) and localhost; (cert, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "7",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def make_htpasswd(path: Path, username: str, password: str) -> None:
    """An htpasswd file with one bcrypt entry (the only hash docker-registry accepts)."""
    subprocess.run(
        ["htpasswd", "-B", "-b", "-c", str(path), username, password],
        check=True,
        capture_output=True,
    )


class RegistryProcess:
    """A started ``docker-registry serve`` and its directory."""

    def __init__(
        self,
        directory: Path,
        *,
        auth: bool = False,
        tls: bool = False,
        host: str = "127.0.0.1",
        timeout: float = 30.0,
    ) -> None:
        """``host``: another loopback address (127.0.0.2) is one the services'
        registries.conf does not mark insecure."""
        self.directory = directory
        directory.mkdir(parents=True)
        (directory / "data").mkdir()
        self.log_path = directory / "registry.log"
        username = password = None
        cert = key = None
        lines = [
            "version: 0.1",
            "log:",
            "  level: warn",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {directory / 'data'}",
            "  delete:",
            "    enabled: true",
        ]
        if auth:
            username, password = "podman-sdk", secrets.token_urlsafe(12)
            make_htpasswd(directory / "htpasswd", username, password)
            lines += [
                "auth:",
                "  htpasswd:",
                "    realm: podman-sdk-test",
                f"    path: {directory / 'htpasswd'}",
            ]
        if tls:
            cert, key = make_certificate(directory)
        port = free_port(host)
        lines += ["http:", f"  addr: {host}:{port}", f"  secret: {secrets.token_hex(16)}"]
        if cert is not None and key is not None:
            lines += ["  tls:", f"    certificate: {cert}", f"    key: {key}"]
        config = directory / "config.yml"
        config.write_text("\n".join(lines) + "\n")
        self.registry = Registry(
            host=f"{host}:{port}",
            url=f"{'https' if tls else 'http'}://{host}:{port}",
            username=username,
            password=password,
            ca_cert=cert,
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                ["docker-registry", "serve", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        record_pid(directory / "registry.pid", self.process.pid, str(config))
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        """Poll GET /v2/ until it answers 200 (or 401 when auth is on)."""
        deadline = time.monotonic() + timeout
        last = ""
        with self.registry.client(auth=False, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RegistryStartError(
                        f"docker-registry exited with {self.process.returncode}:\n"
                        + self.log_path.read_text(errors="replace")[-2000:]
                    )
                try:
                    status = client.get("/v2/").status_code
                    if status in (200, 401):
                        return
                    last = f"HTTP {status}"
                except httpx.TransportError as exc:
                    last = repr(exc)
                time.sleep(0.1)
        raise RegistryStartError(f"docker-registry at {self.registry.url}: no answer ({last})")

    def stop(self) -> None:
        """Stop the registry by its PID and delete its directory."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        remove_tree(self.directory)
