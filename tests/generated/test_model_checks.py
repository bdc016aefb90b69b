"""The committed models check answers: a malformed one raises ShapeError naming the
path, what the spec describes and what came; a good one parses as before."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from libpod_client import models
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
    PodSpecGenerator,
    SpecGenerator,
    VolumeCreateOptions,
)

# Real answers of Podman 5.4.2 about one created container (list entry and inspect).
_CAPTURED = json.loads(
    (Path(__file__).parent / "data" / "podman5_created_container.json").read_text()
)
LISTED: dict[str, Any] = _CAPTURED["list"]
INSPECTED: dict[str, Any] = _CAPTURED["inspect"]


def test_good_answers_parse_and_round_trip() -> None:
    listed = ListContainer.from_dict(LISTED)
    assert listed.created == datetime.datetime(2026, 12, 5, 13, 21, 54, 122351, tzinfo=datetime.UTC)
    assert listed.labels is not None
    assert listed.labels["io.buildah.version"] == "1.39.3"
    assert listed.ports is None
    assert listed.pod == ""
    assert {**listed.to_dict(), "Created": LISTED["Created"]} == LISTED
    inspected = InspectContainerData.from_dict(INSPECTED)
    # Dates come back in Python's ISO form (+00:00 for Z); everything else as it came.
    state = inspected.to_dict()["State"]
    assert {k: v for k, v in state.items() if not k.endswith("At")} == {
        k: v for k, v in INSPECTED["State"].items() if not k.endswith("At")
    }
    assert state["StartedAt"] == "0001-01-01T00:00:00+00:00"


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
        (("State", "Status"), None, "str"),
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
    assert [c.id for c in parse_list(ListContainer.from_dict, [LISTED])] == [LISTED["Id"]]


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


def test_string_maps_are_plain_dicts_in_requests_and_answers() -> None:
    """Issue 27 item 6: labels, annotations and options are dict[str, str] fields, built
    from a dict in the constructor and in from_dict, and checked value by value."""
    for wrapper in ("SpecGeneratorLabels", "PodSpecGeneratorLabels", "VolumeCreateOptionsLabel"):
        assert not hasattr(models, wrapper)
    labels = {"app": "web"}
    spec = SpecGenerator(image="busybox", labels=labels, annotations={"a": "1"})
    assert spec.to_dict()["labels"] == {"app": "web"}
    assert spec.to_dict()["labels"] is not labels
    assert SpecGenerator.from_dict({"labels": labels}).labels == labels
    assert PodSpecGenerator(labels=labels).to_dict()["labels"] == labels
    volume = VolumeCreateOptions(name="v", labels=labels, label={"old": "x"})
    assert volume.to_dict() == {"Name": "v", "Labels": labels, "Label": {"old": "x"}}
    assert ListContainer.from_dict(LISTED).labels == LISTED["Labels"]
    with pytest.raises(ShapeError) as caught:
        SpecGenerator.from_dict({"labels": {"app": 1}})
    assert (caught.value.path, caught.value.expected, caught.value.got) == (
        ("labels", "app"),
        "str",
        1,
    )
    with pytest.raises(ShapeError) as caught:
        SpecGenerator.from_dict({"labels": ["app=web"]})
    assert (caught.value.path, caught.value.expected) == (("labels",), "dict[str, str]")


def test_from_dict_passes_every_field_in_the_constructors_order() -> None:
    """from_dict calls the attrs constructor positionally (keywords cost several times as
    much): in every model, the names it passes are the init fields in attrs' order."""
    import ast  # noqa: PLC0415

    import attrs  # noqa: PLC0415

    checked = 0
    for path in sorted(Path(models.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(models, node.name, None)
            if cls is None or not attrs.has(cls):
                continue
            calls = [
                call
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "cls"
            ]
            assert len(calls) == 1, node.name
            passed = [arg.id for arg in calls[0].args if isinstance(arg, ast.Name)]
            fields = [field.name for field in attrs.fields(cls) if field.init]
            assert passed == fields, node.name
            assert not calls[0].keywords, node.name
            checked += 1
    assert checked > 400
