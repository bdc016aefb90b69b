"""docs/regenerating.md's "Adding a release" steps, run as written for a pinned release
from its source alone: the maintainer's path as a check (part of make check-releases).

    python scripts/maintainer_path.py [v5.8.3]

The commands are read from the first ```sh block under "## Adding a release", which
must be `make spec`, `make spec-diff`, `make generate` and `make check-releases`, in this
order. They run in a copy of the checkout (symlinked venvs, `../shared` beside it) whose
spec/versions.toml lacks the release, with a temporary SPEC_MIRROR, the example tag
replaced by the release, PODMAN_SRC by its pinned source tarball and OUT by a temporary
directory. After each step what it must have done is checked: the pin `make spec`
appends is the committed one (canonical and source sha256), the diff is printed, the
package names the release, the release passes check-releases (import, mypy --strict,
the facade type-checked against it). A failure names the step's number and command.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import go_source
import spec_source
from spec_source import ROOT, PinnedSpec

GUIDE = ROOT / "docs" / "regenerating.md"
SECTION = "## Adding a release"
EXAMPLE_TAG = "v6.1.2"
STEPS = ("spec", "spec-diff", "generate", "check-releases")
# Not copied: history, venvs and caches (the venvs and the content-addressed caches are
# linked instead), build output of other runs.
SKIPPED = (".git", ".venv", ".cache", "node_modules", "__pycache__", "dist", ".mypy_cache")
LINKED = (".venv", ".cache/generator-venv", ".cache/tools-venv", ".cache/go-src")


class PathError(Exception):
    """A step of the maintainer's path failed, or the guide does not give the steps."""


def guide_commands(text: str) -> list[str]:
    """The commands of the first ```sh block under SECTION, comments dropped."""
    _, found, rest = text.partition(f"\n{SECTION}\n")
    block = re.search(r"^```sh\n(.*?)^```", rest, re.S | re.M) if found else None
    if block is None:
        raise PathError(f"{GUIDE.name}: no ```sh block under {SECTION!r}")
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    commands = [command for command in commands if command]
    targets = tuple(shlex.split(command)[1] if command.startswith("make ") else command
                    for command in commands)  # fmt: skip
    if targets != STEPS:
        raise PathError(
            f"{GUIDE.name}: the {SECTION!r} steps are {list(targets)}, expected make "
            f"{', '.join(STEPS)} (scripts/maintainer_path.py runs them)"
        )
    return commands


def concrete(command: str, tag: str, source: Path, out: Path) -> list[str]:
    """The guide's command for `tag`: the example tag, PODMAN_SRC and OUT replaced."""
    replaced = {"PODMAN_SRC": f"PODMAN_SRC={source}", "OUT": f"OUT={out}"}
    words = [
        replaced.get(word.partition("=")[0], word).replace(EXAMPLE_TAG, tag)
        for word in shlex.split(command)
    ]
    return ["make", "--no-print-directory", *words[1:]]


def without_release(versions: str, tag: str) -> str:
    """versions.toml's text without the release's table."""
    table = re.compile(rf'^\[versions\."{re.escape(tag)}"\]\n(?:(?!\[).*\n?)*', re.M)
    text, count = table.subn("", versions)
    if count != 1:
        raise PathError(f"spec/versions.toml has no table for {tag}")
    return text


def checkout_copy(work: Path, tag: str) -> Path:
    """A copy of the checkout beside a `shared` link, its venvs linked, without `tag`."""
    copy = work / ROOT.name
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED))
    (work / "shared").symlink_to(ROOT.parent / "shared")
    for relative in (*LINKED, "scripts/converter/node_modules"):
        if (ROOT / relative).exists():
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            (copy / relative).symlink_to(ROOT / relative)
    versions = copy / "spec" / "versions.toml"
    versions.write_text(without_release(versions.read_text(), tag))
    return copy


@dataclass(frozen=True)
class StepResult:
    number: int
    command: str
    seconds: float


def check_step(step: str, *, tag: str, pin: PinnedSpec, copy: Path, out: Path, output: str) -> None:
    """What the step must have done, beyond exiting 0."""
    if step == "spec":
        pins = tomllib.loads((copy / "spec" / "versions.toml").read_text())["versions"]
        entry = pins.get(tag, {})
        wanted = {"canonical_sha256": pin.canonical_sha256, "source_sha256": pin.source_sha256}
        got = {key: entry.get(key) for key in wanted}
        if got != wanted:
            raise PathError(f"the pin it appended is {got}, the committed one {wanted}")
    elif step == "spec-diff" and f"-> {tag}" not in output:
        raise PathError(f"printed no diff to {tag}")
    elif step == "generate":
        release = (out / "libpod_client" / "_release.py").read_text()
        if f'"{tag}"' not in release:
            raise PathError(f"the package it wrote is not {tag}'s")
    elif step == "check-releases" and not re.search(
        rf"^{re.escape(tag)}: .*facade against it: 0 errors", output, re.M
    ):
        raise PathError(f"no passing line for {tag}")


def run_path(tag: str, log: bool = True) -> list[StepResult]:
    """Run the guide's steps for `tag`; raise PathError naming the failing step."""
    pin = spec_source.pin_for(tag)
    if pin.version == spec_source.pin_for(None).version:
        raise PathError(f"{tag} is the default release; the path adds another one")
    source = go_source.locate_tarball(pin)
    commands = guide_commands(GUIDE.read_text())
    results = []
    with tempfile.TemporaryDirectory(prefix="maintainer-path-") as tmp:
        work = Path(tmp)
        copy = checkout_copy(work, tag)
        mirror, out = work / "mirror", work / "out"
        mirror.mkdir()
        for other in spec_source.load_pins()[1].values():  # other source-only releases
            if other.sha256 is None and other.version != tag:
                shutil.copyfile(spec_source.locate(other.version), mirror / other.file)
        env = {**os.environ, "SPEC_MIRROR": str(mirror)}
        for number, (step, command) in enumerate(zip(STEPS, commands, strict=True), 1):
            argv = concrete(command, tag, source, out)
            started = time.monotonic()
            result = subprocess.run(
                argv, cwd=copy, env=env, capture_output=True, text=True, check=False
            )
            where = f"step {number} of {GUIDE.name} (`{shlex.join(argv[2:])}`)"
            output = result.stdout + result.stderr
            if result.returncode != 0:
                tail = "\n".join(output.splitlines()[-15:])
                raise PathError(f"{where} failed ({result.returncode}):\n{tail}")
            try:
                check_step(step, tag=tag, pin=pin, copy=copy, out=out, output=output)
            except PathError as exc:
                raise PathError(f"{where}: {exc}") from exc
            results.append(StepResult(number, shlex.join(argv[2:]), time.monotonic() - started))
            if log:
                print(f"  step {number} `{results[-1].command}`: ok "
                      f"({results[-1].seconds:.0f} s)", flush=True)  # fmt: skip
    return results


def source_only_release() -> str | None:
    """The newest pinned release handed over without a spec file, if any: the one the
    path adds (it exercises the source-only case the guide is for)."""
    pins = spec_source.load_pins()[1]
    default = spec_source.pin_for(None).version
    candidates = [v for v, pin in pins.items() if pin.sha256 is None and v != default]
    return max(candidates, key=_key) if candidates else None


def _key(tag: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", tag))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tag", nargs="?", help="a pinned release (default: source-only one)")
    args = parser.parse_args(argv)
    tag = args.tag or source_only_release()
    if tag is None:
        print("error: no pinned release to add from source", file=sys.stderr)
        return 1
    started = time.monotonic()
    try:
        run_path(tag)
    except (PathError, spec_source.SpecError) as exc:
        print(f"maintainer's path for {tag}: FAILED at {exc}", file=sys.stderr)
        return 1
    print(f"maintainer's path for {tag} from source: ok ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
