"""The errors of pull and push, and the one decision of which to raise, whether the
server reported the failure inside a 200 stream (Podman 4 and 5) or with an error
status (Podman 6, and Podman 4's failed push)."""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from podman_sdk._errors import APIError, ImageNotFound, OperationFailure

__all__ = [
    "PullError",
    "PullNotFound",
    "PushError",
    "PushNotFound",
    "answer_lines",
    "means_missing",
    "pull_failure",
    "push_failure",
]


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
