"""The table of streaming operations in docs/streams.md ("Streams") against the generated package:
every module with ``stream()`` is listed, under the item type its ``stream()`` yields, and
nothing else is."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import libpod_client.api

PAGE = Path(__file__).resolve().parents[2] / "docs" / "streams.md"
TABLE_HEAD = "| Items | Operations |"
ITEM = re.compile(r"Stream\[(?:\w+\.)*(\w+)\]\]$")
# A remark in the operations cell, "(with `stream=True`)", but not "(_libpod)".
REMARK = re.compile(r"\([^()]*\s[^()]*\)")


def readme_table() -> dict[str, str]:
    """Operation module name -> the item type the page gives it."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEAD) + 2
    listed: dict[str, str] = {}
    for row in lines[start:]:
        if not row.startswith("|"):
            break
        items, operations = row.strip("|").split("|")
        # The first backticked name of the cell, unqualified: `libpod_client.types.Frame`.
        item = re.findall(r"`([\w.]+)`", items)[0].rsplit(".", 1)[-1]
        for name in re.findall(r"`(\w+)(\(_libpod\))?`", REMARK.sub("", operations)):
            listed[name[0]] = item
            if name[1]:
                listed[name[0] + "_libpod"] = item
    return listed


def generated_streams() -> dict[str, str]:
    """Operation module name -> the item type of its ``stream()`` annotation."""
    found: dict[str, str] = {}
    for tag in pkgutil.iter_modules(libpod_client.api.__path__):
        package = importlib.import_module(f"libpod_client.api.{tag.name}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            stream = getattr(module, "stream", None)
            if stream is None:
                continue
            # Postponed annotations: the text as generated, e.g.
            # "AbstractContextManager[_streams.Stream[Event]]".
            returned = str(stream.__annotations__["return"])
            matched = ITEM.search(returned)
            assert matched is not None, (info.name, returned)
            found[info.name] = matched.group(1)
    return found


def test_the_readme_lists_every_streaming_operation_with_its_items() -> None:
    assert readme_table() == generated_streams()
