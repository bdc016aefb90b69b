"""``PodmanClient.api``: the generated client bound to the connection, and the one send
path it shares with the facade (negotiation, version prefix, errors, hooks, close)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from libpod_client import SyncSender
from libpod_client.api.containers import container_delete_libpod, container_list_libpod
from libpod_client.api.containers_compat import container_inspect
from libpod_client.api.images import image_inspect_libpod
from libpod_client.api.images_compat import image_inspect
from libpod_client.api.networks import network_inspect_libpod
from libpod_client.api.volumes import volume_list_libpod
from libpod_client.models import ListContainer
from podman_sdk import (
    Conflict,
    ImageNotFound,
    InvalidArgument,
    NotFound,
    PodmanClient,
    PodmanConnectionError,
    PodmanTimeoutError,
    ServerError,
)
from podman_sdk._core._api_version import Version
from podman_sdk._core._send_rules import not_found_class, versioned_path, versioned_url

from tests.unit.test_client import FakePodman, answer

# A list entry as Podman 5.4.2 writes it (tests/generated/data), renamed.
CONTAINER = {
    **json.loads(
        (Path(__file__).parents[1] / "generated/data/podman5_created_container.json").read_text()
    )["list"],
    **{"Id": "c" * 64, "Names": ["web"], "Image": "localhost/app:1", "State": "running"},
}


def fake_with(**routes: object) -> FakePodman:
    return FakePodman({key: value for key, value in routes.items()})  # type: ignore[misc]


def test_api_is_a_sync_sender_made_once() -> None:
    with FakePodman().client() as client:
        api: SyncSender = client.api
        assert isinstance(api.get_httpx_client(), httpx.Client)
        assert client.api is api


def test_generated_calls_are_negotiated_and_versioned() -> None:
    fake = FakePodman({("GET", "/libpod/containers/json"): answer(200, [CONTAINER])})
    with fake.client() as client:
        containers = container_list_libpod.sync(client=client.api, all_=True)
    assert isinstance(containers, list)
    assert isinstance(containers[0], ListContainer)
    assert containers[0].names == ["web"]
    assert fake.paths == ["/libpod/_ping", "/v5.4.2/libpod/containers/json"]
    assert fake.requests[-1].url.params["all"] == "true"


def test_a_pinned_version_is_used_as_given() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [])})
    with fake.client(version="4.3.1") as client:
        assert volume_list_libpod.sync(client=client.api) == []
    assert fake.paths == ["/v4.3.1/libpod/volumes/json"]


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFound), (409, Conflict), (500, ServerError)],
)
def test_generated_calls_raise_the_sdk_exceptions(status: int, error: type[Exception]) -> None:
    body = {"cause": "the cause", "message": "the message", "response": status}
    fake = FakePodman({("DELETE", "/libpod/containers/web"): answer(status, body)})
    with fake.client() as client, pytest.raises(error) as info:
        container_delete_libpod.sync_detailed("web", client=client.api)
    assert str(info.value).count("the message") == 1
    assert info.value.explanation == "the cause"  # type: ignore[attr-defined]
    assert not isinstance(info.value, ImageNotFound)  # not an image route


def test_a_404_on_an_image_route_through_api_is_image_not_found() -> None:
    fake = FakePodman(
        {("GET", "/libpod/images/x/json"): answer(404, {"message": "image not known"})}
    )
    with fake.client() as client, pytest.raises(ImageNotFound):
        image_inspect_libpod.sync_detailed("x", client=client.api)


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (httpx.ConnectError("refused"), PodmanConnectionError),
        (httpx.ReadTimeout("slow"), PodmanTimeoutError),
        (httpx.RemoteProtocolError("bye"), PodmanConnectionError),
    ],
)
def test_generated_calls_translate_transport_errors(exc: Exception, error: type[Exception]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    fake = FakePodman({("GET", "/libpod/networks/n/json"): handler})
    with fake.client() as client, pytest.raises(error) as info:
        network_inspect_libpod.sync_detailed("n", client=client.api)
    assert info.value.__cause__ is exc


def test_closing_the_client_closes_the_api() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [])})
    client = fake.client()
    api = client.api
    client.close()
    assert fake.closed == 1
    with pytest.raises(PodmanConnectionError, match="closed"):
        volume_list_libpod.sync(client=api)


def test_hooks_see_facade_and_generated_requests_and_error_answers() -> None:
    seen: list[str] = []
    statuses: list[int] = []
    fake = FakePodman(
        {
            ("GET", "/libpod/volumes/json"): answer(200, []),
            ("GET", "/libpod/version"): answer(500, {"message": "broken"}),
        }
    )
    hooks = {
        "request": [lambda request: seen.append(request.url.path)],
        "response": [lambda response: statuses.append(response.status_code)],
    }
    with PodmanClient(transport=fake.transport(), event_hooks=hooks) as client:  # type: ignore[arg-type]
        volume_list_libpod.sync(client=client.api)
        with pytest.raises(ServerError):
            client.version()
    assert seen == ["/libpod/_ping", "/v5.4.2/libpod/volumes/json", "/v5.4.2/libpod/version"]
    assert statuses == [200, 200, 500]  # the error answer is seen before it raises


@pytest.mark.parametrize(
    ("url", "root", "expected"),
    [
        ("http://d/libpod/images/json", "", b"/v4.3.1/libpod/images/json"),
        ("http://d/libpod/images/a%2Fb/json?x=1", "", b"/v4.3.1/libpod/images/a%2Fb/json?x=1"),
        ("http://h:1/api/libpod/_ping", "/api", b"/api/v4.3.1/libpod/_ping"),
        ("http://d/images/a%2Fb/json", "", b"/v1.44/images/a%2Fb/json"),  # Docker API
        ("http://d/v1.41/images/json", "", b"/v1.41/images/json"),
    ],
)
def test_versioned_url_keeps_encoding_root_and_explicit_versions(
    url: str, root: str, expected: bytes
) -> None:
    assert versioned_url(httpx.URL(url), root, Version(4, 3, 1), "1.44").raw_path == expected


@pytest.mark.parametrize(
    ("path", "compat", "expected"),
    [
        ("/libpod/images/a%2Fb/json?all=true", None, "/v4.3.1/libpod/images/a%2Fb/json?all=true"),
        ("/images/x/json", "1.41", "/v1.41/images/x/json"),
        ("/images/x/json", None, "/images/x/json"),
        ("/v5.0.0/libpod/info", "1.41", "/v5.0.0/libpod/info"),
        ("/libpodx/info", None, "/libpodx/info"),
    ],
)
def test_facade_requests_are_built_with_the_versioned_path(
    path: str, compat: str | None, expected: str
) -> None:
    """The facade versions a route before building its request (one URL parse), by the
    same rule `send` applies to the generated client's built requests."""
    assert versioned_path(path, Version(4, 3, 1), compat) == expected
    url = versioned_url(httpx.URL("http://d" + path), "", Version(4, 3, 1), compat)
    assert url.raw_path == expected.encode()


def test_compat_routes_are_unversioned_when_the_docker_api_version_is_unknown() -> None:
    url = versioned_url(httpx.URL("http://d/images/x/json"), "", Version(4, 3, 1), None)
    assert url.raw_path == b"/images/x/json"


def test_compat_routes_use_the_announced_docker_api_version() -> None:
    # The route is what counts here; a refusal keeps the body out of it.
    refusal = {"cause": "no such image", "message": "x: no such image", "response": 404}
    fake = FakePodman({("GET", "/images/x/json"): answer(404, refusal)})
    fake.ping_headers["Api-Version"] = "1.44"
    with fake.client() as client, pytest.raises(NotFound):
        image_inspect.sync_detailed("x", client=client.api)
    assert fake.paths == ["/libpod/_ping", "/v1.44/images/x/json"]


def test_a_pre_release_version_is_kept_in_the_path() -> None:
    url = versioned_url(httpx.URL("http://d/libpod/info"), "", Version(6, 0, 0, "-rc1"))
    assert url.raw_path == b"/v6.0.0-rc1/libpod/info"


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/v5.4.2/libpod/images/x/json", "", ImageNotFound),
        ("/v1.41/images/x/json", "", ImageNotFound),
        ("/api/v5.4.2/libpod/images/x/json", "/api", ImageNotFound),
        ("/v5.4.2/libpod/containers/x/json", "", NotFound),
        # A container, volume or network named "images" is still not an image.
        ("/v1.41/containers/images/json", "", NotFound),
        ("/v5.4.2/libpod/volumes/images/json", "", NotFound),
        ("/images/v5.4.2/libpod/containers/x/json", "/images", NotFound),
    ],
)
def test_not_found_class_reads_the_route_after_root_and_version(
    path: str, root: str, expected: type[NotFound]
) -> None:
    assert not_found_class(path, root) is expected


def test_a_404_for_a_container_named_images_is_not_image_not_found() -> None:
    fake = FakePodman(
        {("GET", "/containers/images/json"): answer(404, {"message": "no such container"})}
    )
    with fake.client() as client, pytest.raises(NotFound) as info:
        container_inspect.sync_detailed("images", client=client.api)
    assert not isinstance(info.value, ImageNotFound)


def test_leaving_a_with_block_on_api_closes_nothing() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [])})
    with fake.client() as client:
        with client.api as api:  # type: ignore[attr-defined]
            assert volume_list_libpod.sync(client=api) == []
        assert fake.closed == 0
        assert volume_list_libpod.sync(client=client.api) == []  # still open
    assert fake.closed == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.with_headers({"X": "1"}),
        lambda api: api.with_cookies({"c": "1"}),
        lambda api: api.with_timeout(httpx.Timeout(1.0)),
        lambda api: api.set_httpx_client(httpx.Client()),
    ],
    ids=["with_headers", "with_cookies", "with_timeout", "set_httpx_client"],
)
def test_copies_that_would_bypass_the_send_path_are_refused(
    call: Callable[[Any], object],
) -> None:
    fake = FakePodman()
    with fake.client() as client, pytest.raises(InvalidArgument, match="PodmanClient"):
        call(client.api)
    assert fake.requests == []


def test_the_asyncio_functions_are_refused_on_the_sync_client() -> None:
    fake = FakePodman()
    with fake.client() as client, pytest.raises(InvalidArgument, match="asyncio"):
        asyncio.run(volume_list_libpod.asyncio(client=client.api))  # type: ignore[arg-type]
    assert fake.requests == []
