"""Turn ``filters=`` arguments into what libpod reads: each filter name mapped to a list
of strings (podman-py sends Python's ``str()`` of the values). The generated request
builders send that map as JSON.

    {"dangling": True, "label": {"a": "1"}, "reference": ["x", "y"]}
    -> {"dangling": ["true"], "label": ["a=1"], "reference": ["x", "y"]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from podman_sdk._exceptions import InvalidArgument

FilterValue = str | bool | int | Sequence[str] | Mapping[str, str | None]
Filters = Mapping[str, FilterValue]


def _filter_strings(name: str, value: FilterValue) -> list[str]:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        # label={"key": "value"} -> "key=value"; {"key": None} -> "key" (present at all).
        pairs = []
        for key, item in value.items():
            if not isinstance(key, str) or not (item is None or isinstance(item, str)):
                raise InvalidArgument(f"filter {name!r}: a mapping must be str -> str or None")
            pairs.append(key if item is None else f"{key}={item}")
        return pairs
    if isinstance(value, Sequence):
        items = list(value)
        if not all(isinstance(item, str) for item in items):
            raise InvalidArgument(f"filter {name!r}: every value in the list must be a str")
        return items
    raise InvalidArgument(
        f"filter {name!r}: {type(value).__name__} is not a filter value "
        "(use str, bool, int, a list of str, or a dict for label)"
    )


def filter_values(filters: Filters | None, **extra: str | None) -> dict[str, list[str]] | None:
    """The ``filters`` query parameter, or None when there is nothing to filter on.
    ``extra`` adds single-valued filters (``name=`` becomes ``reference``)."""
    merged: dict[str, list[str]] = {}
    for name, value in (filters or {}).items():
        if not isinstance(name, str) or not name:
            raise InvalidArgument(f"filter names must be non-empty strings, not {name!r}")
        merged[name] = _filter_strings(name, value)
    for name, item in extra.items():
        if item is not None:
            merged.setdefault(name, []).append(item)
    if not merged:
        return None
    return merged
