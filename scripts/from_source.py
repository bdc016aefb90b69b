"""Generation from Podman's source alone, compared with generation from the handed-over
spec files: the proof that `make spec` keeps what `make generate` needs.

    python scripts/from_source.py [v5.8.2 ...]        (part of make check-releases)

1. `rebuild_mirror`: every pinned release's spec, built from its pinned source tarball
   (scripts/spec_build.py, the toolchain cached as `make spec` caches it) into a
   temporary mirror, each checked against its pinned canonical sha256. These files keep
   go-swagger's `x-go-package` lines, which a run records at random where two Go types
   share a name: the comparison below is what shows the package does not depend on them.
2. `compare_release`: the release generated with every spec read from that mirror,
   compared file by file, provenance.json included, with the package generated from the
   handed-over files (../shared/spec; a release that has none is read from the rebuilt
   mirror both times: `handed_over_mirror`). One line per release: identical, or the
   files that differ.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import go_source
import spec_build
from check_generated import compare_trees
from generate import PACKAGE, GenerationError, generate
from generated_checks import CheckError
from spec_build import BuildError
from spec_collisions import CollisionError
from spec_overrides import OverrideError
from spec_source import PinnedSpec, SpecError, load_pins
from spec_toolchain import ToolchainError


@contextlib.contextmanager
def spec_mirror(directory: Path) -> Iterator[None]:
    """Read (and write) spec files in `directory` first, as SPEC_MIRROR does."""
    previous = os.environ.get("SPEC_MIRROR")
    os.environ["SPEC_MIRROR"] = str(directory)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SPEC_MIRROR", None)
        else:
            os.environ["SPEC_MIRROR"] = previous


def rebuild(pin: PinnedSpec, mirror: Path) -> float:
    """Build the release's spec from its source into `mirror`; the seconds it took."""
    started = time.monotonic()
    built = spec_build.build(pin.version, go_source.locate_tarball(pin))
    if built.digests[-1] != pin.canonical_sha256:
        raise BuildError(
            f"{pin.version} rebuilt from source has canonical sha256 {built.digests[-1]}, "
            f"pinned {pin.canonical_sha256}"
        )
    spec_build.write_atomically(mirror / pin.file, built.raw)
    return time.monotonic() - started


def rebuild_mirror(mirror: Path) -> dict[str, float]:
    """Every pinned release rebuilt from source into `mirror`: release -> seconds."""
    mirror.mkdir(parents=True, exist_ok=True)
    return {version: rebuild(pin, mirror) for version, pin in sorted(load_pins()[1].items())}


def handed_over_mirror(rebuilt: Path, mirror: Path) -> None:
    """A mirror holding only the releases that were handed over no file (from `rebuilt`),
    so that the others are read from ../shared/spec."""
    mirror.mkdir(parents=True, exist_ok=True)
    for pin in load_pins()[1].values():
        if pin.sha256 is None:
            shutil.copyfile(rebuilt / pin.file, mirror / pin.file)


@dataclass(frozen=True)
class Comparison:
    version: str
    files: int
    differences: list[str]
    seconds: float

    def line(self) -> str:
        verdict = (
            f"identical, {self.files} files and provenance.json byte for byte"
            if not self.differences
            else f"{len(self.differences)} differences: " + "; ".join(self.differences[:5])
        )
        return f"{self.version} from source: {verdict} ({self.seconds:.0f} s)"


def compare_release(version: str, reference: Path, rebuilt: Path, work: Path) -> Comparison:
    """Generate `version` into `work` with the specs of the `rebuilt` mirror and compare
    it with `reference` (a directory holding the package generated from the handed-over
    files, and its provenance.json)."""
    started = time.monotonic()
    with spec_mirror(rebuilt):
        generate(version, work)
    differences = compare_trees(reference / PACKAGE, work / PACKAGE)
    if (reference / "provenance.json").read_bytes() != (work / "provenance.json").read_bytes():
        differences.append("differs: provenance.json")
    files = sum(1 for p in (work / PACKAGE).rglob("*") if p.is_file())
    return Comparison(version, files, differences, time.monotonic() - started)


FAILURES = (BuildError, ToolchainError, SpecError, GenerationError, OverrideError,
            CollisionError, CheckError)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="releases to compare (default: all)")
    args = parser.parse_args(argv)
    pins = load_pins()[1]
    versions = args.versions or sorted(v for v, pin in pins.items() if pin.sha256 is not None)
    results = []
    with tempfile.TemporaryDirectory(prefix="libpod-from-source-") as tmp:
        work = Path(tmp)
        try:
            for version, seconds in rebuild_mirror(work / "rebuilt").items():
                print(f"{version}: spec rebuilt from source ({seconds:.0f} s)")
            handed_over_mirror(work / "rebuilt", work / "handed-over")
            for version in versions:
                with spec_mirror(work / "handed-over"):
                    generate(version, work / version / "handed-over")
                result = compare_release(
                    version,
                    work / version / "handed-over",
                    work / "rebuilt",
                    work / version / "rebuilt",
                )
                print(result.line(), flush=True)
                results.append(result)
        except FAILURES as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0 if all(not r.differences for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
