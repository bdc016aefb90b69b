"""The I/O of pull, push and build: open the progress stream, then read its events.

One function, `open_progress`, opens every progress stream and hands the open response
to a generator that owns it from then on (closed when the generator ends or is closed,
whoever stops first). What each operation learns from an event is decided by the pure
``note_*`` functions, so a stream and a blocking call read events the same way.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Generator, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from podman_sdk._connection import Connection
from podman_sdk._errors import APIError, BuildError
from podman_sdk._image import Image
from podman_sdk._json_stream import Transcript
from podman_sdk._progress import (
    BuildLogLine,
    BuildStream,
    ErrorFactory,
    PullProgress,
    PullStream,
    PushProgress,
    PushStream,
    build_image_id,
    iter_progress,
    pulled_image_ids,
)
from podman_sdk._registry_requests import RequestKwargs
from podman_sdk._transfer_errors import (
    PullError,
    PushError,
    answer_lines,
    pull_failure,
    push_failure,
)

Event = tuple[dict[str, object], bytes]
T = TypeVar("T")


@dataclass
class Outcome:
    """What an operation reported by the end of its stream."""

    image_ids: builtins.list[str] = field(default_factory=builtins.list)
    manifest_digest: str | None = None
    image_id: str | None = None
    log: builtins.list[BuildLogLine] = field(default_factory=builtins.list)
    transcript: Transcript = field(default_factory=Transcript)


def open_progress(
    connection: Connection,
    request: RequestKwargs,
    fail: ErrorFactory,
    note: Callable[[dict[str, object], bytes], None],
    *,
    content: Any = None,
) -> tuple[Generator[Event, None, None], Callable[[], None]]:
    """Send ``request`` and return its events (each passed to ``note`` first) and a
    function that releases the connection, for a stream closed before it started."""
    stack = ExitStack()
    with stack:
        response = stack.enter_context(connection.stream(request, content=content))
        owned = stack.pop_all()

    def events() -> Generator[Event, None, None]:
        with owned:
            for event, raw in iter_progress(connection.iter_body(response), fail):
                note(event, raw)
                yield event, raw

    return events(), owned.close


def start_pull(
    connection: Connection,
    request: RequestKwargs,
    reference: str,
    outcome: Outcome,
    progress: Callable[[PullProgress], None] | None,
) -> tuple[Generator[Event, None, None], Callable[[], None]]:
    def fail(message: str, lines: builtins.list[str]) -> PullError:
        return pull_failure(message, reference, lines)

    def note(event: dict[str, object], raw: bytes) -> None:
        outcome.transcript.append(raw.decode("utf-8", errors="replace"))
        ids = pulled_image_ids(event)
        if ids is not None:
            outcome.image_ids = ids
        if progress is not None:
            progress(cast(PullProgress, event))

    try:
        events, release = open_progress(connection, request, fail, note)
    except APIError as exc:
        raise pull_failure(
            exc.message,
            reference,
            answer_lines(exc),
            response=exc.response,
            explanation=exc.explanation,
        ) from exc
    return _then_check(events, lambda: _check_pulled(outcome, reference)), release


def _check_pulled(outcome: Outcome, reference: str) -> None:
    if not outcome.image_ids:
        raise PullError(
            f"pull {reference}: the stream ended without reporting the pulled image",
            reference,
            outcome.transcript,
        )


def start_push(
    connection: Connection,
    request: RequestKwargs,
    name: str,
    outcome: Outcome,
    progress: Callable[[PushProgress], None] | None,
) -> tuple[Generator[Event, None, None], Callable[[], None]]:
    def fail(message: str, lines: builtins.list[str]) -> PushError:
        return push_failure(message, name, lines)

    def note(event: dict[str, object], raw: bytes) -> None:
        digest = event.get("manifestdigest")
        if isinstance(digest, str) and digest:
            outcome.manifest_digest = digest
        if progress is not None:
            progress(cast(PushProgress, event))

    try:
        return open_progress(connection, request, fail, note)
    except APIError as exc:
        raise push_failure(
            exc.message, name, answer_lines(exc), response=exc.response, explanation=exc.explanation
        ) from exc


def start_build(
    connection: Connection,
    request: RequestKwargs,
    context: Iterable[bytes],
    outcome: Outcome,
    progress: Callable[[BuildLogLine], None] | None,
) -> tuple[Generator[Event, None, None], Callable[[], None]]:
    def fail(message: str, lines: builtins.list[str]) -> BuildError:
        return BuildError(message, outcome.log, lines)

    def note(event: dict[str, object], raw: bytes) -> None:
        typed = cast(BuildLogLine, event)
        outcome.log.append(typed)
        found = build_image_id(event)
        if found is not None:
            outcome.image_id = found
        if progress is not None:
            progress(typed)

    try:
        events, release = open_progress(connection, request, fail, note, content=context)
    except APIError as exc:
        raise BuildError(
            exc.message,
            outcome.log,
            answer_lines(exc),
            response=exc.response,
            explanation=exc.explanation,
        ) from exc
    return _then_check(events, lambda: _check_built(outcome)), release


def _check_built(outcome: Outcome) -> None:
    if outcome.image_id is None:
        raise BuildError("the build ended without reporting an image id", outcome.log)


def _then_check(
    events: Generator[Event, None, None], check: Callable[[], None]
) -> Generator[Event, None, None]:
    """``events``, then ``check`` once they ran out; closing it closes ``events``."""
    try:
        yield from events
    finally:
        events.close()
    check()


def pull_ids(
    connection: Connection,
    request: RequestKwargs,
    reference: str,
    progress: Callable[[PullProgress], None] | None,
) -> builtins.list[str]:
    """Run a pull to its end; the full ids of the images it reported."""
    outcome = Outcome()
    events, _ = start_pull(connection, request, reference, outcome, progress)
    for _ in events:
        pass
    return outcome.image_ids


def pull_stream(
    connection: Connection,
    request: RequestKwargs,
    reference: str,
    progress: Callable[[PullProgress], None] | None,
    decode: bool,
) -> PullStream[bytes] | PullStream[PullProgress]:
    """A pull's events as `PullProgress` dicts (``decode``) or each value's bytes."""
    outcome = Outcome()
    events, release = start_pull(connection, request, reference, outcome, progress)
    if decode:
        typed = (cast(PullProgress, event) for event, _ in events)
        return PullStream(view(typed, events), release, lambda: outcome.image_ids)
    raw = (text for _, text in events)
    return PullStream(view(raw, events), release, lambda: outcome.image_ids)


def push_text(
    connection: Connection,
    request: RequestKwargs,
    name: str,
    progress: Callable[[PushProgress], None] | None,
) -> tuple[str, str | None]:
    """Run a push to its end: the server's progress, a JSON value a line, and the
    manifest digest it reported (None from Podman 4)."""
    outcome = Outcome()
    events, _ = start_push(connection, request, name, outcome, progress)
    text = "".join(raw.decode("utf-8", errors="replace") + "\n" for _, raw in events)
    return text, outcome.manifest_digest


def push_stream(
    connection: Connection,
    request: RequestKwargs,
    name: str,
    progress: Callable[[PushProgress], None] | None,
    decode: bool,
) -> PushStream[str] | PushStream[PushProgress]:
    """A push's events as `PushProgress` dicts (``decode``) or each value as a str."""
    outcome = Outcome()
    events, release = start_push(connection, request, name, outcome, progress)
    if decode:
        typed = (cast(PushProgress, event) for event, _ in events)
        return PushStream(view(typed, events), release, lambda: outcome.manifest_digest)
    text = (raw.decode("utf-8", errors="replace") for _, raw in events)
    return PushStream(view(text, events), release, lambda: outcome.manifest_digest)


def build_image(
    connection: Connection,
    request: RequestKwargs,
    context: Iterable[bytes],
    progress: Callable[[BuildLogLine], None] | None,
) -> tuple[str, builtins.list[BuildLogLine]]:
    """Run a build to its end: the built image's id and the whole log."""
    outcome = Outcome()
    events, _ = start_build(connection, request, context, outcome, progress)
    for _ in events:
        pass
    assert outcome.image_id is not None  # start_build's check raised otherwise
    return outcome.image_id, outcome.log


def build_stream(
    connection: Connection,
    request: RequestKwargs,
    context: Iterable[bytes],
    progress: Callable[[BuildLogLine], None] | None,
    get: Callable[[str], Image],
) -> BuildStream:
    """A build's log lines as they happen, each typed as the build noted it."""
    outcome = Outcome()
    events, release = start_build(connection, request, context, outcome, progress)

    def lines() -> Generator[BuildLogLine, None, None]:
        for _ in events:
            yield outcome.log[-1]

    return BuildStream(view(lines(), events), release, lambda: outcome.image_id, get)


def view(
    items: Generator[T, None, None], source: Generator[Any, None, None]
) -> Generator[T, None, None]:
    """``items`` (a view of ``source``) that closes ``source`` when closed early."""
    try:
        yield from items
    finally:
        source.close()
