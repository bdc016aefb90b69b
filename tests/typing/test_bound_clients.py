"""Issue #27 under both checkers users run (mypy --strict and pyright): a generated sync
function given ``AsyncPodmanClient.api`` (or an asyncio one given ``PodmanClient.api``)
is a type error, while the right pairings, read-only list parameters (a list of a
narrower type, a tuple) and ``call_timeout=`` check clean."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

HEADER = """\
from typing import Literal

from libpod_client.api.containers import container_wait_libpod
from libpod_client.api.volumes import volume_list_libpod
from podman_sdk import AsyncPodmanClient, PodmanClient


"""
# Each a function of its own, so the line of the call is the line of the error.
MISMATCHED = {
    "sync_on_async": (
        "async def sync_on_async(client: AsyncPodmanClient) -> None:\n"
        "    volume_list_libpod.sync(client=client.api)\n"
    ),
    "asyncio_on_sync": (
        "async def asyncio_on_sync(client: PodmanClient) -> None:\n"
        "    await volume_list_libpod.asyncio(client=client.api)\n"
    ),
    "wait_on_async": (
        "def wait_on_async(client: AsyncPodmanClient) -> None:\n"
        "    container_wait_libpod.sync('x', client=client.api)\n"
    ),
}
MATCHED = """\
def sync_on_sync(client: PodmanClient) -> int:
    wanted: list[Literal["exited"]] = ["exited"]
    volume_list_libpod.sync(client=client.api, call_timeout=5.0)
    return container_wait_libpod.sync(
        "x", client=client.api, condition=wanted, call_timeout=None
    )


async def asyncio_on_async(client: AsyncPodmanClient) -> int:
    await volume_list_libpod.asyncio(client=client.api)
    return await container_wait_libpod.asyncio(
        "x", client=client.api, condition=("exited", "stopped")
    )
"""


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
def test_a_client_of_the_other_flavour_is_a_type_error(
    check: Callable[[Path], str], tmp_path: Path
) -> None:
    program = tmp_path / "mismatched.py"
    text = HEADER
    lines: dict[str, int] = {}
    for name, function in MISMATCHED.items():
        lines[name] = text.count("\n") + 2  # the call: the function's second line
        text += function + "\n\n"
    program.write_text(text)
    output = check(program)
    for name, line in lines.items():
        assert f"mismatched.py:{line}:" in output, (name, output)
    assert output.count("error") >= len(MISMATCHED), output


@pytest.mark.parametrize("check", CHECKERS)
def test_the_matching_flavours_and_read_only_lists_check_clean(
    check: Callable[[Path], str], tmp_path: Path
) -> None:
    program = tmp_path / "matched.py"
    program.write_text(HEADER + MATCHED)
    output = check(program)
    assert "error" not in output.replace("0 errors", ""), output
