"""Pull, push and build on a connection: one function a verb (`pull`, `pull_stream`,
`push`, `build`, `build_stream`) and its awaited twin (``async_``), each called once by
the manager.

Each reads one way, down the layers: the verb is first made into an `Operation`
(``_registry_requests``: its request, body and `ProgressReader`, and any later request
it may need, all decided before anything is sent); then its progress stream is opened
(``_progress``: the stream, over the connection's one send path) and either handed
over or read to its end here. What is left in this module is the I/O of each verb's
last steps: looking the result up (``get``, the manager's), or asking the registry for
a digest the server did not report.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator
from typing import IO, Any, TypeVar

from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import PodmanError, UnsupportedServer
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
from podman_sdk.images._progress import (
    AsyncBuildStream,
    AsyncPullStream,
    AsyncPushStream,
    BuildStream,
    PullProgress,
    PullStream,
    PushProgress,
    PushResult,
    PushStream,
    as_async_generator,
    as_generator,
    async_open_progress,
    open_progress,
)
from podman_sdk.images._registry_requests import (
    Operation,
    build_operation,
    pull_operation,
    push_operation,
)

__all__ = [
    "async_build",
    "async_build_stream",
    "async_pull",
    "async_pull_stream",
    "async_push",
    "async_run_to_end",
    "build",
    "build_stream",
    "pull",
    "pull_stream",
    "push",
    "run_to_end",
]

ImageT = TypeVar("ImageT")


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
) -> ImageT | builtins.list[ImageT] | Generator[Any, None, None]:
    """POST /libpod/images/pull: with ``stream`` a generator over its `PullStream` (what
    podman-py returns), else that generator read to its end and each pulled image
    looked up with ``get``."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(connection.negotiate()) if stream else operation.request
    items = as_generator(
        PullStream(
            *open_progress(connection, request, operation.content, operation.reader),
            lambda: outcome.image_ids,
        )
    )
    if stream:
        return items
    for _ in items:
        pass
    images = [get(image_id) for image_id in outcome.image_ids]
    return images if all_tags else images[-1]


def pull_stream(
    connection: Connection,
    repository: str,
    tag: str | None,
    *,
    all_tags: bool,
    decode: bool,
    options: PullOptions,
) -> PullStream[bytes] | PullStream[PullProgress]:
    """POST /libpod/images/pull, as a `PullStream` (a decoded one asks a service that
    offers it for each layer's progress)."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(connection.negotiate())
    return PullStream(
        *open_progress(connection, request, operation.content, operation.reader),
        lambda: outcome.image_ids,
    )


def push(
    connection: Connection,
    repository: str,
    tag: str | None,
    *,
    stream: bool,
    decode: bool,
    options: PushOptions,
) -> PushResult | PushStream[str] | PushStream[PushProgress]:
    """POST /libpod/images/{name}/push: a `PushStream`, or the whole `PushResult` with
    the digest the server reported, else the registry's (`Operation.digests`)."""
    operation = push_operation(repository, tag, stream, decode, options)
    outcome = operation.reader.outcome
    pushed = PushStream(
        *open_progress(connection, operation.request, operation.content, operation.reader),
        lambda: outcome.manifest_digest,
    )
    if stream:
        return pushed
    text = "".join(f"{item}\n" for item in pushed)  # a JSON value a line
    digest = outcome.manifest_digest
    for question in operation.digests if digest is None else ():
        # No answer is no digest, not a failed push; a refused question (the server's
        # version gate) goes on to the next one.
        try:
            digest = perform(connection, question)
        except UnsupportedServer:
            continue
        except PodmanError:
            pass
        break
    return PushResult(text, digest)


def build(
    connection: Connection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    options: BuildOptions,
    get: Callable[[str], Image],
) -> tuple[Image, Iterator[bytes]]:
    """POST /libpod/build run to its end: the built image looked up with ``get``, and
    the build's log as podman-py gives it (each JSON line's bytes)."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    built = BuildStream(
        *open_progress(connection, operation.request, operation.content, operation.reader),
        lambda: outcome.image_id,
        get,
    )
    for _ in built:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return get(outcome.image_id), iter(outcome.lines)


def build_stream(
    connection: Connection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    options: BuildOptions,
    get: Callable[[str], Image],
) -> BuildStream:
    """POST /libpod/build, as a `BuildStream` of its log lines, each typed."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    return BuildStream(
        *open_progress(connection, operation.request, operation.content, operation.reader),
        lambda: outcome.image_id,
        get,
    )


def run_to_end(connection: Connection, operation: Operation[Any]) -> None:
    """Run an operation to its end, keeping only what its reader noted (a manifest
    list's push, ``manifests``)."""
    items, _ = open_progress(connection, operation.request, operation.content, operation.reader)
    for _ in items:
        pass


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
) -> ImageT | builtins.list[ImageT] | AsyncGenerator[Any, None]:
    """`pull`, awaited: an async generator over its `AsyncPullStream`, or each pulled
    image."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(await connection.negotiate()) if stream else operation.request
    items = await as_async_generator(
        AsyncPullStream(
            *await async_open_progress(connection, request, operation.content, operation.reader),
            lambda: outcome.image_ids,
        )
    )
    if stream:
        return items
    async for _ in items:
        pass
    images = [await get(image_id) for image_id in outcome.image_ids]
    return images if all_tags else images[-1]


async def async_pull_stream(
    connection: AsyncConnection,
    repository: str,
    tag: str | None,
    *,
    all_tags: bool,
    decode: bool,
    options: PullOptions,
) -> AsyncPullStream[bytes] | AsyncPullStream[PullProgress]:
    """`pull_stream`, awaited: an `AsyncPullStream`."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(await connection.negotiate())
    return AsyncPullStream(
        *await async_open_progress(connection, request, operation.content, operation.reader),
        lambda: outcome.image_ids,
    )


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
    pushed = AsyncPushStream(
        *await async_open_progress(
            connection, operation.request, operation.content, operation.reader
        ),
        lambda: outcome.manifest_digest,
    )
    if stream:
        return pushed
    text = "".join([f"{item}\n" async for item in pushed])  # a JSON value a line
    digest = outcome.manifest_digest
    for question in operation.digests if digest is None else ():
        # As `push` asks: a refused question goes on to the next one.
        try:
            digest = await perform_async(connection, question)
        except UnsupportedServer:
            continue
        except PodmanError:
            pass
        break
    return PushResult(text, digest)


async def async_build(
    connection: AsyncConnection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    options: BuildOptions,
    get: Callable[[str], Awaitable[AsyncImage]],
) -> tuple[AsyncImage, Iterator[bytes]]:
    """`build`, awaited: the built image and the log."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    built = AsyncBuildStream(
        *await async_open_progress(
            connection, operation.request, operation.content, operation.reader
        ),
        lambda: outcome.image_id,
        get,
    )
    async for _ in built:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return await get(outcome.image_id), iter(outcome.lines)


async def async_build_stream(
    connection: AsyncConnection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    options: BuildOptions,
    get: Callable[[str], Awaitable[AsyncImage]],
) -> AsyncBuildStream:
    """`build_stream`, awaited: an `AsyncBuildStream`."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    return AsyncBuildStream(
        *await async_open_progress(
            connection, operation.request, operation.content, operation.reader
        ),
        lambda: outcome.image_id,
        get,
    )


async def async_run_to_end(connection: AsyncConnection, operation: Operation[Any]) -> None:
    """`run_to_end`, awaited."""
    items, _ = await async_open_progress(
        connection, operation.request, operation.content, operation.reader
    )
    async for _ in items:
        pass
