"""The progress streams of `AsyncPodmanClient`: `ProgressStream` and its kinds for
``async for`` and ``async with``. They hand out the same typed events (`PullProgress`,
`PushProgress`, `BuildLogLine`) as the sync streams, read by the same decoder and
readers (``_progress``, ``_progress_readers``); only the reading is awaited."""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TYPE_CHECKING, Generic, Self

from podman_sdk._async_closing import AsyncClosing

# The sync streams' type variable: the parity test reads ``AsyncPullStream[T]`` as the
# twin of ``PullStream[T]``.
from podman_sdk._progress import BuildLogLine, T, finished_build

if TYPE_CHECKING:
    from podman_sdk._async_image import AsyncImage

__all__ = ["AsyncBuildStream", "AsyncProgressStream", "AsyncPullStream", "AsyncPushStream"]


class AsyncProgressStream(AsyncClosing, Generic[T]):
    """The events of a running operation, as they arrive: ``async for`` them; use the
    stream with ``async with`` (or await `aclose`) to release the connection when
    stopping early. What the operation reported at the end is set once it is
    exhausted."""

    def __init__(
        self,
        items: AsyncGenerator[T, None],
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._items = items
        self._on_close = on_close
        self._finished = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        try:
            return await anext(self._items)
        except StopAsyncIteration:
            self._finished = True
            raise

    @property
    def finished(self) -> bool:
        """Whether the stream was read to its successful end."""
        return self._finished

    async def aclose(self) -> None:
        """Stop reading and release the connection (the server may go on working)."""
        try:
            await self._items.aclose()
        finally:
            # An async generator never started ignores aclose(): release the response.
            if self._on_close is not None:
                await self._on_close()


class AsyncPullStream(AsyncProgressStream[T]):
    """`PullStream` for asyncio: each value's bytes, or `PullProgress` with
    ``decode=True``; `image_ids` once exhausted."""

    def __init__(
        self,
        items: AsyncGenerator[T, None],
        on_close: Callable[[], Awaitable[None]],
        image_ids: Callable[[], builtins.list[str]],
    ) -> None:
        super().__init__(items, on_close)
        self._image_ids = image_ids

    @property
    def image_ids(self) -> builtins.list[str]:
        """Full ids of the pulled images (empty until the stream is exhausted)."""
        return list(self._image_ids())


class AsyncPushStream(AsyncProgressStream[T]):
    """`PushStream` for asyncio: each value as a str, or `PushProgress` with
    ``decode=True``; `manifest_digest` once exhausted."""

    def __init__(
        self,
        items: AsyncGenerator[T, None],
        on_close: Callable[[], Awaitable[None]],
        manifest_digest: Callable[[], str | None],
    ) -> None:
        super().__init__(items, on_close)
        self._manifest_digest = manifest_digest

    @property
    def manifest_digest(self) -> str | None:
        """The digest the server reported for the pushed manifest (Podman 5), else
        None."""
        return self._manifest_digest()


class AsyncBuildStream(AsyncProgressStream[BuildLogLine]):
    """`BuildStream` for asyncio: the build log as it happens; `image_id` and
    ``await image()`` once exhausted."""

    def __init__(
        self,
        items: AsyncGenerator[BuildLogLine, None],
        on_close: Callable[[], Awaitable[None]],
        image_id: Callable[[], str | None],
        get: Callable[[str], Awaitable[AsyncImage]],
    ) -> None:
        super().__init__(items, on_close)
        self._image_id = image_id
        self._get = get

    @property
    def image_id(self) -> str | None:
        return self._image_id()

    async def image(self) -> AsyncImage:
        """The built image. Raises `BuildError` before the stream is exhausted."""
        return await self._get(finished_build(self._image_id()))
