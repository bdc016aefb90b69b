"""The Unix-socket transport: httpx's, reading large pieces, with bulk downloads
(``BULK_READ``) taken past h11 (``bulk_read``). Loaded only when a client connects to a
socket (``build``)."""

from __future__ import annotations

import select
import socket
import ssl
import time
import typing

import httpcore
import httpx

from podman_sdk._transport.bulk_framing import reads_in_bulk
from podman_sdk._transport.bulk_read import BulkDownloads
from podman_sdk._transport.open_sockets import ClosingTransport, OpenSockets, closed_client_error


class UnixSocketTransport(ClosingTransport):
    """httpx's transport for a Unix socket, reading ``read_size`` bytes at a time.

    A request marked `BULK_READ` (or a bodiless `RAW_BODY`: `reads_in_bulk`) takes
    ``bulk_read``'s path.
    Closing it shuts down every socket it has open (``open_sockets``) and aborts the
    bulk downloads, so nothing in flight outlives the close."""

    def __init__(self, path: str, retries: int, read_size: int) -> None:
        # No TLS on a socket, so no CA bundle: httpx's default loads certifi's into an
        # SSL context, which cost more CPU than the rest of a client's start-up. This
        # context verifies everything and trusts nothing, and is never used.
        super().__init__(
            lambda sockets: _UnixSocketBackend(read_size, sockets),
            ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
            retries=retries,
            uds=path,
        )
        self._bulk = BulkDownloads(path)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if reads_in_bulk(request):
            return self._bulk.exchange(request)
        return super().handle_request(request)

    def close(self) -> None:
        try:
            self._bulk.abort_all()
        finally:
            super().close()


class _UnixSocketBackend(httpcore.NetworkBackend):
    """Connects to Unix sockets only; streams read at least ``read_size`` bytes.

    Written rather than wrapping httpcore.SyncBackend because that one leaks
    the socket when connect() fails (httpcore 1.0.9: a ResourceWarning for
    every refused connection).
    """

    def __init__(self, read_size: int, sockets: OpenSockets) -> None:
        self._read_size = read_size
        self._sockets = sockets

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self._sockets.closed:
            raise closed_client_error()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.settimeout(timeout)
            sock.connect(path)
        except TimeoutError as exc:
            sock.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            sock.close()
            raise httpcore.ConnectError(str(exc)) from exc
        self._sockets.add(sock)  # closes it and raises once the transport is closed
        return _UnixSocketStream(sock, self._read_size, self._sockets)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _UnixSocketStream(httpcore.NetworkStream):
    """A connected Unix socket that asks the kernel for ``read_size`` bytes per read.

    httpcore's HTTP/1.1 connection asks for 64 KiB; h11 buffers whatever a
    read returns, so returning more than asked is safe for responses.
    """

    def __init__(self, sock: socket.socket, read_size: int, sockets: OpenSockets) -> None:
        self._sock = sock
        self._read_size = read_size
        self._sockets = sockets

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            self._sock.settimeout(timeout)
            return self._sock.recv(max(max_bytes, self._read_size))
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._sock.settimeout(timeout)
            self._sock.sendall(buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sockets.close(self._sock)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("TLS over a Unix socket is not supported")

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "socket":
            return self._sock
        if info == "is_readable":
            # An idle keep-alive connection that is readable was closed by the
            # server (or sent junk): httpcore then drops it instead of reusing it.
            if self._sock.fileno() == -1:
                return True
            poller = select.poll()
            poller.register(self._sock, select.POLLIN)
            return bool(poller.poll(0))
        return None
