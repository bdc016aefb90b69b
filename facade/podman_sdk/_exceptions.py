"""Every exception podman_sdk raises, in one module; `podman_sdk._core._error_mapping`
is the one place that decides which of them a failure becomes.

Hierarchy::

    PodmanError                    root: catch this to catch everything the SDK raises
    ├── APIError                   the service answered with an error status
    │   ├── MalformedAnswerError   ... or a success whose body is not what the API documents
    │   ├── BadRequest             400
    │   ├── NotFound               404
    │   │   └── ImageNotFound      404 from an image route
    │   │       ├── PullNotFound   (also a PullError, below)
    │   │       └── PushNotFound   (also a PushError, below)
    │   ├── Conflict               409
    │   ├── ServerError            5xx
    │   ├── PruneError             some images could not be pruned; ``report`` holds the rest
    │   └── OperationFailure       (also a StreamError; not exported) an operation the
    │       │                      server reported failed, inside a 200 stream or with an
    │       │                      error status: the same class on every Podman
    │       ├── BuildError         a build failed
    │       ├── PullError          a pull failed
    │       │   └── PullNotFound   ... because the registry has no such image
    │       └── PushError          a push failed
    │           └── PushNotFound   ... because there is no such local image
    ├── PodmanConnectionError      the connection could not be made, or broke
    │   └── DiscoveryError         no service was found where the configuration points
    ├── PodmanTimeoutError         the service did not answer in time
    ├── UnsupportedServer          not a Podman service, or too old for a feature
    ├── InvalidArgument            bad input caught before any request (also a ValueError)
    ├── ContainerError             a container run by ``containers.run()`` exited non-zero
    ├── LocalFileError             a local file the SDK read or wrote failed (also an OSError)
    └── StreamError                an error found inside a streamed body (even under HTTP 200)
        └── OperationFailure       (see above)

`PruneReport` (a list of `PruneDeleted`) is here too: a `PruneError` carries one as
``report``, and ``images.prune()`` returns one.

The generated package keeps its own small tree (`libpod_client.errors`); it never reaches
users: `_error_mapping` turns it, httpx's errors and failed answers into the classes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypedDict

import httpx

__all__ = [
    "TRANSCRIPT_LINES",
    "APIError",
    "BadRequest",
    "BuildError",
    "Conflict",
    "ContainerError",
    "DiscoveryError",
    "ImageNotFound",
    "InvalidArgument",
    "LocalFileError",
    "MalformedAnswerError",
    "NotFound",
    "OperationFailure",
    "PodmanConnectionError",
    "PodmanError",
    "PodmanTimeoutError",
    "PruneDeleted",
    "PruneError",
    "PruneReport",
    "PullError",
    "PullNotFound",
    "PushError",
    "PushNotFound",
    "ServerError",
    "StreamError",
    "UnsupportedServer",
    "status_line",
]


#: How many of the last lines of a stream a `StreamError` keeps for diagnosis.
TRANSCRIPT_LINES = 20


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
        if self.response is not None and message == status_line(self.response):
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


class RanContainer(Protocol):
    """What a `ContainerError` says of its container (a `Container` or an
    `AsyncContainer`; this module imports neither)."""

    @property
    def id(self) -> str: ...
    @property
    def short_id(self) -> str: ...
    @property
    def name(self) -> str | None: ...


class ContainerError(PodmanError):
    """A container started by ``containers.run()`` exited with a non-zero status
    (podman-py's ``ContainerError(container, exit_status, command, image, stderr)``).

    Attributes:
        container: the `Container` (or `AsyncContainer`) that ran (typed by what both
            have: ``id``, ``short_id``, ``name``); already removed with ``remove=True``.
        exit_status: its exit code.
        command: the command given to ``run()`` (None: the image's default).
        image: the image given to ``run()``.
        stderr: what the container wrote to stderr, or None when it was not read.
    """

    def __init__(
        self,
        container: RanContainer,
        exit_status: int,
        command: str | list[str] | None,
        image: str,
        stderr: bytes | None = None,
    ) -> None:
        shown = "" if stderr is None else f": {stderr.decode('utf-8', 'replace').strip()}"
        super().__init__(
            f"Command {command!r} in image {image!r} returned non-zero exit status "
            f"{exit_status}{shown}"
        )
        self.container = container
        self.exit_status = exit_status
        self.command = command
        self.image = image
        self.stderr = stderr


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


def status_line(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


class LocalFileError(PodmanError, OSError):
    """A local file or directory the SDK reads or writes for the caller failed: disk
    full, permission denied, no such file or directory, a read error. Both a
    `PodmanError` and an `OSError`: ``errno`` and ``strerror`` are the system's,
    ``filename`` the caller's path (for a build, the context file that failed), never
    a temporary file of the SDK's. Nothing partial is left behind.

    Attributes:
        action: what the SDK was doing (``"cannot save to"``), the start of the message.
    """

    def __init__(
        self, errno: int | None, strerror: str, filename: str | None, *, action: str = "local file"
    ) -> None:
        OSError.__init__(self, errno, strerror, filename)
        self.action = action

    def __str__(self) -> str:
        where = f" {self.filename}" if self.filename is not None else ""
        code = f" [Errno {self.errno}]" if self.errno is not None else ""
        return f"{self.action}{where}: {self.strerror}{code}"


class PruneDeleted(TypedDict):
    Deleted: str


class PruneReport(TypedDict):
    """``images.prune()``: what was deleted and the space reclaimed, in bytes."""

    ImagesDeleted: list[PruneDeleted]
    SpaceReclaimed: int


class PruneError(APIError):
    """Some images could not be pruned. ``report`` holds what was deleted anyway;
    ``errors`` maps each image id to the server's reason."""

    def __init__(self, message: str, report: PruneReport, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.report = report
        self.errors = errors


class UnsupportedServer(PodmanError):
    """The service is not a Podman service this SDK can talk to, or is too old for a
    feature. The message names the version needed."""


class DiscoveryError(PodmanConnectionError):
    """No service could be chosen; ``trail`` lists every place looked at.

    ``endpoint`` names what was being resolved (a socket URL, a connection
    name or a config file); ``reason`` says what was wrong with it.
    """

    def __init__(self, endpoint: str, reason: str, trail: list[str]) -> None:
        super().__init__(endpoint, reason)
        self.trail = trail


class PullError(OperationFailure):
    """A pull failed: the server's message (``message``), the reference, and the last
    lines of the stream (``transcript``, ending with the error). Podman 4 and 5 report
    most failures as an ``error`` value under HTTP 200 (``status_code`` None), Podman 6
    as an error status: either way this class, an `APIError`. Also raised for a stream
    that ends without reporting the pulled image."""

    def __init__(
        self,
        message: str,
        reference: str,
        transcript: Iterable[str] = (),
        *,
        response: httpx.Response | None = None,
        explanation: str | None = None,
    ) -> None:
        super().__init__(message, transcript, response=response, explanation=explanation)
        self.reference = reference


class PullNotFound(PullError, ImageNotFound):
    """A pull failed because the registry has no such repository, tag or manifest:
    both a `PullError` and podman-py's `ImageNotFound`, on every Podman."""


class PushError(OperationFailure):
    """A push failed: the server's message, the name pushed, and the last lines,
    whether the server reported it under HTTP 200 or with an error status (Podman 4
    answers 400 after the whole attempt)."""

    def __init__(
        self,
        message: str,
        name: str,
        transcript: Iterable[str] = (),
        *,
        response: httpx.Response | None = None,
        explanation: str | None = None,
    ) -> None:
        super().__init__(message, transcript, response=response, explanation=explanation)
        self.name = name


class PushNotFound(PushError, ImageNotFound):
    """A push of a local image that does not exist: a `PushError` and an
    `ImageNotFound`."""
