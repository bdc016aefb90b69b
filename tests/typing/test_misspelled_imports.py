"""A misspelled import fails type checking in all three packages, under both checkers
users run (mypy --strict, and pyright, which VS Code's Pylance is): the lazy module
``__getattr__`` of podman_sdk, libpod_client and libpod_client.models exists only at run
time, so neither checker takes it as "any name goes"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
MISSPELLED = {
    "from podman_sdk import PodmanClinet": "PodmanClinet",
    "from libpod_client import Clinet": "Clinet",
    "from libpod_client.models import SpecGenerater": "SpecGenerater",
}
# The same imports spelled right: what the checkers must accept, so a failure above is
# the misspelling and not the set-up.
SPELLED_RIGHT = (
    "from podman_sdk import PodmanClient\n"
    "from libpod_client import Client\n"
    "from libpod_client.models import SpecGenerator\n"
    "print(PodmanClient, Client, SpecGenerator)\n"
)


def _mypy(program: Path) -> str:
    return _run([str(BIN / "mypy"), "--strict", "--no-incremental", str(program)], program)


def _pyright(program: Path) -> str:
    return _run([str(BIN / "pyright"), "--pythonpath", sys.executable, str(program)], program)


def _run(command: list[str], program: Path) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=program.parent, timeout=300
    )
    return result.stdout + result.stderr


CHECKERS = [pytest.param(_mypy, id="mypy"), pytest.param(_pyright, id="pyright")]


@pytest.mark.parametrize("check", CHECKERS)
def test_each_misspelled_import_is_an_error(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "misspelled.py"
    program.write_text("".join(f"{line}  # line {n}\n" for n, line in enumerate(MISSPELLED, 1)))
    output = check(program)
    for line_number, (_line, name) in enumerate(MISSPELLED.items(), 1):
        assert f"misspelled.py:{line_number}:" in output, output
        assert name in output, output


@pytest.mark.parametrize("check", CHECKERS)
def test_the_right_spelling_checks_clean(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "spelled_right.py"
    program.write_text(SPELLED_RIGHT)
    output = check(program)
    assert "error" not in output.replace("0 errors", ""), output
