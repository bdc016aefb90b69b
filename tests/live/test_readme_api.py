"""The guide "The whole libpod API" (docs/api.md): its program, run as written against each live service.

Only its settings lines change: ``URL`` becomes the service's socket, ``IMAGE`` a busybox
image built FROM scratch in that service (offline), and ``HOST_SETTINGS`` the container
settings that let containers start on this kind of host (cgroups disabled, no network:
``tests.harness.RUNNABLE_SETTINGS``). Everything else runs as a reader would paste it;
the assertions check its output against what the service really did.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.harness import (
    RUNNABLE_SETTINGS,
    PodmanService,
    build_busybox_image,
    remove_container,
    remove_image,
    uds_client,
)
from tests.harness.containers import BUSYBOX_CONTAINERFILE
from tests.harness.docs import page_path, python_block
from tests.harness.podman_service import LIBPOD

REPO = Path(__file__).resolve().parents[2]
PAGE = "api.md"
# What the program creates, to clean up after a failed run.
NAMES = {
    "containers": "readme-hello",
    "pods": "readme-pod",
    "volumes": "readme-data",
    "networks": "readme-net",
    "secrets": "readme-token",
}


def section_code(page: str = PAGE) -> str:
    """The first ```python block of the guide ``page`` (below docs/)."""
    return python_block(page)


def with_settings(code: str, **settings: object) -> str:
    """``code`` with each ``NAME = ...`` (or ``NAME: type = ...``) line given a new
    value; each must occur exactly once, so renaming a setting breaks this test."""
    for name, value in settings.items():
        line = re.compile(rf"^({name}(?:: [^=]+)?) = .*$", re.MULTILINE)

        def assign(found: re.Match[str], text: str = repr(value)) -> str:
            return f"{found.group(1)} = {text}"

        code, count = line.subn(assign, code)
        assert count == 1, f"the section must set {name} on exactly one line"
    return code


def test_section_settings_are_found() -> None:
    code = with_settings(
        section_code(), URL="unix:///x", IMAGE="x", HOST_SETTINGS=RUNNABLE_SETTINGS
    )
    assert f"HOST_SETTINGS: dict[str, object] = {RUNNABLE_SETTINGS!r}" in code
    compile(code, "docs/api.md", "exec")


def test_section_builds_the_image_the_test_builds() -> None:
    """The guide's Containerfile is the harness's, so the test runs what readers build."""
    section = page_path(PAGE).read_text(encoding="utf-8")
    printf = re.search(r"^printf '(.*)' > busybox/Containerfile$", section, re.MULTILINE)
    assert printf is not None, "the section no longer writes busybox/Containerfile"
    assert printf.group(1).replace("\\n", "\n") == BUSYBOX_CONTAINERFILE


def test_section_type_checks_strictly(tmp_path: Path) -> None:
    """A reader's type checker accepts the program, with no isinstance narrowing: the
    results are the success types."""
    type_check(section_code(), tmp_path / "readme_api.py")


def type_check(code: str, program: Path) -> None:
    """Write ``code`` to ``program`` and check it with ``mypy --strict`` and pyright
    (its default mode, as VS Code's Pylance runs it): no error from either."""
    program.write_text(code, encoding="utf-8")
    pyright = str(Path(sys.executable).parent / "pyright")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(program)],
        [pyright, "--pythonpath", sys.executable, str(program)],
    ):
        done = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr


def run_program(code: str, directory: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as a reader would, in ``directory``; it must exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done


def leftovers(service: PodmanService) -> list[str]:
    """The program's objects still in the service."""
    found = []
    with uds_client(service.socket_path) as client:
        for kind, name in NAMES.items():
            if client.get(f"{LIBPOD}/{kind}/{name}/exists").status_code == 204:
                found.append(f"{kind}/{name}")
    return found


def remove_leftovers(service: PodmanService) -> None:
    remove_container(service, NAMES["containers"])
    with uds_client(service.socket_path) as client:
        for kind in ("pods", "volumes", "networks", "secrets"):
            client.delete(f"{LIBPOD}/{kind}/{NAMES[kind]}", params={"force": "true"})


def test_readme_api_section_runs(podman_service: PodmanService, tmp_path: Path) -> None:
    image = f"localhost/readme-api/busybox-{podman_service.name}:v1"
    build_busybox_image(podman_service, image)
    code = with_settings(
        section_code(),
        URL=podman_service.url,
        IMAGE=image,
        HOST_SETTINGS=RUNNABLE_SETTINGS,
    )
    try:
        assert leftovers(podman_service) == []
        done = run_program(code, tmp_path)
        lines = done.stdout.splitlines()
        out = done.stdout
        # Containers: the exit code and both streams, demultiplexed, in order.
        assert "readme-hello exited with 3" in lines
        assert [line for line in lines if line.startswith(("stdout:", "stderr:"))] == [
            "stdout: hello",
            "stderr: oops",
        ]
        assert "removed: no such container" in lines
        assert "pods: [('readme-pod', 'Created')]" in lines
        volume = re.search(r"^volume readme-data at (\S+)$", out, re.MULTILINE)
        assert volume is not None, out
        assert volume.group(1).endswith("/readme-data/_data")
        assert "volumes: ['readme-data']" in lines
        network = re.search(r"^network readme-net \[(.*)\]$", out, re.MULTILINE)
        if network is None:
            # Podman 6 creates networks through netavark 2.0's `netavark create`; this
            # host has netavark 1.17 (see MEASURED.md). Any other refusal fails.
            assert podman_service.name == "podman6", out
            assert "no network: netavark" in out, out
        else:
            assert re.fullmatch(r"'\d+\.\d+\.\d+\.\d+/\d+'", network.group(1)), out
        secret = re.search(r"^secret ([0-9a-f]{25}) created \d{4}-", out, re.MULTILINE)
        assert secret is not None, out
        usage = re.search(r"^disk usage: (\d+) images, (\d+) bytes$", out, re.MULTILINE)
        assert usage is not None, out
        assert int(usage.group(1)) >= 1  # at least the busybox image
        assert int(usage.group(2)) >= Path("/bin/busybox").stat().st_size
        events = [tuple(line.split()[1:]) for line in lines if line.startswith("event:")]
        container = [action for kind, action, name in events if kind == "container"]
        assert {"create", "start", "died", "remove"} <= set(container), events
        assert container.index("create") < container.index("start") < container.index("remove")
        assert ("volume", "create", "readme-data") in events, events
        assert ("volume", "remove", "readme-data") in events, events
        assert leftovers(podman_service) == []
    finally:
        remove_leftovers(podman_service)
        remove_image(podman_service, image)
