"""Which operations answer with a stream, for the endpoint template's stream() functions.

Applied to the Swagger document after go_presence (whose JSON-lines bodies it keeps):

- spec/streams.yaml `frames`: the operation is marked FRAMES_MARK; its module splits the
  multiplexed body into Frames (sync returns them all, stream() one by one).
- spec/streams.yaml `json_lines`: the spec's 200 schema is one line; it becomes an array
  of them and the operation is marked go_presence.JSON_LINES_MARK, as go_presence marks
  the bodies it types from Go.

Binary answers need no entry: the endpoint template streams every File answer as bytes.
A release without a listed operation skips it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from go_presence import JSON_LINES_MARK

STREAMS_FILE = Path(__file__).resolve().parent.parent / "spec" / "streams.yaml"
FRAMES_MARK = "x-podman-frames"
KINDS = ("frames", "json_lines")

Json = dict[str, Any]


class StreamsError(Exception):
    """spec/streams.yaml is malformed, or an entry does not fit the spec."""


@dataclass(frozen=True)
class StreamEntry:
    kind: str
    operation: str
    reason: str


def load_streams(path: Path = STREAMS_FILE) -> list[StreamEntry]:
    data = yaml.safe_load(path.read_text()) or {}
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise StreamsError(f"{path.name}: unknown sections {unknown}; known {list(KINDS)}")
    entries = []
    for kind in KINDS:
        for entry in data.get(kind, []):
            if not entry.get("operation") or not entry.get("reason"):
                raise StreamsError(
                    f"{path.name}: {kind} entry {entry!r} needs operation and reason"
                )
            entries.append(StreamEntry(kind, entry["operation"], entry["reason"]))
    return entries


def _operations(spec: Json) -> dict[str, Json]:
    return {
        operation["operationId"]: operation
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def apply_streams(spec: Json, entries: list[StreamEntry]) -> list[str]:
    """Mark and reshape the listed operations this release has; return their ids."""
    by_id = _operations(spec)
    applied = []
    for entry in entries:
        operation = by_id.get(entry.operation)
        if operation is None:
            continue
        if entry.kind == "frames":
            operation[FRAMES_MARK] = True
        else:
            responses = operation.get("responses", {})
            answer = responses.get("200", {})
            ref = answer.get("$ref", "")
            if ref.startswith("#/responses/"):  # shared: reshape a copy of our own
                answer = copy.deepcopy(spec["responses"][ref.removeprefix("#/responses/")])
                responses["200"] = answer
            if "schema" not in answer or operation.get(JSON_LINES_MARK):
                raise StreamsError(
                    f"{entry.operation}: json_lines needs a 200 schema of one line "
                    "(go_types.yaml lists the bodies typed from Go)"
                )
            answer["schema"] = {"type": "array", "items": answer["schema"]}
            operation[JSON_LINES_MARK] = True
        applied.append(entry.operation)
    return applied


def marked_operations(openapi: Json, mark: str) -> list[str]:
    """The operation ids of the OpenAPI document that carry ``mark``."""
    return sorted(
        operation["operationId"]
        for item in openapi.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and operation.get(mark)
    )
