"""Find, fetch and verify the pinned Podman swagger file for a release.

The spec files are upstream data: they are never committed. `spec/versions.toml`
pins each release's file name, upstream URL and sha256; this module reads the file
from a mirror directory ($SPEC_MIRROR, default ../shared/spec beside the checkout)
or downloads it, and refuses anything whose checksum differs.

Run on its own: `python scripts/spec_source.py v4.3.1` prints the verified path.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS_FILE = ROOT / "spec" / "versions.toml"
DEFAULT_MIRROR = ROOT.parent / "shared" / "spec"
CACHE_DIR = ROOT / ".cache" / "spec"


class SpecError(Exception):
    """The spec for a release cannot be found or does not match its pin."""


@dataclass(frozen=True)
class PinnedSpec:
    version: str
    file: str
    url: str
    sha256: str


def load_pins(versions_file: Path = VERSIONS_FILE) -> tuple[str, dict[str, PinnedSpec]]:
    """Return the default release and every pinned release from versions.toml."""
    data = tomllib.loads(versions_file.read_text())
    pins = {
        version: PinnedSpec(version, entry["file"], entry["url"], entry["sha256"])
        for version, entry in data["versions"].items()
    }
    return data["default"], pins


def pin_for(version: str | None) -> PinnedSpec:
    default, pins = load_pins()
    version = version or default
    if version not in pins:
        known = ", ".join(sorted(pins))
        raise SpecError(
            f"no pinned spec for Podman {version!r}; known releases: {known}. "
            f"To add one, add its file name, URL and sha256 to {VERSIONS_FILE.relative_to(ROOT)}."
        )
    return pins[version]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mirror_dir() -> Path:
    return Path(os.environ.get("SPEC_MIRROR") or DEFAULT_MIRROR)


def verify(path: Path, pin: PinnedSpec) -> Path:
    actual = sha256_of(path)
    if actual != pin.sha256:
        raise SpecError(
            f"{path} has sha256 {actual}, but spec/versions.toml pins {pin.sha256} "
            f"for Podman {pin.version}. Replace the file with the upstream "
            f"{pin.file} ({pin.url}), or, if upstream really changed it, review the "
            f"difference and update the pin."
        )
    return path


def _download(pin: PinnedSpec, cache_dir: Path) -> Path:
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / pin.file
    if target.exists():
        return target
    # Download beside the target and rename, so an interrupted fetch leaves nothing.
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as part:
        try:
            with urllib.request.urlopen(pin.url, timeout=60) as response:
                while block := response.read(1 << 16):
                    part.write(block)
        except BaseException:
            Path(part.name).unlink(missing_ok=True)
            raise
    Path(part.name).replace(target)
    return target


def locate(version: str | None = None) -> Path:
    """Return the verified local path of the pinned spec file for `version`."""
    return locate_pin(pin_for(version), mirror_dir(), CACHE_DIR)


def locate_pin(pin: PinnedSpec, mirror: Path, cache_dir: Path) -> Path:
    """Find `pin`'s file in `mirror`, else download it into `cache_dir`; verify it."""
    candidate = mirror / pin.file
    if candidate.exists():
        return verify(candidate, pin)
    try:
        downloaded = _download(pin, cache_dir)
    except OSError as exc:
        raise SpecError(
            f"{pin.file} is not in the mirror directory {mirror} and downloading "
            f"{pin.url} failed ({exc}). Put the file there, or point SPEC_MIRROR at a "
            f"directory that has it."
        ) from exc
    try:
        return verify(downloaded, pin)
    except SpecError:
        downloaded.unlink()
        raise


def main(argv: list[str]) -> int:
    try:
        print(locate(argv[1] if len(argv) > 1 else None))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
