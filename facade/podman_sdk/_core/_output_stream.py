"""Streams the facade hands out, read from the generated ``stream()`` and
``asyncio_stream()`` functions: `OutputStream` (and `AsyncOutputStream`) passes their
items on as they arrive, and is also a context manager: leaving it, or `close()` from
any thread, ends the stream at once (the generated stream shuts its socket down, which
wakes a reader blocked on it). Containers' output and the client's events use them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager, AbstractContextManager

    from libpod_client.streams import AsyncStream, Stream

T = TypeVar("T")
S = TypeVar("S")


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


def opened_items(
    opened: Opened, opening: AbstractContextManager[Stream[S]]
) -> Generator[S, None, None]:
    """The items of the generated stream ``opening`` opens, recorded in ``opened`` so
    that a close from another thread can end it; closed when the generator ends."""
    with opening as stream:
        opened.stream = stream  # type: ignore[assignment]
        if not opened.closed:
            yield from stream


async def async_opened_items(
    opened: Opened, opening: AbstractAsyncContextManager[AsyncStream[S]]
) -> AsyncGenerator[S, None]:
    """`opened_items`, awaited."""
    async with opening as stream:
        opened.stream = stream  # type: ignore[assignment]
        if not opened.closed:
            async for item in stream:
                yield item
