"""The regeneration pipeline: spec pinning, overrides, generic rules, full runs."""

from __future__ import annotations

import ast
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
import spec_canonical
import spec_collisions
import spec_normalise
import spec_overrides
import spec_source
from generate import (
    GenerationError,
    build_openapi,
    build_swagger,
    check_types,
    format_tree,
    generate,
    generator_problems,
)
from generated_checks import import_failures
from openapi_normalise import binary_strings_are_binary, json_query_table

ROOT = Path(__file__).resolve().parents[2]


# --- spec pinning -------------------------------------------------------------------


PINNED = ["v4.3.1", "v5.4.2", "v5.8.2", "v5.8.3", "v6.0.0-rc1"]
SMALL_SPEC = b"""swagger: '2.0'
paths: {}
definitions:
  IDResponse:
    description: IDResponse Response to an API call that returns just an Id
    type: object
    x-go-package: github.com/docker/docker/api/types/common
  Other:
    description: kept
    type: object
    x-go-package: github.com/containers/podman/v5/libpod/define
"""


def _pin(content: bytes, raw: bytes | None = None) -> spec_source.PinnedSpec:
    return spec_source.PinnedSpec(
        "v0.0.1",
        "swagger-v0.0.1.yaml",
        canonical_sha256=spec_canonical.canonical_sha256(content),
        sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
    )


def test_every_pinned_release_verifies_from_the_mirror() -> None:
    default, pins = spec_source.load_pins()
    assert default == "v5.8.2"
    assert sorted(pins) == PINNED
    for version in pins:
        path = spec_source.locate(version)
        assert spec_canonical.canonical_sha256(path.read_bytes()) == pins[version].canonical_sha256


def test_every_handed_over_file_has_its_pinned_sha256_and_canonical_sha256() -> None:
    """The canonical pins were computed from the handed-over files, which stay pinned too;
    a release handed over as source only (v5.8.3) has no file and no file sha256."""
    source_only = []
    for version, pin in spec_source.load_pins()[1].items():
        shared = spec_source.SHARED_SPEC_DIR / pin.file
        if pin.sha256 is None:
            assert not shared.exists(), f"{version}: pin the handed-over file's sha256"
            source_only.append(version)
            continue
        assert spec_source.sha256_of(shared) == pin.sha256, version
        assert spec_canonical.canonical_sha256(shared.read_bytes()) == pin.canonical_sha256
    assert source_only == ["v5.8.3"]


def test_versions_file_names_no_download_address() -> None:
    """The GitHub release URLs never existed: Podman did not publish the spec there."""
    text = (ROOT / "spec" / "versions.toml").read_text()
    assert "url =" not in text
    assert "releases/download" not in text


def test_checksum_mismatch_names_file_pin_and_fix(tmp_path: Path) -> None:
    pin = _pin(SMALL_SPEC, raw=SMALL_SPEC)
    tampered = SMALL_SPEC.replace(
        b"type: object\n    x-go-package: github.com/containers",
        b"type: string\n    x-go-package: github.com/containers",
    )
    (tmp_path / pin.file).write_bytes(tampered)
    with pytest.raises(spec_source.SpecError) as caught:
        spec_source.locate_pin(pin, [tmp_path])
    message = str(caught.value)
    assert str(tmp_path / pin.file) in message
    assert pin.canonical_sha256 in message
    assert str(pin.sha256) in message
    assert hashlib.sha256(tampered).hexdigest() in message
    assert spec_canonical.canonical_sha256(tampered) in message
    assert "make spec PODMAN_VERSION=v0.0.1" in message
    assert "update the pin" in message


def test_a_rebuilt_file_with_the_same_canonical_form_is_accepted(tmp_path: Path) -> None:
    """Another go-swagger run picks the other IDResponse: other bytes, same API."""
    pin = _pin(SMALL_SPEC, raw=SMALL_SPEC)
    rebuilt = SMALL_SPEC.replace(
        b"    description: IDResponse Response to an API call that returns just an Id\n", b""
    ).replace(b"docker/docker/api/types/common", b"containers/podman/v5/pkg/domain/entities/types")
    assert hashlib.sha256(rebuilt).hexdigest() != pin.sha256
    (tmp_path / pin.file).write_bytes(rebuilt)
    assert spec_source.locate_pin(pin, [tmp_path]) == tmp_path / pin.file


def test_first_directory_with_the_file_wins(tmp_path: Path) -> None:
    pin = _pin(SMALL_SPEC)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / pin.file).write_bytes(SMALL_SPEC)
    assert (
        spec_source.locate_pin(pin, [tmp_path / "a", tmp_path / "b"]) == tmp_path / "b" / pin.file
    )


def test_missing_file_says_where_it_looked_and_how_to_build_it(tmp_path: Path) -> None:
    pin = _pin(SMALL_SPEC)
    with pytest.raises(spec_source.SpecError) as caught:
        spec_source.locate_pin(pin, [tmp_path / "mirror", tmp_path / "shared"])
    message = str(caught.value)
    assert str(tmp_path / "mirror") in message
    assert str(tmp_path / "shared") in message
    assert "make spec PODMAN_VERSION=v0.0.1" in message
    assert "SPEC_MIRROR" in message


def test_spec_mirror_is_the_writable_mirror_and_looked_in_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SPEC_MIRROR", raising=False)
    assert spec_source.writable_mirror() == ROOT / ".cache" / "spec"
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path))
    assert spec_source.writable_mirror() == tmp_path
    assert spec_source.search_dirs() == [tmp_path, ROOT.parent / "shared" / "spec"]


def test_unknown_release_lists_known_ones_and_says_how_to_add_it() -> None:
    with pytest.raises(
        spec_source.SpecError,
        match=r"v4\.3\.1, v5\.4\.2, v5\.8\.2, v5\.8\.3, v6\.0\.0-rc1.*make spec PODMAN_VERSION=v9\.9\.9",
    ):
        spec_source.pin_for("v9.9.9")


# --- canonical form -------------------------------------------------------------------


def test_canonical_form_drops_what_varies_between_go_swagger_runs() -> None:
    document = spec_canonical.canonicalise(spec_canonical.load(SMALL_SPEC))
    assert document["definitions"] == {
        "IDResponse": {"type": "object"},
        "Other": {"description": "kept", "type": "object"},
    }


def test_canonical_bytes_are_a_fixed_point() -> None:
    once = spec_canonical.canonical_bytes(SMALL_SPEC)
    assert spec_canonical.canonical_bytes(once) == once


def test_canonical_form_keeps_yaml_1_1_words_as_strings() -> None:
    """restartPolicy's enum has "no": written unquoted, a YAML 1.1 reader takes it for false."""
    text = b"swagger: '2.0'\npaths: {}\ndefinitions:\n  R:\n    enum: ['no', 'on', always]\n"
    again = spec_canonical.load(spec_canonical.canonical_bytes(text))
    assert again["definitions"]["R"]["enum"] == ["no", "on", "always"]


# --- overrides ------------------------------------------------------------------------


def _override(**fields: Any) -> spec_overrides.Override:
    return spec_overrides.Override(**{"reason": "test", **fields})


def test_pointer_unescapes_slashes_and_tildes() -> None:
    assert spec_overrides.split_pointer("/paths/~1a~1{b}/get/x~0y") == [
        "paths",
        "/a/{b}",
        "get",
        "x~y",
    ]


def test_replace_add_remove() -> None:
    doc = {"paths": {"/a": {"get": {"consumes": ["text/plain"]}}}}
    patched, applied = spec_overrides.apply_overrides(
        doc,
        [
            _override(
                op="replace", path="/paths/~1a/get/consumes", value=["application/octet-stream"]
            ),
            _override(op="add", path="/paths/~1a/get/x-new", value=1),
            _override(op="remove", path="/paths/~1a/get/x-new"),
        ],
        "v1",
    )
    assert len(applied) == 3
    assert patched == {"paths": {"/a": {"get": {"consumes": ["application/octet-stream"]}}}}
    assert doc["paths"]["/a"]["get"]["consumes"] == ["text/plain"], "the input is not modified"


def test_where_present_applies_wherever_the_pointer_resolves_and_only_there() -> None:
    override = _override(op="remove", path="/definitions/A", where_present=True)
    has_it = {"definitions": {"A": {}, "B": {}}}
    lacks_it = {"definitions": {"B": {}}}
    assert spec_overrides.apply_overrides(has_it, [override], "v1") == (
        {"definitions": {"B": {}}},
        [override],
    )
    assert spec_overrides.apply_overrides(lacks_it, [override], "v2") == (lacks_it, [])


def test_per_release_lists_are_refused(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "- op: remove\n  path: /definitions/A\n  versions: [v4.3.1]\n  reason: r\n"
    )
    with pytest.raises(spec_overrides.OverrideError, match="no per-release lists"):
        spec_overrides.load_overrides(overrides)


def test_stale_pointer_stops_the_pipeline() -> None:
    with pytest.raises(spec_overrides.OverrideError, match="no longer has it"):
        spec_overrides.apply_overrides(
            {"paths": {}}, [_override(op="replace", path="/paths/~1gone/get", value={})], "v1"
        )


def test_rename_definition_rewrites_refs() -> None:
    doc = {
        "definitions": {"IdResponse": {"type": "object"}},
        "paths": {
            "/x": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/IdResponse"}}}}}
        },
    }
    override = _override(op="rename-definition", path="/definitions/IdResponse", to="IDResponse")
    patched, _ = spec_overrides.apply_overrides(doc, [override], "v1")
    assert patched["definitions"] == {"IDResponse": {"type": "object"}}
    schema = patched["paths"]["/x"]["get"]["responses"]["200"]["schema"]
    assert schema == {"$ref": "#/definitions/IDResponse"}


def test_wrap_array_turns_one_into_a_list_of() -> None:
    doc = {"responses": {"history": {"schema": {"$ref": "#/definitions/H"}}}}
    override = _override(op="wrap-array", path="/responses/history/schema")
    patched, _ = spec_overrides.apply_overrides(doc, [override], "v1")
    assert patched["responses"]["history"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/definitions/H"},
    }


def test_override_file_is_well_formed_and_every_entry_names_existing_tests() -> None:
    overrides = spec_overrides.load_overrides()
    assert overrides
    for override in overrides:
        assert override.reason.strip()
        assert override.tests, f"override {override.path} names no test that fails without it"
        for test_id in override.tests:
            file, _, name = test_id.partition("::")
            assert f"def {name}(" in (ROOT / file).read_text(), f"{test_id} does not exist"


@pytest.mark.parametrize("version", PINNED)
def test_every_override_still_applies_to_every_release(version: str) -> None:
    overrides = spec_overrides.load_overrides()
    _, applied = spec_overrides.apply_overrides(
        spec_source.load_canonical(version), overrides, version
    )
    # Only a where_present override may be skipped, and a where_absent add where the
    # release documents what it adds.
    conditional = [o for o in overrides if o.where_present or o.where_absent]
    assert applied == [o for o in overrides if o not in conditional or o in applied]
    assert any(o.where_absent for o in overrides)


# --- name collisions ------------------------------------------------------------------


def _defs(**definitions: Any) -> dict[str, Any]:
    return {
        "definitions": definitions,
        "paths": {
            "/x": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/IDResponse"}}}}}
        },
    }


def test_an_alias_of_its_twin_merges_into_it_under_the_alias_name() -> None:
    """v4.3.1 and v5.4.2: IDResponse is a $ref to IdResponse; both are id_response.py."""
    spec = _defs(IDResponse={"$ref": "#/definitions/IdResponse"}, IdResponse={"type": "object"})
    changes = spec_collisions.resolve_collisions(spec)
    assert spec["definitions"] == {"IDResponse": {"type": "object"}}
    assert (
        spec["paths"]["/x"]["get"]["responses"]["200"]["schema"]["$ref"]
        == "#/definitions/IDResponse"
    )
    assert changes == ["IDResponse: alias of IdResponse merged into it, under the name IDResponse"]


def test_an_alias_of_a_third_definition_is_dropped_and_its_references_follow() -> None:
    """v4.3.1: networkCreate ($ref NetworkCreateRequest) and NetworkCreate are one class."""
    spec = _defs(
        networkCreate={
            "$ref": "#/definitions/NetworkCreateRequest",
            "description": "Network create",
        },
        NetworkCreate={"type": "object", "properties": {"A": {"type": "string"}}},
        NetworkCreateRequest={"type": "object"},
        IDResponse={"type": "object"},
        Body={"properties": {"b": {"$ref": "#/definitions/networkCreate"}}},
    )
    spec_collisions.resolve_collisions(spec)
    assert "networkCreate" not in spec["definitions"]
    assert spec["definitions"]["Body"]["properties"]["b"] == {
        "$ref": "#/definitions/NetworkCreateRequest"
    }
    assert spec_collisions.colliding_groups(spec["definitions"]) == []


def test_two_real_definitions_that_collide_stop_the_run_naming_both() -> None:
    spec = _defs(IDResponse={"type": "object"}, IdResponse={"type": "object", "properties": {}})
    with pytest.raises(spec_collisions.CollisionError) as caught:
        spec_collisions.resolve_collisions(spec)
    message = str(caught.value)
    assert "'IDResponse' and 'IdResponse'" in message
    assert "id_response.py" in message
    assert "rename-definition" in message


def test_names_are_the_generators_own() -> None:
    assert spec_collisions.python_names("IDResponse") == ("IDResponse", "id_response")
    assert spec_collisions.python_names("IdResponse") == ("IdResponse", "id_response")
    assert spec_collisions.python_names("networkCreate") == ("NetworkCreate", "network_create")


@pytest.mark.parametrize("version", PINNED)
def test_no_release_is_left_with_a_collision(version: str) -> None:
    spec = spec_source.load_canonical(version)
    spec_collisions.resolve_collisions(spec)
    assert spec_collisions.colliding_groups(spec["definitions"]) == []


# --- generic rules --------------------------------------------------------------------


def test_doc_titles_are_dropped_but_a_property_named_title_stays() -> None:
    spec = {
        "definitions": {
            "A": {"title": "A long doc paragraph.", "properties": {"title": {"type": "string"}}}
        }
    }
    spec_normalise.strip_doc_titles(spec)
    assert spec == {"definitions": {"A": {"properties": {"title": {"type": "string"}}}}}


def test_global_tar_consumes_is_dropped() -> None:
    spec = {"consumes": ["application/json", "application/x-tar"]}
    spec_normalise.drop_global_tar_consumes(spec)
    assert spec["consumes"] == ["application/json"]


@pytest.mark.parametrize(
    ("name", "description", "go_type"),
    [
        (
            "filters",
            "A JSON encoded value of the filters (a `map[string][]string`)",
            "map[string][]string",
        ),
        ("rename", "JSON encoded map[string]string to translate paths", "map[string]string"),
        (
            "buildargs",
            "JSON map of string pairs denoting build-time variables.",
            "map[string]string",
        ),
        ("cachefrom", "JSON array of images used to build cache resolution", "[]string"),
        ("filters", "Returns a list of containers.", "map[string][]string"),  # 4.3.1 forgot
        ("name", "the name", None),
        ("tag", "", None),
    ],
)
def test_json_go_type_reads_the_description(
    name: str, description: str, go_type: str | None
) -> None:
    assert spec_normalise.json_go_type(name, description) == go_type


def test_json_of_an_unknown_shape_stops_the_pipeline() -> None:
    with pytest.raises(spec_source.SpecError, match=r"teach scripts/spec_normalise\.py"):
        spec_normalise.json_go_type("limits", "JSON encoded list of ulimit objects")


def test_only_string_query_parameters_are_marked() -> None:
    parameters = [
        {"in": "query", "name": "filters", "type": "string"},
        {"in": "query", "name": "compatMode", "type": "boolean", "description": "the JSON payload"},
        {"in": "body", "name": "filters", "schema": {}},
    ]
    spec_normalise.json_query_parameters({"paths": {"/x": {"get": {"parameters": parameters}}}})
    assert [p.get(spec_normalise.JSON_QUERY) for p in parameters] == [
        "map[string][]string",
        None,
        None,
    ]


def test_json_query_parameters_of_the_default_release(tmp_path: Path) -> None:
    """The list docs/api.md gives (its paragraph "JSON query parameters"), and that
    every one of them reaches the endpoint template."""
    openapi, _, _, _ = build_openapi(spec_source.pin_for(None).version, tmp_path)
    table = json_query_table(openapi, spec_normalise.JSON_QUERY)
    by_parameter: dict[tuple[str, str], list[str]] = {}
    for operation, parameters in table.items():
        for parameter, go_type in parameters.items():
            by_parameter.setdefault((parameter, go_type), []).append(operation)
    assert sorted(by_parameter) == [
        ("annotations", "map[string]string"),
        ("buildargs", "map[string]string"),
        ("cachefrom", "[]string"),
        ("driveropts", "map[string]string"),
        ("filters", "map[string][]string"),
        ("labels", "map[string]string"),
        ("rename", "map[string]string"),
        ("secrets", "[]string"),
    ]
    assert len(by_parameter[("filters", "map[string][]string")]) == 24
    assert sorted(by_parameter[("labels", "map[string]string")]) == [
        "ImageBuild",
        "ImageBuildLibpod",
        "LocalBuildLibpod",
        "SecretCreateLibpod",
    ]


def test_string_under_binary_media_type_becomes_binary() -> None:
    spec = {
        "paths": {
            "/load": {
                "post": {
                    "requestBody": {
                        "content": {"application/x-tar": {"schema": {"type": "string"}}}
                    },
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"type": "string"}}}}
                    },
                }
            }
        }
    }
    binary_strings_are_binary(spec)
    operation = spec["paths"]["/load"]["post"]
    assert operation["requestBody"]["content"]["application/x-tar"]["schema"]["format"] == "binary"
    assert "format" not in operation["responses"]["200"]["content"]["application/json"]["schema"]


def test_generator_problems_spots_warnings_and_skips() -> None:
    assert generator_problems("Generating x\n") == []
    output = "Warning(s) encountered while generating.\nWARNING parsing POST /x. Endpoint will not be generated.\n"
    assert len(generator_problems(output)) == 2


# --- whole runs -----------------------------------------------------------------------


def _operation_count(version: str) -> int:
    swagger = spec_source.load_canonical(version)
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return sum(1 for item in swagger["paths"].values() for method in item if method in methods)


def _endpoint_modules(package: Path) -> list[Path]:
    return [p for p in (package / "api").rglob("*.py") if p.name != "__init__.py"]


def test_v5_generates_every_operation_without_warnings(tmp_path: Path) -> None:
    # generate() raises GenerationError on any generator warning or skipped operation.
    package = generate("v5.8.2", tmp_path)
    assert len(_endpoint_modules(package)) == _operation_count("v5.8.2") == 192


def test_v4_generates_and_imports(tmp_path: Path) -> None:
    """The issue's command, in a temporary directory: zero warnings, every operation,
    every module imports (v4.3.1's IDResponse/IdResponse and networkCreate collisions)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "generate", "PODMAN_VERSION=v4.3.1", f"OUT={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    package = tmp_path / "libpod_client"
    assert len(_endpoint_modules(package)) == _operation_count("v4.3.1") == 167
    count, failures = import_failures(tmp_path)
    assert failures == []
    assert count > 500
    release = (package / "_release.py").read_text()
    assert 'PODMAN_RELEASE: Final[str] = "v4.3.1"' in release
    assert (
        f'SPEC_SHA256: Final[str] = "{spec_source.pin_for("v4.3.1").canonical_sha256}"' in release
    )


def test_failed_generation_leaves_the_previous_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "libpod_client").mkdir(parents=True)
    (out / "libpod_client" / "keep.py").write_text("previous\n")
    broken = tmp_path / "overrides.yaml"
    broken.write_text("- op: remove\n  path: /definitions/NoSuchThing\n  reason: stale\n")
    with pytest.raises(spec_overrides.OverrideError):
        generate("v5.8.2", out, overrides_file=broken)
    assert (out / "libpod_client" / "keep.py").read_text() == "previous\n"
    assert sorted(p.name for p in out.iterdir()) == ["libpod_client"]


def test_missing_node_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on this PATH
    with pytest.raises(GenerationError, match=r"Node\.js .*apt-get install nodejs"):
        generate("v5.8.2", tmp_path / "out")
    assert not (tmp_path / "out" / "libpod_client").exists()


def test_an_import_for_type_checking_used_at_run_time_fails_the_run(tmp_path: Path) -> None:
    """The endpoint template moves imports under TYPE_CHECKING; one a function still
    needs at run time would be a NameError in a user's call, so the run stops."""
    module = tmp_path / "endpoint.py"
    module.write_text(
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from json import JSONDecoder\n\n\n"
        "def parse(text: str) -> JSONDecoder:\n"
        "    return JSONDecoder()\n"
    )
    with pytest.raises(GenerationError, match="TC004"):
        format_tree(tmp_path)
    module.write_text(module.read_text().replace("return JSONDecoder()", "raise ValueError"))
    format_tree(tmp_path)


def test_a_not_modified_answer_has_no_body() -> None:
    spec = {
        "responses": {
            "alreadyStarted": {
                "description": "already started",
                "schema": {"$ref": "#/definitions/ErrorModel"},
            }
        },
        "paths": {
            "/c/{name}/start": {
                "post": {
                    "responses": {
                        "204": {"description": "ok"},
                        "304": {"$ref": "#/responses/alreadyStarted"},
                    }
                }
            }
        },
    }
    spec_normalise.bodiless_not_modified(spec)
    responses = spec["paths"]["/c/{name}/start"]["post"]["responses"]
    assert responses["304"] == {"description": "already started"}
    assert responses["204"] == {"description": "ok"}


def test_a_tree_that_does_not_type_check_fails_the_run(tmp_path: Path) -> None:
    package = tmp_path / "libpod_client"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "py.typed").write_text("")
    module = package / "upload.py"
    module.write_text("def content(body: str) -> bytes:\n    return body.payload\n")
    with pytest.raises(
        GenerationError,
        match=r"(?s)errors in the generated tree.*\"str\" has no attribute \"payload\"",
    ):
        check_types(tmp_path)
    module.write_text("def content(body: bytes) -> bytes:\n    return body\n")
    check_types(tmp_path)


def _operation(*parameters: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"paths": {"/x": {"post": {"parameters": list(parameters), **fields}}}}


def test_a_plain_string_body_without_media_type_is_a_tar_archive() -> None:
    body = {"in": "body", "name": "b", "schema": {"type": "string"}}
    raw = _operation(body)
    spec_normalise.raw_string_bodies(raw)
    assert raw["paths"]["/x"]["post"]["consumes"] == ["application/x-tar"]
    declared = _operation(body, consumes=["application/yaml"])
    spec_normalise.raw_string_bodies(declared)
    assert declared["paths"]["/x"]["post"]["consumes"] == ["application/yaml"]
    model = _operation({"in": "body", "name": "b", "schema": {"$ref": "#/definitions/M"}})
    spec_normalise.raw_string_bodies(model)
    assert "consumes" not in model["paths"]["/x"]["post"]


def test_a_content_type_parameter_offers_media_types_and_has_no_default() -> None:
    header = {
        "in": "header",
        "name": "Content-Type",
        "type": "string",
        "default": "plain/text",
        "enum": ["plain/text", "application/x-tar"],
    }
    spec = _operation(header, consumes=["application/yaml"])
    spec_normalise.content_type_parameters(spec)
    parameter = spec["paths"]["/x"]["post"]["parameters"][0]
    assert "default" not in parameter
    assert parameter["enum"] == ["application/yaml", "application/x-tar"]


def test_a_shared_request_body_string_is_binary() -> None:
    spec: dict[str, Any] = {
        "paths": {"/a": {"put": {"requestBody": {"$ref": "#/components/requestBodies/tar"}}}},
        "components": {
            "requestBodies": {
                "tar": {"content": {"application/x-tar": {"schema": {"type": "string"}}}}
            }
        },
    }
    binary_strings_are_binary(spec)
    shared = spec["components"]["requestBodies"]["tar"]["content"]["application/x-tar"]
    assert shared["schema"] == {"type": "string", "format": "binary"}


def test_a_binary_answer_declared_json_is_raw_bytes() -> None:
    binary = {"200": {"schema": {"type": "string", "format": "binary"}}}
    declared_json = _operation(produces=["application/json"], responses=binary)
    spec_normalise.binary_answers_are_raw(declared_json)
    assert declared_json["paths"]["/x"]["post"]["produces"] == ["application/octet-stream"]
    tar = _operation(produces=["application/x-tar"], responses=binary)
    spec_normalise.binary_answers_are_raw(tar)
    assert tar["paths"]["/x"]["post"]["produces"] == ["application/x-tar"]
    text = {"200": {"schema": {"type": "string"}}}
    mount = _operation(produces=["application/json"], responses=text)
    spec_normalise.binary_answers_are_raw(mount)
    assert mount["paths"]["/x"]["post"]["produces"] == ["application/json"]


def test_an_answer_documented_as_a_tarball_is_binary() -> None:
    export = _operation(responses={"200": {"description": "tarball is returned in body"}})
    spec_normalise.tarball_answers(export)
    answer = export["paths"]["/x"]["post"]["responses"]["200"]
    assert answer["schema"] == {"type": "string", "format": "binary"}
    checkpoint = _operation(
        responses={"200": {"description": "tarball is returned in body if exported"}}
    )
    spec_normalise.tarball_answers(checkpoint)
    assert "schema" not in checkpoint["paths"]["/x"]["post"]["responses"]["200"]


# --- the scripts themselves -----------------------------------------------------------


def _script_imports() -> dict[str, set[str]]:
    """Each module of scripts/ -> the modules of scripts/ it imports (TYPE_CHECKING too)."""
    modules = {path.stem: path for path in (ROOT / "scripts").glob("*.py")}
    graph = {}
    for name, path in modules.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.partition(".")[0])
        graph[name] = imported & set(modules)
    return graph


def test_no_script_imports_one_that_imports_it_back() -> None:
    """go_loader <-> go_types was such a circle (issue #26): a module is read, and
    tested, without the ones above it."""
    graph = _script_imports()
    assert graph["go_loader"] >= {"go_types"}
    for start in sorted(graph):
        stack, seen = [start], set()
        while stack:
            for imported in graph[stack.pop()]:
                assert imported != start, f"{start} imports itself back through {imported}"
                if imported not in seen:
                    seen.add(imported)
                    stack.append(imported)


def test_no_script_is_named_like_a_test() -> None:
    """pytest collects test_*.py: a script of that name is not a test (issue #26)."""
    assert not [p.name for p in (ROOT / "scripts").glob("test_*.py")]


def test_a_spec_file_without_the_go_binding_is_refused_saying_how_to_rebuild_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What `make spec` wrote before issue #28: the pinned canonical form, which generation
    cannot bind to Go types (it stopped at 126 unresolved definitions)."""
    pin = spec_source.pin_for("v5.8.2")
    shared = (spec_source.SHARED_SPEC_DIR / pin.file).read_bytes()
    (tmp_path / pin.file).write_bytes(spec_canonical.canonical_bytes(shared))
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path))
    with pytest.raises(
        spec_source.SpecError,
        match=r"has no x-go-package lines.*make spec PODMAN_VERSION=v5\.8\.2",
    ):
        build_swagger("v5.8.2", all_releases=False)
