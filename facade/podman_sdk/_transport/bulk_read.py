"""Large downloads over a Unix socket without per-chunk overhead.

A request sent with the `BULK_READ` extension set to True (the export route) does not
go through httpcore: `BulkDownloads` opens a connection of its own, writes the request
and reads the response head with h11, then reads the body straight from the socket a
megabyte at a time, decoding chunked framing with `ChunkedDecoder` (``_chunked``) and
handing the body on in batches of at least ``MIN_BATCH`` (sooner when the socket stays
quiet for ``HOLD_SECONDS``): a reader that keeps up with a local server wakes for every
32 KiB write, and passing each on cost more than curl spends per byte. The
decisions are ``bulk_framing``'s, shared with the async twin (``async_bulk_read``). The
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

import select
import socket
import threading
import weakref
from collections.abc import Iterator

import httpx

from podman_sdk._transport.bulk_framing import (
    BULK_READ_SIZE,
    HEAD_READ,
    HOLD_SECONDS,
    BodyDecoder,
    BodyFraming,
    BulkLink,
    HeadExchange,
    body_framing,
    bulk_response,
    closed_error,
    closing_on_failure,
    timeout_of,
)
from podman_sdk._transport.extensions import BULK_READ

HOLD_MILLISECONDS = round(HOLD_SECONDS * 1000)

__all__ = [
    "BULK_READ",
    "BULK_READ_SIZE",
    "BodyFraming",
    "BulkDownloads",
    "body_framing",
]


class BulkDownloads:
    """The bulk exchanges a transport has open, from connect to close. Their
    connections are not in httpcore's pool, so closing the transport would not end
    them: `abort_all` does, as ``open_sockets`` does for ordinary streams, including
    an exchange still waiting for its response head (an export can take minutes to
    start). After `abort_all`, new exchanges are refused."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()  # abort_all may race an exchange on another thread
        self._open: weakref.WeakSet[BulkLink] = weakref.WeakSet()
        self._closed = False

    def exchange(self, request: httpx.Request) -> httpx.Response:
        head = HeadExchange(request)  # refuses a request with a body before connecting
        if self._closed:  # checked again below: a close may land while connecting
            raise closed_error(request)
        link = BulkLink(_connect(self._path, request))
        with self._lock:
            closed = self._closed
            if not closed:
                self._open.add(link)
        if closed:
            link.sock.close()
            raise closed_error(request)
        return _exchange(link, head, request)

    def abort_all(self) -> None:
        with self._lock:
            self._closed = True
            links = list(self._open)
        for link in links:
            link.abort()


def _exchange(link: BulkLink, head: HeadExchange, request: httpx.Request) -> httpx.Response:
    """Send ``request`` (no body) on the connection ``link`` holds and return the
    response once its head is in; its body streams from the socket, and closing it
    closes the socket (here too if anything fails first).

    Raises httpx's WriteError/WriteTimeout, ReadError/ReadTimeout and
    RemoteProtocolError, as httpx's own transport would."""
    sock = link.sock
    with closing_on_failure(link, request):
        _send(sock, head.request_bytes(), request)
        while (response := head.response()) is None:
            head.receive(_recv(sock, HEAD_READ, request))
        framing, leftover = head.body_start(response)
        body = _BulkBody(link, request, BodyDecoder(framing, request), leftover)
    return bulk_response(response, body, link.sock)


def _connect(path: str, request: httpx.Request) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout_of(request, "connect"))
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
        sock.settimeout(timeout_of(request, "write"))
        sock.sendall(data)
    except TimeoutError as exc:
        raise httpx.WriteTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.WriteError(str(exc), request=request) from exc


def _recv(sock: socket.socket, size: int, request: httpx.Request) -> bytes:
    try:
        sock.settimeout(timeout_of(request, "read"))
        return sock.recv(size)
    except TimeoutError as exc:
        raise httpx.ReadTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


def _recv_into(sock: socket.socket, buffer: memoryview, request: httpx.Request) -> int:
    try:
        return sock.recv_into(buffer)
    except TimeoutError as exc:
        raise httpx.ReadTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


class _BulkBody(httpx.SyncByteStream):
    """The body of a bulk response, read from its own socket; closing it closes that."""

    def __init__(
        self, link: BulkLink, request: httpx.Request, decoder: BodyDecoder, leftover: bytes
    ) -> None:
        self._link = link
        self._sock = link.sock
        self._request = request
        self._decoder = decoder
        self._leftover = leftover

    def __iter__(self) -> Iterator[bytes]:
        # Read now, not at construction: the caller swaps in the idle timeout once the
        # head is in (as with httpcore).
        self._sock.settimeout(timeout_of(self._request, "read"))
        decoder = self._decoder
        leftover = self._leftover
        if leftover and not decoder.done and (data := decoder.feed(leftover, len(leftover))):
            yield data
        quiet = select.poll()
        quiet.register(self._sock, select.POLLIN)
        while not decoder.done:
            if decoder.holding and not quiet.poll(HOLD_MILLISECONDS):
                yield decoder.gathered()
                continue
            received = _recv_into(self._sock, decoder.space(), self._request)
            if not received:
                if self._link.aborted:
                    # Our own shutdown, not the server's end of the body (which, without
                    # framing, would read as a complete body).
                    raise closed_error(self._request)
                if rest := decoder.gathered():
                    yield rest  # what came before the end, then whether the end is one
                decoder.ended()
            elif batch := decoder.received(received):
                yield batch

    def close(self) -> None:
        self._sock.close()
