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


CHANGES = [
    (FIRST_RUN, FIRST_RUN.replace("network_mode", "netwrok_mode")),  # misspelled keyword
    ('stderr=True, cgroups_mode="disabled")', "stderr=True, cgroups_mode=1)"),  # wrong type
    ("assert_type(output, bytes)", "assert_type(output, str)"),  # another overload's type
    ("assert_type(plain.exit_code, int)", "assert_type(plain.exit_code, int | None)"),
]


@pytest.mark.parametrize("check", CHECKERS)
def test_what_it_must_not_allow_is_an_error(check: Callable[[Path], str], tmp_path: Path) -> None:
    """All the changes in one program (one run per checker): each changed line errs."""
    lines = PROGRAM.splitlines()
    changed = []
    for before, after in CHANGES:
        index = next(n for n, line in enumerate(lines) if before in line and n not in changed)
        lines[index] = lines[index].replace(before, after, 1)
        changed.append(index)
    output = _checked(check, tmp_path, "\n".join(lines) + "\n")
    for index in changed:
        assert f"containers_program.py:{index + 1}:" in output, (index + 1, output)
