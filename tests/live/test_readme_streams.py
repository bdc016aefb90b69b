"""The guide "Streams" (docs/streams.md): its recipes, each run as written against each live service and
type-checked. Only their settings lines change (``URL``, and where a recipe has them
``IMAGE`` and ``HOST_SETTINGS``), as in tests/live/test_readme_api.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import RUNNABLE_SETTINGS, PodmanService, busybox_image
from tests.harness.docs import blocks
from tests.live.test_readme_api import run_program, type_check, with_settings

PAGE = "streams.md"
RECIPES = ("follow", "events", "exec", "export")


def recipes() -> dict[str, str]:
    found = [block.code for block in blocks(PAGE, "python")]
    assert len(found) == len(RECIPES), f"{PAGE} should hold {len(RECIPES)} recipes"
    return dict(zip(RECIPES, found, strict=True))


def configured(code: str, url: str, image: str) -> str:
    settings: dict[str, object] = {"URL": url}
    if "\nIMAGE = " in code:
        settings |= {"IMAGE": image, "HOST_SETTINGS": RUNNABLE_SETTINGS}
    return with_settings(code, **settings)


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_type_checks_strictly(name: str, tmp_path: Path) -> None:
    type_check(recipes()[name], tmp_path / f"readme_{name}.py")


@pytest.fixture(scope="module")
def image(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "readme-streams") as tag:
        yield tag


def run(name: str, service: PodmanService, image: str, directory: Path) -> list[str]:
    code = configured(recipes()[name], service.url, image)
    return run_program(code, directory).stdout.splitlines()


def test_follow_recipe(podman_service: PodmanService, image: str, tmp_path: Path) -> None:
    lines = run("follow", podman_service, image, tmp_path)
    assert lines == ["stdout: line 1", "stdout: line 2", "stdout: line 3", "stderr: done"]


def test_events_recipe(podman_service: PodmanService, image: str, tmp_path: Path) -> None:
    lines = run("events", podman_service, image, tmp_path)
    assert lines[0] == "event: volume create readme-events"
    assert lines[-1] == "event: volume remove readme-events"


def test_exec_recipe(podman_service: PodmanService, image: str, tmp_path: Path) -> None:
    lines = run("exec", podman_service, image, tmp_path)
    assert lines == ["stdout: out", "stderr: err", "exit code: 4"]


def test_export_recipe(podman_service: PodmanService, image: str, tmp_path: Path) -> None:
    lines = run("export", podman_service, image, tmp_path)
    size = Path("/bin/busybox").stat().st_size
    assert lines == [f"exported rootfs.tar with bin/busybox of {size} bytes"]
    assert (tmp_path / "rootfs.tar").stat().st_size > size
