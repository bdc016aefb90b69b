"""The one place where a failure becomes an exception of `podman_sdk._exceptions`.

- `error_for_response` turns a response into an exception (for `raise_for_response`,
  and for what ``client.api`` refuses, with the generated client's `LibpodError`);
  `error_for_status` picks the class for a status.
- `error_for_refusal` and `error_for_shape` are the only ones for the generated
  package's own errors (`libpod_client.errors`), which never reach users.
- `translate_transport_error` is the only one for httpx's errors.
- `pull_failure` and `push_failure` decide which transfer error a failed pull or push
  raises, whether the server reported it inside a 200 stream (Podman 4 and 5) or with an
  error status (Podman 6, and Podman 4's failed push).
- `local_file` turns an `OSError` of the caller's files into `LocalFileError`.
- `stream_failure` turns what the generated stream decoder refused (a value that is not
  JSON, too long, or cut by the body's end; an ``"error"`` the server wrote) into
  `StreamError`; `stream_error_of` reads the error a progress value reports, and
  `Transcript` keeps the last lines a stream error quotes.

Neither httpx's errors nor `libpod_client.errors` reach users.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import httpx

from podman_sdk._exceptions import (
    TRANSCRIPT_LINES,
    APIError,
    BadRequest,
    Conflict,
    LocalFileError,
    MalformedAnswerError,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    PullError,
    PullNotFound,
    PushError,
    PushNotFound,
    ServerError,
    StreamError,
    status_line,
)

if TYPE_CHECKING:
    from libpod_client.errors import LibpodError, ShapeError
    from libpod_client.errors import StreamError as GeneratedStreamError


__all__ = [
    "TRANSCRIPT_WIDTH",
    "Transcript",
    "answer_lines",
    "error_for_refusal",
    "error_for_response",
    "error_for_shape",
    "error_for_status",
    "local_file",
    "means_missing",
    "pull_failure",
    "push_failure",
    "raise_for_response",
    "stream_error_of",
    "stream_failure",
    "translate_transport_error",
]


# A proxy's HTML error page can be large; the first few hundred characters identify it.
_MAX_BODY_TEXT = 500


def error_for_status(status_code: int, *, not_found: type[NotFound] = NotFound) -> type[APIError]:
    """The exception class for an HTTP error status.

    ``not_found`` lets a route say what a 404 means (`ImageNotFound` on image routes).
    """
    if status_code == 404:
        return not_found
    if status_code == 409:
        return Conflict
    if status_code == 400:
        return BadRequest
    if 500 <= status_code < 600:
        return ServerError
    return APIError


def raise_for_response(response: httpx.Response, *, not_found: type[NotFound] = NotFound) -> None:
    """Raise `error_for_response`'s exception unless the status is 2xx.

    A 1xx or 3xx status raises `APIError` too: the SDK never follows redirects, so a
    caller that expects one (such as 304 from a container start) checks for it first.
    """
    if not response.is_success:
        raise error_for_response(response, not_found=not_found)


def error_for_response(
    response: httpx.Response,
    *,
    not_found: type[NotFound] = NotFound,
    refused: LibpodError | None = None,
) -> APIError:
    """The exception for ``response``, an answer the caller cannot use.

    Another status: its `APIError` subclass, with libpod's ``{cause, message}``,
    Docker's ``{message}`` or a text body. A streamed response not read yet is read (and
    so closed) here; an async one must be read first (``await response.aread()``), or
    the status alone picks the exception.

    A 2xx status: `APIError` for ``refused`` a ``ReportedError`` (the server's error in the
    body), else `MalformedAnswerError` (``MalformedAnswer``; ``StatusError``: undocumented).
    """
    if response.is_success:
        return _malformed_answer(response, refused)
    message, cause = _parse_error_body(_read_body(response))
    error_class = error_for_status(response.status_code, not_found=not_found)
    return error_class(message or status_line(response), response=response, explanation=cause)


def _malformed_answer(response: httpx.Response, refused: LibpodError | None) -> APIError:
    from libpod_client.errors import MalformedAnswer, ReportedError, json_path

    if isinstance(refused, ReportedError):
        # The server's own error, written inside a 2xx body: its message, not a shape.
        error: APIError = APIError(refused.message, response, explanation=refused.cause)
    elif isinstance(refused, MalformedAnswer):
        where = {"operation": refused.operation, "path": json_path(refused.path)}
        error = MalformedAnswerError(
            str(refused), response, **where, expected=refused.expected, got=refused.got
        )
    else:
        operation = refused.operation if refused is not None else "the call"
        text = f"{operation}: HTTP {response.status_code} is not an answer the API documents"
        code, what = response.status_code, "a documented status"
        error = MalformedAnswerError(text, response, operation=operation, expected=what, got=code)
    error.__cause__ = refused
    return error


def error_for_refusal(problem: LibpodError, response: httpx.Response) -> PodmanError:
    """What ``client.api`` raises for an answer a generated function refuses (the bound
    client's ``error_for_answer`` hook): a failure the service reported inside a stream
    is podman_sdk's `StreamError`, anything else `error_for_response`'s exception."""
    from libpod_client.errors import StreamError as GeneratedStreamError

    if isinstance(problem, GeneratedStreamError):
        return stream_failure(problem)
    return error_for_response(response, refused=problem)


def error_for_shape(problem: ShapeError, model: str, what: str, endpoint: str) -> APIError:
    """The exception for a decoded answer that a generated model's ``from_dict``
    refused (``problem`` names the field's path, what the spec says, what came)."""
    error = MalformedAnswerError(
        f"{what} from {endpoint}: does not match the API spec's {model}: {problem}"
    )
    error.__cause__ = problem
    return error


def translate_transport_error(exc: httpx.TransportError, endpoint: str) -> PodmanError:
    """The SDK exception for an httpx transport error; callers ``raise ... from exc``."""
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return PodmanTimeoutError(endpoint, reason)
    return PodmanConnectionError(endpoint, reason)


def _read_body(response: httpx.Response) -> bytes:
    try:
        return response.content
    except httpx.ResponseNotRead:
        pass
    if not isinstance(response.stream, httpx.SyncByteStream):
        return b""
    try:
        return response.read()
    except (httpx.StreamError, httpx.TransportError):
        # The body is gone or broke off; the status still says what happened, and is
        # the more useful error to report. A read that failed midway leaves the
        # response open, so release its connection here.
        response.close()
        return b""


def _parse_error_body(body: bytes) -> tuple[str | None, str | None]:
    """(message, cause) from an error body; either is None when absent or empty. A
    Docker body, which has no cause, explains itself with its message."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return None, None
    try:
        value: object = json.loads(text)
    except json.JSONDecodeError:
        return text[:_MAX_BODY_TEXT], None
    if isinstance(value, str):
        return value.strip()[:_MAX_BODY_TEXT] or None, None
    if not isinstance(value, dict):
        return text[:_MAX_BODY_TEXT], None
    message = _non_empty_str(value.get("message"))
    if message is not None and "cause" not in value:
        # Docker's {message} (Podman's compatible routes: /auth, /images/create...):
        # the message is all the explanation there is, as podman-py reads it.
        return message, message
    return message or _report_errors(value.get("Errs")), _non_empty_str(value.get("cause"))


def _report_errors(errs: object) -> str | None:
    """The ``Errs`` of a libpod report sent with an error status (a pod's start, stop,
    pause... answer 409 with each container's failure), joined."""
    if not isinstance(errs, list):
        return None
    found = [text for text in (_non_empty_str(item) for item in errs) if text is not None]
    return "; ".join(found)[:_MAX_BODY_TEXT] or None


def _non_empty_str(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


# How registries and Podman word a missing repository, tag or manifest (distribution's
# error codes, and containers/image's wording for a missing local image).
_MISSING = ("manifest unknown", "name unknown", "not found", "image not known")


def means_missing(message: str, status_code: int | None) -> bool:
    """Whether a failure reported with ``message`` is a missing image: by its wording,
    so that a 200 stream's error (Podman 4, 5) and an error status (Podman 6) give the
    same answer; a 404 always is."""
    text = message.lower()
    return status_code == 404 or any(marker in text for marker in _MISSING)


def pull_failure(
    message: str,
    reference: str,
    transcript: Iterable[str],
    *,
    response: httpx.Response | None = None,
    explanation: str | None = None,
) -> PullError:
    """The error for a failed pull, however the server reported it."""
    status = None if response is None else response.status_code
    missing = means_missing(f"{message} {explanation or ''}", status)
    error_class = PullNotFound if missing else PullError
    return error_class(
        f"pull {reference}: {message}",
        reference,
        transcript,
        response=response,
        explanation=explanation,
    )


def push_failure(
    message: str,
    name: str,
    transcript: Iterable[str],
    *,
    response: httpx.Response | None = None,
    explanation: str | None = None,
) -> PushError:
    """The error for a failed push; only a 404 (no such local image) is a not-found,
    a registry's refusal is not."""
    status = None if response is None else response.status_code
    error_class = PushNotFound if status == 404 else PushError
    return error_class(
        f"push {name}: {message}", name, transcript, response=response, explanation=explanation
    )


def answer_lines(error: APIError) -> list[str]:
    """The transcript of an operation the server refused with a status: its answer."""
    if error.response is None:
        return [error.message]
    try:
        text = error.response.text.strip()
    except httpx.ResponseNotRead:
        text = ""
    return [text or error.message]


@contextmanager
def local_file(action: str, path: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Turn an `OSError` of local file I/O into `LocalFileError` naming ``path`` (or,
    without one, the file the system named). The original stays chained, renamed to
    ``path`` as well: it may name a hidden temporary file that no longer exists."""
    try:
        yield
    except PodmanError:
        raise
    except OSError as exc:
        filename = os.fspath(path) if path is not None else exc.filename
        if isinstance(filename, bytes):
            filename = os.fsdecode(filename)
        exc.filename, exc.filename2 = filename, None
        strerror = exc.strerror or str(exc) or type(exc).__name__
        raise LocalFileError(exc.errno, strerror, filename, action=action) from exc


# -- errors inside streams ---------------------------------------------------------------

#: The longest a transcript line is kept, so a huge value cannot bloat an error.
TRANSCRIPT_WIDTH = 300
# The longest excerpt of an error value that has no readable message.
_EXCERPT = 200


class Transcript:
    """The last lines of a stream, oldest first, kept to explain a `StreamError`; each
    line is cut to ``width`` characters."""

    def __init__(self, maxlen: int = TRANSCRIPT_LINES, width: int = TRANSCRIPT_WIDTH) -> None:
        self._lines: deque[str] = deque(maxlen=maxlen)
        self._width = width

    def append(self, line: str) -> None:
        line = line.rstrip("\r\n")
        if len(line) > self._width:
            line = line[: self._width] + "..."
        self._lines.append(line)

    def lines(self) -> list[str]:
        return list(self._lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines())

    def __len__(self) -> int:
        return len(self._lines)


def stream_failure(
    problem: ShapeError | GeneratedStreamError, transcript: Iterable[str] = ()
) -> StreamError:
    """The `StreamError` for what the generated stream decoder (``libpod_client._streams``)
    refused: an error the server wrote in the stream (its message), or a body that is not
    a sequence of JSON values (what was expected there, and an excerpt of what came)."""
    from libpod_client.errors import StreamError as GeneratedStreamError

    if isinstance(problem, GeneratedStreamError):
        error = StreamError(problem.message, transcript)
    else:
        got = problem.got
        error = StreamError(
            f"malformed JSON in stream: expected {problem.expected}, got {got!r}", transcript
        )
    error.__cause__ = problem
    return error


def stream_error_of(value: object) -> str | None:
    """The error a progress value reports, or None if it reports none.

    Docker and Podman report a failure inside a 200 stream as ``{"error": "..."}``,
    ``{"errorDetail": {"message": "..."}}`` or both; an empty ``error`` means none.
    """
    if not isinstance(value, dict):
        return None
    error = _message_of(value.get("error"))
    if error is not None:
        return error
    return _message_of(value.get("errorDetail"))


def _message_of(field: object) -> str | None:
    # Podman sends "error": "" on success in some reports; no falsy value is an error.
    if not field:
        return None
    if isinstance(field, str):
        return field.strip() or None
    if isinstance(field, dict):
        message = field.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    # An error without a readable message is still an error; show what there is.
    return json.dumps(field, ensure_ascii=False)[:_EXCERPT]
