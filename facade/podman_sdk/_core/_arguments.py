"""Checks of the plain arguments every domain takes (names, string maps), made before
any request: a wrong type or an empty name raises `InvalidArgument` naming it."""

from __future__ import annotations

from collections.abc import Mapping

from podman_sdk._exceptions import InvalidArgument


def required_name(value: object, what: str) -> str:
    """A name or id as a request puts it in a path: a non-empty str."""
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"{what} must be a non-empty str, not {value!r}")
    return value


def optional_name(value: object, what: str) -> str | None:
    return None if value is None else required_name(value, what)


def string_map(value: object, what: str) -> dict[str, str] | None:
    """``labels``, ``driver_opts`` and the like: a mapping of str to str, or None."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise InvalidArgument(f"{what} must be a mapping of str to str, not {value!r}")
    return dict(value)


def optional_bool(value: object, what: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidArgument(f"{what} must be a bool or None, not {value!r}")
    return value
