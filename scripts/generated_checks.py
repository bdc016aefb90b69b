"""Checks of a generated libpod_client tree that the generator itself does not make.

openapi-python-client exits 0 over a package whose modules do not import (two schemas
written to one file) or do not type-check, so the pipeline asks Python and mypy:

- `import_failures(root)`: import every module of root/libpod_client, in a fresh
  interpreter that sees that tree and not the installed one;
- `mypy_errors(root, packages)`: `mypy --strict` over root/libpod_client, or over other
  packages (the facade) type-checked against that tree.

Both run in subprocesses with only `root` (and the given extra paths) ahead of the
installed packages, so a tree generated into a temporary directory is checked as itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "libpod_client"
BIN_DIR = Path(sys.executable).parent

_IMPORT_ALL = """
import importlib, pkgutil, sys
import libpod_client
root = sys.argv[1]
if not libpod_client.__file__.startswith(root):
    sys.exit(f"imported {libpod_client.__file__}, not the tree under {root}")
count = 0
for info in pkgutil.walk_packages(libpod_client.__path__, "libpod_client."):
    count += 1
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        print(f"{info.name}: {type(exc).__name__}: {exc}")
print(f"imported {count}")
"""


class CheckError(Exception):
    """A check could not run at all (as opposed to finding problems)."""


def import_failures(root: Path) -> tuple[int, list[str]]:
    """(modules found, one line per module that failed to import) for root/libpod_client."""
    root = root.resolve()
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, str(root)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines or not lines[-1].startswith("imported "):
        raise CheckError(f"importing {root / PACKAGE} failed:\n{result.stdout}{result.stderr}")
    return int(lines[-1].removeprefix("imported ")), lines[:-1]


def mypy_errors(root: Path, packages: list[str], extra_paths: tuple[Path, ...] = ()) -> list[str]:
    """`mypy --strict -p PACKAGE...` with root (then extra_paths) first on the search
    path; return the error lines (empty: clean)."""
    with tempfile.TemporaryDirectory(prefix="mypy-generated-") as tmp:
        config = Path(tmp) / "mypy.ini"
        config.write_text("[mypy]\n")  # not the project's: its mypy_path names generated/
        command = [
            str(BIN_DIR / "mypy"), "--strict", "--python-version", "3.11",
            "--config-file", str(config), "--cache-dir", str(Path(tmp) / "cache"),
            "--no-error-summary", "--show-error-codes",
        ]  # fmt: skip
        for package in packages:
            command += ["-p", package]
        mypypath = os.pathsep.join(str(p.resolve()) for p in [root, *extra_paths])
        result = subprocess.run(
            command, cwd=tmp, env={**os.environ, "MYPYPATH": mypypath},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode not in (0, 1) or (result.returncode == 1 and not lines):
        raise CheckError(
            f"mypy failed to run ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return lines
