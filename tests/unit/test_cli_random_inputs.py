"""Property tests of the CLI on a mock transport that answers like Podman 4.3.1: random
strings as image names, tag targets, pull references and save targets end in exit 0, 1
or 2 with a one-line error, never an unhandled exception (CliRunner would keep it in
``result.exception``) and never a hang."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from podman_sdk._cli import cli
from podman_sdk._cli.connect import Settings

from tests.harness.click_runner import cli_runner
from tests.harness.random_strings import random_names

IMAGE_ID = "ab" * 32
KNOWN = "localhost/demo:1"
CLI = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def podman(request: httpx.Request) -> httpx.Response:
    """Just enough of Podman 4.3.1: one image; unknown names 404, pulls fail in the stream."""
    path = request.url.raw_path.decode().partition("?")[0]
    if path.endswith("/_ping"):
        return httpx.Response(200, text="OK", headers={"Libpod-Api-Version": "4.3.1"})
    route = path.removeprefix("/v4.3.1/libpod")
    if route == "/images/pull":
        return httpx.Response(200, content=b'{"error":"initializing source: refused"}\n')
    quoted, _, verb = route.removeprefix("/images/").partition("/")
    if unquote(quoted) not in (IMAGE_ID, KNOWN):
        body = {"cause": "image not known", "message": "image not known", "response": 404}
        return httpx.Response(404, json=body)
    if verb == "json":
        return httpx.Response(200, json={"Id": IMAGE_ID, "RepoTags": [KNOWN], "Size": 10})
    if verb == "tag":
        return httpx.Response(201)
    if verb == "get":
        return httpx.Response(200, content=b"archive")
    return httpx.Response(404, json={"message": f"no route {route}"})


def invoke(*args: str) -> Result:
    settings_ = Settings(transport=httpx.MockTransport(podman))
    return cli_runner().invoke(cli, ["--url", "http://podman.test", *args], obj=settings_)


def check(result: Result) -> None:
    unhandled = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not unhandled, repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert len(result.stderr.strip().splitlines()) >= 1
        assert "Traceback" not in result.stderr


@pytest.mark.timeout(300)
@CLI
@given(name=random_names)
def test_inspect_and_history_of_random_names(name: str) -> None:
    check(invoke("images", "inspect", "--", name))
    check(invoke("images", "history", "--", name))


@pytest.mark.timeout(120)
@CLI
@given(target=random_names)
def test_tag_with_random_targets(target: str) -> None:
    check(invoke("images", "tag", KNOWN, "--", target))


@pytest.mark.timeout(120)
@CLI
@given(reference=random_names)
def test_pull_of_random_references(reference: str) -> None:
    check(invoke("images", "pull", "--", reference))


@pytest.mark.timeout(120)
@settings(CLI, max_examples=100)
@given(name=st.one_of(st.just(KNOWN), random_names), file_name=st.text(min_size=1, max_size=30))
def test_save_with_random_names_and_files(tmp_path: Path, name: str, file_name: str) -> None:
    target = tmp_path / file_name.replace("\0", "")
    result = invoke("images", "save", "--named", "-o", str(target), "--", name)
    check(result)
    if name == KNOWN and result.exit_code == 0:
        assert target.read_bytes() == b"archive"
    leftovers = [path.name for path in tmp_path.rglob("*") if path.name.endswith(".part")]
    assert leftovers == []
