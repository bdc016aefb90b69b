"""Pull, push and build on a connection: one function a verb (`pull`, `push`, `build`)
and its awaited twin (`async_pull`, `async_push`, `async_build`), each called once by
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
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from typing import IO, TypeVar

from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import PodmanError
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
from podman_sdk.images._progress import (
    AsyncBuildStream,
    AsyncPullStream,
    AsyncPushStream,
    BuildLogLine,
    BuildStream,
    PullProgress,
    PullStream,
    PushProgress,
    PushResult,
    PushStream,
    async_open_progress,
    open_progress,
)
from podman_sdk.images._registry_requests import build_operation, pull_operation, push_operation

__all__ = ["async_build", "async_pull", "async_push", "build", "pull", "push"]

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
) -> ImageT | builtins.list[ImageT] | PullStream[bytes] | PullStream[PullProgress]:
    """POST /libpod/images/pull: a `PullStream`, or the pull run to its end and each
    pulled image looked up with ``get``."""
    operation = pull_operation(repository, tag, all_tags, decode, options)
    outcome = operation.reader.outcome
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(connection.negotiate()) if stream else operation.request
    pulled = PullStream(
        *open_progress(connection, request, operation.content, operation.reader),
        lambda: outcome.image_ids,
    )
    if stream:
        return pulled
    for _ in pulled:
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
    """POST /libpod/images/{name}/push: a `PushStream`, or the whole `PushResult` with
    the digest the server reported, else the registry's (`Operation.digest`)."""
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
    if digest is None and operation.digest is not None:
        # No answer is no digest, not a failed push.
        with suppress(PodmanError):
            digest = perform(connection, operation.digest)
    return PushResult(text, digest)


def build(
    connection: Connection,
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    *,
    stream: bool,
    options: BuildOptions,
    get: Callable[[str], Image],
) -> tuple[Image, Iterator[BuildLogLine]] | BuildStream:
    """POST /libpod/build: a `BuildStream`, or the build run to its end: the built
    image looked up with ``get``, and the build's log."""
    operation = build_operation(path, fileobj, options)
    outcome = operation.reader.outcome
    built = BuildStream(
        *open_progress(connection, operation.request, operation.content, operation.reader),
        lambda: outcome.image_id,
        get,
    )
    if stream:
        return built
    for _ in built:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return get(outcome.image_id), iter(outcome.log)


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
    # The arguments are checked above, before the version is asked (a ping).
    request = operation.request_for(await connection.negotiate()) if stream else operation.request
    pulled = AsyncPullStream(
        *await async_open_progress(connection, request, operation.content, operation.reader),
        lambda: outcome.image_ids,
    )
    if stream:
        return pulled
    async for _ in pulled:
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
    if digest is None and operation.digest is not None:
        # No answer is no digest, not a failed push.
        with suppress(PodmanError):
            digest = await perform_async(connection, operation.digest)
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
    built = AsyncBuildStream(
        *await async_open_progress(
            connection, operation.request, operation.content, operation.reader
        ),
        lambda: outcome.image_id,
        get,
    )
    if stream:
        return built
    async for _ in built:
        pass
    assert outcome.image_id is not None  # the reader's check raised otherwise
    return await get(outcome.image_id), iter(outcome.log)
