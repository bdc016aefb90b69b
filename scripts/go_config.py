"""spec/go_types.yaml (what go_presence needs beyond the Go source), go-swagger's
`x-go-package` of each definition, and the report of a go_presence run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Json = Any
CONFIG_FILE = Path(__file__).resolve().parent.parent / "spec" / "go_types.yaml"


class GoPresenceError(Exception):
    """A response definition is unresolved and not listed, or the config is wrong."""


@dataclass(frozen=True)
class ResponseType:
    operation: str
    status: str
    go_type: tuple[str, ...]  # candidates, first found in the tag's source wins
    handler: str
    reason: str
    replaces: str | None = None
    # The handler writes one value a line (events, stats): the body is a list of them.
    json_lines: bool = False
    # The handler encodes with Go's encoding/json, not Podman's jsoniter (whose encoder
    # writes an `error` as its message): an `error` field is then an object of the
    # error's exported fields (`{}` for errors.New and fmt.Errorf), or null.
    stdlib_json: bool = False


@dataclass(frozen=True)
class GoTypesConfig:
    responses: tuple[ResponseType, ...]
    unresolved: dict[str, str]


@dataclass
class Report:
    response_definitions: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)
    fields_total: int = 0
    fields_from_go: int = 0
    unmatched_fields: list[str] = field(default_factory=list)
    repointed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    request_copies: list[str] = field(default_factory=list)
    merged: int = 0  # fields made optional or nullable by another pinned release
    attached: list[str] = field(default_factory=list)
    free_form: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Go types: {len(self.resolved)}/{len(self.response_definitions)} response "
            f"definitions resolved, {self.fields_from_go}/{self.fields_total} fields' presence "
            f"from Go ({self.merged} made optional or nullable by other pinned releases)"
        ]
        lines += [f"  unresolved {name}: {why}" for name, why in sorted(self.unresolved.items())]
        lines += [f"  re-pointed {line}" for line in self.repointed]
        lines += [f"  body from Go: {line}" for line in self.attached]
        if self.request_copies:
            lines.append("  request-side copies: " + ", ".join(self.request_copies))
        return lines


def load_config(path: Path = CONFIG_FILE) -> GoTypesConfig:
    data = yaml.safe_load(path.read_text()) or {}
    responses = []
    for entry in data.get("responses", []):
        if not entry.get("reason") or not entry.get("handler"):
            raise GoPresenceError(f"{path.name}: {entry.get('operation')} needs handler and reason")
        candidates = entry["go_type"]
        responses.append(
            ResponseType(
                operation=entry["operation"],
                status=str(entry["status"]),
                go_type=tuple([candidates] if isinstance(candidates, str) else candidates),
                handler=entry["handler"],
                reason=entry["reason"],
                replaces=str(entry["replaces"]) if "replaces" in entry else None,
                json_lines=bool(entry.get("json_lines", False)),
                stdlib_json=bool(entry.get("stdlib_json", False)),
            )
        )
    unresolved = {}
    for entry in data.get("unresolved", []):
        if not entry.get("reason"):
            raise GoPresenceError(f"{path.name}: unresolved {entry['definition']} needs a reason")
        unresolved[entry["definition"]] = entry["reason"]
    return GoTypesConfig(tuple(responses), unresolved)


def go_packages_of(raw: Json) -> dict[str, str]:
    """Definition name -> `x-go-package`, from go-swagger's own output."""
    definitions = raw.get("definitions") or {}
    return {
        name: schema["x-go-package"]
        for name, schema in definitions.items()
        if isinstance(schema, dict) and "x-go-package" in schema
    }


def annotate_go_packages(spec: Json, packages: dict[str, str]) -> None:
    """Put `x-go-package` back on the canonical document's definitions (before overrides
    and renames, so that it travels with its definition)."""
    for name, schema in (spec.get("definitions") or {}).items():
        if name in packages and isinstance(schema, dict):
            schema["x-go-package"] = packages[name]
