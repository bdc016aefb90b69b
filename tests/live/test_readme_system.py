"""The guide "System and events" (docs/system.md): its program, run as written against
each live service, with only its ``URL`` line changed. The assertions check its output
against the service: the version and platform, and the two events of the volume the
program creates and removes while it reads the stream."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import PodmanService
from tests.live.test_readme_api import run_program, section_code, type_check, with_settings

PAGE = "system.md"


def test_system_settings_are_found() -> None:
    code = with_settings(section_code(PAGE), URL="unix:///x")
    assert "PodmanClient(URL)" in code
    compile(code, "docs/system.md", "exec")


def test_system_section_type_checks_strictly(tmp_path: Path) -> None:
    type_check(section_code(PAGE), tmp_path / "readme_system.py")


def test_readme_system_section_runs(podman_service: PodmanService, tmp_path: Path) -> None:
    code = with_settings(section_code(PAGE), URL=podman_service.url)
    done = run_program(code, tmp_path)
    lines = done.stdout.splitlines()
    assert re.fullmatch(rf"Podman {re.escape(podman_service.version)} on linux/\S+", lines[0])
    assert re.fullmatch(r"\d+ images, \d+ volumes", lines[1])
    assert lines[2:] == ["create volume docs-events-demo", "remove volume docs-events-demo"]
