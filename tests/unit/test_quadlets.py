"""QuadletsManager and Quadlet (both clients) on a mock transport: this host's Podman 6
installs quadlets into the host's /etc/containers/systemd and lists them through systemd,
so the requests sent, the answers decoded and what is refused before any request are
checked here; tests/live/test_quadlets.py checks what a live service can show."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    APIError,
    InvalidArgument,
    MalformedAnswerError,
    NotFound,
    PodmanClient,
    UnsupportedServer,
)

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]

QUADLET = {
    "Name": "web.container",
    "UnitName": "web.service",
    "Path": "/etc/containers/systemd/web.container",
    "Status": "inactive/dead",
    "App": "",
}


@contextmanager
def mocked(flavour: str, handler: Handler, version: str = "6.0.0-rc1") -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version=version)
    ) as client:
        yield client


def answering(status: int, body: object, seen: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if isinstance(body, str):
            return httpx.Response(status, text=body)
        return httpx.Response(status, json=body)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def members(archive: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def test_list_and_get_read_the_documented_entries(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, [QUADLET], seen)) as client:
        every = client.quadlets.list(filters={"name": "web*"})
        got = client.quadlets.get("web.container")
    assert [q.name for q in every] == ["web.container"]
    assert (got.unit_name, got.status, got.application) == ("web.service", "inactive/dead", "")
    assert got.model.unit_name == "web.service"
    assert seen[0].url.path == "/v6.0.0-rc1/libpod/quadlets/json"
    assert json.loads(seen[0].url.params["filters"]) == {"name": ["web*"]}
    assert json.loads(seen[1].url.params["filters"]) == {"name": ["web.container"]}


def test_get_of_a_name_no_entry_has_is_not_found(flavour: str) -> None:
    with mocked(flavour, answering(200, [])) as client, pytest.raises(NotFound, match="web"):
        client.quadlets.get("web.container")


def test_a_list_entry_without_a_documented_key_raises(flavour: str) -> None:
    broken = {key: value for key, value in QUADLET.items() if key != "UnitName"}
    with (
        mocked(flavour, answering(200, [broken])) as client,
        pytest.raises(MalformedAnswerError, match="quadlets"),
    ):
        client.quadlets.list()


def test_exists_reads_404_as_false(flavour: str) -> None:
    with mocked(flavour, answering(404, {"cause": "no such quadlet", "message": "x"})) as client:
        assert client.quadlets.exists("web.container") is False
    with mocked(flavour, lambda request: httpx.Response(204)) as client:
        assert client.quadlets.exists("web.container") is True


def test_contents_are_the_files_text(flavour: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n[Container]\nImage=busybox\n\n"
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, text, seen)) as client:
        assert client.quadlets.get_contents("web.container") == text
        client.quadlets.print_contents("web.container")
    assert capsys.readouterr().out == "[Container]\nImage=busybox\n"
    assert seen[0].url.path == "/v6.0.0-rc1/libpod/quadlets/web.container/file"


def test_install_sends_the_files_as_one_tar_archive(flavour: str, tmp_path: Path) -> None:
    containerfile = tmp_path / "Containerfile"
    containerfile.write_text("FROM scratch\n")
    seen: list[httpx.Request] = []
    report = {"InstalledQuadlets": {"/tmp/x/web.container": "/etc/web.container"}}
    with mocked(flavour, answering(200, {**report, "QuadletErrors": {}}, seen)) as client:
        answer = client.quadlets.install(
            [("web.container", "[Container]\nImage=a\n"), containerfile],
            replace=True,
            reload_systemd=False,
        )
    assert answer == {**report, "QuadletErrors": {}}
    request = seen[0]
    assert (request.method, request.url.path) == ("POST", "/v6.0.0-rc1/libpod/quadlets")
    assert request.headers["Content-Type"] == "application/x-tar"
    assert dict(request.url.params) == {"replace": "true", "reload-systemd": "false"}
    assert members(request.content) == {
        "web.container": b"[Container]\nImage=a\n",
        "Containerfile": b"FROM scratch\n",
    }


def test_install_sends_a_tar_path_as_it_is(flavour: str, tmp_path: Path) -> None:
    archive = tmp_path / "app.tar"
    archive.write_bytes(b"not checked here: the server reads it")
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, {"InstalledQuadlets": {}}, seen)) as client:
        client.quadlets.install(str(archive))
    assert seen[0].content == archive.read_bytes()


@pytest.mark.parametrize(
    ("files", "match"),
    [
        ([], "at least one"),
        (("web.container",), r"\(name, content\)"),
        (("../web.container", "x"), "plain file name"),
        (("web.container", 1), "str or bytes"),
        ([("a.container", "x"), ("a.container", "y")], "twice"),
        ("/no/such/file.container", "does not exist"),
        ("/no/such/app.tar", "does not exist"),
        (42, "a quadlet file is"),
    ],
)
def test_bad_files_are_refused_before_a_request(flavour: str, files: object, match: str) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument, match=match):
        client.quadlets.install(files)  # type: ignore[arg-type]


def test_delete_takes_a_name_or_all(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, {"Removed": ["web.container"], "Errors": {}}, seen)) as c:
        assert c.quadlets.delete("web.container", force=True) == ["web.container"]
        assert c.quadlets.delete(all=True, reload_systemd=False) == ["web.container"]
        with pytest.raises(InvalidArgument, match="exactly one"):
            c.quadlets.delete()
        with pytest.raises(InvalidArgument, match="exactly one"):
            c.quadlets.delete("web.container", all=True)
        with pytest.raises(InvalidArgument, match="force"):
            c.quadlets.delete("web.container", force="yes")  # type: ignore[arg-type]
    assert seen[0].url.path == "/v6.0.0-rc1/libpod/quadlets/web.container"
    assert dict(seen[0].url.params) == {"force": "true"}
    assert seen[1].url.path == "/v6.0.0-rc1/libpod/quadlets"
    assert dict(seen[1].url.params) == {"all": "true", "reload-systemd": "false"}
    assert len(seen) == 2


def test_a_quadlet_the_server_could_not_remove_raises(flavour: str) -> None:
    report = {"Removed": ["a.container"], "Errors": {"b.container": {}}}
    with (
        mocked(flavour, answering(200, report)) as c,
        pytest.raises(APIError, match=r"b\.container"),
    ):
        c.quadlets.delete(all=True)


def test_a_quadlets_own_verbs_use_its_name(flavour: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/json"):
            return httpx.Response(200, json=[QUADLET])
        if request.method == "DELETE":
            return httpx.Response(200, json={"Removed": ["web.container"]})
        return httpx.Response(200, text="[Container]\n")

    with mocked(flavour, handler) as client:
        quadlet = client.quadlets.get("web.container")
        quadlet.reload()
        assert quadlet.get_contents() == "[Container]\n"
        assert quadlet.delete(ignore=True) == ["web.container"]
    assert [r.url.path.rsplit("/", 1)[-1] for r in seen] == [
        "json",
        "json",
        "file",
        "web.container",
    ]


@pytest.mark.parametrize("version", ["4.3.1", "5.4.2"])
def test_every_verb_is_refused_before_sending_on_a_server_without_quadlets(
    flavour: str, version: str
) -> None:
    verbs: list[Callable[[PodmanClient], object]] = [
        lambda c: c.quadlets.list(),
        lambda c: c.quadlets.get("web.container"),
        lambda c: c.quadlets.exists("web.container"),
        lambda c: c.quadlets.get_contents("web.container"),
        lambda c: c.quadlets.delete("web.container"),
        lambda c: c.quadlets.delete(all=True),
        lambda c: c.quadlets.install(("web.container", "[Container]\n")),
    ]
    with mocked(flavour, no_request, version=version) as client:
        for verb in verbs:
            with pytest.raises(
                UnsupportedServer, match=rf"Podman {version}.*added by Podman 5\.8\.2"
            ):
                verb(client)
