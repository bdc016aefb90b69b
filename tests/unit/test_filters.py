"""encode_filters: the JSON libpod expects for ``filters=`` (name -> list of strings)."""

from __future__ import annotations

import json

import pytest
from podman_sdk._errors import InvalidArgument
from podman_sdk._filters import Filters, encode_filters


def test_nothing_to_filter_is_none() -> None:
    assert encode_filters(None) is None
    assert encode_filters({}) is None
    assert encode_filters({}, reference=None) is None


def test_exact_encoding_is_compact_and_sorted() -> None:
    filters: Filters = {"reference": ["x", "y"], "label": {"a": "1"}, "dangling": True}
    assert encode_filters(filters) == (
        '{"dangling":["true"],"label":["a=1"],"reference":["x","y"]}'
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, ["true"]),
        (False, ["false"]),
        (0, ["0"]),
        (42, ["42"]),
        ("abc", ["abc"]),
        ("", [""]),
        (["a", "b"], ["a", "b"]),
        (("a",), ["a"]),
        ([], []),
        ({"k": "v", "present": None}, ["k=v", "present"]),
        ({"k": "a=b"}, ["k=a=b"]),
    ],
)
def test_value_kinds(value: object, expected: list[str]) -> None:
    encoded = encode_filters({"f": value})  # type: ignore[dict-item]
    assert encoded is not None
    assert json.loads(encoded) == {"f": expected}


def test_a_string_is_one_value_not_a_list_of_characters() -> None:
    encoded = encode_filters({"reference": "alpine"})
    assert encoded is not None
    assert json.loads(encoded) == {"reference": ["alpine"]}


def test_extra_values_join_the_named_filter() -> None:
    encoded = encode_filters({"reference": ["a"]}, reference="b")
    assert encoded is not None
    assert json.loads(encoded) == {"reference": ["a", "b"]}
    encoded = encode_filters(None, reference="c")
    assert encoded is not None
    assert json.loads(encoded) == {"reference": ["c"]}


@pytest.mark.parametrize(
    "filters",
    [
        {"": "x"},
        {1: "x"},
        {"label": {"a": 1}},
        {"label": {1: "a"}},
        {"reference": ["a", 2]},
        {"reference": [None]},
        {"until": 1.5},
        {"until": None},
        {"x": object()},
    ],
)
def test_invalid_filters_are_refused(filters: object) -> None:
    with pytest.raises(InvalidArgument):
        encode_filters(filters)  # type: ignore[arg-type]
