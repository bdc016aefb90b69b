"""A local Unix socket forwarded by the system ``ssh`` to a remote Podman socket.

The client then talks HTTP over the local socket exactly as for a local
service. ssh runs as a child process we own: started with an argument list
(never a shell), stopped by its PID in `SshTunnel.close`.

Security: host keys are checked as the user's ssh configuration says
(StrictHostKeyChecking is never turned off here, and BatchMode makes an
unknown key a failure instead of a prompt). ``known_hosts_file`` points ssh at
a specific known_hosts file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from types import TracebackType

from podman_sdk._exceptions import InvalidArgument, PodmanConnectionError, PodmanTimeoutError
from podman_sdk._transport.endpoints import SshEndpoint, UnixEndpoint, describe

__all__ = ["SshTunnel", "ssh_command"]


def ssh_command(
    endpoint: SshEndpoint,
    local_socket: str,
    *,
    known_hosts_file: str | None = None,
    ssh_config_file: str | None = None,
    connect_timeout: float = 15.0,
    ssh_binary: str = "ssh",
) -> list[str]:
    """The ssh argument list forwarding ``local_socket`` to the endpoint's socket.

    ``known_hosts_file`` replaces the user's known_hosts (``UserKnownHostsFile``);
    ``ssh_config_file`` replaces ``~/.ssh/config`` (``-F``).
    """
    if endpoint.host.startswith("-") or (endpoint.user or "").startswith("-"):
        # "--" below already ends ssh's options; refuse anyway, as ssh itself does.
        raise InvalidArgument(f"{describe(endpoint)}: ssh host and user must not start with '-'")
    command = [ssh_binary]
    if ssh_config_file is not None:
        command += ["-F", ssh_config_file]
    command += [
        "-N",
        "-o",
        "ExitOnForwardFailure=yes",
        "-o",
        "StreamLocalBindUnlink=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        f"ConnectTimeout={max(1, round(connect_timeout))}",
        # A shared ControlMaster would own the forward and outlive close().
        "-o",
        "ControlPath=none",
    ]
    if known_hosts_file is not None:
        command += ["-o", f"UserKnownHostsFile={known_hosts_file}"]
    if endpoint.identity is not None:
        command += ["-i", os.path.expanduser(endpoint.identity)]
    if endpoint.port is not None:
        command += ["-p", str(endpoint.port)]
    command += ["-L", f"{local_socket}:{endpoint.path}"]
    destination = f"{endpoint.user}@{endpoint.host}" if endpoint.user else endpoint.host
    return [*command, "--", destination]


class SshTunnel:
    """``ssh -N -L <tmp>/podman.sock:<remote socket>`` for the life of the object.

    Use as a context manager, or call `open` and `close`. `open` returns the
    local endpoint to build a transport for.
    """

    def __init__(
        self,
        endpoint: SshEndpoint,
        *,
        known_hosts_file: str | None = None,
        ssh_config_file: str | None = None,
        connect_timeout: float = 15.0,
        ssh_binary: str = "ssh",
    ) -> None:
        self.endpoint = endpoint
        self._known_hosts_file = known_hosts_file
        self._ssh_config_file = ssh_config_file
        self._connect_timeout = connect_timeout
        self._ssh_binary = ssh_binary
        self._process: subprocess.Popen[bytes] | None = None
        self._tmpdir: str | None = None
        self._local_endpoint: UnixEndpoint | None = None

    @property
    def pid(self) -> int | None:
        """The ssh process id while the tunnel is open."""
        return self._process.pid if self._process is not None else None

    @property
    def local_endpoint(self) -> UnixEndpoint:
        """The local socket; raises PodmanConnectionError if the tunnel is not open."""
        if self._local_endpoint is None:
            raise PodmanConnectionError(describe(self.endpoint), "the ssh tunnel is not open")
        return self._local_endpoint

    def open(self) -> UnixEndpoint:
        """Start ssh and wait until the local socket accepts connections.

        Raises PodmanConnectionError with ssh's stderr if ssh exits early, or
        PodmanTimeoutError if the socket is not ready within connect_timeout
        (plus a few seconds).
        """
        if self._process is not None:
            return self.local_endpoint
        self._tmpdir = tempfile.mkdtemp(prefix="podman-sdk-ssh-")
        local = os.path.join(self._tmpdir, "podman.sock")
        stderr_path = os.path.join(self._tmpdir, "ssh.stderr")
        try:
            command = ssh_command(
                self.endpoint,
                local,
                known_hosts_file=self._known_hosts_file,
                ssh_config_file=self._ssh_config_file,
                connect_timeout=self._connect_timeout,
                ssh_binary=self._ssh_binary,
            )
            # stderr goes to a file: a pipe nobody drains could block a long-lived ssh.
            with open(stderr_path, "wb") as stderr:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    start_new_session=True,
                )
            self._wait_ready(local, stderr_path)
        except BaseException:
            self.close()
            raise
        self._local_endpoint = UnixEndpoint(local)
        return self._local_endpoint

    def _wait_ready(self, local: str, stderr_path: str) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._connect_timeout + 5.0
        while True:
            returncode = self._process.poll()
            if returncode is not None:
                with open(stderr_path, "rb") as file:
                    detail = file.read().decode(errors="replace").strip() or "no output"
                raise PodmanConnectionError(
                    describe(self.endpoint),
                    f"ssh exited with status {returncode} before the tunnel was up: {detail}",
                )
            if _accepts_connections(local):
                return
            if time.monotonic() > deadline:
                raise PodmanTimeoutError(
                    describe(self.endpoint),
                    f"ssh tunnel not ready after {self._connect_timeout + 5.0:.0f} s",
                )
            time.sleep(0.05)

    def close(self, timeout: float = 5.0) -> None:
        """Stop ssh (terminate, then kill after ``timeout``) and remove the socket's directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        tmpdir, self._tmpdir = self._tmpdir, None
        if tmpdir is not None:
            # Only ssh's socket and its stderr file live here; no mounts.
            shutil.rmtree(tmpdir, ignore_errors=True)
        self._local_endpoint = None

    def __enter__(self) -> SshTunnel:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _accepts_connections(path: str) -> bool:
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True
