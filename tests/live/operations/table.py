"""The operations table: what each generated operation did on each major, as Markdown.

Pure functions: the list of generated operations, the reasons file, and rendering and
reading the table of ``docs/operations.md``. A cell is the success status a live call
got (``200``; ``200, stream`` when ``stream()`` was read to its end as well),
``not called: <reason>``, or ``mismatch: <why>`` for a call whose answer contradicts
its type while the fix is pending (pending.toml); an operation with none of these is a
gap and renders as ``GAP``.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import libpod_client.api

MAJORS = ("podman4", "podman5", "podman6")
ROOT = Path(__file__).resolve().parents[3]
TABLE_FILE = ROOT / "docs" / "operations.md"
REASONS_FILE = Path(__file__).with_name("reasons.toml")
PENDING_FILE = Path(__file__).with_name("pending.toml")
GAP = "GAP"
NOT_CALLED = "not called: "
MISMATCH = "mismatch: "
BEGIN = "<!-- table:{kind} begins: written by tests/live/operations (PODMAN_SDK_WRITE_TABLE=1) -->"
END = "<!-- table:{kind} ends -->"


@dataclass(frozen=True)
class Operation:
    key: str  # "containers.container_list_libpod": package and module under libpod_client.api
    method: str
    route: str
    streams: bool  # the module has stream()

    @property
    def kind(self) -> str:
        """ "libpod" for the /libpod routes, "compat" for the Docker ones."""
        return "libpod" if self.route.startswith("/libpod/") else "compat"


def operations() -> list[Operation]:
    """Every operation module of the generated package, sorted by key."""
    found = []
    for package in pkgutil.iter_modules(libpod_client.api.__path__):
        parent = importlib.import_module(f"libpod_client.api.{package.name}")
        for module in pkgutil.iter_modules(parent.__path__):
            key = f"{package.name}.{module.name}"
            loaded = importlib.import_module(f"libpod_client.api.{key}")
            # "_OPERATION" reads "name (METHOD /route)".
            method, route = loaded._OPERATION.split("(", 1)[1].rstrip(")").split(" ", 1)
            found.append(Operation(key, method, route, hasattr(loaded, "stream")))
    return sorted(found, key=lambda op: op.key)


def load_reasons(path: Path = REASONS_FILE) -> dict[str, dict[str, str]]:
    """reasons.toml: for an operation, a reason per major (``all`` for every major)."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    reasons: dict[str, dict[str, str]] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise ValueError(f"{path.name}: [{key!r}] must be a table of major = reason")
        per_major: dict[str, str] = {}
        for major, reason in entry.items():
            if major not in (*MAJORS, "all") or not isinstance(reason, str) or not reason:
                raise ValueError(f"{path.name}: [{key!r}] {major!r}: a major (or all) = a reason")
            for each in MAJORS if major == "all" else (major,):
                per_major[each] = reason
        reasons[key] = per_major
    return reasons


def reason_for(reasons: Mapping[str, Mapping[str, str]], key: str, major: str) -> str | None:
    return reasons.get(key, {}).get(major)


def is_called(cell: str) -> bool:
    return cell != GAP and not cell.startswith(NOT_CALLED)


def totals(cells: Iterable[str]) -> str:
    """``called`` counts every call sent, a pending mismatch among them."""
    listed = list(cells)
    called = sum(1 for cell in listed if is_called(cell))
    reasons = sum(1 for cell in listed if cell.startswith(NOT_CALLED))
    gaps = sum(1 for cell in listed if cell == GAP)
    mismatches = sum(1 for cell in listed if cell.startswith(MISMATCH))
    pending = f" ({mismatches} a pending mismatch)" if mismatches else ""
    return f"{called} called{pending}, {reasons} with a reason, {gaps} gaps"


def render(kind: str, ops: list[Operation], results: Mapping[str, Mapping[str, str]]) -> str:
    """The table of ``kind`` (libpod or compat): a row per operation, a column per major,
    then a row of totals. ``results[major][key]`` is a cell; a major absent is empty."""
    rows = [op for op in ops if op.kind == kind]
    lines = [
        "| operation | route | " + " | ".join(MAJORS) + " |",
        "|---|---|" + "---|" * len(MAJORS),
    ]
    for op in rows:
        cells = [results.get(major, {}).get(op.key, "") for major in MAJORS]
        lines.append(f"| `{op.key}` | `{op.method} {op.route}` | " + " | ".join(cells) + " |")
    sums = [
        totals(results[major].get(op.key, GAP) for op in rows) if major in results else ""
        for major in MAJORS
    ]
    lines.append(f"| **total** ({len(rows)}) | | " + " | ".join(sums) + " |")
    return "\n".join(lines)


def read_column(text: str, kind: str, major: str) -> dict[str, str]:
    """One major's column of the committed table of ``kind``: operation key to cell,
    and ``"total"`` to its totals."""
    begin, end = BEGIN.format(kind=kind), END.format(kind=kind)
    if begin not in text or end not in text:
        raise ValueError(f"{TABLE_FILE.name}: no {kind} table (its markers are missing)")
    body = text.split(begin, 1)[1].split(end, 1)[0].strip().splitlines()
    header = [cell.strip() for cell in body[0].strip("|").split("|")]
    index = header.index(major)
    column: dict[str, str] = {}
    for line in body[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        key = "total" if cells[0].startswith("**total**") else cells[0].strip("`")
        column[key] = cells[index]
    return column


def replace_table(text: str, kind: str, table: str) -> str:
    begin, end = BEGIN.format(kind=kind), END.format(kind=kind)
    before, rest = text.split(begin, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{begin}\n{table}\n{end}{after}"


def merged(text: str, kind: str, ops: list[Operation], major: str, cells: Mapping[str, str]) -> str:
    """``text`` with ``major``'s column of the ``kind`` table replaced by ``cells``."""
    results: dict[str, dict[str, str]] = {}
    for other in MAJORS:
        if other == major:
            results[other] = dict(cells)
            continue
        try:
            column = read_column(text, kind, other)
        except (ValueError, IndexError):
            continue
        if any(column.get(op.key) for op in ops if op.kind == kind):
            results[other] = column
    return replace_table(text, kind, render(kind, ops, results))
