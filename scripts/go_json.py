"""What `encoding/json` writes for a Go type: its fields, their presence, their nullness.

The rules, from the encoding/json documentation (Podman's handlers encode with
jsoniter's ConfigCompatibleWithStandardLibrary, which follows them):

- a field is written when it is exported and its tag is not `json:"-"`; its name is the
  tag's name, or the Go field name when the tag gives none;
- `omitempty` (or `omitzero`) leaves a field out when it is empty: such a field is
  optional, every other one is always written;
- the fields of an embedded struct without a tag name are promoted to the outer object
  (recursively); of several promoted fields with one name the shallowest wins, then the
  tagged one, and a tie drops them all; the fields of an embedded *pointer* are left out
  when the pointer is nil, so they are optional;
- a pointer, slice, map or interface (`error` included, which Podman's jsoniter setup
  writes as its message) may be nil and is then written as `null`, unless its type writes
  itself (MarshalJSON/MarshalText on a non-pointer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from go_loader import Loader
from go_types import (
    Array,
    Field,
    GoType,
    Interface,
    Map,
    Named,
    Pointer,
    Slice,
    Struct,
)

Json = dict[str, object]


@dataclass(frozen=True)
class JsonField:
    name: str
    go_name: str
    type: GoType
    required: bool  # always written
    depth: int
    tagged: bool


def parse_tag(tag: str) -> tuple[str | None, set[str]] | None:
    """(name or None, options) of the `json:` key; None for `json:"-"`."""
    match = re.search(r'(?:^|\s)json:"([^"]*)"', tag)
    if match is None:
        return None, set()
    value = match.group(1)
    if value == "-":
        return None
    name, *options = value.split(",")
    return name or None, set(options)


def underlying(loader: Loader, go_type: GoType) -> GoType:
    """The type's structure with every name resolved (stops at an unknown name)."""
    seen: set[Named] = set()
    while isinstance(go_type, Named) and go_type.pkg and go_type not in seen:
        seen.add(go_type)
        decl = loader.decl(go_type)
        if decl is None:
            return go_type
        go_type = decl.type
    return go_type


def writes_itself(loader: Loader, go_type: GoType) -> bool:
    return isinstance(go_type, Named) and loader.marshals(loader.resolve_alias(go_type))


def nullable(loader: Loader, go_type: GoType) -> bool:
    """Whether encoding/json may write `null` for a value of this type."""
    if isinstance(go_type, Pointer):
        return True
    if writes_itself(loader, go_type):
        return False
    if go_type == Named("", "error"):
        return True
    return isinstance(underlying(loader, go_type), (Slice, Map, Interface))


def json_fields(loader: Loader, struct: Struct) -> dict[str, JsonField]:
    """The object members encoding/json writes for a struct, by JSON name."""
    found: list[JsonField] = []
    _collect(loader, struct, found, depth=0, always=True, visiting=set())
    by_name: dict[str, list[JsonField]] = {}
    for candidate in found:
        by_name.setdefault(candidate.name, []).append(candidate)
    result = {}
    for name, candidates in by_name.items():
        depth = min(c.depth for c in candidates)
        shallow = [c for c in candidates if c.depth == depth]
        tagged = [c for c in shallow if c.tagged]
        if len(shallow) == 1:
            result[name] = shallow[0]
        elif len(tagged) == 1:
            result[name] = tagged[0]
    return result


def _collect(
    loader: Loader,
    struct: Struct,
    found: list[JsonField],
    *,
    depth: int,
    always: bool,
    visiting: set[Named],
) -> None:
    for field in struct.fields:
        tag = parse_tag(field.tag)
        if tag is None:
            continue
        name, options = tag
        if field.embedded and name is None:
            target = field.type.elem if isinstance(field.type, Pointer) else field.type
            inner = underlying(loader, target)
            if isinstance(inner, Struct) and isinstance(target, Named):
                key = loader.resolve_alias(target)
                if key in visiting or (isinstance(field.type, Pointer) and not _exported(field)):
                    continue
                through = always and not isinstance(field.type, Pointer)
                _collect(
                    loader, inner, found, depth=depth + 1, always=through, visiting=visiting | {key}
                )
                continue
        if not _exported(field):
            continue
        omitted = bool(options & {"omitempty", "omitzero"})
        found.append(
            JsonField(
                name=name or field.name,
                go_name=field.name,
                type=field.type,
                required=always and not omitted,
                depth=depth,
                tagged=name is not None,
            )
        )


def _exported(field: Field) -> bool:
    return field.name[:1].isupper()


INTEGER_FORMATS = {
    "int": "int64",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "rune": "int32",
    "uint": "uint64",
    "uint8": "uint8",
    "uint16": "uint16",
    "uint32": "uint32",
    "uint64": "uint64",
    "uintptr": "uint64",
}


def builtin_schema(name: str) -> Json | None:
    if name in ("string", "error"):
        return {"type": "string"}
    if name == "bool":
        return {"type": "boolean"}
    if name in INTEGER_FORMATS:
        return {"type": "integer", "format": INTEGER_FORMATS[name]}
    if name in ("float32", "float64"):
        return {"type": "number", "format": "float" if name == "float32" else "double"}
    return None


def self_written_schema(loader: Loader, named: Named) -> Json | None:
    """The JSON of a type with its own MarshalJSON/MarshalText, where it is known."""
    if named == Named("time", "Time"):
        return {"type": "string", "format": "date-time"}
    if loader.marshals_text(named):
        return {"type": "string"}
    return SELF_WRITTEN.get((loader.package_name(named.pkg), named.name))


# MarshalJSON methods read by hand, by (package name, type name).
SELF_WRITTEN: dict[tuple[str, str], Json] = {
    # docker's api/types/registry: json.Marshal((*net.IPNet)(ipnet).String())
    ("registry", "NetIPNet"): {"type": "string"},
}


def shape(loader: Loader, go_type: GoType, depth: int = 3) -> object:
    """A comparable summary of what encoding/json writes for a type: two Go types of one
    name (docker's and Podman's IDResponse) with the same shape need no second model."""
    if isinstance(go_type, Named):
        named = loader.resolve_alias(go_type)
        if not named.pkg:
            return named.name
        if writes_itself(loader, named):
            return ("self", named)
        inner = underlying(loader, named)
        if depth == 0:
            return ("named", named.name)
        return shape(loader, inner, depth - 1) if inner != named else ("unknown", named)
    if isinstance(go_type, Pointer):
        return ("ptr", shape(loader, go_type.elem, depth))
    if isinstance(go_type, (Slice, Array)):
        return ("list", shape(loader, go_type.elem, depth))
    if isinstance(go_type, Map):
        return ("map", shape(loader, go_type.elem, depth))
    if isinstance(go_type, Struct):
        fields = json_fields(loader, go_type)
        return tuple(
            sorted(
                (name, f.required, nullable(loader, f.type), shape(loader, f.type, depth))
                for name, f in fields.items()
            )
        )
    return type(go_type).__name__
