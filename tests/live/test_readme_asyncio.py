"""The guide "asyncio" (docs/asyncio.md): its program, run as written against each live service.

Only its ``URL`` line changes, to the service's socket; the service holds at least one
image (the program saves the first that ``images.list()`` gives), and the program runs
in a directory of the test's own, where it writes ``first.tar``. The assertions check
its output against the service and the archive: the version, the streamed chunks adding
up to the archive's size, the archive's sha256, and the image that ``load`` gave back.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.harness import ImageFactory, PodmanService, uds_client
from tests.harness.podman_service import LIBPOD
from tests.live.test_readme_api import run_program, section_code, type_check, with_settings

PAGE = "asyncio.md"


def test_asyncio_settings_are_found() -> None:
    code = with_settings(section_code(PAGE), URL="unix:///x")
    assert "AsyncPodmanClient(URL)" in code
    compile(code, "docs/asyncio.md", "exec")


def test_asyncio_section_type_checks_strictly(tmp_path: Path) -> None:
    type_check(section_code(PAGE), tmp_path / "readme_asyncio.py")


def first_listed(service: PodmanService) -> str:
    """The id of the first image the service lists (as ``images.list()`` asks)."""
    with uds_client(service.socket_path) as client:
        response = client.get(f"{LIBPOD}/images/json")
    response.raise_for_status()
    listed: str = response.json()[0]["Id"]
    return listed


def test_readme_asyncio_section_runs(
    podman_service: PodmanService, image_factory: ImageFactory, tmp_path: Path
) -> None:
    image_factory(podman_service, f"localhost/readme-asyncio-{podman_service.name}:1")
    first = first_listed(podman_service)
    code = with_settings(section_code(PAGE), URL=podman_service.url)
    done = run_program(code, tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0] == f"Podman {podman_service.version}"
    archive = (tmp_path / "first.tar").read_bytes()
    chunks = [int(line) for line in lines[1:-1]]
    assert chunks, "the save stream gave no chunk"
    assert sum(chunks) == len(archive)
    loaded = re.fullmatch(r"([0-9a-f]{64}) \[<AsyncImage: ([0-9a-f]{12}) \(.*\)>\]", lines[-1])
    assert loaded is not None, done.stdout
    assert loaded.group(1) == hashlib.sha256(archive).hexdigest()
    assert loaded.group(2) == first[:12]
