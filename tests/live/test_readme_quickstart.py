"""The README's quickstart, run as written against each live service.

Only its three settings lines change: ``URL`` becomes the service's socket, ``IMAGE`` an
image pushed to a local registry (so the pull really pulls), ``TLS_VERIFY`` False (the
registry speaks plain HTTP). Everything else runs exactly as a reader would paste it.

The quickstart is a `PodmanClient` program; the README's `AsyncPodmanClient` program
(its asyncio section) runs in test_readme_asyncio.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import click

from tests.harness import (
    PodmanService,
    Registry,
    build_busybox_image,
    image_exists,
    image_id,
    push_image,
    remove_image,
)
from tests.live.test_readme_api import run_program

README = Path(__file__).resolve().parents[2] / "README.md"
FENCED_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def quickstart_code() -> str:
    """The first ```python block of the README."""
    found = FENCED_PYTHON.search(README.read_text(encoding="utf-8"))
    assert found is not None, "README.md has no ```python block"
    return found.group(1)


def with_settings(code: str, **settings: object) -> str:
    """``code`` with each ``NAME = ...`` line replaced; each must occur exactly once, so
    a README that renames its settings breaks this test instead of silently passing."""
    for name, value in settings.items():
        code, count = re.subn(rf"^{name} = .*$", f"{name} = {value!r}", code, flags=re.MULTILINE)
        assert count == 1, f"the quickstart must set {name} on exactly one line"
    return code


def test_quickstart_settings_are_found() -> None:
    code = with_settings(
        quickstart_code(), URL="unix:///x", IMAGE="x", TLS_VERIFY=False, ON_THIS_HOST={}
    )
    compile(code, "README.md", "exec")


def test_readme_quickstart_runs(
    podman_service: PodmanService, registry: Registry, tmp_path: Path
) -> None:
    local = f"localhost/readme-quickstart-{podman_service.name}:1"
    remote = f"{registry.host}/readme/hello-{podman_service.name}:1"
    built = build_busybox_image(podman_service, local)  # the quickstart runs containers
    push_image(podman_service, local, remote)
    remove_image(podman_service, local)  # the quickstart's pull must fetch it
    assert not image_exists(podman_service, remote)
    code = with_settings(
        quickstart_code(),
        URL=podman_service.url,
        IMAGE=remote,
        TLS_VERIFY=False,
        ON_THIS_HOST={"cgroups_mode": "disabled", "network_mode": "none"},
    )
    try:
        done = run_program(code, tmp_path)
        out = done.stdout
        assert f"Podman {podman_service.version} at {podman_service.url}" in out
        assert f"pulled {built[:12]} ['{remote}']" in out
        archive = tmp_path / "hello.tar"
        assert f"sha256 {hashlib.sha256(archive.read_bytes()).hexdigest()}" in out
        assert f"loaded {built[:12]} ['{remote}']" in out
        assert "ran: b'hello\\n'" in out
        assert "exec: 3 b'out\\n' b'err\\n'" in out
        logged = [line for line in out.splitlines() if line.startswith("log:")]
        assert sorted(logged) == [
            "log: stderr b'warning\\n'",
            "log: stdout b'finished\\n'",
            "log: stdout b'started\\n'",
        ]
        assert "exit code: 0" in out
        assert "not found:" in out
        assert image_id(podman_service, remote) == built
    finally:
        remove_image(podman_service, remote)
        remove_image(podman_service, local)


def test_readme_example_session_names_only_real_commands() -> None:
    from podman_sdk._cli import cli  # noqa: PLC0415 - only this test needs the CLI

    text = (README.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    session = re.search(r"^```console\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert session is not None, "docs/cli.md has no example session"
    images = cli.commands["images"]
    assert isinstance(images, click.Group)
    for line in session.group(1).splitlines():
        if not line.startswith("$ podman-sdk "):
            continue
        words = re.split(r"[;|]", line)[0].split()[2:]  # this command, not what follows
        top = next((word for word in words if word in cli.commands), None)
        assert top is not None, line
        if top == "images":
            assert words[words.index("images") + 1] in images.commands, line
