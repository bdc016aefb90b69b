"""containers_program.py, the containers' typed sample, checks clean under both checkers
users run, and both still catch what it must not allow: a misspelled creation keyword,
a wrong type for one, and a result type other than the overload's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.typing.test_misspelled_imports import CHECKERS

PROGRAM = (Path(__file__).parent / "containers_program.py").read_text()
FIRST_RUN = 'output = containers.run("busybox", ["echo", "hi"], remove=True, network_mode="none")'


def _checked(check: Callable[[Path], str], tmp_path: Path, source: str) -> str:
    program = tmp_path / "containers_program.py"
    program.write_text(source)
    return check(program).replace("0 errors", "").replace("Success: no issues", "")


@pytest.mark.parametrize("check", CHECKERS)
def test_the_program_checks_clean(check: Callable[[Path], str], tmp_path: Path) -> None:
    output = _checked(check, tmp_path, PROGRAM)
    assert "error" not in output, output


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            (FIRST_RUN, FIRST_RUN.replace("network_mode", "netwrok_mode")), id="misspelled"
        ),
        pytest.param((FIRST_RUN, FIRST_RUN.replace('"none"', "1")), id="wrong-type"),
        pytest.param(("assert_type(output, bytes)", "assert_type(output, str)"), id="overload"),
        pytest.param(
            ("assert_type(plain.exit_code, int)", "assert_type(plain.exit_code, int | None)"),
            id="exit-code",
        ),
    ],
)
@pytest.mark.parametrize("check", CHECKERS)
def test_what_it_must_not_allow_is_an_error(
    check: Callable[[Path], str], tmp_path: Path, change: tuple[str, str]
) -> None:
    before, after = change
    assert before in PROGRAM
    output = _checked(check, tmp_path, PROGRAM.replace(before, after, 1))
    assert "error" in output, output
