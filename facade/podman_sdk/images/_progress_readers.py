"""What pull, push and build decide about their progress streams, for both clients.

Each `Operation` (``_registry_requests``) carries the `ProgressReader` that reads its
events. A reader holds what the operation learnt (`Outcome`) and makes every decision
about it, without I/O:

- `ProgressReader.note`: what an event teaches (the pulled ids, the pushed digest, the
  build log), and the caller's ``progress`` callback;
- `ProgressReader.item`: what a stream hands out for the event (``decode``);
- `ProgressReader.fail`: the operation's error for an error event inside a 200 stream;
- `ProgressReader.refused`: the operation's error for an error status (an `APIError`
  from the send path);
- `ProgressReader.check`: whether the stream, read to its end, reported what it must.

The readers are the `EventReader` of ``_progress``'s `open_progress` (sync and
asyncio), which only opens the stream, feeds its chunks to a `ProgressDecoder` and
hands each event to the reader.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from podman_sdk._core._error_mapping import Transcript, answer_lines, pull_failure, push_failure
from podman_sdk._exceptions import APIError, BuildError, PullError, StreamError
from podman_sdk.images._progress import (
    BuildLogLine,
    PullProgress,
    PushProgress,
    build_image_id,
    layer_progress,
    pulled_image_ids,
)

__all__ = [
    "BuildReader",
    "Outcome",
    "ProgressReader",
    "PullReader",
    "PushReader",
]


@dataclass
class Outcome:
    """What an operation reported by the end of its stream."""

    image_ids: builtins.list[str] = field(default_factory=builtins.list)
    manifest_digest: str | None = None
    image_id: str | None = None
    log: builtins.list[BuildLogLine] = field(default_factory=builtins.list)
    #: A build's log as podman-py gives it: each JSON line's bytes, newline left out.
    lines: builtins.list[bytes] = field(default_factory=builtins.list)
    transcript: Transcript = field(default_factory=Transcript)


class ProgressReader:
    """Reads one operation's events (see the module docstring). ``decode``: a stream
    hands out the decoded event, else the value's exact bytes."""

    def __init__(self, decode: bool = True) -> None:
        self.outcome = Outcome()
        self.decode = decode

    def read(self, events: Iterable[tuple[dict[str, object], bytes]]) -> Iterator[object]:
        """The stream's items for decoded ``events``, each noted first."""
        for event, raw in events:
            self.note(event, raw)
            yield self.item(event, raw)

    def note(self, event: dict[str, object], raw: bytes) -> None:
        """Learn what ``event`` (whose bytes are ``raw``) reports."""

    def item(self, event: dict[str, object], raw: bytes) -> object:
        """What a stream yields for ``event``."""
        return event if self.decode else raw

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError:
        """The error for an error event: the server's ``message``, the last ``lines``."""
        raise NotImplementedError

    def refused(self, error: APIError) -> APIError:
        """The error for an error status, as the operation's class."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise if the stream ended without what the operation must report."""


class PullReader(ProgressReader):
    """A pull of ``reference``: the pulled ids, and the events' lines for an error."""

    def __init__(
        self, reference: str, progress: Callable[[PullProgress], None] | None, decode: bool
    ) -> None:
        super().__init__(decode)
        self.reference = reference
        self._progress = progress

    def note(self, event: dict[str, object], raw: bytes) -> None:
        self.outcome.transcript.append(raw.decode("utf-8", errors="replace"))
        if "pullProgress" in event:
            layer = layer_progress(event["pullProgress"])
            if layer is None:
                raise StreamError(
                    f"pull {self.reference}: pullProgress is not Podman's ArtifactPullProgress",
                    self.outcome.transcript.lines(),
                )
            event["pullProgress"] = layer  # with the fields omitempty left out
        ids = pulled_image_ids(event)
        if ids is not None:
            self.outcome.image_ids = ids
        if self._progress is not None:
            self._progress(cast(PullProgress, event))

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError:
        return pull_failure(message, self.reference, lines)

    def refused(self, error: APIError) -> APIError:
        return pull_failure(
            error.message,
            self.reference,
            answer_lines(error),
            response=error.response,
            explanation=error.explanation,
        )

    def check(self) -> None:
        if not self.outcome.image_ids:
            raise PullError(
                f"pull {self.reference}: the stream ended without reporting the pulled image",
                self.reference,
                self.outcome.transcript,
            )


class PushReader(ProgressReader):
    """A push of ``name``: the manifest digest (Podman 5 and later); without
    ``decode`` a stream yields each value as a str, as podman-py does."""

    def __init__(
        self, name: str, progress: Callable[[PushProgress], None] | None, decode: bool
    ) -> None:
        super().__init__(decode)
        self.name = name
        self._progress = progress

    def note(self, event: dict[str, object], raw: bytes) -> None:
        digest = event.get("manifestdigest")
        if isinstance(digest, str) and digest:
            self.outcome.manifest_digest = digest
        if self._progress is not None:
            self._progress(cast(PushProgress, event))

    def item(self, event: dict[str, object], raw: bytes) -> object:
        return event if self.decode else raw.decode("utf-8", errors="replace")

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError:
        return push_failure(message, self.name, lines)

    def refused(self, error: APIError) -> APIError:
        return push_failure(
            error.message,
            self.name,
            answer_lines(error),
            response=error.response,
            explanation=error.explanation,
        )


class BuildReader(ProgressReader):
    """A build: its log (every event, typed) and the built image's id."""

    def __init__(self, progress: Callable[[BuildLogLine], None] | None) -> None:
        super().__init__(decode=True)
        self._progress = progress

    def note(self, event: dict[str, object], raw: bytes) -> None:
        typed = cast(BuildLogLine, event)
        self.outcome.log.append(typed)
        self.outcome.lines.append(raw.strip())
        found = build_image_id(event)
        if found is not None:
            self.outcome.image_id = found
        if self._progress is not None:
            self._progress(typed)

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError:
        return BuildError(message, self.outcome.log, lines)

    def refused(self, error: APIError) -> APIError:
        return BuildError(
            error.message,
            self.outcome.log,
            answer_lines(error),
            response=error.response,
            explanation=error.explanation,
        )

    def check(self) -> None:
        if self.outcome.image_id is None:
            raise BuildError("the build ended without reporting an image id", self.outcome.log)
