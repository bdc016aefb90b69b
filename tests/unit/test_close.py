"""`PodmanClient.close()` from another thread ends what is in flight, on real sockets.

Each server stalls for far longer than the bound a test asserts (30 s, and
``close()`` ends the stall): only the client's close can end the wait. Closing a
socket does not wake a thread blocked on it, so these fail unless the transport
shuts its sockets down. Unix sockets and TCP both: they go through different
network backends (``_transport/unix_socket``, ``_transport/open_sockets``).
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpcore
import pytest
from libpod_client.api.images import image_list_libpod
from podman_sdk import PodmanClient, PodmanConnectionError, PodmanTimeoutError
from podman_sdk._transport.open_sockets import OpenSockets

from tests.harness.registry import make_certificate
from tests.unit.stall_server import RawScript, StallServer

pytestmark = pytest.mark.timeout(120)

STALL = 30.0
# Generous: measured close-to-exception times are milliseconds.
BOUND = 5.0
CHUNKED_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
)
PROGRESS = b'{"stream":"Copying blob 1\\n"}\n'


def chunked(data: bytes) -> bytes:
    return b"%x\r\n" % len(data) + data + b"\r\n"


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture(params=["unix", "tcp"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Path | None:
    """A Unix socket path (short: at most 107 bytes), or None for TCP."""
    return tmp_path / "s.sock" if request.param == "unix" else None


class Closer:
    """Closes ``client`` on a thread of its own once the server has the request
    head, and notes when."""

    def __init__(self, client: PodmanClient, server: StallServer) -> None:
        self.closed_at = 0.0
        self._client = client
        self._server = server
        self._thread = threading.Thread(target=self._run)
        self._thread.start()

    def _run(self) -> None:
        self._server.request_seen.wait(BOUND * 2)
        self.closed_at = time.monotonic()
        self._client.close()

    def join(self) -> None:
        self._thread.join()


def close_during(
    where: Path | None, steps: tuple[bytes | float, ...], call: Callable[[PodmanClient], object]
) -> tuple[PodmanConnectionError, float]:
    """Run ``call`` while another thread closes the client; the error it raised and the
    seconds from close() to it."""
    before = open_fds()
    with StallServer(where, RawScript(steps)) as server:
        client = PodmanClient(server.url, version="4.3.1", idle_timeout=60.0)
        closer = Closer(client, server)
        try:
            with pytest.raises(PodmanConnectionError) as info:
                call(client)
            raised_at = time.monotonic()
        finally:
            closer.join()
            client.close()
    assert open_fds() == before
    return info.value, raised_at - closer.closed_at


def test_close_ends_a_generated_call_waiting_for_its_answer(where: Path | None) -> None:
    error, seconds = close_during(
        where, (STALL,), lambda client: image_list_libpod.sync_detailed(client=client.api)
    )
    assert "the client was closed" in str(error)
    assert seconds < BOUND


def test_close_ends_a_pull_stream_waiting_for_progress(where: Path | None) -> None:
    def pull(client: PodmanClient) -> None:
        stream = client.images.pull_stream("127.0.0.1:1/x", "1")
        try:
            assert next(stream) == PROGRESS.rstrip(b"\n")
            next(stream)  # the server sends nothing more
        finally:
            stream.close()

    error, seconds = close_during(where, (CHUNKED_HEAD + chunked(PROGRESS), STALL), pull)
    assert "the client was closed" in str(error)
    assert seconds < BOUND


def test_close_ends_a_load_whose_upload_the_server_stopped_reading(where: Path | None) -> None:
    # 64 MiB: far more than the socket buffers hold, so the upload blocks in send().
    archive = bytes(64 * 1024 * 1024)
    error, seconds = close_during(where, (STALL,), lambda client: client.images.load(archive))
    assert "the client was closed" in str(error)
    assert seconds < BOUND


def test_close_ends_a_save_in_progress(where: Path | None, tmp_path: Path) -> None:
    # On TCP an export takes httpcore's pool, on a Unix socket the bulk path.
    out = tmp_path / "out"
    out.mkdir()
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    error, seconds = close_during(
        where,
        (head + chunked(bytes(100_000)), STALL),
        lambda client: client.images._wrap({"Id": "ab" * 32}).save_to(out / "image.tar"),
    )
    assert "the client was closed" in str(error)
    assert seconds < BOUND
    assert list(out.iterdir()) == []


def test_after_close_nothing_connects(where: Path | None) -> None:
    with StallServer(where, RawScript((b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK",))) as s:
        client = PodmanClient(s.url, version="4.3.1")
        client.close()
        calls: list[Callable[[], object]] = [
            client.ping,
            lambda: image_list_libpod.sync_detailed(client=client.api),
            lambda: client.images.load(b"x"),
            lambda: list(client.images._wrap({"Id": "ab" * 32}).save()),
        ]
        for call in calls:
            with pytest.raises(PodmanConnectionError, match="the client was closed"):
                call()
    assert s.accepted == 0


def test_a_pull_stalling_past_the_idle_timeout_times_out(where: Path | None) -> None:
    before = open_fds()
    steps = (CHUNKED_HEAD + chunked(PROGRESS), STALL)
    with (
        StallServer(where, RawScript(steps)) as server,
        PodmanClient(server.url, version="4.3.1", idle_timeout=2.0) as client,
    ):
        stream = client.images.pull_stream("127.0.0.1:1/x", "1")
        with stream:
            next(stream)
            started = time.monotonic()
            with pytest.raises(PodmanTimeoutError):
                next(stream)
        waited = time.monotonic() - started
    assert 2.0 <= waited < 2.0 + BOUND * 2
    assert open_fds() == before


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def test_close_ends_a_call_over_tls(certificate: tuple[Path, Path]) -> None:
    """The TLS upgrade hands the socket to a new object: that one must be tracked."""
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    release = threading.Event()
    before = open_fds()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)  # the request head
            release.wait(STALL)

    server = threading.Thread(target=serve)
    server.start()
    client = PodmanClient(f"https://127.0.0.1:{port}", version="4.3.1", tls_verify=str(cert))
    try:
        closer = threading.Timer(1.0, client.close)
        closer.start()
        started = time.monotonic()
        with pytest.raises(PodmanConnectionError, match="the client was closed"):
            client.ping()
        closer.join()
    finally:
        client.close()
        release.set()
        server.join()
        listener.close()
    assert time.monotonic() - started < 1.0 + BOUND
    assert open_fds() == before


def test_a_socket_connected_as_the_transport_closes_is_closed_and_refused() -> None:
    sockets = OpenSockets()
    sockets.shutdown_all()
    left, right = socket.socketpair()
    with right, pytest.raises(httpcore.ConnectError, match="the client was closed"):
        sockets.add(left)
    assert left.fileno() == -1


def test_shutdown_all_wakes_a_reader_and_leaves_closing_to_the_owner() -> None:
    sockets = OpenSockets()
    left, right = socket.socketpair()
    sockets.add(left)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(left.recv(10)))
    reader.start()
    sockets.shutdown_all()
    reader.join(BOUND)
    assert got == [b""]
    assert left.fileno() != -1
    sockets.close(left)
    right.close()
    assert left.fileno() == -1


def test_close_ends_a_close_delimited_stream(where: Path | None) -> None:
    """Without framing the socket's end is the body's end: a shut-down socket must not
    read as a pull that ended (Podman frames its streams, a proxy might not)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    before = open_fds()
    with StallServer(where, RawScript((head + PROGRESS, STALL))) as server:
        client = PodmanClient(server.url, version="4.3.1", idle_timeout=60.0)
        got_event = threading.Event()
        closer = threading.Thread(target=lambda: got_event.wait(BOUND) and client.close())
        closer.start()
        try:
            stream = client.images.pull_stream("127.0.0.1:1/x", "1")
            with stream:
                assert next(stream) == PROGRESS.rstrip(b"\n")
                got_event.set()
                with pytest.raises(PodmanConnectionError, match="the client was closed"):
                    next(stream)
        finally:
            got_event.set()
            closer.join()
            client.close()
    assert open_fds() == before
