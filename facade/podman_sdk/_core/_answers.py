"""The one place an answer's body is decoded. A 2xx body that is not what the API
describes (not JSON, or JSON of another shape) raises `MalformedAnswerError` (an
`APIError`) naming the endpoint, never a raw ``json`` or ``KeyError`` and never a silent
empty result."""

from __future__ import annotations

import json
from typing import Any, Protocol, TypeVar

import httpx
from libpod_client.errors import ShapeError

from podman_sdk._core._error_mapping import error_for_shape
from podman_sdk._exceptions import APIError, MalformedAnswerError

M_co = TypeVar("M_co", covariant=True)
M = TypeVar("M")


class _Model(Protocol[M_co]):
    @classmethod
    def from_dict(cls, src_dict: Any) -> M_co: ...


def unexpected(what: str, endpoint: str, expected: str) -> APIError:
    return MalformedAnswerError(
        f"{what} from {endpoint}: expected {expected}, as the API spec describes",
        operation=endpoint,
        expected=expected,
    )


def json_value(response: httpx.Response, what: str, endpoint: str) -> object:
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise MalformedAnswerError(
            f"{what} from {endpoint}: expected JSON, as the API spec describes: {exc}"
        ) from exc


def json_object(response: httpx.Response, what: str, endpoint: str) -> dict[str, object]:
    value = json_value(response, what, endpoint)
    if not isinstance(value, dict):
        raise unexpected(what, endpoint, "a JSON object")
    return value


def json_array(
    response: httpx.Response, what: str, endpoint: str, *, null_is_empty: bool = False
) -> list[object]:
    """A JSON array; with ``null_is_empty`` a ``null`` (or empty) body is ``[]``, as
    some routes answer when there is nothing to list."""
    if null_is_empty and not response.content.strip():
        return []
    value = json_value(response, what, endpoint)
    if value is None and null_is_empty:
        return []
    if not isinstance(value, list):
        raise unexpected(what, endpoint, "a JSON array")
    return value


def model_answer(model: type[_Model[M]], data: dict[str, object], what: str, endpoint: str) -> M:
    """``data`` (a decoded object) as the generated model ``model``, whose ``from_dict``
    checks every field (ShapeError names the field's path, what the spec says, what came)."""
    try:
        return model.from_dict(data)
    except ShapeError as exc:
        raise error_for_shape(exc, model.__name__, what, endpoint) from exc
