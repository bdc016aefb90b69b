"""Which operations wait on the server, for the endpoint template's call timeout.

spec/waits.yaml lists them, each with its reason. A listed operation is marked
WAITS_MARK; its generated functions read its answer without a limit (the client's
connect, write and pool timeouts stay) unless the call passes ``call_timeout=``. A
release without a listed operation skips it; a name no pinned release has is a typo and
stops the run (scripts/generate.py checks that over every release it generates).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WAITS_FILE = Path(__file__).resolve().parent.parent / "spec" / "waits.yaml"
WAITS_MARK = "x-podman-waits"

Json = dict[str, Any]


class WaitsError(Exception):
    """spec/waits.yaml is malformed."""


@dataclass(frozen=True)
class WaitEntry:
    operation: str
    reason: str


def load_waits(path: Path = WAITS_FILE) -> list[WaitEntry]:
    data = yaml.safe_load(path.read_text()) or {}
    if set(data) != {"waits"}:
        raise WaitsError(f"{path.name}: one section, waits; found {sorted(data)}")
    entries = []
    for entry in data["waits"]:
        if not entry.get("operation") or not entry.get("reason"):
            raise WaitsError(f"{path.name}: entry {entry!r} needs operation and reason")
        entries.append(WaitEntry(entry["operation"], entry["reason"]))
    return entries


def apply_waits(spec: Json, entries: list[WaitEntry]) -> list[str]:
    """Mark the listed operations this release has; return their ids."""
    by_id = {
        operation["operationId"]: operation
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    applied = []
    for entry in entries:
        if entry.operation in by_id:
            by_id[entry.operation][WAITS_MARK] = True
            applied.append(entry.operation)
    return applied
