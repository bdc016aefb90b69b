"""The I/O the container verbs share: calls that may wait as long as a container runs,
and the output streams they hand out.

A plain call (`perform`) carries the client's call timeout. A wait (``wait()``,
``run()``) must not be cut by it: `perform_waiting` sends the same generated request
through the same send path with no read timeout, or with the caller's ``timeout``, whose
expiry raises `PodmanTimeoutError`. Output (logs, attach, exec, export, archives) comes
from the generated ``stream()``/``asyncio_stream()`` functions, which wait without a
limit between items; `OutputStream` hands their items on as they arrive, and is also a
context manager: leaving it, or `close()` from any thread, ends the stream at once."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Generic, TypeVar

import httpx

from podman_sdk._core._calls import Call
from podman_sdk._exceptions import APIError

if TYPE_CHECKING:
    from libpod_client.streams import AsyncStream, Stream

    from podman_sdk._core._connection import AsyncConnection, Connection

T = TypeVar("T")


def _waiting_timeout(connect: float, timeout: float | None) -> httpx.Timeout:
    return httpx.Timeout(timeout, connect=connect)


def perform_waiting(connection: Connection, call: Call[T], timeout: float | None) -> T:
    """`perform` with no call timeout (``timeout``: the caller's bound, in seconds)."""
    arguments = connection.versioned(call.request, connection.negotiate())
    request = connection.http.build_request(
        **arguments, timeout=_waiting_timeout(connection.timeouts.connect, timeout)
    )
    try:
        response = connection.http.send(request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)


async def perform_waiting_async(
    connection: AsyncConnection, call: Call[T], timeout: float | None
) -> T:
    """`perform_waiting`, awaited."""
    arguments = connection.versioned(call.request, await connection.negotiate())
    request = connection.http.build_request(
        **arguments, timeout=_waiting_timeout(connection.timeouts.connect, timeout)
    )
    try:
        response = await connection.http.send(request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)


class Opened:
    """The generated stream an output stream reads now, so that a close from another
    thread can shut it (a generator cannot be closed while another thread runs it)."""

    def __init__(self) -> None:
        self.stream: Stream[object] | AsyncStream[object] | None = None
        self.closed = False
        # What must happen once when the stream ends, read through or not (run()'s
        # removal of its container): the reader's finally or the close, whichever first.
        self.finish: Callable[[BaseException | None], object] | None = None

    def close(self) -> None:
        self.closed = True
        if self.stream is not None:
            self.stream.close()

    def take_finish(self) -> Callable[[BaseException | None], object] | None:
        finish, self.finish = self.finish, None
        return finish


class OutputStream(Generic[T]):
    """A container's output as it arrives (``logs(stream=True)``, ``attach(stream=True)``,
    ``exec_run(stream=True)``, ``export()``...): an iterator, and a context manager
    that releases the connection when left early. `close()` works from any thread."""

    def __init__(self, produce: Callable[[Opened], Generator[T, None, None]]) -> None:
        self._opened = Opened()
        self._items = produce(self._opened)

    def __iter__(self) -> OutputStream[T]:
        return self

    def __next__(self) -> T:
        return next(self._items)

    def close(self) -> None:
        """End the stream and release its connection."""
        self._opened.close()
        with contextlib.suppress(ValueError):  # another thread is reading: it ends now
            self._items.close()
            finish = self._opened.take_finish()
            if finish is not None:
                finish(None)

    def __enter__(self) -> OutputStream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncOutputStream(Generic[T]):
    """`OutputStream` for asyncio: ``async for``, ``async with``, `aclose()` (or
    `close()` from another thread); cancelling the reading task ends it too."""

    def __init__(self, produce: Callable[[Opened], AsyncGenerator[T, None]]) -> None:
        self._opened = Opened()
        self._items = produce(self._opened)

    def __aiter__(self) -> AsyncOutputStream[T]:
        return self

    async def __anext__(self) -> T:
        return await anext(self._items)

    def close(self) -> None:
        """End the stream from any thread; the reader releases the connection."""
        self._opened.close()

    async def aclose(self) -> None:
        self._opened.close()
        with contextlib.suppress(RuntimeError):  # another task is reading: it ends now
            await self._items.aclose()
            finish = self._opened.take_finish()
            if finish is not None:
                await finish(None)  # type: ignore[misc]

    async def __aenter__(self) -> AsyncOutputStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
