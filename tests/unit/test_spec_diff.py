"""Tests for scripts/spec_diff.py: pure diff functions, the real v4.3.1 -> v5.8.2 specs, CLI."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import spec_diff
import spec_source

# --------------------------------------------------------------------------- fixtures


def make_spec() -> dict[str, Any]:
    """A tiny swagger 2.0 document exercising each kind of element the diff looks at."""
    return {
        "swagger": "2.0",
        "paths": {
            "/libpod/things/{name}/json": {
                "get": {
                    "operationId": "ThingInspect",
                    "parameters": [
                        {"in": "path", "name": "name", "type": "string", "required": True},
                        {"in": "query", "name": "size", "type": "boolean", "default": False},
                    ],
                    "responses": {"200": {"description": "ok"}, "404": {"description": "no"}},
                }
            },
            "/libpod/things": {
                "post": {
                    "operationId": "ThingCreate",
                    "parameters": [
                        {
                            "in": "body",
                            "name": "create",
                            "schema": {"$ref": "#/definitions/ThingSpec"},
                        }
                    ],
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        "definitions": {
            "ThingSpec": {
                "type": "object",
                "required": ["Name"],
                "properties": {
                    "Name": {"type": "string", "description": "the name"},
                    "Size": {"type": "integer", "format": "int64"},
                    "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
            "Old": {"type": "object", "properties": {"A": {"type": "string"}}},
        },
    }


def op(diff: spec_diff.SpecDiff, method: str, path: str) -> spec_diff.OperationDiff:
    matches = [o for o in diff.operations_changed if (o.method, o.path) == (method, path)]
    assert len(matches) == 1, [(o.method, o.path) for o in diff.operations_changed]
    return matches[0]


def definition(diff: spec_diff.SpecDiff, name: str) -> spec_diff.DefinitionDiff:
    matches = [d for d in diff.definitions_changed if d.name == name]
    assert len(matches) == 1, [d.name for d in diff.definitions_changed]
    return matches[0]


# --------------------------------------------------------------------------- pure functions


def test_identical_specs_have_no_differences() -> None:
    diff = spec_diff.diff_specs(make_spec(), make_spec())
    assert diff == spec_diff.SpecDiff()
    assert set(diff.counts().values()) == {0}


def test_description_only_changes_are_ignored() -> None:
    new = make_spec()
    new["definitions"]["ThingSpec"]["properties"]["Name"]["description"] = "reworded"
    new["paths"]["/libpod/things"]["post"]["summary"] = "new summary"
    assert spec_diff.diff_specs(make_spec(), new) == spec_diff.SpecDiff()


def test_operation_added_and_removed() -> None:
    old = make_spec()
    new = make_spec()
    new["paths"]["/libpod/things/{name}/json"]["delete"] = {
        "operationId": "ThingDelete",
        "responses": {"204": {"description": "gone"}},
    }
    del new["paths"]["/libpod/things"]

    diff = spec_diff.diff_specs(old, new)

    assert diff.operations_added == [
        spec_diff.Operation("DELETE", "/libpod/things/{name}/json", "ThingDelete")
    ]
    assert diff.operations_removed == [spec_diff.Operation("POST", "/libpod/things", "ThingCreate")]
    assert diff.operations_changed == []


def test_param_changed_added_removed_and_responses() -> None:
    new = make_spec()
    get = new["paths"]["/libpod/things/{name}/json"]["get"]
    size = get["parameters"][1]
    size.update(type="integer", format="int32", required=True, default=0)
    get["parameters"].append({"in": "header", "name": "X-Trace", "type": "string"})
    get["responses"]["500"] = {"description": "boom"}
    del get["responses"]["404"]
    new["paths"]["/libpod/things"]["post"]["parameters"] = []

    diff = spec_diff.diff_specs(make_spec(), new)

    inspect = op(diff, "GET", "/libpod/things/{name}/json")
    assert [(p.location, p.name) for p in inspect.params_added] == [("header", "X-Trace")]
    assert inspect.params_removed == []
    assert len(inspect.params_changed) == 1
    change = inspect.params_changed[0]
    assert (change.location, change.name) == ("query", "size")
    assert {c.field: (c.old, c.new) for c in change.changes} == {
        "type": ("boolean", "integer"),
        "format": (None, "int32"),
        "required": (False, True),
        "default": (False, 0),
    }
    assert inspect.responses_added == ["500"]
    assert inspect.responses_removed == ["404"]

    create = op(diff, "POST", "/libpod/things")
    assert [(p.location, p.name) for p in create.params_removed] == [("body", "create")]
    assert create.params_removed[0].attrs["schema"] == {"$ref": "#/definitions/ThingSpec"}


def test_operation_id_renamed_and_moved() -> None:
    new = make_spec()
    new["paths"]["/libpod/things/{name}/json"]["get"]["operationId"] = "ThingInspectLibpod"
    new["paths"]["/libpod/things/{name}"] = {"post": new["paths"].pop("/libpod/things")["post"]}

    diff = spec_diff.diff_specs(make_spec(), new)

    inspect = op(diff, "GET", "/libpod/things/{name}/json")
    assert inspect.operation_id_changed == spec_diff.FieldChange(
        "operationId", "ThingInspect", "ThingInspectLibpod"
    )
    text = spec_diff.render(diff)
    assert "POST   /libpod/things/{name}  [ThingCreate]  (was POST /libpod/things)" in text
    assert "      ~ operationId: ThingInspect -> ThingInspectLibpod\n" in text


def test_param_enum_and_location_change() -> None:
    new = make_spec()
    size = new["paths"]["/libpod/things/{name}/json"]["get"]["parameters"][1]
    size["in"] = "header"
    size["enum"] = [True]

    diff = spec_diff.diff_specs(make_spec(), new)

    (change,) = op(diff, "GET", "/libpod/things/{name}/json").params_changed
    assert change.location == "header"
    assert {c.field: (c.old, c.new) for c in change.changes} == {
        "in": ("query", "header"),
        "enum": (None, [True]),
    }


def test_body_schema_change_is_a_param_change() -> None:
    new = make_spec()
    body = new["paths"]["/libpod/things"]["post"]["parameters"][0]
    body["schema"] = {"$ref": "#/definitions/OtherSpec"}

    (change,) = op(spec_diff.diff_specs(make_spec(), new), "POST", "/libpod/things").params_changed
    assert change.changes == [
        spec_diff.FieldChange(
            "schema", {"$ref": "#/definitions/ThingSpec"}, {"$ref": "#/definitions/OtherSpec"}
        )
    ]


def test_property_type_changed_added_removed() -> None:
    new = make_spec()
    props = new["definitions"]["ThingSpec"]["properties"]
    props["Size"] = {"type": "string"}
    props["Labels"]["additionalProperties"] = {"type": "integer"}
    props["Tags"] = {"type": "array", "items": {"type": "string"}, "x-nullable": True}
    del props["Name"]

    diff = spec_diff.diff_specs(make_spec(), new)

    thing = definition(diff, "ThingSpec")
    assert thing.props_added == [
        spec_diff.Property("Tags", {"type": "array", "items": {"type": "string"}, "nullable": True})
    ]
    assert [p.name for p in thing.props_removed] == ["Name"]
    changed = {c.name: {f.field: (f.old, f.new) for f in c.changes} for c in thing.props_changed}
    assert changed == {
        "Labels": {"additionalProperties": ({"type": "string"}, {"type": "integer"})},
        "Size": {"type": ("integer", "string"), "format": ("int64", None)},
    }


def test_property_ref_and_nullable_change() -> None:
    old = make_spec()
    old["definitions"]["ThingSpec"]["properties"]["Owner"] = {"$ref": "#/definitions/Old"}
    new = copy.deepcopy(old)
    new["definitions"]["ThingSpec"]["properties"]["Owner"] = {
        "$ref": "#/definitions/New",
        "x-nullable": True,
    }

    (change,) = definition(spec_diff.diff_specs(old, new), "ThingSpec").props_changed
    assert change.name == "Owner"
    assert {f.field: (f.old, f.new) for f in change.changes} == {
        "$ref": ("#/definitions/Old", "#/definitions/New"),
        "nullable": (None, True),
    }


def test_required_changed() -> None:
    new = make_spec()
    new["definitions"]["ThingSpec"]["required"] = ["Size"]

    thing = definition(spec_diff.diff_specs(make_spec(), new), "ThingSpec")
    assert thing.required_added == ["Size"]
    assert thing.required_removed == ["Name"]
    assert thing.props_changed == []


def test_definitions_added_and_removed() -> None:
    new = make_spec()
    del new["definitions"]["Old"]
    new["definitions"]["Fresh"] = {"type": "string"}

    diff = spec_diff.diff_specs(make_spec(), new)
    assert diff.definitions_added == ["Fresh"]
    assert diff.definitions_removed == ["Old"]
    assert diff.definitions_changed == []


def test_render_is_sorted_and_counts_each_section() -> None:
    new = make_spec()
    new["paths"]["/a/z"] = {"get": {"operationId": "Z", "responses": {}}}
    new["paths"]["/a/b"] = {
        "post": {"operationId": "B2", "responses": {}},
        "get": {"operationId": "B1", "responses": {}},
    }
    new["definitions"]["ThingSpec"]["properties"]["Size"]["type"] = "string"

    text = spec_diff.render(spec_diff.diff_specs(make_spec(), new), "v1", "v2")

    assert text.startswith("Podman API spec diff: v1 -> v2\n")
    assert "operations: +3 -0 ~0; definitions: +0 -0 ~1" in text
    assert "Operations added (3)" in text
    assert "Operations removed (0)" in text
    assert "Definitions changed (1)" in text
    assert text.index("GET    /a/b") < text.index("POST   /a/b") < text.index("GET    /a/z")
    assert "~ Size: type: integer -> string" in text
    # Deterministic: same input, same output.
    assert text == spec_diff.render(spec_diff.diff_specs(make_spec(), new), "v1", "v2")


def test_to_json_round_trips_counts() -> None:
    new = make_spec()
    del new["definitions"]["Old"]
    data = json.loads(spec_diff.to_json(spec_diff.diff_specs(make_spec(), new), "a", "b"))
    assert data["from"] == "a"
    assert data["to"] == "b"
    assert data["counts"]["definitions_removed"] == 1
    assert data["definitions_removed"] == ["Old"]


# --------------------------------------------------------------------------- real specs


@pytest.fixture(scope="module")
def real_diff() -> spec_diff.SpecDiff:
    old = spec_diff.load_spec(spec_source.locate("v4.3.1"))
    new = spec_diff.load_spec(spec_source.locate("v5.8.2"))
    return spec_diff.diff_specs(old, new)


def test_real_quadlet_operations_are_new_in_5(real_diff: spec_diff.SpecDiff) -> None:
    added = {(o.method, o.path): o.operation_id for o in real_diff.operations_added}
    # grep: `/libpod/quadlets/json:` / `operationId: QuadletListLibpod` only in v5.8.2
    assert added[("GET", "/libpod/quadlets/json")] == "QuadletListLibpod"
    assert added[("DELETE", "/libpod/quadlets/{name}")] == "QuadletDeleteLibpod"
    assert "ListQuadlet" in real_diff.definitions_added


def test_real_manifest_create_moved(real_diff: spec_diff.SpecDiff) -> None:
    # v4.3.1 declares `POST /libpod/manifests`; v5.8.2 declares it on `/libpod/manifests/{name}`.
    assert real_diff.operations_removed == [
        spec_diff.Operation("POST", "/libpod/manifests", "ManifestCreateLibpod")
    ]
    assert (
        spec_diff.Operation("POST", "/libpod/manifests/{name}", "ManifestCreateLibpod")
        in real_diff.operations_added
    )


def test_real_parameter_changes(real_diff: spec_diff.SpecDiff) -> None:
    # ps_args of the libpod container top: `type: string` + `default: -ef` -> array of string.
    top = op(real_diff, "GET", "/libpod/containers/{name}/top")
    (ps_args,) = top.params_changed
    assert (ps_args.location, ps_args.name) == ("query", "ps_args")
    assert {c.field: (c.old, c.new) for c in ps_args.changes} == {
        "type": ("string", "array"),
        "items": (None, {"type": "string"}),
        "default": ("-ef", None),
    }
    # restore lost `leaveRunning` (still on checkpoint) and gained `tcpClose`.
    restore = op(real_diff, "POST", "/libpod/containers/{name}/restore")
    assert ("query", "leaveRunning") in [(p.location, p.name) for p in restore.params_removed]
    assert ("query", "tcpClose") in [(p.location, p.name) for p in restore.params_added]
    # the compat network connect gained a 403 response.
    assert op(real_diff, "POST", "/networks/{name}/connect").responses_added == ["403"]


def test_real_schema_changes(real_diff: spec_diff.SpecDiff) -> None:
    # InspectContainerConfig.StopSignal: `format: uint64, type: integer` -> `type: string`.
    config = definition(real_diff, "InspectContainerConfig")
    stop = {c.name: c for c in config.props_changed}["StopSignal"]
    assert {f.field: (f.old, f.new) for f in stop.changes} == {
        "type": ("integer", "string"),
        "format": ("uint64", None),
    }
    # ContainerTopOKBody's `required: [Processes, Titles]` is gone in v5.8.2.
    top = definition(real_diff, "ContainerTopOKBody")
    assert top.required_removed == ["Processes", "Titles"]
    assert top.required_added == []
    assert "ContainerJSON" in real_diff.definitions_removed


# --------------------------------------------------------------------------- CLI


def test_main_prints_report_and_returns_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main(["v4.3.1", "v5.8.2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Podman API spec diff: v4.3.1 -> v5.8.2\n")
    assert "Operations added (" in out
    assert "GET    /libpod/quadlets/json  [QuadletListLibpod]" in out


def test_main_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main(["v4.3.1", "v5.8.2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["operations_added"] == len(data["operations_added"]) > 0


def test_main_accepts_file_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(make_spec()))
    changed = make_spec()
    del changed["definitions"]["Old"]
    new.write_text(json.dumps(changed))

    assert spec_diff.main([str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "Definitions removed (1)\n-----------------------\n  Old\n" in out


def test_main_unknown_release_returns_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main(["v4.3.1", "v9.9.9"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err
    assert err.startswith("error: no pinned spec for Podman 'v9.9.9'")
    assert "v4.3.1, v5.4.2, v5.8.2, v5.8.3, v6.0.0-rc1" in err


def test_main_mismatched_spec_returns_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "swagger-v4.3.1.yaml").write_text("swagger: '2.0'\npaths: {}\n")
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path))
    assert spec_diff.main(["v4.3.1", "v5.8.2"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("error: ")
    assert "sha256" in err


def test_main_missing_file_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main([str(tmp_path / "nope.yaml"), "v5.8.2"]) == 1
    assert "does not exist" in capsys.readouterr().err
