"""The sync I/O of pull, push and build: open the progress stream, then read its events.

`open_progress` opens every progress stream and hands the open response to a generator
that owns it from then on (closed when the generator ends or is closed, whoever stops
first). Everything decided about the events (what they report, what a stream yields,
which error to raise) is the operation's `ProgressReader` (``_progress_readers``),
which `AsyncPodmanClient` uses as well (``_async_registry_ops``).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Generator
from contextlib import ExitStack
from typing import Any, cast

from podman_sdk._connection import Connection
from podman_sdk._errors import APIError
from podman_sdk._image import Image
from podman_sdk._progress import (
    BuildLogLine,
    BuildStream,
    PullProgress,
    PullStream,
    PushProgress,
    PushStream,
    iter_progress,
)
from podman_sdk._progress_readers import BuildReader, Operation, PullReader, PushReader

Items = Generator[Any, None, None]


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
        with owned:
            yield from reader.read(iter_progress(connection.iter_body(response), reader.fail))
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
