"""The committed models check answers: a malformed one raises ShapeError naming the
path, what the spec describes and what came; a good one parses as before."""

from __future__ import annotations

import copy
import datetime
import pickle
from typing import Any

import pytest
from libpod_client._checks import (
    MISSING,
    ShapeError,
    as_bool,
    as_datetime,
    as_float,
    as_int,
    as_str,
    decode_json,
    parse_list,
)
from libpod_client.models import (
    ContainerCreateResponse,
    InspectContainerData,
    ListContainer,
)
from libpod_client.types import UNSET

# The shape of a Podman 5 answer to GET /libpod/containers/json (trimmed).
LISTED: dict[str, Any] = {
    "AutoRemove": False,
    "Command": ["/bin/true"],
    "Created": "2026-12-05T13:13:48.166045147Z",
    "ExitCode": 0,
    "Exited": False,
    "Id": "ebf5a852daa6",
    "Labels": {"io.buildah.version": "1.28.2"},
    "Mounts": [],
    "Names": ["a"],
    "Namespaces": {},
    "Ports": None,
    "Size": None,
    "State": "created",
}

INSPECTED: dict[str, Any] = {
    "Id": "ebf5a852daa6",
    "Created": "2026-12-05T13:13:48.166045147Z",
    "State": {"Status": "created", "ExitCode": 0, "Health": {"Status": "", "Log": None}},
    "Config": {"Entrypoint": None, "OnBuild": None, "Cmd": ["/bin/true"]},
    "Mounts": [],
}


def test_good_answers_parse_and_round_trip() -> None:
    listed = ListContainer.from_dict(LISTED)
    assert listed.created == datetime.datetime(
        2026, 12, 5, 13, 13, 48, 166045, tzinfo=datetime.timezone.utc
    )
    assert listed.labels is not None and listed.labels is not UNSET
    assert listed.labels["io.buildah.version"] == "1.28.2"
    assert listed.ports is None and listed.pod is UNSET
    assert {**listed.to_dict(), "Created": LISTED["Created"]} == LISTED
    inspected = InspectContainerData.from_dict(INSPECTED)
    assert inspected.to_dict()["State"] == INSPECTED["State"]


def test_extra_properties_are_kept() -> None:
    listed = ListContainer.from_dict({**LISTED, "NewInPodman9": {"x": 1}})
    assert listed.additional_properties == {"NewInPodman9": {"x": 1}}
    assert ListContainer.from_dict(LISTED).additional_properties == {}


def _with(answer: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    changed = copy.deepcopy(answer)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("State", "ExitCode"), "5", "int"),
        (("State", "ExitCode"), True, "int"),
        (("State", "Health", "Status"), None, "str"),
        (("Config", "Cmd"), "/bin/true", "list[str]"),
        (("Created",), "5 minutes ago", "date-time"),
        (("Id",), 5, "str"),
        (("State",), [], "InspectContainerState"),
    ],
)
def test_a_wrong_type_deep_in_an_inspect_names_its_path(
    path: tuple[str, ...], value: object, expected: str
) -> None:
    with pytest.raises(ShapeError) as caught:
        InspectContainerData.from_dict(_with(INSPECTED, path, value))
    assert (caught.value.path, caught.value.expected, caught.value.got) == (path, expected, value)


def test_a_list_answer_names_the_index() -> None:
    answer = [LISTED, LISTED, _with(LISTED, ("Names",), ["a", 7])]
    with pytest.raises(ShapeError) as caught:
        parse_list(ListContainer.from_dict, answer)
    assert caught.value.path == (2, "Names", 1)
    assert str(caught.value) == "at $[2].Names[1]: expected str, got 7"
    assert [c.id for c in parse_list(ListContainer.from_dict, [LISTED])] == ["ebf5a852daa6"]


def test_a_map_value_names_its_key() -> None:
    with pytest.raises(ShapeError) as caught:
        ListContainer.from_dict(_with(LISTED, ("Labels", "io.x"), 1))
    assert str(caught.value) == 'at $.Labels["io.x"]: expected str, got 1'


def test_a_missing_required_field_is_missing() -> None:
    with pytest.raises(ShapeError) as caught:
        ContainerCreateResponse.from_dict({"Warnings": []})
    assert (caught.value.path, caught.value.got) == (("Id",), MISSING)
    assert str(caught.value) == "at $.Id: expected str, got nothing (missing)"
    # Required and nullable: null is a value, absence is not.
    assert ContainerCreateResponse.from_dict({"Id": "x", "Warnings": None}).warnings is None
    with pytest.raises(ShapeError, match="Warnings"):
        ContainerCreateResponse.from_dict({"Id": "x"})


def test_a_root_that_is_not_an_object() -> None:
    with pytest.raises(ShapeError) as caught:
        ListContainer.from_dict([LISTED])  # type: ignore[arg-type]
    assert (caught.value.path, caught.value.expected) == ((), "ListContainer")
    with pytest.raises(ShapeError) as caught:
        parse_list(ListContainer.from_dict, {"0": LISTED})
    assert (caught.value.path, caught.value.expected) == ((), "list")


def test_scalar_answers() -> None:
    assert (as_str("x"), as_int(3), as_float(3), as_float(0.5), as_bool(False)) == (
        "x",
        3,
        3,
        0.5,
        False,
    )
    for check, bad in ((as_str, 1), (as_int, True), (as_int, 1.0), (as_float, "1"), (as_bool, 0)):
        with pytest.raises(ShapeError):
            check(bad)
    assert as_datetime("0001-01-01T00:00:00Z").year == 1
    assert parse_list(as_int, [1, 2]) == [1, 2]
    with pytest.raises(ShapeError) as caught:
        parse_list(as_int, [1, False])
    assert caught.value.path == (1,)


def test_a_body_that_is_not_json() -> None:
    assert decode_json(b'{"a": 1}') == {"a": 1}
    with pytest.raises(ShapeError) as caught:
        decode_json(b"<html>oops")
    assert (caught.value.expected, caught.value.got) == ("JSON", b"<html>oops")


def test_shape_error_text_is_short_and_it_pickles() -> None:
    error = ShapeError(("Config",), "InspectContainerConfig", "x" * 500)
    assert len(str(error)) < 140
    again = pickle.loads(pickle.dumps(error))
    assert (again.path, again.expected, again.got) == (error.path, error.expected, error.got)
    missing = pickle.loads(pickle.dumps(ShapeError(("Id",), "str", MISSING)))
    assert missing.got is MISSING
