"""The documentation's pages and their fenced code blocks, for the tests that run them.

README.md is the front page; the guides are ``docs/*.md``. A block is a fence with a
language (```python, ```sh, ```console...) up to the closing fence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCS = REPO / "docs"
FENCE = re.compile(r"^```(?P<language>[\w-]*)[^\n]*\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    page: str  # "README.md" or a path below docs/, such as "streams.md"
    index: int  # among the page's blocks of the same language, from 0
    language: str
    code: str


def page_path(page: str) -> Path:
    return README if page == "README.md" else DOCS / page


def pages() -> list[str]:
    """README.md and every Markdown page below docs/."""
    return ["README.md", *(str(p.relative_to(DOCS)) for p in sorted(DOCS.rglob("*.md")))]


def blocks(page: str, language: str | None = None) -> list[Block]:
    """The page's fenced blocks in order, those of ``language`` only if given."""
    found: list[Block] = []
    counts: dict[str, int] = {}
    for match in FENCE.finditer(page_path(page).read_text(encoding="utf-8")):
        lang = match["language"]
        counts[lang] = counts.get(lang, -1) + 1
        if language is None or lang == language:
            found.append(Block(page, counts[lang], lang, match["code"]))
    return found


def python_block(page: str, index: int = 0) -> str:
    """The ``index``-th ```python block of ``page``."""
    found = blocks(page, "python")
    assert len(found) > index, f"{page} has no ```python block number {index}"
    return found[index].code
