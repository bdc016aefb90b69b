"""No broken package reported as success, and a new release leaves the default tree alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import check_releases
import pytest
import spec_overrides
import spec_source
from generate import GenerationError, check_imports, generate
from generated_checks import import_failures, mypy_errors
from spec_collisions import CollisionError

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "generated"


def _fake_package(root: Path, modules: dict[str, str]) -> Path:
    package = root / "libpod_client"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "py.typed").write_text("")
    for name, text in modules.items():
        (package / f"{name}.py").write_text(text)
    return root


def test_a_module_that_does_not_import_stops_the_pipeline(tmp_path: Path) -> None:
    """What five v5.4.2 modules did before the collision rule: the second schema had
    overwritten the first's file, so an import named a class that was not there."""
    root = _fake_package(
        tmp_path,
        {
            "id_response": "class IdResponse: ...\n",
            "user": "from .id_response import IDResponse\n",
            "fine": "X = 1\n",
        },
    )
    count, failures = import_failures(root)
    assert count == 3
    assert failures == [
        "libpod_client.user: ImportError: cannot import name 'IDResponse' from "
        "'libpod_client.id_response' (" + str(root / "libpod_client" / "id_response.py") + ")"
    ]
    with pytest.raises(GenerationError, match=r"1 of 3 generated modules do not import"):
        check_imports(root)


def test_imports_are_checked_against_the_given_tree_not_the_installed_one(tmp_path: Path) -> None:
    root = _fake_package(tmp_path, {"only_here": "X = 1\n"})
    assert import_failures(root) == (1, [])


def test_mypy_strict_errors_are_reported(tmp_path: Path) -> None:
    root = _fake_package(tmp_path, {"bad": "def f(x):\n    return x\n\nY: int = 'a'\n"})
    errors = mypy_errors(root, ["libpod_client"])
    assert any("bad.py:1: error: Function is missing a type annotation" in e for e in errors)
    assert any("bad.py:4: error: Incompatible types in assignment" in e for e in errors)
    assert (
        mypy_errors(_fake_package(tmp_path / "ok", {"good": "Y: int = 1\n"}), ["libpod_client"])
        == []
    )


def test_two_real_definitions_with_one_module_name_stop_generate_naming_both(
    tmp_path: Path,
) -> None:
    overrides = tmp_path / "overrides.yaml"
    shutil.copy(spec_overrides.OVERRIDES_FILE, overrides)
    with overrides.open("a") as handle:
        handle.write(
            "\n- op: add\n  path: /definitions/IdResponse\n"
            "  value: {type: object, properties: {x: {type: string}}}\n  reason: test\n"
        )
    with pytest.raises(CollisionError, match=r"'IDResponse' and 'IdResponse'.*id_response\.py"):
        generate("v5.8.2", tmp_path / "out", overrides_file=overrides)
    assert not (tmp_path / "out" / "libpod_client").exists()


def test_adding_a_release_or_an_override_for_another_leaves_the_default_tree_alone(
    tmp_path: Path,
) -> None:
    """provenance.json records what shaped the release: the overrides that applied, the
    canonical spec, the tools. An override that applies nowhere in v5.8.2 (as one written
    for a new release would) changes nothing in it, and nothing of another release's
    entry in versions.toml is in it (the issue: it hashed the whole overrides file)."""
    overrides = tmp_path / "overrides.yaml"
    shutil.copy(spec_overrides.OVERRIDES_FILE, overrides)
    with overrides.open("a") as handle:
        handle.write(
            "\n- op: remove\n  path: /definitions/OnlyInSomeOtherRelease\n"
            "  where_present: true\n  reason: a fix for another release\n"
        )
    generate("v5.8.2", tmp_path / "out", overrides_file=overrides)
    fresh = (tmp_path / "out" / "provenance.json").read_text()
    assert fresh == (COMMITTED / "provenance.json").read_text()
    record = json.loads(fresh)
    assert "OnlyInSomeOtherRelease" not in fresh
    # Every override applies to the default release, but an add it documents already.
    assert record["overrides_applied"] == [
        f"{o.op} {o.path}" for o in spec_overrides.load_overrides() if not o.where_absent
    ]
    assert "versions" not in fresh
    pins = spec_source.load_pins()[1]
    for version, pin in pins.items():
        if version != "v5.8.2":
            assert version not in fresh
            # v5.8.3's canonical spec is v5.8.2's, byte for byte: the same sha256.
            if pin.canonical_sha256 != pins["v5.8.2"].canonical_sha256:
                assert pin.canonical_sha256 not in fresh


@pytest.mark.slow
@pytest.mark.parametrize("version", ["v4.3.1", "v5.4.2", "v6.0.0-rc1"])
def test_release_generates_imports_and_type_checks_with_the_facade(
    version: str, tmp_path: Path
) -> None:
    """Every pinned release besides the default (which the rest of the suite covers):
    every operation generated, zero warnings and skips (generate raises on any), every
    module imports, mypy --strict clean, and the facade type-checks against the tree but
    for calls passing a parameter the release's API does not have."""
    report = check_releases.check_release(version, tmp_path)
    assert report.error is None
    assert report.endpoints == report.operations > 150
    assert report.generated_mypy == []
    assert report.facade_errors == []
    assert report.ok


def test_only_a_parameter_the_release_lacks_counts_as_an_api_difference(tmp_path: Path) -> None:
    module = "libpod_client.api.images.image_pull_libpod"
    for root, signature in (
        (tmp_path / "old", "reference: str"),
        (tmp_path / "new", "reference: str, compat_mode: bool"),
    ):
        path = root.joinpath(*module.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True)
        path.write_text(f"def _get_kwargs(*, {signature}) -> None: ...\n")
    lines = [
        'p/_x.py:10: error: Unexpected keyword argument "compat_mode"  [call-arg]',
        f'p/_x.py:10: note: Called function defined in "{module}"',
        'p/_x.py:10: error: Unexpected keyword argument "policy"  [call-arg]',
        'p/_x.py:20: error: Need type annotation for "model"  [var-annotated]',
    ]
    differences, other = check_releases.classify_facade_errors(
        lines, tmp_path / "old", tmp_path / "new"
    )
    assert differences == [check_releases.ApiDifference("p/_x.py:10", "compat_mode", module)]
    assert other == [lines[2], lines[3]], "a keyword neither release takes is a facade error"


def test_a_model_the_release_lacks_counts_as_an_api_difference(tmp_path: Path) -> None:
    for root, models in ((tmp_path / "old", "Network"), (tmp_path / "new", "NetworkInspectReport")):
        index = root / "libpod_client" / "models" / "__init__.py"
        index.parent.mkdir(parents=True)
        index.write_text(f"from .x import {models} as {models}\n")
    lines = [
        'p/_n.py:21: error: Module "libpod_client.models" has no attribute "NetworkInspectReport"  [attr-defined]',
        'p/_n.py:22: error: Module "libpod_client.models" has no attribute "NoSuchModel"  [attr-defined]',
    ]
    differences, other = check_releases.classify_facade_errors(
        lines, tmp_path / "old", tmp_path / "new"
    )
    assert differences == [
        check_releases.ApiDifference("p/_n.py:21", "NetworkInspectReport", "libpod_client.models")
    ]
    assert other == [lines[1]], "a model neither release has is a facade error"


def test_a_model_field_the_release_lacks_counts_as_an_api_difference(tmp_path: Path) -> None:
    for root, fields in (
        (tmp_path / "old", "    name: str\n"),
        (tmp_path / "new", "    name: str\n    dns: list[str]\n"),
    ):
        models = root / "libpod_client" / "models"
        models.mkdir(parents=True)
        (models / "net.py").write_text(f"\nclass NetCreate:\n{fields}")
    lines = [
        'p/_n.py:9: error: Unexpected keyword argument "dns" for "NetCreate"  [call-arg]',
        'p/_n.py:9: error: Unexpected keyword argument "nope" for "NetCreate"  [call-arg]',
    ]
    differences, other = check_releases.classify_facade_errors(
        lines, tmp_path / "old", tmp_path / "new"
    )
    assert differences == [check_releases.ApiDifference("p/_n.py:9", "dns", "NetCreate")]
    assert other == [lines[1]]


def test_a_parameter_retyped_by_the_release_counts_as_an_api_difference(tmp_path: Path) -> None:
    facade = tmp_path / "facade.py"
    facade.write_text("x = 1\nrequest = container_top_libpod.request_kwargs(\n    ps_args=[]\n)\n")
    for root, annotation in (
        (tmp_path / "old", "str | Unset"),
        (tmp_path / "new", "Sequence[str] | Unset"),
    ):
        module = root / "libpod_client" / "api" / "containers" / "container_top_libpod.py"
        module.parent.mkdir(parents=True)
        module.write_text(
            f"def _get_kwargs(\n    name: str,\n    *,\n    ps_args: {annotation} = UNSET,\n):\n"
        )
    lines = [
        f'{facade}:3: error: Argument "ps_args" has incompatible type "list[str]"; expected "str | Unset"  [arg-type]',
        f'{facade}:1: error: Argument "other" has incompatible type "int"; expected "str"  [arg-type]',
    ]
    differences, other = check_releases.classify_facade_errors(
        lines, tmp_path / "old", tmp_path / "new"
    )
    module_name = "libpod_client.api.containers.container_top_libpod"
    assert differences == [check_releases.ApiDifference(f"{facade}:3", "ps_args", module_name)]
    assert other == [lines[1]]


def test_a_path_parameter_the_release_takes_elsewhere_counts_as_one_api_difference(
    tmp_path: Path,
) -> None:
    facade = tmp_path / "facade.py"
    facade.write_text(
        "x = 1\nrequest = manifest_create_libpod.request_kwargs(\n    name,\n    images=[],\n)\n"
    )
    for root, head in (
        (tmp_path / "old", "*,\n    name: str,"),
        (tmp_path / "new", "name: str,\n    *,"),
    ):
        module = root / "libpod_client" / "api" / "manifests" / "manifest_create_libpod.py"
        module.parent.mkdir(parents=True)
        module.write_text(
            f"def _get_kwargs(\n    {head}\n    images: list[str] | Unset = UNSET,\n):\n"
        )
    lines = [
        f"{facade}:2: error: Too many positional arguments  [call-arg]",
        f'{facade}:2: error: Missing named argument "name"  [call-arg]',
        f'{facade}:3: error: Argument 1 has incompatible type "str"; expected "Unset"  [arg-type]',
        f'{facade}:1: error: Name "y" is not defined  [name-defined]',
    ]
    differences, other = check_releases.classify_facade_errors(
        lines, tmp_path / "old", tmp_path / "new"
    )
    module_name = "libpod_client.api.manifests.manifest_create_libpod"
    assert differences == [
        check_releases.ApiDifference(f"{facade}:2", "path parameters (name)", module_name)
    ]
    assert other == [lines[3]], "an error away from the call stays a facade error"


def test_an_add_where_absent_is_skipped_where_the_release_documents_it() -> None:
    parameter = {"in": "query", "name": "manifest", "type": "string"}
    override = spec_overrides.Override(
        op="add",
        path="/paths/~1build/post/parameters/-",
        reason="older handlers read it",
        value=parameter,
        where_absent=True,
    )
    older: dict[str, object] = {"paths": {"/build": {"post": {"parameters": []}}}}
    newer = {"paths": {"/build": {"post": {"parameters": [dict(parameter, description="d")]}}}}
    patched, applied = spec_overrides.apply_overrides(older, [override], "old")
    assert patched["paths"]["/build"]["post"]["parameters"] == [parameter]
    assert applied == [override]
    patched, applied = spec_overrides.apply_overrides(newer, [override], "new")
    assert patched == newer
    assert applied == []
