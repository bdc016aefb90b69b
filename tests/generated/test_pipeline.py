"""The regeneration pipeline: spec pinning, overrides, generic rules, full runs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spec_normalise
import spec_overrides
import spec_source
import yaml
from generate import GenerationError, generate, generator_problems
from openapi_normalise import binary_strings_are_binary

ROOT = Path(__file__).resolve().parents[2]


# --- spec pinning -------------------------------------------------------------------


def _pin(
    tmp_path: Path, content: bytes, url: str = "http://127.0.0.1:9/none"
) -> spec_source.PinnedSpec:
    return spec_source.PinnedSpec(
        "v0.0.1", "swagger-v0.0.1.yaml", url, hashlib.sha256(content).hexdigest()
    )


def test_every_pinned_release_verifies_from_the_mirror() -> None:
    default, pins = spec_source.load_pins()
    assert default == "v5.8.2"
    assert set(pins) == {"v5.8.2", "v4.3.1"}
    for version in pins:
        assert spec_source.sha256_of(spec_source.locate(version)) == pins[version].sha256


def test_checksum_mismatch_names_file_pin_and_fix(tmp_path: Path) -> None:
    pin = _pin(tmp_path, b"the real spec")
    (tmp_path / pin.file).write_bytes(b"a tampered spec")
    with pytest.raises(spec_source.SpecError) as caught:
        spec_source.locate_pin(pin, tmp_path, tmp_path / "cache")
    message = str(caught.value)
    assert pin.file in message
    assert pin.sha256 in message
    assert hashlib.sha256(b"a tampered spec").hexdigest() in message
    assert "update the pin" in message


def test_missing_file_without_network_says_where_it_looked(tmp_path: Path) -> None:
    pin = _pin(tmp_path, b"x")
    with pytest.raises(spec_source.SpecError) as caught:
        spec_source.locate_pin(pin, tmp_path / "mirror", tmp_path / "cache")
    message = str(caught.value)
    assert str(tmp_path / "mirror") in message
    assert pin.url in message
    assert "SPEC_MIRROR" in message
    assert not list((tmp_path / "cache").glob("*")), "an interrupted download leaves nothing"


def test_unknown_release_lists_known_ones() -> None:
    with pytest.raises(spec_source.SpecError, match=r"v4\.3\.1, v5\.8\.2"):
        spec_source.pin_for("v9.9.9")


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
    patched = spec_overrides.apply_overrides(
        doc,
        [
            _override(
                op="replace", path="/paths/~1a/get/consumes", value=["application/octet-stream"]
            ),
            _override(op="add", path="/paths/~1a/get/x-new", value=1),
            _override(op="remove", path="/paths/~1a/get/x-new", versions=("v1",)),
        ],
        "v1",
    )
    assert patched == {"paths": {"/a": {"get": {"consumes": ["application/octet-stream"]}}}}
    assert doc["paths"]["/a"]["get"]["consumes"] == ["text/plain"], "the input is not modified"


def test_override_for_another_release_is_not_applied() -> None:
    doc = {"definitions": {"A": {}}}
    override = _override(op="remove", path="/definitions/A", versions=("v4.3.1",))
    assert spec_overrides.apply_overrides(doc, [override], "v5.8.2") == doc


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
    patched = spec_overrides.apply_overrides(doc, [override], "v1")
    assert patched["definitions"] == {"IDResponse": {"type": "object"}}
    schema = patched["paths"]["/x"]["get"]["responses"]["200"]["schema"]
    assert schema == {"$ref": "#/definitions/IDResponse"}


def test_wrap_array_turns_one_into_a_list_of() -> None:
    doc = {"responses": {"history": {"schema": {"$ref": "#/definitions/H"}}}}
    override = _override(op="wrap-array", path="/responses/history/schema")
    patched = spec_overrides.apply_overrides(doc, [override], "v1")
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


@pytest.mark.parametrize("version", ["v5.8.2", "v4.3.1"])
def test_every_override_still_applies_to_its_release(version: str) -> None:
    swagger = yaml.load(spec_source.locate(version).read_text(), Loader=yaml.CSafeLoader)
    spec_overrides.apply_overrides(swagger, spec_overrides.load_overrides(), version)


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


def test_go_slices_and_maps_become_nullable_but_structs_do_not() -> None:
    spec = {
        "definitions": {
            "A": {
                "properties": {
                    "Tags": {"type": "array", "items": {"type": "string"}},
                    "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "Config": {"type": "object", "properties": {"x": {"type": "string"}}},
                    "Name": {"type": "string"},
                }
            }
        }
    }
    spec_normalise.nullable_go_collections(spec)
    props = spec["definitions"]["A"]["properties"]
    assert props["Tags"]["x-nullable"] is True
    assert props["Labels"]["x-nullable"] is True
    assert "x-nullable" not in props["Config"]
    assert "x-nullable" not in props["Name"]


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


def _import_every_module(package_root: Path) -> tuple[int, list[str]]:
    """Import every module of the libpod_client found in package_root, in a subprocess
    (so it cannot clash with the installed one)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import libpod_client\n"
        f"assert libpod_client.__file__.startswith({str(package_root)!r}), libpod_client.__file__\n"
        "bad = []\n"
        "n = 0\n"
        "for m in pkgutil.walk_packages(libpod_client.__path__, 'libpod_client.'):\n"
        "    n += 1\n"
        "    try: importlib.import_module(m.name)\n"
        "    except Exception as e: bad.append(f'{m.name}: {e!r}')\n"
        "print(n); print(*bad, sep='\\n')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    return int(lines[0]), [line for line in lines[1:] if line]


def _operation_count(version: str) -> int:
    swagger = yaml.load(spec_source.locate(version).read_text(), Loader=yaml.CSafeLoader)
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
    count, failures = _import_every_module(tmp_path)
    assert failures == []
    assert count > 500


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
