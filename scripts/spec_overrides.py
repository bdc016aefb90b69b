"""Apply the declarative spec fixes in spec/overrides.yaml.

Each override is a JSON-pointer patch with a one-line reason:

    - op: replace            # add | replace | remove | rename-definition | wrap-array
      path: /paths/~1libpod~1images~1{name}~1history/get/responses/200/schema
      value: {...}
      reason: the server sends an array, the spec declares one object
      where_present: true    # optional: see below
      where_absent: true     # optional, for add: see below

Every override applies to every release: there are no per-release lists. A pointer that
does not resolve is an error, so a fix that a new Podman release made unnecessary (or
moved) is noticed instead of silently doing nothing. An override marked
`where_present: true` applies to every release where its pointer resolves and is skipped
elsewhere (for a fix an upstream release made, still needed by the older ones); the
pipeline records which overrides applied to the release it generated. An `add` marked
`where_absent: true` is skipped where the spec already has what it adds: the key, or in a
list (a parameter list) an item of the same `name` and `in` (for what a later release
documents and older releases' handlers already read).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

OVERRIDES_FILE = Path(__file__).resolve().parent.parent / "spec" / "overrides.yaml"
OPS = ("add", "replace", "remove", "rename-definition", "wrap-array")


class OverrideError(Exception):
    """An override is malformed or no longer matches the spec."""


@dataclass(frozen=True)
class Override:
    op: str
    path: str
    reason: str
    value: Any = None
    where_present: bool = False
    where_absent: bool = False
    to: str | None = None
    tests: tuple[str, ...] = field(default=())

    def fingerprint(self) -> dict[str, Any]:
        """What shapes the output (the reason and the tests do not)."""
        return {"op": self.op, "path": self.path, "value": self.value, "to": self.to}


def load_overrides(path: Path = OVERRIDES_FILE) -> list[Override]:
    entries = yaml.safe_load(path.read_text()) or []
    overrides = []
    for index, entry in enumerate(entries):
        where = f"{path.name} entry {index + 1}"
        if entry.get("op") not in OPS:
            raise OverrideError(f"{where}: op must be one of {OPS}, not {entry.get('op')!r}")
        if not entry.get("reason"):
            raise OverrideError(f"{where}: every override needs a one-line reason")
        if entry["op"] in ("add", "replace") and "value" not in entry:
            raise OverrideError(f"{where}: {entry['op']} needs a value")
        if entry.get("where_absent") and entry["op"] != "add":
            raise OverrideError(f"{where}: where_absent goes with add only")
        if entry["op"] == "rename-definition" and not entry.get("to"):
            raise OverrideError(f"{where}: rename-definition needs `to`")
        if "versions" in entry:
            raise OverrideError(
                f"{where}: no per-release lists; an override applies to every release "
                f"(or, with `where_present: true`, to every release where its pointer resolves)"
            )
        overrides.append(
            Override(
                op=entry["op"],
                path=entry["path"],
                reason=entry["reason"],
                value=entry.get("value"),
                where_present=bool(entry.get("where_present", False)),
                where_absent=bool(entry.get("where_absent", False)),
                to=entry.get("to"),
                tests=tuple(entry.get("tests", ())),
            )
        )
    return overrides


def split_pointer(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise OverrideError(f"JSON pointer must start with '/': {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _parent(document: Any, parts: list[str], pointer: str) -> Any:
    node = document
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise OverrideError(f"{pointer}: {part!r} not found; the spec no longer has it")
    return node


def _rename_refs(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        if node.get("$ref") == old:
            node["$ref"] = new
        for child in node.values():
            _rename_refs(child, old, new)
    elif isinstance(node, list):
        for child in node:
            _rename_refs(child, old, new)


def apply_override(document: dict[str, Any], override: Override) -> None:
    """Apply one override in place."""
    parts = split_pointer(override.path)
    parent = _parent(document, parts, override.path)
    key = parts[-1]
    if override.op == "rename-definition":
        if parts[:-1] != ["definitions"] or key not in parent:
            raise OverrideError(f"{override.path}: no such definition")
        if override.to in parent:
            raise OverrideError(f"{override.path}: definition {override.to!r} already exists")
        parent[override.to] = parent.pop(key)
        _rename_refs(document, f"#/definitions/{key}", f"#/definitions/{override.to}")
        return
    if isinstance(parent, list):
        index = len(parent) if key == "-" else int(key)
        if override.op == "add":
            parent.insert(index, copy.deepcopy(override.value))
        elif override.op == "replace":
            parent[index] = copy.deepcopy(override.value)
        else:
            del parent[index]
        return
    if override.op in ("replace", "remove", "wrap-array") and key not in parent:
        raise OverrideError(f"{override.path}: nothing to {override.op}; the spec no longer has it")
    if override.op == "add" and key in parent:
        raise OverrideError(f"{override.path}: already present; use replace")
    if override.op == "wrap-array":
        # The server sends a list of what the spec declares one of.
        parent[key] = {"type": "array", "items": parent[key]}
    elif override.op == "remove":
        del parent[key]
    else:
        parent[key] = copy.deepcopy(override.value)


def resolves(document: dict[str, Any], override: Override) -> bool:
    """Whether the override's pointer names something in `document`."""
    parts = split_pointer(override.path)
    try:
        parent = _parent(document, parts, override.path)
    except (OverrideError, IndexError, ValueError):
        return False
    if isinstance(parent, list):
        return parts[-1] == "-" or (parts[-1].isdigit() and int(parts[-1]) < len(parent))
    return isinstance(parent, dict) and (override.op == "add" or parts[-1] in parent)


def already_there(document: dict[str, Any], override: Override) -> bool:
    """Whether what an ``add`` adds is in `document` already: its key, or in a list an
    item of the same ``name`` and ``in``."""
    parts = split_pointer(override.path)
    try:
        parent = _parent(document, parts, override.path)
    except (OverrideError, IndexError, ValueError):
        return False
    if isinstance(parent, list) and isinstance(override.value, dict):
        named = (override.value.get("name"), override.value.get("in"))
        return any(
            isinstance(item, dict) and (item.get("name"), item.get("in")) == named
            for item in parent
        )
    return isinstance(parent, dict) and parts[-1] in parent


def apply_overrides(
    document: dict[str, Any], overrides: list[Override], version: str
) -> tuple[dict[str, Any], list[Override]]:
    """Return a copy of `document` with the overrides applied, and those that applied."""
    patched = copy.deepcopy(document)
    applied = []
    for override in overrides:
        if override.where_present and not resolves(patched, override):
            continue
        if override.where_absent and already_there(patched, override):
            continue
        try:
            apply_override(patched, override)
        except OverrideError as exc:
            raise OverrideError(f"override for {version} ({override.reason}): {exc}") from exc
        applied.append(override)
    return patched, applied
