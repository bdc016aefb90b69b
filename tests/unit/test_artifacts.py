"""ArtifactsManager and Artifact (both clients) on a mock transport: the requests sent,
the answers decoded, what is refused before any request, and the gate on a service
older than the artifact routes. tests/live/test_artifacts.py runs them on Podman 6."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    InvalidArgument,
    MalformedAnswerError,
    NotFound,
    PodmanClient,
    UnsupportedServer,
)

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]
DIGEST = "sha256:" + "a" * 64
EMPTY = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
MANIFEST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "artifactType": "application/vnd.unknown.artifact.v1",
    "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": EMPTY, "size": 2},
    "layers": [
        {
            "mediaType": "text/plain",
            "digest": "sha256:" + "b" * 64,
            "size": 6,
            "annotations": {"org.opencontainers.image.title": "notes.txt"},
        }
    ],
}
INSPECTED = {"Name": "localhost/a:1", "Digest": DIGEST, "Manifest": MANIFEST}


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
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_list_get_and_exists(flavour: str) -> None:
    seen: list[httpx.Request] = []
    listed = [{"Name": "localhost/a:1", "Manifest": MANIFEST}]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/artifacts/json"):
            return httpx.Response(200, json=listed)
        if "missing" in request.url.path:
            return httpx.Response(404, json={"cause": "artifact does not exist", "message": "x"})
        return httpx.Response(200, json=INSPECTED)

    with mocked(flavour, handler) as client:
        every = client.artifacts.list()
        assert [(a.name, a.digest) for a in every] == [("localhost/a:1", None)]
        got = client.artifacts.get("localhost/a:1")
        assert (got.digest, got.manifest) == (DIGEST, MANIFEST)
        assert got.model.digest == DIGEST
        assert client.artifacts.exists("localhost/a:1") is True
        assert client.artifacts.exists("localhost/missing:1") is False
        with pytest.raises(NotFound):
            client.artifacts.get("localhost/missing:1")
    assert seen[1].url.raw_path == b"/v6.0.0-rc1/libpod/artifacts/localhost%2Fa%3A1/json"


def test_an_inspect_answer_without_a_digest_raises(flavour: str) -> None:
    broken = {"Name": "localhost/a:1", "Manifest": None}
    with (
        mocked(flavour, answering(200, broken)) as client,
        pytest.raises(MalformedAnswerError, match="Digest"),
    ):
        client.artifacts.get("localhost/a:1")


def test_add_sends_the_bytes_and_the_options(flavour: str, tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_bytes(b"hello\n")
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(201, {"ArtifactDigest": DIGEST}, seen)) as client:
        assert client.artifacts.add("localhost/a:1", path=file, annotations={"k": "v"}) == DIGEST
        client.artifacts.add("localhost/a:1", b"more", file_name="b.txt", append=True)
    first, second = seen
    assert (first.method, first.url.path) == ("POST", "/v6.0.0-rc1/libpod/artifacts/add")
    assert first.content == b"hello\n"
    assert first.url.params["fileName"] == "notes.txt"
    assert first.url.params.get_list("annotations") == ["k=v"]
    assert first.url.params["append"] == "false"
    assert (second.content, second.url.params["fileName"]) == (b"more", "b.txt")
    assert second.url.params["append"] == "true"


@pytest.mark.parametrize(
    ("verb", "match"),
    [
        (lambda c: c.artifacts.add("a"), "exactly one"),
        (lambda c: c.artifacts.add("a", b"x"), "file_name"),
        (lambda c: c.artifacts.add("a", b"x", path="/x"), "exactly one"),
        (lambda c: c.artifacts.add("a", path="/no/such/file"), "does not exist"),
        (lambda c: c.artifacts.add("a", b"x", file_name="f", annotations={"a=b": "c"}), "="),
        (lambda c: c.artifacts.add("a", b"x", file_name="f", append=True, replace=True), "both"),
        (lambda c: c.artifacts.remove(), "exactly one"),
        (lambda c: c.artifacts.remove("a", all=True), "exactly one"),
        (lambda c: c.artifacts.extract("a", title="t", digest="d"), "not both"),
        (lambda c: c.artifacts.pull("a", retry=-1), "retry"),
        (lambda c: c.artifacts.push("a", auth_config={"username": 1}), "auth_config"),
        (lambda c: c.artifacts.get(""), "artifact name"),
    ],
)
def test_bad_input_is_refused_before_a_request(
    flavour: str, verb: Callable[[PodmanClient], object], match: str
) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument, match=match):
        verb(client)


def test_remove_one_several_or_all(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, {"ArtifactDigests": [DIGEST]}, seen)) as client:
        assert client.artifacts.remove("localhost/a:1") == [DIGEST]
        client.artifacts.remove(["localhost/a:1", "localhost/b:1"], ignore=True)
        client.artifacts.remove(all=True)
    assert seen[0].url.raw_path == b"/v6.0.0-rc1/libpod/artifacts/localhost%2Fa%3A1"
    assert seen[1].url.path == "/v6.0.0-rc1/libpod/artifacts/remove"
    assert seen[1].url.params.get_list("artifacts") == ["localhost/a:1", "localhost/b:1"]
    assert seen[1].url.params["ignore"] == "true"
    assert dict(seen[2].url.params) == {"all": "true"}


def test_extract_returns_the_archive(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, b"tar bytes", seen)) as client:
        assert client.artifacts.extract("localhost/a:1", title="b.txt") == b"tar bytes"
    assert dict(seen[0].url.params) == {"title": "b.txt"}


def test_pull_and_push_send_credentials_in_the_header(flavour: str) -> None:
    seen: list[httpx.Request] = []
    auth_headers: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        auth_headers.append(request.headers.get("X-Registry-Auth"))  # redacted once sent
        if request.url.path.endswith("/json"):
            return httpx.Response(200, json=INSPECTED)
        return httpx.Response(200, json={"ArtifactDigest": DIGEST})

    auth = {"username": "u", "password": "p"}
    with mocked(flavour, handler) as client:
        pulled = client.artifacts.pull("localhost/a:1", tls_verify=False, auth_config=auth)
        assert pulled.digest == DIGEST
        assert client.artifacts.push(pulled, retry=0) == DIGEST
    pull, _, push = seen
    assert pull.url.params["name"] == "localhost/a:1"
    assert pull.url.params["tlsVerify"] == "false"
    assert auth_headers[0] is not None
    sent = json.loads(base64.urlsafe_b64decode(auth_headers[0]))
    assert sent["username"] == "u"
    assert push.url.raw_path.startswith(b"/v6.0.0-rc1/libpod/artifacts/localhost%2Fa%3A1/push")
    assert push.url.params["retry"] == "0"


@pytest.mark.parametrize("version", ["4.3.1", "5.4.2"])
def test_every_verb_is_refused_before_sending_without_the_routes(
    flavour: str, version: str
) -> None:
    verbs: list[Callable[[PodmanClient], object]] = [
        lambda c: c.artifacts.list(),
        lambda c: c.artifacts.get("localhost/a:1"),
        lambda c: c.artifacts.exists("localhost/a:1"),
        lambda c: c.artifacts.add("localhost/a:1", b"x", file_name="f"),
        lambda c: c.artifacts.remove("localhost/a:1"),
        lambda c: c.artifacts.extract("localhost/a:1"),
        lambda c: c.artifacts.pull("localhost/a:1"),
        lambda c: c.artifacts.push("localhost/a:1"),
    ]
    with mocked(flavour, no_request, version=version) as client:
        for verb in verbs:
            with pytest.raises(
                UnsupportedServer, match=rf"Podman {version}.*added by Podman 5\.8\.2"
            ):
                verb(client)
