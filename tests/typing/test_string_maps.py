"""Issue 27 item 6, from the user's checker: a string map (labels, annotations, options)
is given as a plain ``dict[str, str]``, to a model's constructor and in ``from_dict``'s
JSON, and read back as one; a list parameter of a generated function takes a list of a
narrower type. mypy --strict and pyright both check the program clean, and both flag a
map whose values are not strings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.typing.test_misspelled_imports import CHECKERS

RIGHT = """\
from typing import Literal, assert_type

from libpod_client.api.containers import container_wait_libpod
from libpod_client.client import SyncSender
from libpod_client.models import ListContainer, SpecGenerator, VolumeCreateOptions
from libpod_client.types import Unset

labels: dict[str, str] = {"app": "web"}
spec = SpecGenerator(image="busybox", labels=labels, annotations={"a": "1"})
assert_type(spec.labels, dict[str, str] | Unset)
same = SpecGenerator.from_dict({"image": "busybox", "labels": labels})
volume = VolumeCreateOptions(name="data", labels={"team": "a"})


def first_label(listed: ListContainer) -> str | None:
    assert_type(listed.labels, dict[str, str] | None)
    return None if listed.labels is None else listed.labels.get("app")


def wait(api: SyncSender) -> int:
    cond: list[Literal["exited"]] = ["exited"]
    return container_wait_libpod.sync("web", client=api, condition=cond)
"""

WRONG = """\
from libpod_client.models import SpecGenerator

counts: dict[str, int] = {"replicas": 3}
spec = SpecGenerator(image="busybox", labels=counts)
"""


def _errors(output: str) -> str:
    return output.replace("0 errors", "").replace("Success: no issues", "")


@pytest.mark.parametrize("check", CHECKERS)
def test_plain_dicts_and_narrower_lists_check_clean(
    check: Callable[[Path], str], tmp_path: Path
) -> None:
    program = tmp_path / "right.py"
    program.write_text(RIGHT)
    output = check(program)
    assert "error" not in _errors(output), output


@pytest.mark.parametrize("check", CHECKERS)
def test_a_map_of_other_values_is_an_error(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "wrong.py"
    program.write_text(WRONG)
    output = check(program)
    assert "wrong.py:4:" in output, output
