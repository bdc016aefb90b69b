"""spec/templates/model.py.jinja through the pinned generator, on a small spec that
holds every kind of field the template checks: required and optional, nullable or
not, scalars, date-time and date, a literal enum, nested models, lists (of lists),
typed maps and a oneOf. The module it makes is golden-tested (a change of the
generator's own model template shows up here), then imported and fed good and bad
answers."""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from generate import (
    RELEASE_MODULE,
    SPEC_DIR,
    format_tree,
    render_package_modules,
    run_generator,
    stage_templates,
)

GOLDEN = Path(__file__).parent / "golden" / "model_probe.py.txt"
PACKAGE = "probe_client"

CHILD = {"$ref": "#/components/schemas/Child"}
PROBE_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "probe", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            # The generated errors module names it (the body of every error status).
            "ErrorModel": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Probe": {
                "type": "object",
                "required": ["Name", "Note", "When"],
                "properties": {
                    "Name": {"type": "string"},
                    "Note": {"type": "string", "nullable": True},
                    "When": {"type": "string", "format": "date-time"},
                    "Count": {"type": "integer"},
                    "Sizes": {"type": "array", "items": {"type": "integer"}, "nullable": True},
                    "Ratio": {"type": "number"},
                    "On": {"type": "boolean"},
                    "Kind": {"type": "string", "enum": ["a", "b"]},
                    "Day": {"type": "string", "format": "date"},
                    "Child": CHILD,
                    "Children": {"type": "array", "items": CHILD},
                    "Matrix": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "string"}},
                    },
                    "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "Anything": {},
                    "Either": {"oneOf": [{"type": "integer"}, CHILD]},
                },
            },
            "Child": {
                "type": "object",
                "required": ["N"],
                "properties": {"N": {"type": "integer"}},
            },
            "ChildMap": {"type": "object", "additionalProperties": CHILD},
        }
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The probe package, generated the way scripts/generate.py makes libpod_client."""
    work = tmp_path_factory.mktemp("probe")
    config = yaml.safe_load((SPEC_DIR / "generator.yaml").read_text())
    config["package_name_override"] = PACKAGE
    config_file = work / "generator.yaml"
    config_file.write_text(yaml.safe_dump(config))
    spec_file = work / "probe.json"
    spec_file.write_text(json.dumps(PROBE_SPEC))
    package = work / PACKAGE
    templates = stage_templates(work, PROBE_SPEC)
    run_generator(spec_file, package, templates, config=config_file)
    render_package_modules(templates, package)
    (package / "_release.py").write_text(RELEASE_MODULE.format(version="v0.0.0", sha256="0" * 64))
    format_tree(package)
    return package


@pytest.fixture(scope="module")
def probe(generated: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated.parent))
    try:
        yield importlib.import_module(f"{PACKAGE}.models")
    finally:
        sys.path.remove(str(generated.parent))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_model_template_golden(generated: Path) -> None:
    assert (generated / "models" / "probe.py").read_text() == GOLDEN.read_text()


GOOD: dict[str, Any] = {
    "Name": "n",
    "Note": None,
    "When": "2024-05-01T10:00:00.123456789+02:00",
    "Count": 3,
    "Sizes": [1, 2],
    "Ratio": 1,
    "On": True,
    "Kind": "b",
    "Day": "2024-05-01",
    "Child": {"N": 1, "Extra": [1]},
    "Children": [{"N": 1}, {"N": 2}],
    "Matrix": [["a"], []],
    "Labels": {"k": "v"},
    "Anything": None,
    "Either": {"N": 4},
    "Unknown": {"kept": True},
}


def test_a_good_answer_parses_and_round_trips(probe: ModuleType) -> None:
    parsed = probe.Probe.from_dict(GOOD)
    assert parsed.when == datetime.datetime(
        2024, 5, 1, 10, 0, 0, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert parsed.note is None
    assert parsed.ratio == 1
    assert parsed.child.additional_properties == {"Extra": [1]}
    assert [child.n for child in parsed.children] == [1, 2]
    assert parsed.labels["k"] == "v"
    assert parsed.either.n == 4
    assert parsed.additional_properties == {"Unknown": {"kept": True}}
    assert probe.Probe.from_dict({**GOOD, "Either": 7}).either == 7
    again = parsed.to_dict()
    assert again["When"] == "2024-05-01T10:00:00.123456+02:00"
    assert {**again, "When": GOOD["When"]} == GOOD


def test_optional_fields_may_be_absent(probe: ModuleType) -> None:
    parsed = probe.Probe.from_dict({"Name": "n", "Note": "x", "When": "2024-05-01T10:00:00Z"})
    assert parsed.count is importlib.import_module(f"{PACKAGE}.types").UNSET
    assert parsed.to_dict() == {"Name": "n", "Note": "x", "When": "2024-05-01T10:00:00+00:00"}


def test_a_string_map_is_a_plain_dict(probe: ModuleType) -> None:
    """scripts/generator_rules.py: an object of strings is a dict[str, str] field, with
    no model class of its own; to_dict hands out a copy."""
    assert not hasattr(probe, "ProbeLabels")
    labels = {"k": "v"}
    built = probe.Probe(name="n", note=None, when=datetime.datetime(2024, 5, 1), labels=labels)
    assert type(built.labels) is dict
    out = built.to_dict()
    assert out["Labels"] == {"k": "v"}
    out["Labels"]["k"] = "changed"
    assert labels == {"k": "v"}
    assert type(probe.Probe.from_dict(GOOD).labels) is dict


@pytest.mark.parametrize(
    ("change", "path", "expected", "got"),
    [
        ({"Name": 5}, ("Name",), "str", 5),
        ({"Name": None}, ("Name",), "str", None),
        ({"Count": True}, ("Count",), "int", True),
        ({"Count": 1.5}, ("Count",), "int", 1.5),
        ({"Count": None}, ("Count",), "int", None),
        ({"Ratio": "1"}, ("Ratio",), "float", "1"),
        ({"On": 1}, ("On",), "bool", 1),
        ({"When": "yesterday"}, ("When",), "date-time", "yesterday"),
        ({"When": 1714557600}, ("When",), "date-time", 1714557600),
        ({"Day": "2024-13-01"}, ("Day",), "date", "2024-13-01"),
        ({"Kind": "c"}, ("Kind",), "one of 'a', 'b'", "c"),
        ({"Kind": ["a"]}, ("Kind",), "one of 'a', 'b'", ["a"]),
        ({"Sizes": [1, True]}, ("Sizes", 1), "int", True),
        ({"Sizes": {"0": 1}}, ("Sizes",), "list[int]", {"0": 1}),
        ({"Child": {"N": "1"}}, ("Child", "N"), "int", "1"),
        ({"Child": {}}, ("Child", "N"), "int", "MISSING"),
        ({"Child": [1]}, ("Child",), "Child", [1]),
        ({"Children": [{"N": 1}, {"N": None}]}, ("Children", 1, "N"), "int", None),
        ({"Matrix": [["a"], ["b", 2]]}, ("Matrix", 1, 1), "str", 2),
        ({"Labels": {"k": 1}}, ("Labels", "k"), "str", 1),
        ({"Labels": ["k"]}, ("Labels",), "dict[str, str]", ["k"]),
        ({"Labels": None}, ("Labels",), "dict[str, str]", None),
        ({"Either": "x"}, ("Either",), "int | Child", "x"),
        ({"Either": {"N": "x"}}, ("Either",), "int | Child", {"N": "x"}),
    ],
)
def test_a_malformed_answer_raises_shape_error(
    probe: ModuleType, change: dict[str, Any], path: tuple[str | int, ...], expected: str, got: Any
) -> None:
    checks = importlib.import_module(f"{PACKAGE}._checks")
    with pytest.raises(checks.ShapeError) as caught:
        probe.Probe.from_dict({**GOOD, **change})
    assert caught.value.path == path
    assert caught.value.expected == expected
    assert caught.value.got == (checks.MISSING if got == "MISSING" else got)


@pytest.mark.parametrize("missing", ["Name", "Note", "When"])
def test_a_missing_required_field_raises_even_when_nullable(
    probe: ModuleType, missing: str
) -> None:
    checks = importlib.import_module(f"{PACKAGE}._checks")
    answer = {key: value for key, value in GOOD.items() if key != missing}
    with pytest.raises(checks.ShapeError) as caught:
        probe.Probe.from_dict(answer)
    assert (caught.value.path, caught.value.got) == ((missing,), checks.MISSING)


def test_a_map_of_models_names_the_key_and_the_field(probe: ModuleType) -> None:
    checks = importlib.import_module(f"{PACKAGE}._checks")
    parsed = probe.ChildMap.from_dict({"a": {"N": 1}})
    assert parsed["a"].n == 1
    with pytest.raises(checks.ShapeError) as caught:
        probe.ChildMap.from_dict({"a": {"N": 1}, "b": {"N": "2"}})
    assert caught.value.path == ("b", "N")
    with pytest.raises(checks.ShapeError) as caught:
        probe.ChildMap.from_dict([])
    assert (caught.value.path, caught.value.expected) == ((), "ChildMap")


def test_the_probe_package_type_checks(generated: Path) -> None:
    """Kinds the pinned specs do not have yet (literal, oneOf, date) pass mypy --strict."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(generated)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
