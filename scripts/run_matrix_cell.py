"""One cell of the test matrix: a fresh venv, the unit tests and the live tests against
the host's Podman 4.3.1.

    python3 scripts/run_matrix_cell.py CELL        (make test-matrix CELL=...)

The main cell is `make test` itself (Python 3.11, .venv, every Podman major). The others:

- py312, py313: Python 3.12 / 3.13 and the newest versions the metadata allows, as
  `pip install` picks them today;
- lowest: Python 3.11 and the lowest versions the metadata allows for the project's own
  dependencies (`uv pip install --resolution lowest-direct`); the test tools then take
  the newest versions that fit those (trio 0.35 needs attrs >= 23.2 and sniffio >= 1.3,
  so the test group's exact pins cannot hold here).

Each cell prints the versions it runs on, then pytest's summary; the exit status is
pytest's (5, no test collected, is a failure like any other non-zero status).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELLS_DIR = ROOT / ".cache" / "matrix"
UV = ROOT / ".cache" / "tools-venv" / "bin" / "uv"
# The project's runtime dependencies, and what they bring that matters most.
SHOWN = ("httpx", "attrs", "sniffio", "click", "httpcore", "anyio", "h11", "pytest", "trio")
TESTS = ("tests/unit", "tests/live")


@dataclass(frozen=True)
class Cell:
    python: str
    lowest: bool
    summary: str


CELLS = {
    "py312": Cell("3.12", lowest=False, summary="Python 3.12, newest allowed versions"),
    "py313": Cell("3.13", lowest=False, summary="Python 3.13, newest allowed versions"),
    "lowest": Cell("3.11", lowest=True, summary="Python 3.11, lowest allowed versions"),
}


class MatrixError(Exception):
    """A cell could not be set up (as opposed to its tests failing)."""


def find_python(version: str) -> Path:
    """An interpreter of `version`: pythonX.Y on PATH if it runs (a pyenv shim for a
    version that is not active does not), else pyenv's newest X.Y.*, else /usr/bin."""
    tried = []
    on_path = shutil.which(f"python{version}")
    candidates = [] if on_path is None else [on_path]
    pyenv = shutil.which("pyenv")
    if pyenv is not None:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        pattern = f"{root.stdout.strip()}/versions/{version}.*/bin/python{version}"
        candidates += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    candidates.append(f"/usr/bin/python{version}")
    for candidate in candidates:
        tried.append(candidate)
        probe = subprocess.run(
            [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return Path(candidate)
    raise MatrixError(
        f"no working Python {version}: tried {', '.join(tried)}. Install it "
        f"(`pyenv install {version}`, or Debian's python{version} and python{version}-venv)."
    )


def _version_key(path: str) -> tuple[int, ...]:
    release = Path(path).parents[1].name
    return tuple(int(part) for part in release.split(".") if part.isdigit())


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise MatrixError(f"{command[0]} exited with {result.returncode}")


def test_group(pinned: bool) -> list[str]:
    """The `test` dependency group; without its pins for the lowest cell."""
    group = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["test"]
    return [entry if pinned else entry.partition("==")[0] for entry in group]


def install(cell: Cell, venv: Path) -> None:
    python = str(venv / "bin" / "python")
    if not cell.lowest:
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip>=25.1"])
        run([python, "-m", "pip", "install", "--quiet", "--group", "test", "-e", ".[cli]"])
        return
    if not UV.exists():
        raise MatrixError(f"{UV} is missing: run `make .cache/tools-venv/.installed`")
    uv = [str(UV), "pip", "install", "--quiet", "--python", python]
    run([*uv, "--resolution", "lowest-direct", "-e", ".[cli]"])
    # Hold what that chose, and let the test tools fit around it.
    frozen = subprocess.run(
        [str(UV), "pip", "freeze", "--python", python, "--exclude-editable"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    constraints = venv / "lowest-constraints.txt"
    constraints.write_text(frozen)
    run([*uv, "--constraint", str(constraints), *test_group(pinned=False)])


def versions(venv: Path) -> str:
    code = (
        "import importlib.metadata as m, platform; "
        f"print('Python ' + platform.python_version() + ', ' + ', '.join("
        f"f'{{n}} {{m.version(n)}}' for n in {SHOWN!r}))"
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def run_cell(name: str, pytest_args: list[str]) -> int:
    cell = CELLS[name]
    started = time.monotonic()
    venv = CELLS_DIR / name
    python = find_python(cell.python)
    # Fresh every time: "the newest allowed" is today's newest, not the first run's.
    shutil.rmtree(venv, ignore_errors=True)
    run([str(python), "-m", "venv", str(venv)])
    install(cell, venv)
    print(f"matrix {name} ({cell.summary}): {versions(venv)}", flush=True)
    env = {**os.environ, "PODMAN_SDK_SERVICES": "podman4"}
    env.pop("PYTHONPATH", None)
    command = [str(venv / "bin" / "python"), "-m", "pytest", *TESTS, *pytest_args]
    print("+", "PODMAN_SDK_SERVICES=podman4", " ".join(command), flush=True)
    status = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    print(f"matrix {name}: pytest exited {status} in {time.monotonic() - started:.0f} s")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cell", choices=sorted(CELLS))
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args(argv)
    try:
        return run_cell(args.cell, args.pytest_args)
    except MatrixError as exc:
        print(f"matrix {args.cell}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
