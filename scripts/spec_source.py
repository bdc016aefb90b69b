"""Find and verify the pinned Podman swagger file for a release.

The spec files are upstream data: they are never committed. `spec/versions.toml` pins
each release by the sha256 of its canonical form (`canonical_sha256`, see
spec_canonical) and, for a file handed over as it came out of go-swagger, by that
file's own sha256. A file is looked for, by name, in

1. $SPEC_MIRROR, or `.cache/spec` in the checkout when it is unset: the writable mirror
   that `make spec` fills by building the file from Podman source (scripts/spec_build.py);
2. `../shared/spec` beside the checkout: the files handed over with the project.

There is no download: Podman publishes no stable address for these files (its CI
uploaded `swagger-vX.Y.Z.yaml` to a storage bucket up to 5.x, never to the GitHub
release, and stopped in 2026), so a release's file comes from one of the places above or
is rebuilt from the tag's source with `make spec`.

Run on its own: `python scripts/spec_source.py v4.3.1` prints the verified path.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spec_canonical
import yaml

ROOT = Path(__file__).resolve().parent.parent
VERSIONS_FILE = ROOT / "spec" / "versions.toml"
SHARED_SPEC_DIR = ROOT.parent / "shared" / "spec"
CACHE_DIR = ROOT / ".cache" / "spec"


class SpecError(Exception):
    """The spec for a release cannot be found or does not match its pin."""


@dataclass(frozen=True)
class PinnedSpec:
    """One release's entry in spec/versions.toml."""

    version: str
    file: str
    canonical_sha256: str
    # The file as go-swagger wrote it, where one was handed over (None: rebuilt only).
    sha256: str | None = None
    # How `make spec` rebuilds it (scripts/spec_build.py); None: inferred from the tag.
    go: str | None = None
    go_swagger: str | None = None
    go_swagger_from: str | None = None
    godebug: str | None = None
    # The tag's source tarball (podman-vX.Y.Z.tar.xz), read for its Go types (go_source).
    source_sha256: str | None = None


def _pin(version: str, entry: dict[str, Any]) -> PinnedSpec:
    try:
        return PinnedSpec(
            version=version,
            file=entry["file"],
            canonical_sha256=entry["canonical_sha256"],
            sha256=entry.get("sha256"),
            go=entry.get("go"),
            go_swagger=entry.get("go_swagger"),
            go_swagger_from=entry.get("go_swagger_from"),
            godebug=entry.get("godebug"),
            source_sha256=entry.get("source_sha256"),
        )
    except KeyError as exc:
        raise SpecError(f"spec/versions.toml: {version} has no {exc.args[0]}") from exc


def load_pins(versions_file: Path = VERSIONS_FILE) -> tuple[str, dict[str, PinnedSpec]]:
    """Return the default release and every pinned release from versions.toml."""
    data = tomllib.loads(versions_file.read_text())
    pins = {version: _pin(version, entry) for version, entry in data["versions"].items()}
    return data["default"], pins


def pin_for(version: str | None) -> PinnedSpec:
    default, pins = load_pins()
    version = version or default
    if version not in pins:
        known = ", ".join(sorted(pins))
        raise SpecError(
            f"no pinned spec for Podman {version!r}; known releases: {known}. "
            f"To add one, build it from the tag's source: `make spec PODMAN_VERSION={version}`."
        )
    return pins[version]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def writable_mirror() -> Path:
    """Where `make spec` writes: $SPEC_MIRROR, or .cache/spec in the checkout."""
    return Path(os.environ.get("SPEC_MIRROR") or CACHE_DIR)


def search_dirs() -> list[Path]:
    """The directories a pinned file is looked for in, in order."""
    dirs = [writable_mirror(), SHARED_SPEC_DIR]
    return [d for i, d in enumerate(dirs) if d not in dirs[:i]]


def verify(path: Path, pin: PinnedSpec) -> Path:
    """Accept the file go-swagger wrote (sha256) or any file of the same canonical form."""
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if pin.sha256 is not None and actual == pin.sha256:
        return path
    try:
        canonical = spec_canonical.canonical_sha256(data)
    except (ValueError, yaml.YAMLError) as exc:  # not YAML, or not a swagger document
        canonical = f"(not a swagger file: {exc})"
    if canonical == pin.canonical_sha256:
        return path
    raise SpecError(
        f"{path} does not match spec/versions.toml's pin for Podman {pin.version}: sha256 "
        f"{actual} (pinned {pin.sha256 or 'none'}), canonical sha256 {canonical} (pinned "
        f"{pin.canonical_sha256}). Rebuild it with `make spec PODMAN_VERSION={pin.version}`, "
        f"or, if the release really changed, review the difference and update the pin."
    )


def locate_pin(pin: PinnedSpec, dirs: list[Path]) -> Path:
    """The first file named `pin.file` in `dirs`, verified against the pin."""
    for directory in dirs:
        candidate = directory / pin.file
        if candidate.exists():
            return verify(candidate, pin)
    looked = ", ".join(str(d) for d in dirs)
    raise SpecError(
        f"{pin.file} (Podman {pin.version}) is in none of {looked}. Build it from the tag's "
        f"source with `make spec PODMAN_VERSION={pin.version}` (it writes to SPEC_MIRROR, "
        f"default .cache/spec), or point SPEC_MIRROR at a directory that has it."
    )


def locate(version: str | None = None) -> Path:
    """Return the verified local path of the pinned spec file for `version`."""
    return locate_pin(pin_for(version), search_dirs())


def load_canonical(version: str | None = None) -> dict[str, Any]:
    """The release's swagger document, verified, in canonical form: read back from the
    canonical bytes, so that even the order of keys is the same whichever file was found
    (go-swagger's order and PyYAML's sorted one differ)."""
    return spec_canonical.load(spec_canonical.canonical_bytes(locate(version).read_bytes()))


def load_raw(version: str | None = None) -> dict[str, Any]:
    """The release's verified swagger document as go-swagger wrote it: it keeps the
    `x-go-package` of each definition, which the canonical form drops."""
    return spec_canonical.load(locate(version).read_bytes())


def main(argv: list[str]) -> int:
    try:
        print(locate(argv[1] if len(argv) > 1 else None))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
