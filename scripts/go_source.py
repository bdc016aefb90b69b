"""Find, verify and unpack the Podman source tarball of a pinned release.

The field presence of the generated models comes from Podman's Go types (go_presence),
so generation needs the Go source of the tag the spec was made from. The tarballs are
upstream data, like the spec files: never committed, pinned by sha256 in
spec/versions.toml (`source_sha256`), and looked for by name (`podman-vX.Y.Z.tar.xz`) in

1. $PODMAN_SRC_MIRROR, if set;
2. `../shared/podman-src` beside the checkout.

Unpacking the whole tree takes seconds and most of it is not Go, so only the `.go`
files that are not tests (and `go.mod`) are kept, under `.cache/go-src/<sha256>/`:
written to a temporary folder beside it and renamed at the end, so the cache holds a
complete tree or none.

Run on its own: `python scripts/go_source.py v5.8.2` prints the unpacked tree's path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

from spec_source import ROOT, PinnedSpec, SpecError, pin_for

SHARED_SOURCE_DIR = ROOT.parent / "shared" / "podman-src"
CACHE_DIR = ROOT / ".cache" / "go-src"


def tarball_name(version: str) -> str:
    return f"podman-{version}.tar.xz"


def search_dirs() -> list[Path]:
    mirror = os.environ.get("PODMAN_SRC_MIRROR")
    dirs = [Path(mirror)] if mirror else []
    return [*dirs, SHARED_SOURCE_DIR]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_tarball(pin: PinnedSpec) -> Path:
    """The release's verified source tarball."""
    if pin.source_sha256 is None:
        raise SpecError(f"spec/versions.toml: {pin.version} has no source_sha256")
    name = tarball_name(pin.version)
    for directory in search_dirs():
        candidate = directory / name
        if candidate.exists():
            actual = _sha256(candidate)
            if actual != pin.source_sha256:
                raise SpecError(
                    f"{candidate} has sha256 {actual}, spec/versions.toml pins "
                    f"{pin.source_sha256} for Podman {pin.version}"
                )
            return candidate
    looked = ", ".join(str(d) for d in search_dirs())
    raise SpecError(
        f"{name} (the Go source of Podman {pin.version}, whose types decide which fields "
        f"the server always writes) is in none of {looked}. Make it with `git archive "
        f"--prefix=podman-{pin.version}/ {pin.version} | xz > {name}` in a Podman clone, "
        f"or point PODMAN_SRC_MIRROR at a directory that has it."
    )


def _wanted(member: tarfile.TarInfo) -> bool:
    name = member.name
    if not member.isfile():
        return False
    if name.endswith(".go"):
        return not name.endswith("_test.go")
    return name.count("/") == 1 and name.endswith("/go.mod")


def unpack(tarball: Path, sha256: str, cache_dir: Path = CACHE_DIR) -> Path:
    """The tarball's Go files under cache_dir/<sha256>/ (its top folder stripped)."""
    target = cache_dir / sha256
    if target.is_dir():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{sha256[:12]}-", dir=cache_dir))
    try:
        with tarfile.open(tarball) as archive:
            for member in archive:
                if not _wanted(member):
                    continue
                _, _, relative = member.name.partition("/")
                path = staging / relative
                if ".." in Path(relative).parts:
                    raise SpecError(f"{tarball}: unsafe member name {member.name!r}")
                path.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None  # a regular file always has content
                with source, path.open("wb") as out:
                    shutil.copyfileobj(source, out)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def source_tree(version: str) -> Path:
    """The unpacked, verified Go source of the release."""
    pin = pin_for(version)
    tarball = locate_tarball(pin)
    assert pin.source_sha256 is not None  # checked by locate_tarball
    return unpack(tarball, pin.source_sha256)


def main(argv: list[str]) -> int:
    try:
        print(source_tree(argv[1] if len(argv) > 1 else pin_for(None).version))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
