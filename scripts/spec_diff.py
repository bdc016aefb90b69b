"""Show what changed in Podman's REST API between two pinned swagger specs.

Usage: `python scripts/spec_diff.py v4.3.1 v5.8.2 [--json]` (or `make spec-diff FROM=.. TO=..`).

Each argument is a release name pinned in spec/versions.toml (located and checksum-verified
through spec_source.locate) or an explicit path to a swagger 2.0 YAML/JSON file.

The report lists, for a maintainer about to regenerate the SDK:
- operations added and removed (METHOD path, operationId);
- for operations in both specs: parameters added, removed or changed (location, type,
  format, items, required, enum, default, body schema) and response codes added/removed;
- definitions added and removed; for definitions in both: properties added, removed or
  whose type/format/$ref/items/additionalProperties/nullable changed, and changes to the
  required list.

Documentation text (descriptions, titles, examples) is deliberately ignored.

The diff logic is pure functions over plain dicts (`diff_specs`, `render`, `to_json`);
only `main` reads files and prints. Exit status: 0 when the diff was produced (differences
are not an error), 1 when a spec cannot be found, verified or parsed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import spec_source
import yaml  # type: ignore[import-untyped, unused-ignore]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
DEF_PREFIX = "#/definitions/"

# Keys of a schema that describe its shape (what a generated model's field looks like).
SHAPE_KEYS = ("type", "format", "$ref", "items", "additionalProperties", "enum", "allOf")
# Keys of a non-body parameter that matter to a generated client.
PARAM_KEYS = ("type", "format", "items", "collectionFormat", "enum", "default")

Json = Any


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Operation:
    method: str  # upper case: GET, POST, ...
    path: str
    operation_id: str


@dataclass(frozen=True)
class FieldChange:
    """One attribute that differs; `None` means absent on that side."""

    field: str
    old: Json
    new: Json


@dataclass(frozen=True)
class Param:
    location: str  # query, path, header, body, formData
    name: str
    attrs: dict[str, Json]  # normalized: see normalize_param


@dataclass(frozen=True)
class ParamChange:
    location: str  # location in the new spec
    name: str
    changes: list[FieldChange]


@dataclass
class OperationDiff:
    method: str
    path: str
    operation_id: str
    operation_id_changed: FieldChange | None = None
    params_added: list[Param] = field(default_factory=list)
    params_removed: list[Param] = field(default_factory=list)
    params_changed: list[ParamChange] = field(default_factory=list)
    responses_added: list[str] = field(default_factory=list)
    responses_removed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.operation_id_changed
            or self.params_added
            or self.params_removed
            or self.params_changed
            or self.responses_added
            or self.responses_removed
        )


@dataclass(frozen=True)
class Property:
    name: str
    shape: dict[str, Json]


@dataclass(frozen=True)
class PropertyChange:
    name: str
    changes: list[FieldChange]


@dataclass
class DefinitionDiff:
    name: str
    schema_changes: list[FieldChange] = field(default_factory=list)
    props_added: list[Property] = field(default_factory=list)
    props_removed: list[Property] = field(default_factory=list)
    props_changed: list[PropertyChange] = field(default_factory=list)
    required_added: list[str] = field(default_factory=list)
    required_removed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.schema_changes
            or self.props_added
            or self.props_removed
            or self.props_changed
            or self.required_added
            or self.required_removed
        )


@dataclass
class SpecDiff:
    operations_added: list[Operation] = field(default_factory=list)
    operations_removed: list[Operation] = field(default_factory=list)
    operations_changed: list[OperationDiff] = field(default_factory=list)
    definitions_added: list[str] = field(default_factory=list)
    definitions_removed: list[str] = field(default_factory=list)
    definitions_changed: list[DefinitionDiff] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "operations_added": len(self.operations_added),
            "operations_removed": len(self.operations_removed),
            "operations_changed": len(self.operations_changed),
            "definitions_added": len(self.definitions_added),
            "definitions_removed": len(self.definitions_removed),
            "definitions_changed": len(self.definitions_changed),
        }


# --------------------------------------------------------------------------- normalizing


def _name_key(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def _status_key(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (1000, code)


def _method_key(method: str) -> int:
    lower = method.lower()
    return HTTP_METHODS.index(lower) if lower in HTTP_METHODS else len(HTTP_METHODS)


def schema_shape(schema: Json) -> Json:
    """Reduce a schema to the keys that shape generated code, recursively.

    `x-nullable: true` becomes `nullable: True`; absence means not nullable.
    Inline object properties are kept (as shapes) so nested changes show up.
    """
    if not isinstance(schema, Mapping):
        return schema  # e.g. additionalProperties: true
    shape: dict[str, Json] = {}
    for key in SHAPE_KEYS:
        if key not in schema:
            continue
        value = schema[key]
        if key in ("items", "additionalProperties"):
            shape[key] = schema_shape(value)
        elif key == "allOf" and isinstance(value, list):
            shape[key] = [schema_shape(part) for part in value]
        else:
            shape[key] = value
    if schema.get("x-nullable"):
        shape["nullable"] = True
    props = schema.get("properties")
    if isinstance(props, Mapping) and props:
        shape["properties"] = {
            name: schema_shape(props[name]) for name in sorted(props, key=_name_key)
        }
    return shape


def normalize_param(param: Mapping[str, Json]) -> dict[str, Json]:
    """The attributes of a parameter that matter to a client, with defaults made explicit."""
    attrs: dict[str, Json] = {"required": bool(param.get("required", False))}
    for key in PARAM_KEYS:
        if key in param:
            attrs[key] = schema_shape(param[key]) if key == "items" else param[key]
    if "schema" in param:
        attrs["schema"] = schema_shape(param["schema"])
    if param.get("x-nullable"):
        attrs["nullable"] = True
    return attrs


def _resolve_param(spec: Mapping[str, Json], param: Mapping[str, Json]) -> Mapping[str, Json]:
    ref = param.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/parameters/"):
        resolved = (spec.get("parameters") or {}).get(ref.removeprefix("#/parameters/"))
        if isinstance(resolved, Mapping):
            return resolved
    return param


def operations_of(spec: Mapping[str, Json]) -> dict[tuple[str, str], Mapping[str, Json]]:
    """Map (METHOD, path) to the operation object.

    Parameters are made self-contained: `$ref`s to the global `parameters` section are
    resolved and path-level parameters are merged in (an operation's own ones win).
    """
    result: dict[tuple[str, str], Mapping[str, Json]] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        shared = [_resolve_param(spec, p) for p in item.get("parameters") or []]
        for method, raw_op in item.items():
            if method.lower() not in HTTP_METHODS or not isinstance(raw_op, Mapping):
                continue
            own = [_resolve_param(spec, p) for p in raw_op.get("parameters") or []]
            own_keys = {(p.get("in"), p.get("name")) for p in own}
            merged = own + [p for p in shared if (p.get("in"), p.get("name")) not in own_keys]
            result[(method.upper(), path)] = {**raw_op, "parameters": merged}
    return result


def params_of(operation: Mapping[str, Json]) -> dict[tuple[str, str], Param]:
    """Map (location, name) to a normalized Param."""
    result: dict[tuple[str, str], Param] = {}
    for param in operation.get("parameters") or []:
        location = str(param.get("in", "?"))
        name = str(param.get("name", "?"))
        result[(location, name)] = Param(location, name, normalize_param(param))
    return result


# --------------------------------------------------------------------------- diffing


def same_value(old: Json, new: Json) -> bool:
    """Equality that, unlike `==`, tells `False` from `0` and `1` from `1.0`."""
    return json.dumps(old, sort_keys=True, default=str) == json.dumps(
        new, sort_keys=True, default=str
    )


def diff_fields(old: Mapping[str, Json], new: Mapping[str, Json]) -> list[FieldChange]:
    """Every key present on one side only or whose value differs, sorted by key."""
    return [
        FieldChange(key, old.get(key), new.get(key))
        for key in sorted(set(old) | set(new))
        if (key in old) != (key in new) or not same_value(old.get(key), new.get(key))
    ]


def diff_params(
    old: Mapping[tuple[str, str], Param], new: Mapping[tuple[str, str], Param]
) -> tuple[list[Param], list[Param], list[ParamChange]]:
    """Parameters added, removed and changed.

    A parameter is identified by (location, name); one that only moved location (its name is
    unique among both the removed and the added ones) is reported as changed, `in` included.
    """
    added = [new[key] for key in new if key not in old]
    removed = [old[key] for key in old if key not in new]
    changed: list[ParamChange] = []
    for key in new.keys() & old.keys():
        changes = diff_fields(old[key].attrs, new[key].attrs)
        if changes:
            changed.append(ParamChange(key[0], key[1], changes))

    added_names = [p.name for p in added]
    removed_names = [p.name for p in removed]
    for name in sorted(set(added_names) & set(removed_names)):
        if added_names.count(name) != 1 or removed_names.count(name) != 1:
            continue
        new_param = next(p for p in added if p.name == name)
        old_param = next(p for p in removed if p.name == name)
        changes = [FieldChange("in", old_param.location, new_param.location)]
        changes += diff_fields(old_param.attrs, new_param.attrs)
        changed.append(ParamChange(new_param.location, name, changes))
        added.remove(new_param)
        removed.remove(old_param)

    def order(p: Param | ParamChange) -> tuple[str, str]:
        return (p.location, p.name)

    return sorted(added, key=order), sorted(removed, key=order), sorted(changed, key=order)


def diff_operation(
    method: str,
    path: str,
    old: Mapping[str, Json],
    new: Mapping[str, Json],
) -> OperationDiff:
    result = OperationDiff(method, path, str(new.get("operationId", "")))
    if old.get("operationId") != new.get("operationId"):
        result.operation_id_changed = FieldChange(
            "operationId", old.get("operationId"), new.get("operationId")
        )
    added, removed, changed = diff_params(params_of(old), params_of(new))
    result.params_added, result.params_removed, result.params_changed = added, removed, changed
    old_codes = {str(code) for code in old.get("responses") or {}}
    new_codes = {str(code) for code in new.get("responses") or {}}
    result.responses_added = sorted(new_codes - old_codes, key=_status_key)
    result.responses_removed = sorted(old_codes - new_codes, key=_status_key)
    return result


def diff_definition(name: str, old: Mapping[str, Json], new: Mapping[str, Json]) -> DefinitionDiff:
    result = DefinitionDiff(name)
    old_shape = schema_shape(old)
    new_shape = schema_shape(new)
    old_props: dict[str, Json] = old_shape.pop("properties", {})
    new_props: dict[str, Json] = new_shape.pop("properties", {})
    result.schema_changes = diff_fields(old_shape, new_shape)
    result.props_added = [
        Property(p, new_props[p]) for p in sorted(new_props.keys() - old_props, key=_name_key)
    ]
    result.props_removed = [
        Property(p, old_props[p]) for p in sorted(old_props.keys() - new_props, key=_name_key)
    ]
    for prop in sorted(old_props.keys() & new_props.keys(), key=_name_key):
        old_p, new_p = old_props[prop], new_props[prop]
        if isinstance(old_p, Mapping) and isinstance(new_p, Mapping):
            changes = diff_fields(old_p, new_p)
        else:
            changes = [] if same_value(old_p, new_p) else [FieldChange("schema", old_p, new_p)]
        if changes:
            result.props_changed.append(PropertyChange(prop, changes))
    old_required = set(old.get("required") or [])
    new_required = set(new.get("required") or [])
    result.required_added = sorted(new_required - old_required, key=_name_key)
    result.required_removed = sorted(old_required - new_required, key=_name_key)
    return result


def diff_specs(old: Mapping[str, Json], new: Mapping[str, Json]) -> SpecDiff:
    """Compare two swagger 2.0 documents (as loaded dicts)."""
    result = SpecDiff()
    old_ops, new_ops = operations_of(old), operations_of(new)

    def op_order(key: tuple[str, str]) -> tuple[str, int]:
        return (key[1], _method_key(key[0]))

    for key in sorted(new_ops.keys() - old_ops.keys(), key=op_order):
        result.operations_added.append(
            Operation(key[0], key[1], str(new_ops[key].get("operationId", "")))
        )
    for key in sorted(old_ops.keys() - new_ops.keys(), key=op_order):
        result.operations_removed.append(
            Operation(key[0], key[1], str(old_ops[key].get("operationId", "")))
        )
    for key in sorted(old_ops.keys() & new_ops.keys(), key=op_order):
        op_diff = diff_operation(key[0], key[1], old_ops[key], new_ops[key])
        if not op_diff.is_empty():
            result.operations_changed.append(op_diff)

    old_defs: Mapping[str, Json] = old.get("definitions") or {}
    new_defs: Mapping[str, Json] = new.get("definitions") or {}
    result.definitions_added = sorted(new_defs.keys() - old_defs.keys(), key=_name_key)
    result.definitions_removed = sorted(old_defs.keys() - new_defs.keys(), key=_name_key)
    for name in sorted(old_defs.keys() & new_defs.keys(), key=_name_key):
        def_diff = diff_definition(name, old_defs[name] or {}, new_defs[name] or {})
        if not def_diff.is_empty():
            result.definitions_changed.append(def_diff)
    return result


# --------------------------------------------------------------------------- rendering


def describe(value: Json) -> str:
    """A short human form of a schema shape or a plain value; `None` renders as `-`."""
    if value is None:
        return "-"
    if isinstance(value, Mapping):
        return _describe_shape(value)
    if isinstance(value, list):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    return json.dumps(value)


def _describe_shape(shape: Mapping[str, Json]) -> str:
    ref = shape.get("$ref")
    if isinstance(ref, str):
        text = ref.removeprefix(DEF_PREFIX)
    elif "allOf" in shape:
        text = "allOf(" + ", ".join(describe(part) for part in shape["allOf"]) + ")"
    else:
        kind = shape.get("type")
        text = str(kind) if kind is not None else "any"
        if "format" in shape:
            text += f"/{shape['format']}"
        if "items" in shape:
            text = f"array of {describe(shape['items'])}"
        elif "additionalProperties" in shape:
            extra = shape["additionalProperties"]
            value = "any" if extra is True or extra == {} else describe(extra)
            text = f"map of {value}"
        elif "properties" in shape:
            inner = ", ".join(f"{k}: {describe(v)}" for k, v in shape["properties"].items())
            text = f"object {{{inner}}}"
    if "enum" in shape:
        text += " enum " + json.dumps(shape["enum"])
    if shape.get("nullable"):
        text += " (nullable)"
    return text


def describe_param(param: Param) -> str:
    attrs = param.attrs
    if "schema" in attrs:
        kind = describe(attrs["schema"])
    else:
        kind = _describe_shape({k: v for k, v in attrs.items() if k in SHAPE_KEYS})
    extras = []
    if attrs.get("required"):
        extras.append("required")
    if "default" in attrs:
        extras.append(f"default={json.dumps(attrs['default'])}")
    if "collectionFormat" in attrs:
        extras.append(f"collectionFormat={attrs['collectionFormat']}")
    suffix = f", {', '.join(extras)}" if extras else ""
    return f"{param.location} {param.name} ({kind}{suffix})"


# Fields whose string values are names, shown bare rather than as JSON strings.
_NAME_FIELDS = frozenset({"type", "format", "$ref", "in", "collectionFormat", "operationId"})


def _describe_field_value(name: str, value: Json) -> str:
    if name in _NAME_FIELDS and isinstance(value, str):
        return value.removeprefix(DEF_PREFIX)
    return describe(value)


def describe_changes(changes: Iterable[FieldChange]) -> str:
    return "; ".join(
        f"{c.field}: {_describe_field_value(c.field, c.old)} -> "
        f"{_describe_field_value(c.field, c.new)}"
        for c in changes
    )


def _heading(title: str, count: int) -> list[str]:
    text = f"{title} ({count})"
    return ["", text, "-" * len(text)]


def _op_line(method: str, path: str, operation_id: str) -> str:
    return f"{method:<7}{path}  [{operation_id}]" if operation_id else f"{method:<7}{path}"


def render_operation_diff(op: OperationDiff) -> list[str]:
    lines = ["  " + _op_line(op.method, op.path, op.operation_id)]
    if op.operation_id_changed:
        lines.append(f"      ~ {describe_changes([op.operation_id_changed])}")
    lines += [f"      + param {describe_param(p)}" for p in op.params_added]
    lines += [f"      - param {describe_param(p)}" for p in op.params_removed]
    lines += [
        f"      ~ param {c.location} {c.name}: {describe_changes(c.changes)}"
        for c in op.params_changed
    ]
    if op.responses_added:
        lines.append(f"      + responses {', '.join(op.responses_added)}")
    if op.responses_removed:
        lines.append(f"      - responses {', '.join(op.responses_removed)}")
    return lines


def render_definition_diff(d: DefinitionDiff) -> list[str]:
    lines = [f"  {d.name}"]
    if d.schema_changes:
        lines.append(f"      ~ schema: {describe_changes(d.schema_changes)}")
    lines += [f"      + {p.name}: {describe(p.shape)}" for p in d.props_added]
    lines += [f"      - {p.name}: {describe(p.shape)}" for p in d.props_removed]
    lines += [f"      ~ {c.name}: {describe_changes(c.changes)}" for c in d.props_changed]
    if d.required_added:
        lines.append(f"      + required: {', '.join(d.required_added)}")
    if d.required_removed:
        lines.append(f"      - required: {', '.join(d.required_removed)}")
    return lines


def render_summary(diff: SpecDiff) -> str:
    c = diff.counts()
    return (
        f"operations: +{c['operations_added']} -{c['operations_removed']} "
        f"~{c['operations_changed']}; definitions: +{c['definitions_added']} "
        f"-{c['definitions_removed']} ~{c['definitions_changed']}"
    )


def render(diff: SpecDiff, old_label: str = "old", new_label: str = "new") -> str:
    """The terminal report: a summary line, then one section per kind of change."""
    lines = [f"Podman API spec diff: {old_label} -> {new_label}", render_summary(diff)]

    def section(title: str, items: list[str]) -> None:
        count = len(items)
        lines.extend(_heading(title, count))
        lines.extend(items if items else ["  (none)"])

    # An operationId that disappears in one place and appears in another is a move.
    removed_at = {
        o.operation_id: f"{o.method} {o.path}" for o in diff.operations_removed if o.operation_id
    }
    added_at = {
        o.operation_id: f"{o.method} {o.path}" for o in diff.operations_added if o.operation_id
    }

    def moved(o: Operation, where: dict[str, str], word: str) -> str:
        line = "  " + _op_line(o.method, o.path, o.operation_id)
        return f"{line}  ({word} {where[o.operation_id]})" if o.operation_id in where else line

    section("Operations added", [moved(o, removed_at, "was") for o in diff.operations_added])
    section("Operations removed", [moved(o, added_at, "now") for o in diff.operations_removed])
    lines.extend(_heading("Operations changed", len(diff.operations_changed)))
    for op in diff.operations_changed:
        lines.extend(render_operation_diff(op))
    if not diff.operations_changed:
        lines.append("  (none)")
    section("Definitions added", [f"  {name}" for name in diff.definitions_added])
    section("Definitions removed", [f"  {name}" for name in diff.definitions_removed])
    lines.extend(_heading("Definitions changed", len(diff.definitions_changed)))
    for d in diff.definitions_changed:
        lines.extend(render_definition_diff(d))
    if not diff.definitions_changed:
        lines.append("  (none)")
    return "\n".join(lines) + "\n"


def to_json(diff: SpecDiff, old_label: str = "old", new_label: str = "new") -> str:
    """Machine-readable form of the diff (stable key order)."""
    payload = {"from": old_label, "to": new_label, "counts": diff.counts(), **asdict(diff)}
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


# --------------------------------------------------------------------------- I/O


def _looks_like_path(arg: str) -> bool:
    return "/" in arg or arg.endswith((".yaml", ".yml", ".json")) or Path(arg).is_file()


def resolve_spec(arg: str) -> Path:
    """A release name goes through spec_source (pinned and verified); a path is used as is."""
    if _looks_like_path(arg):
        path = Path(arg)
        if not path.is_file():
            raise spec_source.SpecError(f"spec file {arg} does not exist")
        return path
    return spec_source.locate(arg)


def load_spec(path: Path) -> dict[str, Json]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)
    if not isinstance(data, dict) or "paths" not in data:
        raise spec_source.SpecError(f"{path} is not a swagger document (no 'paths')")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="spec_diff.py",
        description="Show API differences between two Podman swagger specs.",
    )
    parser.add_argument("old", metavar="FROM", help="release name (e.g. v4.3.1) or spec file")
    parser.add_argument("new", metavar="TO", help="release name (e.g. v5.8.2) or spec file")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    args = parser.parse_args(argv)

    started = time.monotonic()
    try:
        old = load_spec(resolve_spec(args.old))
        new = load_spec(resolve_spec(args.new))
    except (spec_source.SpecError, OSError, yaml.YAMLError) as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 1
    diff = diff_specs(old, new)
    if args.json:
        sys.stdout.write(to_json(diff, args.old, args.new))
    else:
        sys.stdout.write(render(diff, args.old, args.new))
        print(f"\n({time.monotonic() - started:.2f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
