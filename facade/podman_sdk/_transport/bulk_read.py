"""Large downloads over a Unix socket without per-chunk overhead.

A request sent with the `BULK_READ` extension set to True (the export route) does not
go through httpcore: `BulkDownloads` opens a connection of its own, writes the request
and reads the response head with h11, then reads the body straight from the socket a
megabyte at a time, decoding chunked framing with `ChunkedDecoder` (``_chunked``). The
response is an ordinary `httpx.Response`, so event hooks (the status check), timeouts
from ``request.extensions`` and the SDK's error translation all apply unchanged.

Measured with tests/bench/bench_read_size.py (512 MiB in 32 KiB chunks, like an
export): httpx's defaults 772 MiB/s, httpcore with 256 KiB reads 1,285 MiB/s, this
path 3,017 MiB/s.

The connection is closed with the response: a bulk download is one multi-second
export, so pooling the connection would gain nothing. Closing the transport (the
client) aborts the downloads still open (`BulkDownloads`), as ``open_sockets`` does for
the pool's connections. Only Unix sockets (local services and ssh tunnels) take this
path; TCP keeps httpx's, which also handles proxies and TLS.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import h11
import httpx

from podman_sdk._transport.chunked import ChunkedDecoder, ChunkedFramingError
from podman_sdk._transport.extensions import BULK_READ

__all__ = [
    "BULK_READ",
    "BULK_READ_SIZE",
    "BodyFraming",
    "BulkDownloads",
    "body_framing",
]

#: How much one read of a bulk download asks the socket for.
BULK_READ_SIZE = 1024 * 1024
# h11 refuses a response head over this size: enough for any real one.
_HEAD_READ = 64 * 1024


# -- pure decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class BodyFraming:
    """How the body of a response ends: chunked, after ``length`` bytes, when the
    server closes the connection, or not at all (no body)."""

    kind: Literal["chunked", "length", "close", "none"]
    length: int = 0


def body_framing(method: str, status: int, headers: list[tuple[bytes, bytes]]) -> BodyFraming:
    """RFC 9112 section 6.3 for a response h11 has already validated (one consistent
    Content-Length, Transfer-Encoding only "chunked")."""
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return BodyFraming("none")
    length: int | None = None
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"transfer-encoding":  # wins over a Content-Length, before or after
            return BodyFraming("chunked")
        if lowered == b"content-length":
            length = int(value)
    if length is None:
        return BodyFraming("close")
    return BodyFraming("length", length) if length else BodyFraming("none")


def _timeout(request: httpx.Request, which: str) -> float | None:
    timeouts = request.extensions.get("timeout", {})
    value = timeouts.get(which)
    return value if isinstance(value, int | float) else None


# -- I/O --------------------------------------------------------------------------------


class BulkDownloads:
    """The bulk exchanges a transport has open, from connect to close. Their
    connections are not in httpcore's pool, so closing the transport would not end
    them: `abort_all` does, as ``open_sockets`` does for ordinary streams, including
    an exchange still waiting for its response head (an export can take minutes to
    start). After `abort_all`, new exchanges are refused."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()  # abort_all may race an exchange on another thread
        self._open: weakref.WeakSet[_Link] = weakref.WeakSet()
        self._closed = False

    def exchange(self, request: httpx.Request) -> httpx.Response:
        if "Transfer-Encoding" in request.headers or (
            request.headers.get("Content-Length", "0") != "0"
        ):
            raise httpx.LocalProtocolError("a bulk read sends no request body", request=request)
        if self._closed:  # checked again below: a close may land while connecting
            raise _closed_error(request)
        link = _Link(_connect(self._path, request))
        with self._lock:
            closed = self._closed
            if not closed:
                self._open.add(link)
        if closed:
            link.sock.close()
            raise _closed_error(request)
        return _exchange(link, request)

    def abort_all(self) -> None:
        with self._lock:
            self._closed = True
            links = list(self._open)
        for link in links:
            link.abort()


class _Link:
    """A bulk connection's socket, which another thread may abort."""

    __slots__ = ("__weakref__", "aborted", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.aborted = False

    def abort(self) -> None:
        """A read in progress returns, later ones fail; the socket itself is closed by
        whoever reads it."""
        self.aborted = True
        with contextlib.suppress(OSError):  # already closed or disconnected
            self.sock.shutdown(socket.SHUT_RDWR)


def _closed_error(request: httpx.Request) -> httpx.ReadError:
    return httpx.ReadError("the client was closed before the download ended", request=request)


def _exchange(link: _Link, request: httpx.Request) -> httpx.Response:
    """Send ``request`` (no body) on the connection ``link`` holds and return the
    response once its head is in; its body streams from the socket, and closing it
    closes the socket (here too if anything fails first).

    Raises httpx's WriteError/WriteTimeout, ReadError/ReadTimeout and
    RemoteProtocolError, as httpx's own transport would."""
    sock = link.sock
    try:
        protocol = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=_HEAD_READ)
        head = h11.Request(
            method=request.method,
            target=request.url.raw_path,
            headers=list(request.headers.raw),
        )
        _send(sock, protocol.send(head) + (protocol.send(h11.EndOfMessage()) or b""), request)
        response = _read_head(sock, protocol, request)
        leftover, _ = protocol.trailing_data
        framing = body_framing(request.method, response.status_code, list(response.headers))
        body = _BulkBody(link, request, framing, leftover)
    except httpx.TransportError as exc:
        sock.close()
        if link.aborted:  # the failure is our own shutdown's doing
            raise _closed_error(request) from exc
        raise
    except BaseException:
        sock.close()
        raise
    return httpx.Response(
        status_code=response.status_code,
        headers=list(response.headers),
        stream=body,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": response.reason},
    )


def _connect(path: str, request: httpx.Request) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(_timeout(request, "connect"))
        sock.connect(path)
    except TimeoutError as exc:
        sock.close()
        raise httpx.ConnectTimeout(str(exc), request=request) from exc
    except OSError as exc:
        sock.close()
        raise httpx.ConnectError(str(exc), request=request) from exc
    return sock


def _send(sock: socket.socket, data: bytes, request: httpx.Request) -> None:
    try:
        sock.settimeout(_timeout(request, "write"))
        sock.sendall(data)
    except TimeoutError as exc:
        raise httpx.WriteTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.WriteError(str(exc), request=request) from exc


def _read_head(
    sock: socket.socket, protocol: h11.Connection, request: httpx.Request
) -> h11.Response:
    while True:
        try:
            event = protocol.next_event()
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        if isinstance(event, h11.Response):
            return event
        if event is h11.NEED_DATA:
            data = _recv(sock, _HEAD_READ, request)
            if not data:
                raise httpx.RemoteProtocolError(
                    "the server closed the connection without sending a response",
                    request=request,
                )
            protocol.receive_data(data)
        # Anything else is an informational (1xx) response: keep reading.


def _recv(sock: socket.socket, size: int, request: httpx.Request) -> bytes:
    try:
        sock.settimeout(_timeout(request, "read"))
        return sock.recv(size)
    except TimeoutError as exc:
        raise httpx.ReadTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


def _recv_into(sock: socket.socket, buffer: bytearray, start: int, request: httpx.Request) -> int:
    try:
        return sock.recv_into(memoryview(buffer)[start:])
    except TimeoutError as exc:
        raise httpx.ReadTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


class _BulkBody(httpx.SyncByteStream):
    """The body of a bulk response, read from its own socket; closing it closes that."""

    def __init__(
        self, link: _Link, request: httpx.Request, framing: BodyFraming, leftover: bytes
    ) -> None:
        self._link = link
        self._sock = link.sock
        self._request = request
        self._framing = framing
        self._leftover = leftover

    def __iter__(self) -> Iterator[bytes]:
        # Read now, not at construction: the caller swaps in the idle timeout once the
        # head is in (as with httpcore).
        self._sock.settimeout(_timeout(self._request, "read"))
        kind = self._framing.kind
        if kind == "chunked":
            yield from self._chunked()
        elif kind == "length":
            yield from self._counted(self._framing.length)
        elif kind == "close":
            yield from self._until_close()

    def _chunked(self) -> Iterator[bytes]:
        decoder = ChunkedDecoder()
        buffer = bytearray(max(BULK_READ_SIZE, len(self._leftover)))
        filled = len(self._leftover)
        buffer[:filled] = self._leftover
        while True:
            try:
                pieces = decoder.feed(buffer, filled)
            except ChunkedFramingError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=self._request) from exc
            if pieces:
                yield b"".join(pieces)
            if decoder.done:
                return
            filled = _recv_into(self._sock, buffer, 0, self._request)
            if not filled:
                raise self._cut_short()

    def _counted(self, length: int) -> Iterator[bytes]:
        data = self._leftover[:length]
        left = length - len(data)
        if data:
            yield data
        while left:
            data = _recv(self._sock, min(left, BULK_READ_SIZE), self._request)
            if not data:
                raise self._cut_short()
            left -= len(data)
            yield data

    def _until_close(self) -> Iterator[bytes]:
        if self._leftover:
            yield self._leftover
        while data := _recv(self._sock, BULK_READ_SIZE, self._request):
            yield data
        if self._link.aborted:  # our own shutdown, not the server's end of the body
            raise _closed_error(self._request)

    def _cut_short(self) -> httpx.TransportError:
        if self._link.aborted:
            return _closed_error(self._request)
        # httpcore's wording, so users see one message whichever path read the body.
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body",
            request=self._request,
        )

    def close(self) -> None:
        self._sock.close()
