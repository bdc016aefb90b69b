"""Prove the committed generated/ tree equals a fresh regeneration, byte for byte.

    python scripts/check_generated.py

Regenerates into a temporary directory (the working tree is not touched) and lists
every file that differs, is missing or is extra; then runs `mypy --strict` over the
fresh tree (the generator's success says nothing about types), and prints where ``Any``
stands in a public signature of libpod_client.api (scripts/any_count.py). Exit 0 only
when there is no difference, no type error and no more Any than ANY_ALLOWED.
"""

from __future__ import annotations

import filecmp
import sys
import tempfile
from pathlib import Path

from any_count import any_places
from generate import PACKAGE, GenerationError, generate
from generated_checks import CheckError, mypy_errors
from spec_collisions import CollisionError
from spec_overrides import OverrideError
from spec_source import ROOT, SpecError, pin_for

COMMITTED = ROOT / "generated"
# Any in public signatures of libpod_client.api that the check lets pass: every one is
# request_kwargs' `dict[str, Any]` (issue #17; it goes to 0 with a typed request, and
# once branch i17-go, which gives schemaless success bodies their schemas, is merged).
ANY_ALLOWED = 0


def tree_files(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """Differences between two directory trees, one line each, sorted."""
    want, have = tree_files(expected), tree_files(actual)
    problems = [f"missing: {name}" for name in sorted(want - have)]
    problems += [f"extra (not produced by the pipeline): {name}" for name in sorted(have - want)]
    problems += [
        f"differs: {name}"
        for name in sorted(want & have)
        if not filecmp.cmp(expected / name, actual / name, shallow=False)
    ]
    return problems


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="libpod-check-") as tmp:
        fresh = Path(tmp)
        try:
            generate(pin_for(None).version, fresh)
            typing = mypy_errors(fresh, [PACKAGE])
        except (SpecError, GenerationError, OverrideError, CollisionError, CheckError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        problems = compare_trees(fresh / PACKAGE, COMMITTED / PACKAGE)
        if (fresh / "provenance.json").read_bytes() != (COMMITTED / "provenance.json").read_bytes():
            problems.append("differs: provenance.json")
        anys = any_places(fresh / PACKAGE)
    print("\n".join(str(place) for place in anys))
    print(f"{len(anys)} Any in public signatures of {PACKAGE}.api (allowed: {ANY_ALLOWED})")
    if typing:
        print(f"mypy --strict finds {len(typing)} errors in the generated tree:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in typing[:50]), file=sys.stderr)
        print(
            "Fix the spec (spec/overrides.yaml, scripts/spec_normalise.py), not the output.",
            file=sys.stderr,
        )
        return 1
    if problems:
        print("generated/ does not match a fresh regeneration:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in problems[:50]), file=sys.stderr)
        if len(problems) > 50:
            print(f"  ... and {len(problems) - 50} more", file=sys.stderr)
        print(
            "Never edit generated/ by hand: run `make generate` and commit the result.",
            file=sys.stderr,
        )
        return 1
    if len(anys) > ANY_ALLOWED:
        print(
            f"{len(anys)} Any in public signatures, more than the {ANY_ALLOWED} allowed: give "
            "the spec the types it lacks (spec/overrides.yaml, scripts/spec_normalise.py)",
            file=sys.stderr,
        )
        return 1
    print("generated/ matches a fresh regeneration, and mypy --strict is clean over it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
