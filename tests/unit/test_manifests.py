"""ManifestsManager and Manifest (both clients) on a mock transport: the requests sent,
what a real service cannot be made to answer (an error inside a 200 push stream, a
stream without its digest, a null list), and what is refused before any request."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from podman_sdk import (
    APIError,
    ImageNotFound,
    InvalidArgument,
    PodmanClient,
    PushError,
    UnsupportedServer,
)

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]
DIGEST = "sha256:" + "ab" * 32
ENTRY = {
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "size": 527,
    "digest": DIGEST,
    "platform": {"architecture": "amd64", "os": "linux"},
}
LIST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [ENTRY],
}


@contextmanager
def mocked(flavour: str, handler: Handler, version: str = "5.8.2") -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version=version)
    ) as client:
        yield client


def routed(
    seen: list[httpx.Request], push_body: bytes = b"", sent: list[httpx.Headers] | None = None
) -> Handler:
    """A service holding the list "localhost/l:v1": create, inspect, modify, push.
    ``sent``: each request's headers as they went out (the SDK then redacts
    credentials in the request)."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if sent is not None:
            sent.append(request.headers.copy())
        path = request.url.path
        if "/registry/" in path:
            return httpx.Response(200, content=push_body)
        if request.method == "POST":
            return httpx.Response(201, json={"Id": "f" * 64})
        if request.method == "PUT":
            return httpx.Response(200, json={"Id": "f" * 64, "images": []})
        if request.method == "DELETE":
            return httpx.Response(200, json={"Deleted": ["f" * 64], "Errors": [], "ExitCode": 0})
        return httpx.Response(200, json=LIST)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_create_sends_each_image_and_names_the_list(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, routed(seen)) as client:
        manifest = client.manifests.create("localhost/l:v1", ["a:1", "b:2"], all=True)
    create = seen[0]
    assert create.url.path == "/v5.8.2/libpod/manifests/localhost/l:v1"
    assert create.url.params.get_list("images") == ["a:1", "b:2"]
    assert create.url.params["all"] == "true"
    assert manifest.name == manifest.names == "localhost/l:v1"
    assert manifest.id == DIGEST.removeprefix("sha256:")
    assert manifest.short_id == ("ab" * 6)
    assert manifest.version == 2
    assert manifest.media_type == LIST["mediaType"]
    assert manifest.quoted_name == "localhost%2Fl%3Av1"
    assert manifest.model.manifests is not None
    assert manifest.model.manifests[0].digest == DIGEST


def test_an_empty_create_sends_no_images(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, routed(seen)) as client:
        client.manifests.create("localhost/l:v1")
    assert "images" not in seen[0].url.params


def test_a_null_list_reads_as_empty(flavour: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={**LIST, "manifests": None})

    with mocked(flavour, handler) as client:
        manifest = client.manifests.get("localhost/l:v1")
    assert manifest.attrs["manifests"] == []
    assert manifest.id == "localhost/l:v1"


def test_add_and_remove_send_modify_operations(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, routed(seen)) as client:
        manifest = client.manifests.get("localhost/l:v1")
        manifest.add(["a:1"], annotation={"k": "v"}, arch="arm64", features=["f"], os="linux")
        manifest.remove(f"registry/x@{DIGEST}")
    puts = [json.loads(r.content) for r in seen if r.method == "PUT"]
    assert puts[0] == {
        "operation": "update",
        "images": ["a:1"],
        "annotation": ["k=v"],
        "arch": "arm64",
        "features": ["f"],
        "os": "linux",
    }
    assert puts[1] == {"operation": "remove", "images": [DIGEST]}


def test_remove_reports_the_status(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, routed(seen)) as client:
        report = client.manifests.remove("localhost/l:v1")
    assert report["ExitCode"] == 200
    assert report["Deleted"] == ["f" * 64]


def test_a_missing_list_is_image_not_found_on_remove(flavour: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            404, json={"cause": "image not known", "message": "no", "response": 404}
        )

    with mocked(flavour, handler) as client:
        with pytest.raises(ImageNotFound):
            client.manifests.remove("localhost/l:v1")
        assert client.manifests.exists("localhost/l:v1") is False


def test_push_sends_credentials_and_asks_for_progress(flavour: str) -> None:
    seen: list[httpx.Request] = []
    sent: list[httpx.Headers] = []
    body = b'{"stream":"Writing manifest list\\n"}\n{"Id":"' + DIGEST.encode() + b'"}\n'
    with mocked(flavour, routed(seen, body, sent)) as client:
        manifest = client.manifests.get("localhost/l:v1")
        manifest.push(
            "127.0.0.1:5000/l:v1", all=True, auth_config={"username": "u", "password": "p"}
        )
    push = seen[-1]
    assert push.url.path.endswith("/registry/127.0.0.1:5000/l:v1")
    assert push.url.params["quiet"] == "false"
    assert push.url.params["all"] == "true"
    auth = json.loads(base64.urlsafe_b64decode(sent[-1]["X-Registry-Auth"]))
    assert push.headers["X-Registry-Auth"] == "<redacted>"  # once sent
    assert auth["username"] == "u"


def test_an_error_inside_a_200_push_raises(flavour: str) -> None:
    body = b'{"stream":"Copying\\n"}\n{"Id":"","error":"unauthorized: no"}\n'
    with mocked(flavour, routed([], body)) as client:
        manifest = client.manifests.get("localhost/l:v1")
        with pytest.raises(PushError, match="unauthorized"):
            manifest.push("127.0.0.1:5000/l:v1")


def test_a_push_stream_without_a_digest_raises(flavour: str) -> None:
    with mocked(flavour, routed([], b'{"stream":"Copying\\n"}\n')) as client:
        manifest = client.manifests.get("localhost/l:v1")
        with pytest.raises(PushError, match="digest"):
            manifest.push("127.0.0.1:5000/l:v1")


def test_list_on_podman_4_raises_before_listing(flavour: str) -> None:
    with (
        mocked(flavour, no_request, version="4.3.1") as client,
        pytest.raises(UnsupportedServer, match=r"5\.0"),
    ):
        client.manifests.list()


def test_list_keeps_the_manifest_lists(flavour: str) -> None:
    images = [
        {"Id": "1" * 64, "RepoTags": ["localhost/l:v1"], "IsManifestList": True},
        {"Id": "2" * 64, "RepoTags": ["localhost/img:v1"], "IsManifestList": False},
    ]
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/images/json"):
            return httpx.Response(200, json=images)
        asked.append(request.url.path)
        return httpx.Response(200, json=LIST)

    with mocked(flavour, handler) as client:
        found = client.manifests.list()
    assert [m.name for m in found] == ["localhost/l:v1"]
    assert asked == ["/v5.8.2/libpod/manifests/localhost/l:v1/json"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.manifests.create(""),
        lambda c: c.manifests.create("l", "not-a-list"),
        lambda c: c.manifests.create("l", all="yes"),
        lambda c: c.manifests.get(""),
    ],
)
def test_bad_arguments_raise_before_any_request(flavour: str, call: Callable[..., object]) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument):
        call(client)


def test_a_refused_name_is_an_api_error(flavour: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"cause": "bad", "message": "invalid image name", "response": 400}
        )

    with mocked(flavour, handler) as client, pytest.raises(APIError) as raised:
        client.manifests.create("123456!@#$%^")
    assert raised.value.status_code == 400
