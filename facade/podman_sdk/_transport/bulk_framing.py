"""The decisions of a bulk download (``bulk_read``, ``async_bulk_read``) without any I/O:
what request bytes to send, when the response head is complete, how the body ends,
what each read asks for and what the bytes read mean, and which httpx error a failure
is. The sync and the async reader differ only in how they wait for the socket.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import h11
import httpx

from podman_sdk._transport.chunked import ChunkedDecoder, ChunkedFramingError
from podman_sdk._transport.extensions import BULK_READ, RAW_BODY

__all__ = [
    "BULK_READ_SIZE",
    "HEAD_READ",
    "HOLD_SECONDS",
    "MIN_BATCH",
    "BodyDecoder",
    "BodyFraming",
    "BulkLink",
    "HeadExchange",
    "body_framing",
    "bulk_response",
    "closed_error",
    "closing_on_failure",
    "reads_in_bulk",
    "timeout_of",
]

#: How much one read of a bulk download asks the socket for.
BULK_READ_SIZE = 1024 * 1024
#: How much body a bulk download gathers before handing it on (unless the body ends, or
#: the socket does). A local server sends an export in 32 KiB writes and a reader that
#: keeps up wakes for each: passing every read on cost an item through httpx and the
#: stream per 32-64 KiB (about 10 us each, plus an event-loop wait for the async
#: client), which is what kept the body rate below curl's.
MIN_BATCH = 128 * 1024
#: A batch is handed on early once the socket stays quiet this long (seconds): a server
#: that pauses mid-body (or stops for good) gets what it sent through at once.
HOLD_SECONDS = 0.005
#: h11 refuses a response head over this size: enough for any real one.
HEAD_READ = 64 * 1024


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


def timeout_of(request: httpx.Request, which: str) -> float | None:
    """The timeout httpx put in ``request.extensions`` for ``which`` (connect, read,
    write), None for none."""
    timeouts = request.extensions.get("timeout", {})
    value = timeouts.get(which)
    return value if isinstance(value, int | float) else None


def closed_error(request: httpx.Request) -> httpx.ReadError:
    """What a bulk exchange raises once the transport aborted it (or was closed)."""
    return httpx.ReadError("the client was closed before the download ended", request=request)


class BulkLink:
    """A bulk connection's socket, which the transport's close (from another thread or
    task) may abort."""

    __slots__ = ("__weakref__", "aborted", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.aborted = False

    def abort(self) -> None:
        """A read waiting on the socket wakes with its end, later ones fail. The socket
        is closed by its reader: closing it here could pull it from under a read in
        progress (or an event loop's selector)."""
        self.aborted = True
        with contextlib.suppress(OSError):  # already closed or disconnected
            self.sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def closing_on_failure(link: BulkLink, request: httpx.Request) -> Iterator[None]:
    """Around an exchange until its response head is in: any failure closes the
    socket, and one that the transport's own abort caused reads as `closed_error`."""
    try:
        yield
    except httpx.TransportError as exc:
        link.sock.close()
        if link.aborted:
            raise closed_error(request) from exc
        raise
    except BaseException:
        link.sock.close()
        raise


def reads_in_bulk(request: httpx.Request) -> bool:
    """Whether a transport takes ``request`` past h11: marked `BULK_READ` by the SDK, or
    `RAW_BODY` by the generated client's streams, for a request without a body."""
    if request.extensions.get(BULK_READ):
        return True
    return bool(request.extensions.get(RAW_BODY)) and _has_no_body(request)


def _has_no_body(request: httpx.Request) -> bool:
    headers = request.headers
    return "Transfer-Encoding" not in headers and headers.get("Content-Length", "0") == "0"


class _SocketInfo:
    """A bulk response's ``network_stream`` extension, as httpcore gives one: its socket,
    which a stream closed from another thread shuts down to wake the reader."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def get_extra_info(self, info: str) -> object:
        return self._sock if info == "socket" else None


def bulk_response(
    response: h11.Response,
    body: httpx.SyncByteStream | httpx.AsyncByteStream,
    sock: socket.socket,
) -> httpx.Response:
    """The httpx response for a head h11 parsed and a body read from ``sock``."""
    return httpx.Response(
        status_code=response.status_code,
        headers=list(response.headers),
        stream=body,
        extensions={
            "http_version": b"HTTP/1.1",
            "reason_phrase": response.reason,
            "network_stream": _SocketInfo(sock),
        },
    )


class HeadExchange:
    """The request of a bulk exchange as bytes, and its response head as the bytes
    read come in (h11, which also skips informational answers)."""

    def __init__(self, request: httpx.Request) -> None:
        if not _has_no_body(request):
            raise httpx.LocalProtocolError("a bulk read sends no request body", request=request)
        self._request = request
        self._protocol = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=HEAD_READ)

    def request_bytes(self) -> bytes:
        request = self._request
        head = h11.Request(
            method=request.method, target=request.url.raw_path, headers=list(request.headers.raw)
        )
        return self._protocol.send(head) + (self._protocol.send(h11.EndOfMessage()) or b"")

    def response(self) -> h11.Response | None:
        """The final response head, or None until more bytes are `receive`d."""
        while True:
            try:
                event = self._protocol.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=self._request) from exc
            if isinstance(event, h11.Response):
                return event
            if event is h11.NEED_DATA:
                return None
            # Anything else is an informational (1xx) response: read on.

    def receive(self, data: bytes) -> None:
        """Bytes read from the socket; b"" is its end, which no head may meet."""
        if not data:
            raise httpx.RemoteProtocolError(
                "the server closed the connection without sending a response",
                request=self._request,
            )
        self._protocol.receive_data(data)

    def body_start(self, response: h11.Response) -> tuple[BodyFraming, bytes]:
        """How the body of ``response`` ends, and the bytes of it read with the head."""
        leftover, _ = self._protocol.trailing_data
        framing = body_framing(self._request.method, response.status_code, list(response.headers))
        return framing, bytes(leftover)


class BodyDecoder:
    """The body of one bulk response, read into a caller's buffer: `wanted` says how
    much the next read may ask for, `feed` what the bytes read hold. Done once the
    framing's end is met (or at once for a response without a body).

    Every framing is read into one reused buffer and copied out once, so a chunked body
    (podman's exports) costs one copy per megabyte instead of an h11 event per 32 KiB
    chunk."""

    def __init__(self, framing: BodyFraming, request: httpx.Request) -> None:
        self._kind = framing.kind
        self._left = framing.length
        self._request = request
        self._chunks = ChunkedDecoder() if framing.kind == "chunked" else None
        self.done = framing.kind == "none"
        # The batch: reads land one after another in this buffer, and the body bytes in
        # them wait in _pieces (views of it) until `gathered` hands them on together.
        self._buffer = bytearray(BULK_READ_SIZE)
        self._view = memoryview(self._buffer)
        self._filled = 0
        self._pieces: list[memoryview] = []
        self._held = 0

    @property
    def holding(self) -> bool:
        """Whether body bytes wait in the batch (the reader hands them on with
        `gathered` if the socket stays quiet for HOLD_SECONDS)."""
        return self._held > 0

    def space(self) -> memoryview:
        """Where the next read goes: after the reads already in the batch, at most
        `wanted` bytes."""
        start = self._filled
        return self._view[start : start + min(self.wanted(), BULK_READ_SIZE - start)]

    def received(self, count: int) -> bytes | None:
        """``count`` (> 0) bytes were read into `space`: the batch's body bytes once at
        least MIN_BATCH are held or the body is complete, else None (read on)."""
        start, self._filled = self._filled, self._filled + count
        if self._chunks is not None:
            try:
                pieces = self._chunks.feed(self._buffer, self._filled, start)
            except ChunkedFramingError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=self._request) from exc
            self.done = self._chunks.done
        else:
            if self._kind == "length":
                self._left -= count
                self.done = not self._left
            pieces = [self._view[start : self._filled]]
        self._pieces += pieces
        self._held += sum(map(len, pieces))
        if self.done or self._held >= MIN_BATCH or self._filled >= BULK_READ_SIZE - 4096:
            return self.gathered()
        return None

    def ended(self) -> None:
        """The socket ended (after the caller took what was `gathered`): done if the
        body ends with the connection, else httpx's RemoteProtocolError."""
        self.feed(b"", 0)

    def gathered(self) -> bytes:
        """The body bytes of the batch, which starts again empty."""
        data = b"".join(self._pieces)
        self._pieces.clear()
        self._held = self._filled = 0
        return data

    def wanted(self) -> int:
        """The most the next read should ask for (never more than a counted body has
        left, so bytes past it stay unread)."""
        return min(self._left, BULK_READ_SIZE) if self._kind == "length" else BULK_READ_SIZE

    def feed(self, buffer: bytes | bytearray, end: int) -> bytes:
        """The body bytes in ``buffer[:end]``; ``end`` 0 means the socket ended. Raises
        httpx's RemoteProtocolError for bad framing or a body cut short."""
        if not end:
            if self._kind != "close":
                # httpcore's wording, so users see one message whichever path read it.
                raise httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body",
                    request=self._request,
                )
            self.done = True
            return b""
        if self._chunks is not None:
            try:
                pieces = self._chunks.feed(buffer, end)
            except ChunkedFramingError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=self._request) from exc
            self.done = self._chunks.done
            return b"".join(pieces)
        if self._kind == "length":
            end = min(end, self._left)
            self._left -= end
            self.done = not self._left
        return bytes(memoryview(buffer)[:end])
