"""Field presence from Go types (issue #17): the declaration reader, the encoding/json
rule, the swagger pass on small Go trees, and the pinned v5.8.2 release end to end."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from generate import build_swagger
from go_config import GoPresenceError, GoTypesConfig, ResponseType, load_config
from go_json import json_fields, nullable
from go_loader import Loader, build_constraint_holds, file_selected
from go_presence import GoPresence, apply_go_presence, operations
from go_source import source_tree
from go_types import Named, Struct
from spec_source import load_canonical, load_pins

MODULE = "example.com/m"


def go_tree(tmp_path: Path, files: dict[str, str]) -> Loader:
    (tmp_path / "go.mod").write_text(f"module {MODULE}\n\ngo 1.22\n")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Loader(tmp_path)


API = """package api

import (
\tdocker "example.com/vendored/types/v2"
\t"time"
)

// A doc comment with json:"fake" in it.
type Base struct {
\tID string `json:"Id"`
\tShared string
}

type Extra struct{ Note string }

type Labels map[string]string

type Same = Summary

type Summary struct {
\tBase
\t*Extra
\tName, Alias string
\tTags      []string          `json:"tags,omitempty"`
\tSecret    string            `json:"-"`
\thidden    string
\tPtr       *int
\tLabels    Labels
\tAny       interface{ M() }
\tErr       error
\tWhen      time.Time
\tFixed     [4]byte
\tVersion   docker.Version    `json:"version"`
\tInline    struct {
\t\tA int `json:"a"`
\t\tB int `json:"b,omitempty"`
\t} `json:"inline"`
\tCallback  func(int) error   `json:"-"`
}
"""

DOCKER = """package types

type Version struct {
\tIndex uint64
}
"""


@pytest.fixture
def loader(tmp_path: Path) -> Loader:
    return go_tree(
        tmp_path,
        {
            "api/api.go": API,
            "api/api_windows.go": "package api\n\ntype Summary struct{ Windows int }\n",
            "vendor/example.com/vendored/types/v2/version.go": DOCKER,
        },
    )


def summary(loader: Loader) -> Struct:
    decl = loader.decl(loader.resolve_alias(Named(f"{MODULE}/api", "Same")))
    assert decl is not None
    assert isinstance(decl.type, Struct)
    return decl.type


def test_encoding_json_rule_on_a_struct(loader: Loader) -> None:
    fields = json_fields(loader, summary(loader))
    assert sorted(fields) == sorted(
        [
            "Id",
            "Shared",
            "Note",
            "Name",
            "Alias",
            "tags",
            "Ptr",
            "Labels",
            "Any",
            "Err",
            "When",
            "Fixed",
            "version",
            "inline",
        ]
    )
    required = {name for name, f in fields.items() if f.required}
    # omitempty and the fields of an embedded pointer may be left out; the rest is written
    assert set(fields) - required == {"tags", "Note"}
    can_be_null = {name for name, f in fields.items() if nullable(loader, f.type)}
    assert can_be_null == {"tags", "Ptr", "Labels", "Any", "Err"}


def test_qualified_names_resolve_through_the_files_imports(loader: Loader) -> None:
    version = json_fields(loader, summary(loader))["version"].type
    assert version == Named("example.com/vendored/types/v2", "Version")
    assert loader.package_name("example.com/vendored/types/v2") == "types"


def test_build_constraints_select_linux_amd64_files(tmp_path: Path) -> None:
    assert build_constraint_holds("linux && !remote")
    assert not build_constraint_holds("!linux || remote")
    assert build_constraint_holds("(linux || freebsd) && amd64")
    assert not file_selected(tmp_path / "x_windows.go", "package x\n")
    assert not file_selected(tmp_path / "x.go", "//go:build darwin\n\npackage x\n")
    assert file_selected(tmp_path / "x_linux.go", "//go:build linux\npackage x\n")


def definition(package: str, name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "x-go-package": package}


def spec_with(definitions: dict[str, Any], body: str | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": "Get",
        "responses": {"200": {"description": "", "schema": {"$ref": "#/definitions/Summary"}}},
    }
    if body:
        operation["parameters"] = [
            {"in": "body", "name": "b", "schema": {"$ref": f"#/definitions/{body}"}}
        ]
    return {"paths": {"/x": {"post": operation}}, "definitions": definitions}


def small_spec(version_package: str = f"{MODULE}/other") -> dict[str, Any]:
    string = {"type": "string"}
    properties = {
        "Id": dict(string),
        "Name": dict(string),
        "tags": {"type": "array", "items": string},
        "Ptr": {"type": "integer"},
        "Secret": dict(string),
        "version": {"$ref": "#/definitions/Version"},
    }
    return spec_with(
        {
            "Summary": definition(f"{MODULE}/api", "Summary", properties),
            # go-swagger recorded the other `Version`: the field holds docker's
            "Version": definition(version_package, "Version", {"Mine": string}),
        }
    )


def test_response_definition_gets_required_and_nullable_from_go(loader: Loader) -> None:
    spec = small_spec()
    report = apply_go_presence(spec, loader, GoTypesConfig((), {}))
    summary_schema = spec["definitions"]["Summary"]
    assert summary_schema["required"] == ["Id", "Name", "Ptr", "version"]
    assert summary_schema["properties"]["Ptr"]["x-nullable"] is True
    assert "x-nullable" not in summary_schema["properties"]["Id"]
    assert "Summary.Secret" in report.unmatched_fields  # json:"-": never written
    assert "x-go-package" not in summary_schema


def test_a_reference_is_the_go_type_its_field_holds(tmp_path: Path) -> None:
    other = "package other\n\ntype Version struct{ Mine string }\n"
    loader = go_tree(
        tmp_path,
        {
            "api/api.go": API,
            "other/other.go": other,
            "vendor/example.com/vendored/types/v2/version.go": DOCKER,
        },
    )
    spec = small_spec()
    report = apply_go_presence(spec, loader, GoTypesConfig((), {}))
    version = spec["definitions"]["Version"]
    assert version["properties"] == {"Index": {"type": "integer", "format": "uint64"}}
    assert version["required"] == ["Index"]
    assert report.repointed[0].startswith("Version: now example.com/vendored/types/v2.Version")


def test_a_definition_used_both_ways_gets_an_optional_request_copy(loader: Loader) -> None:
    spec = small_spec()
    spec["paths"]["/x"]["post"]["parameters"] = [
        {"in": "body", "name": "b", "schema": {"$ref": "#/definitions/Summary"}}
    ]
    report = apply_go_presence(spec, loader, GoTypesConfig((), {}))
    assert report.request_copies == ["SummaryInput"]
    body = spec["paths"]["/x"]["post"]["parameters"][0]["schema"]
    assert body == {"$ref": "#/definitions/SummaryInput"}
    assert "required" not in spec["definitions"]["SummaryInput"]
    assert spec["definitions"]["Summary"]["required"]


def test_an_unresolved_response_definition_stops_the_run_unless_listed(loader: Loader) -> None:
    spec = small_spec("example.com/vendored/types/v2")
    spec["definitions"]["Summary"]["x-go-package"] = f"{MODULE}/gone"
    with pytest.raises(GoPresenceError, match=r"Summary: no type Summary in example\.com/m/gone"):
        apply_go_presence(spec, loader, GoTypesConfig((), {}))
    spec = small_spec("example.com/vendored/types/v2")
    spec["definitions"]["Summary"]["x-go-package"] = f"{MODULE}/gone"
    report = apply_go_presence(spec, loader, GoTypesConfig((), {"Summary": "moved"}))
    assert report.unresolved == {"Summary": "moved"}


# --- the pinned release ---


@pytest.fixture(scope="module")
def v5() -> dict[str, Any]:
    swagger, _applied, _collisions, report = build_swagger("v5.8.2")
    assert report.unresolved == {}
    return swagger


def test_v5_inspect_container_id_required_state_nullable(v5: dict[str, Any]) -> None:
    inspect_data = v5["definitions"]["InspectContainerData"]
    assert "Id" in inspect_data["required"]
    assert "x-nullable" not in inspect_data["properties"]["Id"]
    assert inspect_data["properties"]["State"]["x-nullable"] is True
    assert "State" in inspect_data["required"]


def test_v5_libpod_info_version_is_podmans_define_version(v5: dict[str, Any]) -> None:
    info = v5["definitions"]["LibpodInfo"]
    assert info["properties"]["version"] == {"$ref": "#/definitions/Version"}
    version = v5["definitions"]["Version"]
    assert {"APIVersion", "Version", "GoVersion", "GitCommit", "OsArch", "Os"} <= set(
        version["required"]
    )
    swarm = v5["definitions"]["ClusterInfo"]["properties"]["Version"]
    assert swarm == {"$ref": "#/definitions/SwarmVersion"}


def test_v5_exec_inspect_has_the_handlers_schema(v5: dict[str, Any]) -> None:
    responses = v5["paths"]["/libpod/exec/{id}/json"]["get"]["responses"]
    assert responses["200"]["schema"] == {"$ref": "#/definitions/InspectExecSession"}


def test_generated_models_tell_presence_from_go() -> None:
    from libpod_client.models import InspectContainerData, LibpodInfo, Version  # noqa: PLC0415

    assert LibpodInfo.__annotations__["version"] == "Version"
    assert Version.__annotations__["version"] == "str"
    assert InspectContainerData.__annotations__["id"] == "str"
    assert InspectContainerData.__annotations__["state"] == "InspectContainerState | None"


def test_pod_create_answers_only_its_id() -> None:
    from libpod_client.api.pods import pod_create_libpod  # noqa: PLC0415

    returned = inspect.signature(pod_create_libpod.sync).return_annotation
    assert "IDResponse" in returned
    assert "str" not in returned.replace("IDResponse", "")


def test_one_client_for_every_release_merges_presence() -> None:
    from go_config import Report  # noqa: PLC0415
    from go_releases import Presence, merge_releases  # noqa: PLC0415

    spec = {
        "paths": {},
        "definitions": {
            "M": {
                "properties": {"a": {"type": "string"}, "b": {"$ref": "#/definitions/N"}},
                "required": ["a", "b"],
            }
        },
    }
    older = {"M": Presence(frozenset({"a"}), frozenset({"a"}), frozenset())}
    newer = {"M": Presence(frozenset({"a", "b"}), frozenset({"a", "b"}), frozenset({"b"}))}
    report = Report(resolved=["M"])
    merge_releases(spec, report, [older, newer])
    model = spec["definitions"]["M"]
    assert model["required"] == ["a"]  # the older release never writes b
    assert model["properties"]["b"] == {"allOf": [{"$ref": "#/definitions/N"}], "x-nullable": True}


def test_source_tarball_is_verified_and_unpacked_complete(tmp_path: Path) -> None:
    import hashlib  # noqa: PLC0415
    import io  # noqa: PLC0415
    import tarfile  # noqa: PLC0415

    from go_source import unpack  # noqa: PLC0415

    tarball = tmp_path / "podman-v0.0.1.tar.xz"
    with tarfile.open(tarball, "w:xz") as archive:
        for name, text in {
            "podman-v0.0.1/go.mod": "module m\n",
            "podman-v0.0.1/a/a.go": "package a\n",
            "podman-v0.0.1/a/a_test.go": "package a\n",
            "podman-v0.0.1/README.md": "no\n",
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text.encode()))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    tree = unpack(tarball, digest, tmp_path / "cache")
    assert tree == tmp_path / "cache" / digest
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())
    assert files == ["a/a.go", "go.mod"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [digest]  # no staging left


# -- issue #27: a success type live answers contradicted, kept out on every release ------


@pytest.mark.parametrize("version", sorted(load_pins()[1]))
def test_every_typed_handler_is_in_each_releases_source(version: str) -> None:
    """Each spec/go_types.yaml entry types an answer from what its handler writes: the
    handler must be in every pinned release that has the operation (generation stops
    otherwise, so a release that moved it is read again before its answers are typed)."""
    spec = load_canonical(version)
    present = {op.get("operationId") for op in operations(spec)}
    presence = GoPresence(spec, Loader(source_tree(version)), load_config())
    checked = [e.operation for e in load_config().responses if e.operation in present]
    for entry in load_config().responses:
        if entry.operation in present:
            presence.check_handler(entry)
    assert "ContainersStatsAllLibpod" in checked


def test_a_handler_that_moved_stops_the_run(tmp_path: Path) -> None:
    loader = go_tree(tmp_path, {"h/a.go": "package h\n\nfunc Other() {}\n"})
    entry = ResponseType("Op", "200", ("x.T",), "h/a.go Handler", "why")
    with pytest.raises(GoPresenceError, match=r"h/a\.go Handler is not in this tag.s source"):
        GoPresence({}, loader, GoTypesConfig((entry,), {})).check_handler(entry)
    (tmp_path / "h" / "a_linux.go").write_text("package h\n\nfunc Handler() {}\n")
    GoPresence({}, loader, GoTypesConfig((entry,), {})).check_handler(entry)


@pytest.mark.parametrize("version", sorted(load_pins()[1]))
def test_stats_of_all_containers_are_reports_on_every_release(version: str) -> None:
    """The spec declared ContainerStats; the handler writes ContainerStatsReport lines,
    whose Error its encoding/json writes as an object (issue #27)."""
    swagger = build_swagger(version, all_releases=False)[0]
    (operation,) = [
        op for op in operations(swagger) if op.get("operationId") == "ContainersStatsAllLibpod"
    ]
    schema = operation["responses"]["200"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/definitions/ContainerStatsReport"}
    report = swagger["definitions"]["ContainerStatsReport"]
    assert report["properties"]["Error"]["type"] == "object"
    assert report["properties"]["Stats"]["items"] == {"$ref": "#/definitions/ContainerStats"}
    assert sorted(report["required"]) == ["Error", "Stats"]
