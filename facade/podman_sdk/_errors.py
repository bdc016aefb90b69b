"""Exceptions raised by podman_sdk, and the one place a response becomes one.

Hierarchy::

    PodmanError                  root: catch this to catch everything the SDK raises
    ├── APIError                 the service answered an error status (or one in a 2xx body)
    │   ├── MalformedAnswerError ... or a success whose body is not what the API documents
    │   ├── BadRequest           400
    │   ├── NotFound             404
    │   │   └── ImageNotFound    404 from an image route
    │   ├── Conflict             409
    │   └── ServerError          5xx
    ├── PodmanConnectionError    the connection could not be made, or broke
    ├── PodmanTimeoutError       the service did not answer in time
    ├── InvalidArgument          bad input caught before any request (also a ValueError)
    ├── LocalFileError           a local file the SDK read or wrote failed (also an
    │                            OSError; in _local_errors, with local_file)
    └── StreamError              an error found inside a streamed body (even under HTTP 200)

    OperationFailure (APIError and StreamError; not exported)
    ├── BuildError               a build failed, whether the server said so inside a 200
    ├── PullError                stream or with an error status: the same class on every
    │   └── PullNotFound         Podman (the *NotFound ones are also ImageNotFound)
    └── PushError
        └── PushNotFound

`error_for_response` is the only function that turns a response into an exception (for
`raise_for_response`, and for what ``client.api`` refuses), `translate_transport_error`
the only one for httpx's errors: neither they nor `libpod_client.errors` reach users.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from libpod_client.errors import LibpodError

__all__ = [
    "TRANSCRIPT_LINES",
    "APIError",
    "BadRequest",
    "BuildError",
    "Conflict",
    "ImageNotFound",
    "InvalidArgument",
    "MalformedAnswerError",
    "NotFound",
    "OperationFailure",
    "PodmanConnectionError",
    "PodmanError",
    "PodmanTimeoutError",
    "ServerError",
    "StreamError",
    "error_for_response",
    "error_for_status",
    "raise_for_response",
    "translate_transport_error",
]

#: How many of the last lines of a stream a `StreamError` keeps for diagnosis.
TRANSCRIPT_LINES = 20

# A proxy's HTML error page can be large; the first few hundred characters identify it.
_MAX_BODY_TEXT = 500


class PodmanError(Exception):
    """Root of every exception podman_sdk raises."""


class APIError(PodmanError):
    """The Podman service answered with an error status.

    Attributes:
        message: the server's message (libpod's ``message``), or ``"HTTP <code> <reason>"``
            when the body carried none.
        explanation: libpod's ``cause``, when given.
        response: the `httpx.Response`, already read, or ``None`` when raised without one.
        status_code: the HTTP status, or ``None`` without a response.
    """

    def __init__(
        self,
        message: str,
        response: httpx.Response | None = None,
        explanation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.explanation = explanation
        self.status_code: int | None = None if response is None else response.status_code

    def is_client_error(self) -> bool:
        """Whether the status is a 4xx (podman-py compatible)."""
        return self.status_code is not None and 400 <= self.status_code < 500

    def is_server_error(self) -> bool:
        """Whether the status is a 5xx (podman-py compatible)."""
        return self.status_code is not None and 500 <= self.status_code < 600

    def __str__(self) -> str:
        message = self.message
        if self.response is not None and message == _status_line(self.response):
            message = ""  # the fallback only restates the status line printed below
        detail = message
        # libpod's message normally ends with its cause ("foo: image not known" and
        # "image not known"); repeat the cause only when it adds something.
        if self.explanation and self.explanation not in message:
            detail = f"{message}: {self.explanation}" if message else self.explanation
        if self.response is None or self.status_code is None:
            return detail
        reason = self.response.reason_phrase
        if self.is_client_error():
            head = f"{self.status_code} Client Error: {reason}"
        elif 200 <= self.status_code < 300:
            head = f"{self.status_code} {reason}, with an error in the body"
        elif self.is_server_error():
            head = f"{self.status_code} Server Error: {reason}"
        else:
            head = f"{self.status_code} Unexpected Status: {reason}"
        return f"{head} ({detail})" if detail else head


class MalformedAnswerError(APIError):
    """A success status whose body is not what the API documents (not JSON, a value of
    the wrong JSON type, a required field missing): raised, not returned untyped.

    Attributes:
        operation: what was called, e.g. ``"image_list_libpod (GET /libpod/images/json)"``.
        path: where in the body, e.g. ``"$.State.ExitCode"`` or ``"$[3].Id"``.
        expected: what the API documents there, e.g. ``"int"``.
        got: what arrived there (a JSON value, or the body's text when it is not JSON).
    """

    def __init__(
        self,
        message: str,
        response: httpx.Response | None = None,
        *,
        operation: str = "",
        path: str = "$",
        expected: str = "",
        got: object = None,
    ) -> None:
        super().__init__(message, response)
        self.operation = operation
        self.path = path
        self.expected = expected
        self.got = got

    def __str__(self) -> str:
        return self.message


class BadRequest(APIError):
    """HTTP 400: the service rejected the request's parameters."""


class NotFound(APIError):
    """HTTP 404: the object named in the request does not exist."""


class ImageNotFound(NotFound):
    """HTTP 404 from an image route: no such image."""


class Conflict(APIError):
    """HTTP 409: the request conflicts with the object's state (e.g. image in use)."""


class ServerError(APIError):
    """HTTP 5xx: the service failed while handling the request."""


class PodmanConnectionError(PodmanError):
    """The connection to the service could not be made, or broke mid-request.

    Attributes:
        endpoint: where the SDK tried to connect (also part of the message).
        reason: what went wrong, from the transport.
    """

    def __init__(self, endpoint: str, reason: str = "connection failed") -> None:
        self.endpoint = endpoint
        self.reason = reason
        self.message = f"connection to the Podman service at {endpoint} failed: {reason}"
        super().__init__(self.message)


class PodmanTimeoutError(PodmanError):
    """The service did not connect, answer or accept data within the timeout.

    Attributes:
        endpoint: where the SDK was talking to (also part of the message).
        reason: which timeout fired, from the transport.
    """

    def __init__(self, endpoint: str, reason: str = "timed out") -> None:
        self.endpoint = endpoint
        self.reason = reason
        self.message = f"request to the Podman service at {endpoint} timed out: {reason}"
        super().__init__(self.message)


class InvalidArgument(PodmanError, ValueError):
    """An argument was rejected before any request was sent.

    Also a `ValueError`, so code written against plain Python conventions catches it.
    """


class StreamError(PodmanError):
    """An error found inside a streamed body.

    Raised for an error value under HTTP 200, a body that ends inside a value, or
    malformed JSON.

    Attributes:
        message: what went wrong.
        transcript: the last lines received before the error (at most `TRANSCRIPT_LINES`),
            oldest first.
    """

    def __init__(self, message: str, transcript: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.transcript: list[str] = list(transcript)[-TRANSCRIPT_LINES:]


class OperationFailure(APIError, StreamError):
    """Base of PullError, PushError and BuildError: an operation the server reported
    failed, inside a 200 stream (``status_code`` None) or with an error status, read
    the same either way. Not exported: catch the operation's class, or `APIError`."""

    def __init__(
        self,
        message: str,
        transcript: Iterable[str] = (),
        *,
        response: httpx.Response | None = None,
        explanation: str | None = None,
    ) -> None:
        APIError.__init__(self, message, response, explanation)
        self.transcript = list(transcript)[-TRANSCRIPT_LINES:]

    def __str__(self) -> str:
        # The server's message (and its cause when the message lacks it); the status
        # stays in status_code, so a failure reads the same on every Podman.
        if self.explanation and self.explanation not in self.message:
            return f"{self.message}: {self.explanation}"
        return self.message


class BuildError(OperationFailure):
    """An image build failed (podman-py's ``BuildError(reason, build_log)``): a step
    failed inside the 200 stream, the service answered an error status, or the build
    ended without an image. The same class whichever way the server said it.

    Attributes:
        msg: the reason, as podman-py names it; same as ``message``.
        build_log: every log event received before the failure, in order.
    """

    def __init__(
        self,
        reason: str,
        build_log: Iterable[object],
        transcript: Iterable[str] = (),
        *,
        response: httpx.Response | None = None,
        explanation: str | None = None,
    ) -> None:
        super().__init__(reason, transcript, response=response, explanation=explanation)
        self.msg = reason
        self.build_log: list[object] = list(build_log)


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
    return error_class(message or _status_line(response), response=response, explanation=cause)


def _malformed_answer(response: httpx.Response, refused: LibpodError | None) -> APIError:
    from libpod_client.errors import MalformedAnswer, ReportedError, json_path

    if isinstance(refused, ReportedError):
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


def translate_transport_error(exc: httpx.TransportError, endpoint: str) -> PodmanError:
    """The SDK exception for an httpx transport error; callers ``raise ... from exc``."""
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return PodmanTimeoutError(endpoint, reason)
    return PodmanConnectionError(endpoint, reason)


def _status_line(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


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
    """(message, cause) from an error body; either is None when absent or empty."""
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
    return _non_empty_str(value.get("message")), _non_empty_str(value.get("cause"))


def _non_empty_str(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
