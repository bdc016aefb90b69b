"""`AsyncPodmanClient`'s Unix-socket transport: httpx's async one, with bulk downloads
(the export route, marked `BULK_READ`) read past h11 as the sync client reads them
(``bulk_read``). Every decision (the request bytes, the response head, the body's
framing, what each read asks for, which error a failure is) is ``bulk_framing``'s;
only the waiting is asyncio's: ``loop.sock_*`` on a non-blocking socket, each under
the request's timeout.

Cancelling the task that reads closes the socket (the exchange and the body close it
on any way out). `AsyncUnixSocketTransport.aclose` shuts down the sockets of bulk
downloads still open, so their readers wake now with "the client was closed" instead
of at the idle timeout. Loaded only when an async client connects to a socket.
"""

from __future__ import annotations

import asyncio
import socket
import weakref
from collections.abc import AsyncIterator
from typing import Any

import httpx

from podman_sdk._transport.bulk_framing import (
    HEAD_READ,
    HOLD_SECONDS,
    BodyDecoder,
    BulkLink,
    HeadExchange,
    bulk_response,
    closed_error,
    closing_on_failure,
    reads_in_bulk,
    timeout_of,
)

__all__ = ["AsyncBulkDownloads", "AsyncUnixSocketTransport"]

# A server faster than the client keeps the socket readable, so no read ever waits and
# the loop's other tasks would not run until the download ends (a GiB from a local
# server: 4,700 reads, none waited). The body hands the loop over once per this many
# bytes: about a millisecond of reading, at a cost of 256 yields per GiB.
YIELD_EVERY = 4 * 1024 * 1024


class AsyncUnixSocketTransport(httpx.AsyncHTTPTransport):
    """httpx's async transport for the Unix socket ``path`` (``options`` are its
    arguments); a request `reads_in_bulk` takes `AsyncBulkDownloads`' path."""

    def __init__(self, path: str, **options: Any) -> None:
        super().__init__(**options)
        self._bulk = AsyncBulkDownloads(path)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if reads_in_bulk(request):
            return await self._bulk.exchange(request)
        return await super().handle_async_request(request)

    async def aclose(self) -> None:
        try:
            self._bulk.abort_all()
        finally:
            await super().aclose()


class AsyncBulkDownloads:
    """The bulk exchanges a transport has open, from connect to close (httpcore's pool
    does not know them, so closing it would not end them): `abort_all` does. After
    it, new exchanges are refused. Used from its event loop's thread only."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._open: weakref.WeakSet[BulkLink] = weakref.WeakSet()
        self._closed = False

    async def exchange(self, request: httpx.Request) -> httpx.Response:
        head = HeadExchange(request)  # refuses a request with a body before connecting
        if self._closed:
            raise closed_error(request)
        link = BulkLink(await _connect(self._path, request))
        if self._closed:  # closed while connecting
            link.sock.close()
            raise closed_error(request)
        self._open.add(link)
        return await _exchange(link, head, request)

    def abort_all(self) -> None:
        self._closed = True
        for link in list(self._open):
            link.abort()


async def _exchange(link: BulkLink, head: HeadExchange, request: httpx.Request) -> httpx.Response:
    """`bulk_read._exchange`, awaited: the response once its head is in, its body
    streaming from the socket; the socket is closed with the body, or here if anything
    (a cancelled task included) ends the exchange first."""
    sock = link.sock
    with closing_on_failure(link, request):
        await _send(sock, head.request_bytes(), request)
        buffer = bytearray(HEAD_READ)
        while (response := head.response()) is None:
            received = await _recv_into(sock, memoryview(buffer), request)
            head.receive(bytes(buffer[:received]))
        framing, leftover = head.body_start(response)
        body = _AsyncBulkBody(link, request, BodyDecoder(framing, request), leftover)
    return bulk_response(response, body, link.sock)


async def _connect(path: str, request: httpx.Request) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)  # the loop's sock_* functions wait for readiness instead
        async with asyncio.timeout(timeout_of(request, "connect")):
            await asyncio.get_running_loop().sock_connect(sock, path)
    except TimeoutError as exc:
        sock.close()
        raise httpx.ConnectTimeout(str(exc), request=request) from exc
    except OSError as exc:
        sock.close()
        raise httpx.ConnectError(str(exc), request=request) from exc
    except BaseException:
        sock.close()
        raise
    return sock


async def _send(sock: socket.socket, data: bytes, request: httpx.Request) -> None:
    try:
        async with asyncio.timeout(timeout_of(request, "write")):
            await asyncio.get_running_loop().sock_sendall(sock, data)
    except TimeoutError as exc:
        raise httpx.WriteTimeout(str(exc), request=request) from exc
    except OSError as exc:
        raise httpx.WriteError(str(exc), request=request) from exc


async def _recv_into(sock: socket.socket, buffer: memoryview, request: httpx.Request) -> int:
    try:
        async with asyncio.timeout(timeout_of(request, "read")):
            return await asyncio.get_running_loop().sock_recv_into(sock, buffer)
    except TimeoutError as exc:
        raise httpx.ReadTimeout(str(exc) or "timed out", request=request) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


def _recv_now(sock: socket.socket, buffer: memoryview, request: httpx.Request) -> int | None:
    """What the socket holds already, without waiting; None for nothing yet."""
    try:
        return sock.recv_into(buffer)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc


async def _readable_within(sock: socket.socket, seconds: float) -> bool:
    """Whether ``sock`` turns readable (data, its end or an error) within ``seconds``.
    Only waits: cancelling it, or the timeout, loses no byte."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = sock.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        async with asyncio.timeout(seconds):
            await ready
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


class _AsyncBulkBody(httpx.AsyncByteStream):
    """The body of a bulk response, read from its own socket; closing it closes that."""

    def __init__(
        self, link: BulkLink, request: httpx.Request, decoder: BodyDecoder, leftover: bytes
    ) -> None:
        self._link = link
        self._request = request
        self._decoder = decoder
        self._leftover = leftover

    async def __aiter__(self) -> AsyncIterator[bytes]:
        decoder, leftover, request = self._decoder, self._leftover, self._request
        if leftover and not decoder.done and (data := decoder.feed(leftover, len(leftover))):
            yield data
        unyielded = 0
        while not decoder.done:
            # The read timeout is looked up on each read: the caller swaps in the idle
            # timeout once the head is in (as with httpcore).
            if decoder.holding:
                received = _recv_now(self._link.sock, decoder.space(), request)
                if received is None:  # nothing yet: wait a little, then hand on the batch
                    if not await _readable_within(self._link.sock, HOLD_SECONDS):
                        yield decoder.gathered()
                    continue
            else:
                received = await _recv_into(self._link.sock, decoder.space(), request)
            unyielded += received
            if unyielded >= YIELD_EVERY:
                unyielded = 0
                await asyncio.sleep(0)
            if not received:
                if self._link.aborted:
                    # Our own shutdown, not the server's end of the body (which, without
                    # framing, would read as a complete body).
                    raise closed_error(request)
                if rest := decoder.gathered():
                    yield rest  # what came before the end, then whether the end is one
                decoder.ended()
            elif batch := decoder.received(received):
                yield batch

    async def aclose(self) -> None:
        self._link.sock.close()
