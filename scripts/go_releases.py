"""One client for every pinned release's server: merge the Go presence verdicts.

The generated client of one release talks to Podman 4.3.1 to 6.0 alike (the facade and
the contract tests run it against each), so a response field is required only when
every pinned release that has the model always writes it, and nullable when any
release may write null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from go_config import Report
from go_presence import RESPONSES, operations, ref_name, with_nullable

Json = Any


@dataclass(frozen=True)
class Presence:
    """One release's verdict on one response definition's properties."""

    properties: frozenset[str]
    required: frozenset[str]
    nullable: frozenset[str]


def presence_table(spec: Json, report: Report) -> dict[str, Presence]:
    """Each resolved response definition's verdict, also under `op:<operationId> <status>`
    for the definition an operation answers with (releases may name it differently:
    v4.3.1's network inspect answers `Network` where v5 answers `NetworkInspectReport`)."""
    definitions = spec["definitions"]
    table = {}
    for name in report.resolved:
        properties = definitions[name].get("properties") or {}
        table[name] = Presence(
            frozenset(properties),
            frozenset(definitions[name].get("required") or ()),
            frozenset(p for p, s in properties.items() if s.get("x-nullable")),
        )
    for key, name in answer_definitions(spec).items():
        if name in table:
            table[key] = table[name]
    return table


def answer_definitions(spec: Json) -> dict[str, str]:
    """`op:<operationId> <status>` -> the definition the answer is (or is a list of)."""
    answers = {}
    for operation in operations(spec):
        for status, declared in (operation.get("responses") or {}).items():
            ref = str(declared.get("$ref", "")).removeprefix(RESPONSES)
            schema = (spec.get("responses") or {}).get(ref, declared).get("schema") or {}
            name = ref_name(schema.get("items", schema))
            if name is not None:
                answers[f"op:{operation.get('operationId')} {status}"] = name
    return answers


def merge_releases(spec: Json, report: Report, others: list[dict[str, Presence]]) -> int:
    """One client serves every pinned release's server: a field is required only when
    every release that has the model always writes it (a release whose model lacks the
    field never writes it), and nullable when any release may write null. A model is
    matched by name, and by the operations that answer with it. Returns how many fields
    the other releases made optional or nullable."""
    aliases: dict[str, list[str]] = {}
    for key, name in answer_definitions(spec).items():
        aliases.setdefault(name, []).append(key)
    changed = 0
    for name in report.resolved:
        schema = spec["definitions"][name]
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        verdicts = [
            table[key] for table in others for key in (name, *aliases.get(name, ())) if key in table
        ]
        for other in verdicts:
            kept = {p for p in required if p in other.properties and p in other.required}
            changed += len(required - kept)
            required = kept
            for prop in sorted(other.nullable & set(properties)):
                if not properties[prop].get("x-nullable"):
                    properties[prop] = with_nullable(properties[prop], is_nullable=True)
                    changed += 1
        if required:
            schema["required"] = sorted(required)
        else:
            schema.pop("required", None)
    return changed
