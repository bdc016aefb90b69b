"""Progress of pull, push and build: typed events, and the one consumer that turns a
streamed body into them.

Every progress body is a sequence of JSON objects, split and decoded by the generated
package's stream decoder (``libpod_client._streams``: chunks may split or join them,
and values may come back to back); this module only reads what they report. An object carrying ``error`` / ``errorDetail`` is a
failure even under HTTP 200: the consumer raises the operation's error class with the
server's message and the last lines received. Events reach users as the TypedDicts
below (podman-py's ``decode=True`` dicts, with their keys typed), or as the exact bytes
of each value (``decode=False``); the library never prints them.

What each server sends (libpod API, ``quiet=false``)::

    pull   {"stream": "Copying blob sha256:...\\n"} ... {"images": [id], "id": id}
           (6.0, asked for ``pullProgress``: also {"status": "pulling", "stream": "Pulling
           artifact", "pullProgress": {...}} for each blob as it starts, about once a
           second while it arrives, and when it is done or skipped)
    push   {"stream": "Writing manifest...\\n"} ... {"manifestdigest": "sha256:..."}  (5.x;
           4.x ends without the digest)
    build  {"stream": "STEP 1/2: FROM ...\\n"} ... {"stream": "<64 hex image id>\\n"}

`open_progress` sends an operation's request through the connection's one send path
and hands the open response to a generator that owns it from then on (closed when the
generator ends or is closed, whoever stops first). That generator is one loop: the
body's chunks, the `ProgressDecoder`'s events, and what the operation's reader
(`EventReader`, ``_progress_readers``) makes of each. The streams below wrap it.

The progress streams of `AsyncPodmanClient`: `AsyncProgressStream` and its kinds for
``async for`` and ``async with``, over `async_open_progress`. They hand out the same
typed events (`PullProgress`, `PushProgress`, `BuildLogLine`) as the sync streams, read
by the same decoder and readers; only the reading is awaited. The response is closed
in ``finally`` whatever ends the reading: the stream's end, an error, `aclose()`, a
cancelled task, or the client's `aclose()` (whose shut connection reads as
`PodmanConnectionError`, ``AsyncConnection.iter_body``).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterable, Iterator
from contextlib import AsyncExitStack, ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypedDict, TypeVar, cast

from libpod_client.errors import ShapeError
from libpod_client.streams import JsonValueSplitter, decode_value

from podman_sdk._core._async_closing import AsyncClosing
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._error_mapping import Transcript, stream_error_of, stream_failure
from podman_sdk._core._requests import RequestKwargs
from podman_sdk._exceptions import APIError, BuildError, StreamError
from podman_sdk.images._image import Image
from podman_sdk.images._image_id import full_image_id
from podman_sdk.images._load import blocks_off_the_loop

# The sync streams' type variable: the parity test reads ``AsyncPullStream[T]`` as the
# twin of ``PullStream[T]``.


if TYPE_CHECKING:
    from podman_sdk.images._image import AsyncImage


__all__ = [
    "AsyncBuildStream",
    "AsyncProgressStream",
    "AsyncPullStream",
    "AsyncPushStream",
    "BuildLogLine",
    "BuildStream",
    "ErrorFactory",
    "EventReader",
    "LayerProgress",
    "ProgressDecoder",
    "ProgressDetail",
    "ProgressStream",
    "PullProgress",
    "PullStream",
    "PushProgress",
    "PushResult",
    "PushStream",
    "as_async_generator",
    "as_generator",
    "async_open_progress",
    "build_image_id",
    "finished_build",
    "iter_progress",
    "layer_progress",
    "open_progress",
    "pulled_image_ids",
]


T = TypeVar("T")


class ProgressDetail(TypedDict, total=False):
    current: int
    total: int


class LayerProgress(TypedDict):
    """Podman 6's progress of one blob of a pull (a layer, or the image's config): the
    ``pullProgress`` of a `PullProgress` event, sent by libpod API 6.0 and later to a
    decoded pull stream (``stream=True, decode=True``), which asks for it there.

    ``status`` is "pulling", "success" or "skipped" (the blob was already stored);
    ``current`` bytes of ``total`` arrived (``total`` -1: size unknown; both 0 when
    skipped); ``progressComponentID`` is the blob's digest ("" if unknown). Podman
    leaves out each field that holds Go's zero value (``omitempty``); the SDK puts
    those back, so every key is present.
    """

    status: str
    current: int
    total: int
    progressComponentID: str


class PullProgress(TypedDict, total=False):
    """One event of a pull. ``stream`` is a line of the server's log; the last event
    carries ``images`` (every image pulled) and ``id`` (the last one's full id). On
    Podman 6 a decoded stream also has events with ``pullProgress`` (`LayerProgress`),
    whose ``stream`` is a short status without a newline ("Pulling artifact")."""

    stream: str
    images: list[str]
    id: str
    status: str
    progressDetail: ProgressDetail
    progress: str
    error: str
    pullProgress: LayerProgress


class PushProgress(TypedDict, total=False):
    """One event of a push: ``stream`` lines, and on Podman 5 a last event with the
    ``manifestdigest`` of what the registry stored."""

    stream: str
    manifestdigest: str
    error: str


class BuildLogLine(TypedDict, total=False):
    """One event of a build: ``stream`` holds a line of build output (newline kept);
    ``aux`` carries structured data (``{"ID": ...}``) when a server sends it."""

    stream: str
    aux: dict[str, object]
    error: str
    errorDetail: dict[str, object]


#: Makes the operation's error from the server's message and the transcript.
ErrorFactory = Callable[[str, list[str]], StreamError]


class ProgressDecoder:
    """The events of one progress body, fed chunk by chunk as they arrive: the one
    decoder both clients use, each with its own loop over the body (`open_progress`
    and `async_open_progress`). The generated `JsonValueSplitter` and
    `decode_value` decode; this reads each value as a progress event.

    `feed` and `close` return the complete events in order, each with its exact bytes;
    an error event raises when the iteration reaches it, so the events before it in the
    same chunk still count.
    """

    def __init__(self, fail: ErrorFactory) -> None:
        self._values = JsonValueSplitter()
        self._fail = fail
        self._index = 0
        self.transcript = Transcript()

    def feed(self, chunk: bytes) -> Iterator[tuple[dict[str, object], bytes]]:
        try:
            values = self._values.feed(chunk)
        except ShapeError as problem:
            raise stream_failure(problem, self.transcript) from None
        return self._checked(values)

    def close(self) -> Iterator[tuple[dict[str, object], bytes]]:
        """What the end of the body completes (raises for a body cut inside a value)."""
        try:
            values = self._values.end()
        except ShapeError as problem:
            raise stream_failure(problem, self.transcript) from None
        return self._checked(values)

    def _checked(self, values: list[bytes]) -> Iterator[tuple[dict[str, object], bytes]]:
        for raw in values:
            self.transcript.append(raw.decode("utf-8", errors="replace"))
            try:
                value = decode_value(raw, self._index)
            except ShapeError as problem:
                raise stream_failure(problem, self.transcript) from None
            self._index += 1
            message = stream_error_of(value)
            if message is not None:
                raise self._fail(message, self.transcript.lines())
            if not isinstance(value, dict):
                raise StreamError(
                    f"progress stream: expected a JSON object, got {raw[:200]!r}",
                    self.transcript.lines(),
                )
            yield cast("dict[str, object]", value), raw


def iter_progress(
    chunks: Iterable[bytes], fail: ErrorFactory
) -> Iterator[tuple[dict[str, object], bytes]]:
    """Each event of a progress body with its exact bytes, as soon as it is complete.

    Raises:
        StreamError: from ``fail`` for an error event; plain `StreamError` for a body
            cut inside a value, malformed JSON, or a value that is not an object.
    """
    decoder = ProgressDecoder(fail)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()


def pulled_image_ids(event: dict[str, object]) -> list[str] | None:
    """The full ids a pull's last event reports (``images``, else ``id``), or None
    for an ordinary progress event. Short ids (layers, in Docker-compatible output)
    never count."""
    images = event.get("images")
    candidates = images if isinstance(images, list) else [event.get("id")]
    ids = []
    for item in candidates:
        found = full_image_id(item) if isinstance(item, str) else None
        if found is not None and found not in ids:
            ids.append(found)  # all_tags lists one image once per tag
    return ids or None


# ArtifactPullProgress (pkg/domain/entities/types/images.go): every field omitempty.
_LAYER_FIELDS = (("status", str), ("current", int), ("total", int), ("progressComponentID", str))


def layer_progress(value: object) -> LayerProgress | None:
    """A ``pullProgress`` value as `LayerProgress`, Go's zero value in each field the
    server left out; None for anything else (a server that sent it malformed)."""
    if not isinstance(value, dict):
        return None
    fields: dict[str, object] = {}
    for key, kind in _LAYER_FIELDS:
        found = value.get(key, kind())
        if not isinstance(found, kind) or isinstance(found, bool):
            return None
        fields[key] = found
    return cast(LayerProgress, fields)


def build_image_id(event: dict[str, object]) -> str | None:
    """The image id a build event announces: ``aux.ID``, or a ``stream`` line that is
    nothing but a full id (how libpod ends a successful build)."""
    aux = event.get("aux")
    if isinstance(aux, dict):
        found = aux.get("ID")
        if isinstance(found, str) and (image_id := full_image_id(found)) is not None:
            return image_id
    line = event.get("stream")
    if isinstance(line, str) and (image_id := full_image_id(line.strip())) is not None:
        return image_id
    return None


class EventReader(Protocol):
    """What `open_progress` asks of an operation's reader (``_progress_readers``)."""

    def read(self, events: Iterable[tuple[dict[str, object], bytes]]) -> Iterator[object]: ...

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError: ...

    def refused(self, error: APIError) -> APIError: ...

    def check(self) -> None: ...


Items = Generator[Any, None, None]
AsyncItems = AsyncGenerator[Any, None]


def open_progress(
    connection: Connection,
    request: RequestKwargs,
    content: Iterable[bytes] | None,
    reader: EventReader,
) -> tuple[Items, Callable[[], None]]:
    """Send ``request`` (with ``content`` as its body); return the items of its stream
    (each event read by ``reader``, its check once they ran out) and a function that
    releases the connection, for a stream closed before it started.

    Raises:
        APIError: the error status, as the operation's class (`EventReader.refused`).
    """
    decoder = ProgressDecoder(reader.fail)
    stack = ExitStack()
    with stack:
        try:
            response = stack.enter_context(connection.stream(request, content=content))
        except APIError as exc:
            raise reader.refused(exc) from exc
        owned = stack.pop_all()

    def items() -> Items:
        # One loop, top-down: the body's chunks, the decoder's events, what the reader
        # makes of each (the async twin below is the same loop, awaited).
        with owned:
            for chunk in connection.iter_body(response):
                yield from reader.read(decoder.feed(chunk))
            yield from reader.read(decoder.close())
        reader.check()

    return items(), owned.close


async def async_open_progress(
    connection: AsyncConnection,
    request: RequestKwargs,
    content: Iterable[bytes] | None,
    reader: EventReader,
) -> tuple[AsyncItems, Callable[[], Awaitable[None]]]:
    """`open_progress`, awaited. A body (a build context) is read from files: each
    block on a worker thread, as a load's source is (the event loop must not wait on a
    disk)."""
    decoder = ProgressDecoder(reader.fail)
    blocks = None if content is None else blocks_off_the_loop(content)
    stack = AsyncExitStack()
    async with stack:
        try:
            response = await stack.enter_async_context(connection.stream(request, content=blocks))
        except APIError as exc:
            raise reader.refused(exc) from exc
        owned = stack.pop_all()

    async def items() -> AsyncItems:
        async with owned:
            async for chunk in connection.iter_body(response):
                for item in reader.read(decoder.feed(chunk)):
                    yield item
            for item in reader.read(decoder.close()):
                yield item
        reader.check()

    return items(), owned.aclose


class ProgressStream(Generic[T]):
    """The events of a running operation, as they arrive. Iterate it; use it as a
    context manager (or call `close`) to release the connection when stopping early.
    What the operation reported at the end (`result`) is set once it is exhausted."""

    def __init__(
        self, items: Generator[T, None, None], on_close: Callable[[], None] | None = None
    ) -> None:
        self._items = items
        self._on_close = on_close
        self._finished = False

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        try:
            return next(self._items)
        except StopIteration:
            self._finished = True
            raise

    @property
    def finished(self) -> bool:
        """Whether the stream was read to its successful end."""
        return self._finished

    def close(self) -> None:
        """Stop reading and release the connection (the server may go on working)."""
        try:
            self._items.close()
        finally:
            # A generator never started ignores close(): release the response here.
            if self._on_close is not None:
                self._on_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class PullStream(ProgressStream[T]):
    """The events of a pull as they arrive (``bytes`` of each JSON value, or
    `PullProgress` with ``decode=True``); `image_ids` once exhausted."""

    def __init__(
        self,
        items: Generator[T, None, None],
        on_close: Callable[[], None],
        image_ids: Callable[[], builtins.list[str]],
    ) -> None:
        super().__init__(items, on_close)
        self._image_ids = image_ids

    @property
    def image_ids(self) -> builtins.list[str]:
        """Full ids of the pulled images (empty until the stream is exhausted)."""
        return list(self._image_ids())


class PushStream(ProgressStream[T]):
    """The events of a push as they arrive (``str`` of each JSON value, or
    `PushProgress` with ``decode=True``); `manifest_digest` once exhausted."""

    def __init__(
        self,
        items: Generator[T, None, None],
        on_close: Callable[[], None],
        manifest_digest: Callable[[], str | None],
    ) -> None:
        super().__init__(items, on_close)
        self._manifest_digest = manifest_digest

    @property
    def manifest_digest(self) -> str | None:
        """The digest the server reported for the pushed manifest (Podman 5), else
        None."""
        return self._manifest_digest()


class BuildStream(ProgressStream[BuildLogLine]):
    """The build log as it happens; `image_id` and `image()` once exhausted."""

    def __init__(
        self,
        items: Generator[BuildLogLine, None, None],
        on_close: Callable[[], None],
        image_id: Callable[[], str | None],
        get: Callable[[str], Image],
    ) -> None:
        super().__init__(items, on_close)
        self._image_id = image_id
        self._get = get

    @property
    def image_id(self) -> str | None:
        return self._image_id()

    def image(self) -> Image:
        """The built image. Raises `BuildError` before the stream is exhausted."""
        return self._get(finished_build(self._image_id()))


def as_generator(stream: ProgressStream[Any]) -> Generator[Any, None, None]:
    """``stream``'s items as a plain generator (what podman-py's ``pull(stream=True)``
    returns); closing the generator, or reaching its end, closes the stream."""

    # Any: the verb's overloads type what a pull yields (bytes, or PullProgress).
    def items() -> Generator[Any, None, None]:
        with stream:
            yield None
            yield from stream

    generator = items()
    # Started up to the first yield: a generator never started ignores close(), and
    # the connection must be released by it all the same.
    next(generator)
    return generator


async def as_async_generator(stream: AsyncProgressStream[Any]) -> AsyncGenerator[Any, None]:
    """`as_generator` for an `AsyncProgressStream`: an async generator over it, which
    ``aclose()`` closes with the stream."""

    async def items() -> AsyncGenerator[Any, None]:
        async with stream:
            yield None
            async for item in stream:
                yield item

    generator = items()
    await anext(generator)
    return generator


def finished_build(image_id: str | None) -> str:
    """The id a build stream reported, for its ``image()``; `BuildError` before its end."""
    if image_id is None:
        raise BuildError("the build has not finished (read the stream to its end)", [])
    return image_id


class PushResult(str):
    """``push()``'s return value: the server's progress text (one JSON value a line,
    a str as in podman-py) with the pushed `manifest_digest` (None if unknown)."""

    manifest_digest: str | None

    def __new__(cls, text: str, manifest_digest: str | None) -> PushResult:
        result = super().__new__(cls, text)
        result.manifest_digest = manifest_digest
        return result


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
