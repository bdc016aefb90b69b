"""create()'s keywords are typed for the user's checker: under mypy --strict and pyright a
misspelled keyword, a value of the wrong type, or a misspelled key inside a structured
value is an error on its line, and a program that uses them rightly checks clean.

``containers.create()`` is written elsewhere; a local function with the same keyword
signature (``**kwargs: Unpack[CreateKeywords]``) stands in for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.typing.test_misspelled_imports import CHECKERS

HEADER = """\
from typing import Unpack

from podman_sdk.containers._create_options import CreateKeywords, RunKeywords


def create(image: str, **kwargs: Unpack[CreateKeywords]) -> None:
    print(image, kwargs)


def run(image: str, **kwargs: Unpack[RunKeywords]) -> None:
    print(image, kwargs)


"""

RIGHT = """\
create(
    "busybox",
    environment={"A": "1"},
    labels=["a", "b"],
    working_dir="/srv",
    user=1000,
    entrypoint=["/bin/sh", "-c"],
    mounts=[{"type": "tmpfs", "target": "/t", "size": "1m"}],
    volumes={"data": {"bind": "/data", "mode": "ro"}},
    tmpfs={"/run": "size=1m"},
    ports={"80/tcp": 8080, 53: None, "443": ("127.0.0.1", 8443), 22: [2222, 2223]},
    healthcheck={"Test": ["CMD", "true"], "Interval": 1_000_000_000},
    restart_policy={"Name": "on-failure", "MaximumRetryCount": 3},
    ulimits=[{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
    secrets=["token", {"source": "key", "mode": 0o400}],
    network_mode="none",
    cgroups_mode="disabled",
    stop_signal="SIGINT",
    mem_limit="64m",
)
run("busybox", detach=True, remove=True, tty=False)
"""

# Each wrong call, with the name the checkers' message must contain.
WRONG = {
    'create("busybox", enviroment={"A": "1"})': "enviroment",
    'create("busybox", tty="yes")': "tty",
    'create("busybox", mounts=[{"type": "tmpfs", "targte": "/t"}])': "targte",
    'create("busybox", restart_policy={"Name": "sometimes"})': "sometimes",
    'create("busybox", cgroups_mode="off")': "off",
    'create("busybox", detach=True)': "detach",
}


def _errors(output: str) -> str:
    return output.replace("0 errors", "").replace("Success: no issues", "")


@pytest.mark.parametrize("check", CHECKERS)
def test_keywords_used_rightly_check_clean(check: Callable[[Path], str], tmp_path: Path) -> None:
    program = tmp_path / "right.py"
    program.write_text(HEADER + RIGHT)
    output = check(program)
    assert "error" not in _errors(output), output


@pytest.mark.parametrize("check", CHECKERS)
def test_each_wrong_keyword_is_an_error_on_its_line(
    check: Callable[[Path], str], tmp_path: Path
) -> None:
    program = tmp_path / "wrong.py"
    first = HEADER.count("\n") + 1
    program.write_text(HEADER + "".join(f"{call}\n" for call in WRONG))
    output = check(program)
    for line, name in enumerate(WRONG.values(), first):
        lines = [text for text in output.splitlines() if f"wrong.py:{line}:" in text]
        assert lines, f"no error on line {line} ({name}):\n{output}"
        # pyright puts the detail on the lines after the one that names the place.
        assert name in output, output
