"""Pull, push and build on a connection: one function a verb (`pull`, `push`, `build`),
and its awaited twin (`async_pull`, `async_push`, `async_build`), each called once by
the manager.

Each reads one way, down: the verb is made into an `Operation` first
(``_registry_requests``: its request, body and `ProgressReader`, and any later request
it may need), then `open_progress` sends it through the connection's one send path and
hands the open response to a generator that owns it from then on (closed when the
generator ends or is closed, whoever stops first). That generator is one loop: the
body's chunks, the `ProgressDecoder`'s events (``_progress``, over the generated
decoder), and what the reader makes of each. Everything decided about the events (what
they report, what a stream yields, which error to raise) is the reader's; what is left
here is I/O and handing the result over: a stream, or the operation run to its end.

The async twins are the same steps, awaited: the request goes out through
`AsyncConnection.stream` (the async client's one send path); the response is closed in
``finally`` whatever ends the reading: the stream's end, an error, `aclose()`, a
cancelled task, or the client's `aclose()` (whose shut connection reads as
`PodmanConnectionError`, ``AsyncConnection.iter_body``).
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterable, Iterator
from contextlib import AsyncExitStack, ExitStack
from typing import IO, Any, TypeVar, cast

from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._requests import RequestKwargs
from podman_sdk._exceptions import APIError, PodmanError
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._load import _blocks_off_the_loop
from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
from podman_sdk.images._progress import (
    AsyncBuildStream,
    AsyncPullStream,
    AsyncPushStream,
    BuildLogLine,
    BuildStream,
    ProgressDecoder,
    PullProgress,
    PullStream,
    PushProgress,
    PushResult,
    PushStream,
)
from podman_sdk.images._registry_requests import (
    Operation,
    build_operation,
    pull_operation,
    push_operation,
)

__all__ = [
    "async_build",
    "async_open_progress",
    "async_pull",
    "async_push",
    "build",
    "open_progress",
    "pull",
    "push",
]

ImageT = TypeVar("ImageT")
Items = Generator[Any, None, None]
AsyncItems = AsyncGenerator[Any, None]


def push_text(items: Iterable[object]) -> str:
    """A whole push's progress as `PushResult` holds it: a JSON value a line."""
    return "".join(f"{item}\n" for item in items)


# -- the verbs, sync ----------------------------------------------------------------------


def pull(
    connection: Connection,
    repository: str,
    tag: str | None,
    *,
    all_tags: bool,
    stream: bool,
    decode: bool,
    options: PullOptions,
    get: Callable[[str], ImageT],
) -> ImageT | builtins.list[ImageT] | PullStream[bytes] | PullStream[PullProgress]:
    """POST /libpod/images/pull: a `PullStream`, or run to its end and each pulled
    image looked up with ``get``."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    if stream:
        # The arguments are checked above, before the version is asked (a ping).
        request = operation.request_for(connection.negotiate())
        items, release = open_progress(connection, operation, request)
        return PullStream(items, release, lambda: outcome.image_ids)
    items, _ = open_progress(connection, operation)
    for _ in items:
        pass
    images = [get(image_id) for image_id in outcome.image_ids]
    return images if all_tags else images[-1]


def push(
    connection: Connection,
    repository: str,
    tag: str | None,
    *,
    stream: bool,
    decode: bool,
    options: PushOptions,
) -> PushResult | PushStream[str] | PushStream[PushProgress]:
    """POST /libpod/images/{name}/push: a `PushStream`, or the whole `PushResult`
    with the digest the server reported, else the registry's (`registry_digest`)."""
    operation = push_operation(repository, tag, stream, decode, options)
    outcome = operation.reader.outcome
    items, release = open_progress(connection, operation)
    if stream:
        return PushStream(items, release, lambda: outcome.manifest_digest)
    text = push_text(items)
    return PushResult(text, outcome.manifest_digest or registry_digest(connection, operation))


def build(
    connection: Connection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    stream: bool,
    options: BuildOptions,
    get: Callable[[str], Image],
) -> tuple[Image, Iterator[BuildLogLine]] | BuildStream:
    """POST /libpod/build: a `BuildStream` (typed for the sync client's images), or
    run to its end: the built image looked up with ``get``, and the build's log."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    items, release = open_progress(connection, operation)
    if stream:
        lines = cast(Generator[BuildLogLine, None, None], items)
        return BuildStream(lines, release, lambda: outcome.image_id, get)
    for _ in items:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return get(outcome.image_id), iter(outcome.log)


def registry_digest(connection: Connection, operation: Operation[Any]) -> str | None:
    """The registry's digest of what a whole push sent (its `Operation.digest`), None
    when it cannot be had: an answer, not a reason to fail a push that succeeded."""
    call = operation.digest
    if call is None:
        return None
    try:
        return perform(connection, call)
    except PodmanError:
        return None


def open_progress(
    connection: Connection, operation: Operation[Any], request: RequestKwargs | None = None
) -> tuple[Items, Callable[[], None]]:
    """Send the operation's request (or ``request``, chosen for the server); return the
    items of its stream (each event noted by the reader first, the reader's check once
    they ran out) and a function that releases the connection, for a stream closed
    before it started.

    Raises:
        APIError: the error status, as the operation's class (`ProgressReader.refused`).
    """
    reader = operation.reader
    decoder = ProgressDecoder(reader.fail)
    stack = ExitStack()
    with stack:
        try:
            response = stack.enter_context(
                connection.stream(request or operation.request, content=operation.content)
            )
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


# -- the verbs, awaited -------------------------------------------------------------------


async def async_pull(
    connection: AsyncConnection,
    repository: str,
    tag: str | None,
    *,
    all_tags: bool,
    stream: bool,
    decode: bool,
    options: PullOptions,
    get: Callable[[str], Awaitable[ImageT]],
) -> ImageT | builtins.list[ImageT] | AsyncPullStream[bytes] | AsyncPullStream[PullProgress]:
    """`pull`, awaited: an `AsyncPullStream`, or each pulled image."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    if stream:
        # The arguments are checked above, before the version is asked (a ping).
        request = operation.request_for(await connection.negotiate())
        items, release = await async_open_progress(connection, operation, request)
        return AsyncPullStream(items, release, lambda: outcome.image_ids)
    items, _ = await async_open_progress(connection, operation)
    async for _ in items:
        pass
    images = [await get(image_id) for image_id in outcome.image_ids]
    return images if all_tags else images[-1]


async def async_push(
    connection: AsyncConnection,
    repository: str,
    tag: str | None,
    *,
    stream: bool,
    decode: bool,
    options: PushOptions,
) -> PushResult | AsyncPushStream[str] | AsyncPushStream[PushProgress]:
    """`push`, awaited: an `AsyncPushStream`, or the whole `PushResult`."""
    operation = push_operation(repository, tag, stream, decode, options)
    outcome = operation.reader.outcome
    items, release = await async_open_progress(connection, operation)
    if stream:
        return AsyncPushStream(items, release, lambda: outcome.manifest_digest)
    text = push_text([item async for item in items])
    digest = outcome.manifest_digest or await async_registry_digest(connection, operation)
    return PushResult(text, digest)


async def async_build(
    connection: AsyncConnection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    stream: bool,
    options: BuildOptions,
    get: Callable[[str], Awaitable[AsyncImage]],
) -> tuple[AsyncImage, Iterator[BuildLogLine]] | AsyncBuildStream:
    """`build`, awaited: an `AsyncBuildStream`, or the built image and the log."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    items, release = await async_open_progress(connection, operation)
    if stream:
        lines = cast(AsyncGenerator[BuildLogLine, None], items)
        return AsyncBuildStream(lines, release, lambda: outcome.image_id, get)
    async for _ in items:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return await get(outcome.image_id), iter(outcome.log)


async def async_registry_digest(
    connection: AsyncConnection, operation: Operation[Any]
) -> str | None:
    """`registry_digest`, awaited."""
    call = operation.digest
    if call is None:
        return None
    try:
        return await perform_async(connection, call)
    except PodmanError:
        return None


async def async_open_progress(
    connection: AsyncConnection, operation: Operation[Any], request: RequestKwargs | None = None
) -> tuple[AsyncItems, Callable[[], Awaitable[None]]]:
    """`open_progress`, awaited: send the request and return the items of its stream
    and what releases the connection of a stream never started.

    Raises:
        APIError: the error status, as the operation's class (`ProgressReader.refused`).
    """
    reader = operation.reader
    decoder = ProgressDecoder(reader.fail)
    # A build context is read from files: each block on a worker thread, as a load's
    # source is (the event loop must not wait on a disk).
    blocks = operation.content
    content = None if blocks is None else _blocks_off_the_loop(blocks)
    stack = AsyncExitStack()
    async with stack:
        try:
            response = await stack.enter_async_context(
                connection.stream(request or operation.request, content=content)
            )
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
