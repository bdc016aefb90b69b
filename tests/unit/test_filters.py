"""filter_values: what libpod reads as ``filters=`` (name -> list of strings), and the
compact JSON the generated request builder sends it as."""

from __future__ import annotations

import pytest
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._requests import list_request


def test_nothing_to_filter_is_none() -> None:
    assert filter_values(None) is None
    assert filter_values({}) is None
    assert filter_values({}, reference=None) is None


def test_exact_encoding_is_compact_and_sorted() -> None:
    filters: Filters = {"reference": ["x", "y"], "label": {"a": "1"}, "dangling": True}
    request = list_request(False, filter_values(filters))
    assert request["params"]["filters"] == (
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
    assert filter_values({"f": value}) == {"f": expected}  # type: ignore[dict-item]


def test_a_string_is_one_value_not_a_list_of_characters() -> None:
    assert filter_values({"reference": "alpine"}) == {"reference": ["alpine"]}


def test_extra_values_join_the_named_filter() -> None:
    assert filter_values({"reference": ["a"]}, reference="b") == {"reference": ["a", "b"]}
    assert filter_values(None, reference="c") == {"reference": ["c"]}


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
        filter_values(filters)  # type: ignore[arg-type]
