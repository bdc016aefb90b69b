"""The awaited I/O of pull, push and build for `AsyncPodmanClient`: `_registry_ops`
with ``await``. The operation (request, body, reader) comes from ``_progress_readers``
and the events from the same `ProgressDecoder`, so both clients decide alike.

The request goes out through `AsyncConnection.stream` (the async client's one send
path); the response is closed in ``finally`` whatever ends the reading: the stream's
end, an error, `aclose()`, a cancelled task, or the client's `aclose()` (whose shut
connection reads as `PodmanConnectionError`, ``AsyncConnection.iter_body``).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any, cast

from podman_sdk._async_archive import _blocks_off_the_loop
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._async_image import AsyncImage
from podman_sdk._async_progress import AsyncBuildStream, AsyncPullStream, AsyncPushStream
from podman_sdk._errors import APIError
from podman_sdk._progress import BuildLogLine, ProgressDecoder, PullProgress, PushProgress
from podman_sdk._progress_readers import BuildReader, Operation, PullReader, PushReader

AsyncItems = AsyncGenerator[Any, None]


async def open_progress(
    connection: AsyncConnection, operation: Operation[Any]
) -> tuple[AsyncItems, Callable[[], Awaitable[None]]]:
    """`_registry_ops.open_progress`, awaited: send the request and return the items
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


async def run_to_end(connection: AsyncConnection, operation: Operation[Any]) -> None:
    """Run an operation to its end, keeping only what its reader noted."""
    items, _ = await open_progress(connection, operation)
    async for _ in items:
        pass


async def read_to_end(
    connection: AsyncConnection, operation: Operation[Any]
) -> builtins.list[object]:
    """Run an operation to its end; every item its stream gave."""
    items, _ = await open_progress(connection, operation)
    return [item async for item in items]


async def pull_stream(
    connection: AsyncConnection, operation: Operation[PullReader]
) -> AsyncPullStream[bytes] | AsyncPullStream[PullProgress]:
    """A pull's events as `PullProgress` dicts (``decode``) or each value's bytes."""
    items, release = await open_progress(connection, operation)
    outcome = operation.reader.outcome
    return AsyncPullStream(items, release, lambda: outcome.image_ids)


async def push_stream(
    connection: AsyncConnection, operation: Operation[PushReader]
) -> AsyncPushStream[str] | AsyncPushStream[PushProgress]:
    """A push's events as `PushProgress` dicts (``decode``) or each value as a str."""
    items, release = await open_progress(connection, operation)
    outcome = operation.reader.outcome
    return AsyncPushStream(items, release, lambda: outcome.manifest_digest)


async def build_stream(
    connection: AsyncConnection,
    operation: Operation[BuildReader],
    get: Callable[[str], Awaitable[AsyncImage]],
) -> AsyncBuildStream:
    """A build's log lines as they happen, each typed as the build noted it."""
    items, release = await open_progress(connection, operation)
    outcome = operation.reader.outcome
    lines = cast(AsyncGenerator[BuildLogLine, None], items)
    return AsyncBuildStream(lines, release, lambda: outcome.image_id, get)
