"""Issue #17's program of everyday tasks through ``client.api``, exactly as a new user
writes it: no isinstance, assert, cast or ``type: ignore``, and ``is not None`` only
where Podman's Go type can be nil. Both checkers users run accept it with no error, and
both still catch a wrong annotation in it (so "no error" is not a checker that saw nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.typing.test_misspelled_imports import CHECKERS

EVERYDAY = (Path(__file__).parent / "everyday_program.txt").read_text()


def _errors(output: str) -> str:
    return output.replace("0 errors", "").replace("Success: no issues", "")


@pytest.mark.parametrize("check", CHECKERS)
def test_the_everyday_program_checks_clean(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "everyday.py"
    program.write_text(EVERYDAY)
    output = check(program)
    assert "error" not in _errors(output), output


@pytest.mark.parametrize("check", CHECKERS)
def test_a_wrong_annotation_in_it_is_an_error(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "everyday.py"
    program.write_text(
        EVERYDAY.replace("code: int = data.state.exit_code", "code: str = data.state.exit_code")
    )
    output = check(program)
    assert "everyday.py:15:" in output, output
