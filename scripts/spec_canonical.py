"""The canonical form of a Podman swagger file: what a pin's `canonical_sha256` hashes.

go-swagger's output is not deterministic. Where two Go types of the scanned source
share a name (docker's and Podman's `IDResponse`, the two `ThrottleDevice`s), one of
them wins at random (Go map order), and the file records the winner in `x-go-package`
and, for `IDResponse`, in whether the definition has a description. Eight runs over one
tag gave three different files. So a spec rebuilt from source is compared, and pinned,
in this form:

- every `x-go-package` is dropped: it names the Go package a definition came from,
  which is exactly what varies, and no generator reads it;
- the top-level `description` of a definition in CONTESTED_DEFINITIONS is dropped: it
  is present or not depending on which Go type won;
- the document is written as YAML with sorted keys by the pinned PyYAML (C emitter).

Canonicalising twice gives the same bytes, and the generator reads this form too, so a
release generates the same tree from the upstream file and from a rebuilt one.

Run on its own: `python scripts/spec_canonical.py FILE` prints the canonical sha256.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

Json = Any

# Definition names that more than one Go type of Podman's scanned source declares, and
# whose description differs between the two (measured: the docker type has a doc comment,
# Podman's copy in pkg/domain/entities/types has none). Applies to every release that has
# the definition. A new one shows up as `make spec RUNS=3` printing different digests.
CONTESTED_DEFINITIONS = frozenset({"IDResponse"})


def _drop_go_packages(node: Json) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            current.pop("x-go-package", None)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def canonicalise(document: dict[str, Json]) -> dict[str, Json]:
    """Drop what varies between go-swagger runs over one source tree (in place)."""
    _drop_go_packages(document)
    definitions = document.get("definitions") or {}
    for name in sorted(CONTESTED_DEFINITIONS & set(definitions)):
        if isinstance(definitions[name], dict):
            definitions[name].pop("description", None)
    return document


def load(text: str | bytes) -> dict[str, Json]:
    """Parse a swagger file (YAML or JSON) as the pipeline always has: YAML 1.1, C loader."""
    document = yaml.load(text, Loader=yaml.CSafeLoader)
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError("not a swagger document (no 'paths')")
    return document


def dump(document: dict[str, Json]) -> bytes:
    """The canonical bytes of an already canonicalised document."""
    text = yaml.dump(
        document,
        Dumper=yaml.CSafeDumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text.encode()


def canonical_bytes(text: str | bytes) -> bytes:
    return dump(canonicalise(load(text)))


def canonical_sha256(text: str | bytes) -> str:
    return hashlib.sha256(canonical_bytes(text)).hexdigest()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: spec_canonical.py FILE", file=sys.stderr)
        return 2
    print(canonical_sha256(Path(argv[1]).read_bytes()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
