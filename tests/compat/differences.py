"""The one table of known differences (differences.toml) and its Markdown (docs/compat.md).

Each entry names a podman-py integration test that podman-py passes on a service while
podman_sdk does not, or that neither can pass on this host, and says why. The suite
fails on a test missing from the table and on an entry whose test podman_sdk now passes.

Run ``python -m tests.compat.differences`` to rewrite docs/compat.md from the table.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE / "differences.toml"
DOCS = HERE.parents[1] / "docs" / "compat.md"
MAJORS = ("podman4", "podman5", "podman6")
CATEGORIES = {
    "podman-py-defect": "the test asserts a defect of podman-py's that podman_sdk does not copy",
    "host": "the test needs what this host lacks (either client fails)",
    "not-yet": "the podman_sdk domain it needs is not implemented yet",
    "sdk-bug": "podman_sdk gets it wrong: a bug to fix, listed so that the table stays true",
}
ENTRY_KEYS = {"test", "category", "reason", "majors"}


class TableError(ValueError):
    """differences.toml is malformed: the message names the entry and the problem."""


@dataclass(frozen=True)
class Difference:
    test: str  # "test_file.py::Class::test_name"
    category: str
    reason: str
    majors: tuple[str, ...]


def parse(text: str) -> list[Difference]:
    """The entries of a differences table, checked; raises :class:`TableError`."""
    document = tomllib.loads(text)
    unknown = set(document) - {"difference"}
    if unknown:
        raise TableError(f"unknown top-level keys {sorted(unknown)}")
    entries = []
    seen = set()
    for index, raw in enumerate(document.get("difference", [])):
        where = f"difference #{index + 1} ({raw.get('test', '?')})"
        extra = set(raw) - ENTRY_KEYS
        if extra:
            raise TableError(f"{where}: unknown keys {sorted(extra)}")
        test, category, reason = raw.get("test"), raw.get("category"), raw.get("reason")
        if not isinstance(test, str) or test.count("::") != 2 or not test.startswith("test_"):
            raise TableError(f"{where}: test must be 'test_file.py::Class::test_name'")
        if category not in CATEGORIES:
            raise TableError(f"{where}: category must be one of {sorted(CATEGORIES)}")
        if not isinstance(reason, str) or not reason.strip():
            raise TableError(f"{where}: a reason is required")
        majors = tuple(raw.get("majors", MAJORS))
        if not majors or set(majors) - set(MAJORS):
            raise TableError(f"{where}: majors must be a non-empty subset of {MAJORS}")
        for major in majors:
            if (test, major) in seen:
                raise TableError(f"{where}: listed twice for {major}")
            seen.add((test, major))
        entries.append(Difference(test, category, " ".join(reason.split()), majors))
    return entries


def load() -> list[Difference]:
    return parse(TABLE.read_text())


def for_major(entries: list[Difference], major: str) -> dict[str, Difference]:
    """The entries that apply on ``major``, by test id."""
    return {entry.test: entry for entry in entries if major in entry.majors}


def render(entries: list[Difference]) -> str:
    """docs/compat.md: the table, as Markdown (a standalone page)."""
    lines = [
        "# Compatibility with podman-py 5.8.0",
        "",
        "podman-py 5.8.0's own integration tests (56 tests in 11 files) run against each "
        "Podman major twice: with podman-py itself, and with `import podman` pointed at "
        "`podman_sdk`. Every test that passes with podman-py on a service passes with "
        "`podman_sdk` on the same service, except those listed here. The live test suite "
        "checks both ways: a test missing from this list fails it, and so does a listed "
        "test that `podman_sdk` now passes.",
        "",
        "This page is generated from `tests/compat/differences.toml` "
        "(`python -m tests.compat.differences`); a test checks that the two agree.",
        "",
        "## Categories",
        "",
        "| Category | Meaning | Entries |",
        "|---|---|---|",
    ]
    for category, meaning in CATEGORIES.items():
        count = sum(entry.category == category for entry in entries)
        lines.append(f"| `{category}` | {meaning} | {count} |")
    lines += [
        "",
        "## Differences",
        "",
        "| Test | Category | Podman | Reason |",
        "|---|---|---|---|",
    ]
    for entry in sorted(entries, key=lambda entry: (entry.category, entry.test)):
        file, _cls, name = entry.test.split("::")
        majors = ", ".join(major.removeprefix("podman") for major in entry.majors)
        reason = entry.reason.replace("|", "\\|")
        lines.append(f"| `{file}` `{name}` | `{entry.category}` | {majors} | {reason} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(render(load()))
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
