"""Pull, push and build, from the manager's arguments down to the events they yield.

The manager calls one function of each verb here, and reading goes one way: the
operation is made first (`pull_operation`, `push_operation`, `build_operation`: the
request from ``_registry_requests``, the build context, the `ProgressReader` of
``_progress_readers``), then `open_progress` sends it through the connection's one
send path and hands the open response to a generator that owns it from then on
(closed when the generator ends or is closed, whoever stops first). That generator is
one loop: the body's chunks, the `ProgressDecoder`'s events (``_progress``, over the
generated decoder), and what the reader makes of each. Everything decided about the
events (what they report, what a stream yields, which error to raise) is the reader's.

The ``async_`` functions are the same steps, awaited, for `AsyncPodmanClient`: the
request goes out through `AsyncConnection.stream` (the async client's one send path);
the response is closed in ``finally`` whatever ends the reading: the stream's end, an
error, `aclose()`, a cancelled task, or the client's `aclose()` (whose shut connection
reads as `PodmanConnectionError`, ``AsyncConnection.iter_body``).
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterable
from contextlib import AsyncExitStack, ExitStack
from typing import IO, Any, cast

from podman_sdk._core._api_version import Version
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import APIError
from podman_sdk.images._build_context import build_context
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
    PushStream,
)
from podman_sdk.images._progress_readers import BuildReader, Operation, PullReader, PushReader
from podman_sdk.images._registry_requests import (
    build_request,
    check_build_keywords,
    offers_layer_progress,
    pull_request,
    push_request,
)

Items = Generator[Any, None, None]


# -- the operations: request, body and reader, made before anything is sent -------------


def pull_operation(
    repository: str,
    tag: str | None,
    all_tags: bool,
    decode: bool,
    options: PullOptions,
    *,
    server: Version | None = None,
) -> Operation[PullReader]:
    """POST /libpod/images/pull of ``repository[:tag]``, or every tag with ``all_tags``.
    ``server``: the version of the service a stream goes to (None for a whole pull); a
    decoded stream asks a service that offers it for each layer's progress."""
    layers = decode and server is not None and offers_layer_progress(server)
    reference, request = pull_request(repository, tag, all_tags, options, layers)
    return Operation(request, PullReader(reference, options.get("progress"), decode))


def push_operation(
    repository: str, tag: str | None, stream: bool, decode: bool, options: PushOptions
) -> Operation[PushReader]:
    """POST /libpod/images/{name}/push of ``repository[:tag]`` (or an image id).
    ``decode`` is for streams: a whole push gives the server's text (`push_text`)."""
    name, request = push_request(repository, tag, options)
    return Operation(request, PushReader(name, options.get("progress"), stream and decode))


def build_operation(
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    options: BuildOptions,
) -> Operation[BuildReader]:
    """POST /libpod/build with the context of ``path`` and ``fileobj`` as its body
    (`build_context`). The keywords are checked before the context is looked at."""
    check_build_keywords(options)
    context = build_context(
        path, fileobj, options.get("dockerfile"), bool(options.get("custom_context"))
    )
    request = build_request(context.dockerfile, options)
    return Operation(request, BuildReader(options.get("progress")), context.chunks())


def push_text(items: Iterable[object]) -> str:
    """A whole push's progress as `PushResult` holds it: a JSON value a line."""
    return "".join(f"{item}\n" for item in items)


# -- the sync I/O ------------------------------------------------------------------------


def open_progress(
    connection: Connection, operation: Operation[Any]
) -> tuple[Items, Callable[[], None]]:
    """Send the operation's request; return the items of its stream (each event noted
    by the reader first, the reader's check once they ran out) and a function that
    releases the connection, for a stream closed before it started.

    Raises:
        APIError: the error status, as the operation's class (`ProgressReader.refused`).
    """
    reader = operation.reader
    stack = ExitStack()
    with stack:
        try:
            response = stack.enter_context(
                connection.stream(operation.request, content=operation.content)
            )
        except APIError as exc:
            raise reader.refused(exc) from exc
        owned = stack.pop_all()

    def items() -> Items:
        # One loop, top-down: the body's chunks, the decoder's events, what the reader
        # makes of each (the async twin below is the same loop, awaited).
        with owned:
            decoder = ProgressDecoder(reader.fail)
            for chunk in connection.iter_body(response):
                yield from reader.read(decoder.feed(chunk))
            yield from reader.read(decoder.close())
        reader.check()

    return items(), owned.close


def run_to_end(connection: Connection, operation: Operation[Any]) -> None:
    """Run an operation to its end, keeping only what its reader noted."""
    items, _ = open_progress(connection, operation)
    for _ in items:
        pass


def read_to_end(connection: Connection, operation: Operation[Any]) -> builtins.list[object]:
    """Run an operation to its end; every item its stream gave (a push's text)."""
    items, _ = open_progress(connection, operation)
    return list(items)


def pull_stream(
    connection: Connection, operation: Operation[PullReader]
) -> PullStream[bytes] | PullStream[PullProgress]:
    """A pull's events as `PullProgress` dicts (``decode``) or each value's bytes."""
    items, release = open_progress(connection, operation)
    outcome = operation.reader.outcome
    return PullStream(items, release, lambda: outcome.image_ids)


def push_stream(
    connection: Connection, operation: Operation[PushReader]
) -> PushStream[str] | PushStream[PushProgress]:
    """A push's events as `PushProgress` dicts (``decode``) or each value as a str."""
    items, release = open_progress(connection, operation)
    outcome = operation.reader.outcome
    return PushStream(items, release, lambda: outcome.manifest_digest)


def build_stream(
    connection: Connection, operation: Operation[BuildReader], get: Callable[[str], Image]
) -> BuildStream:
    """A build's log lines as they happen, each typed as the build noted it."""
    items, release = open_progress(connection, operation)
    outcome = operation.reader.outcome
    lines = cast(Generator[BuildLogLine, None, None], items)
    return BuildStream(lines, release, lambda: outcome.image_id, get)


AsyncItems = AsyncGenerator[Any, None]


async def async_open_progress(
    connection: AsyncConnection, operation: Operation[Any]
) -> tuple[AsyncItems, Callable[[], Awaitable[None]]]:
    """`open_progress`, awaited: send the request and return the items
    of its stream and what releases the connection of a stream never started.

    Raises:
        APIError: the error status, as the operation's class (`ProgressReader.refused`).
    """
    reader = operation.reader
    # A build context is read from files: each block on a worker thread, as a load's
    # source is (the event loop must not wait on a disk).
    blocks = operation.content
    content = None if blocks is None else _blocks_off_the_loop(blocks)
    stack = AsyncExitStack()
    async with stack:
        try:
            response = await stack.enter_async_context(
                connection.stream(operation.request, content=content)
            )
        except APIError as exc:
            raise reader.refused(exc) from exc
        owned = stack.pop_all()

    async def items() -> AsyncItems:
        async with owned:
            decoder = ProgressDecoder(reader.fail)
            async for chunk in connection.iter_body(response):
                for item in reader.read(decoder.feed(chunk)):
                    yield item
            for item in reader.read(decoder.close()):
                yield item
        reader.check()

    return items(), owned.aclose


async def async_run_to_end(connection: AsyncConnection, operation: Operation[Any]) -> None:
    """Run an operation to its end, keeping only what its reader noted."""
    items, _ = await async_open_progress(connection, operation)
    async for _ in items:
        pass


async def async_read_to_end(
    connection: AsyncConnection, operation: Operation[Any]
) -> builtins.list[object]:
    """Run an operation to its end; every item its stream gave."""
    items, _ = await async_open_progress(connection, operation)
    return [item async for item in items]


async def async_pull_stream(
    connection: AsyncConnection, operation: Operation[PullReader]
) -> AsyncPullStream[bytes] | AsyncPullStream[PullProgress]:
    """A pull's events as `PullProgress` dicts (``decode``) or each value's bytes."""
    items, release = await async_open_progress(connection, operation)
    outcome = operation.reader.outcome
    return AsyncPullStream(items, release, lambda: outcome.image_ids)


async def async_push_stream(
    connection: AsyncConnection, operation: Operation[PushReader]
) -> AsyncPushStream[str] | AsyncPushStream[PushProgress]:
    """A push's events as `PushProgress` dicts (``decode``) or each value as a str."""
    items, release = await async_open_progress(connection, operation)
    outcome = operation.reader.outcome
    return AsyncPushStream(items, release, lambda: outcome.manifest_digest)


async def async_build_stream(
    connection: AsyncConnection,
    operation: Operation[BuildReader],
    get: Callable[[str], Awaitable[AsyncImage]],
) -> AsyncBuildStream:
    """A build's log lines as they happen, each typed as the build noted it."""
    items, release = await async_open_progress(connection, operation)
    outcome = operation.reader.outcome
    lines = cast(AsyncGenerator[BuildLogLine, None], items)
    return AsyncBuildStream(lines, release, lambda: outcome.image_id, get)
