"""VolumesManager and Volume (both clients) on a mock transport: what a real service
cannot be made to answer (malformed bodies, a prune that fails for one volume), the
requests sent, and what is refused before any request."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from libpod_client import releases
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

VOLUME = {
    "Name": "data",
    "Driver": "local",
    "Mountpoint": "/var/lib/containers/storage/volumes/data/_data",
    "CreatedAt": "2026-12-07T20:00:00Z",
    "Labels": {"a": "b"},
    "Scope": "local",
    "Options": {},
    "MountCount": 0,
}


@contextmanager
def mocked(flavour: str, handler: Handler, version: str = "5.8.2") -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version=version)
    ) as client:
        yield client


def answering(status: int, body: object, seen: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_create_sends_labels_and_options(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(201, VOLUME, seen)) as client:
        volume = client.volumes.create(
            "data", driver="local", driver_opts={"o": "nodev"}, labels={"a": "b"}
        )
    assert volume.name == "data"
    assert json.loads(seen[0].content) == {
        "Name": "data",
        "Driver": "local",
        "Labels": {"a": "b"},
        "Options": {"o": "nodev"},
    }
    assert seen[0].url.path == "/v5.8.2/libpod/volumes/create"


def test_a_get_answer_of_the_wrong_shape_raises(flavour: str) -> None:
    with (
        mocked(flavour, answering(200, {**VOLUME, "MountCount": "zero"})) as client,
        pytest.raises(MalformedAnswerError, match="MountCount"),
    ):
        client.volumes.get("data")


def test_a_list_entry_without_a_name_raises(flavour: str) -> None:
    with (
        mocked(flavour, answering(200, [VOLUME, {"Driver": "local"}])) as client,
        pytest.raises(MalformedAnswerError, match="Name"),
    ):
        client.volumes.list()


def test_a_listed_model_is_checked_on_first_use(flavour: str) -> None:
    with mocked(flavour, answering(200, [{**VOLUME, "Scope": 7}])) as client:
        (volume,) = client.volumes.list()
        with pytest.raises(MalformedAnswerError, match="Scope"):
            volume.model  # noqa: B018


def test_list_reads_404_and_null_as_nothing(flavour: str) -> None:
    with mocked(flavour, answering(404, {"message": "no such", "cause": "x"})) as client:
        assert client.volumes.list() == []
    with mocked(flavour, answering(200, None)) as client:
        assert client.volumes.list() == []


def test_a_missing_volume_is_not_found(flavour: str) -> None:
    with mocked(flavour, answering(404, {"message": "no such volume", "cause": "x"})) as client:
        with pytest.raises(NotFound):
            client.volumes.get("gone")
        assert client.volumes.exists("gone") is False


def test_prune_sums_and_raises_for_a_failed_entry(flavour: str) -> None:
    report = [{"Id": "a", "Size": 3}, {"Id": "b", "Size": 4}]
    with mocked(flavour, answering(200, report)) as client:
        assert client.volumes.prune() == {"VolumesDeleted": ["a", "b"], "SpaceReclaimed": 7}
    failed = [{"Id": "a", "Size": 3}, {"Id": "b", "Err": "volume is in use"}]
    with (
        mocked(flavour, answering(200, failed)) as client,
        pytest.raises(APIError, match="b: volume is in use"),
    ):
        client.volumes.prune()


@pytest.mark.parametrize(
    ("verb", "match"),
    [
        (lambda c: c.volumes.create(labels={"a": 1}), "labels"),
        (lambda c: c.volumes.create(driver_opts=["o"]), "driver_opts"),
        (lambda c: c.volumes.create(name=""), "name"),
        (lambda c: c.volumes.get(""), "name"),
        (lambda c: c.volumes.remove("data", force="yes"), "force"),
        (lambda c: c.volumes.list(filters={"label": 1.5}), "label"),
        (lambda c: c.volumes.import_archive("data"), "exactly one"),
        (lambda c: c.volumes.import_archive("data", data=b"", path="/x"), "exactly one"),
        (lambda c: c.volumes.import_archive("data", data="text"), "bytes"),
    ],
)
def test_bad_input_is_refused_before_a_request(
    flavour: str, verb: Callable[[PodmanClient], object], match: str
) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument, match=match):
        verb(client)


def test_archives_are_refused_on_a_server_without_them(flavour: str) -> None:
    with mocked(flavour, no_request, version="5.4.2") as client:
        with pytest.raises(
            UnsupportedServer,
            match=r"Podman 5\.4\.2, whose API has no GET /libpod/volumes/\{name\}/export \(VolumeExportLibpod\): added by Podman 5\.8\.2",
        ):
            client.volumes.export_archive("data")
        with pytest.raises(UnsupportedServer, match=r"Podman 5\.4\.2, .* \(VolumeImportLibpod\)"):
            client.volumes.import_archive("data", data=b"")


def test_import_sends_the_archive_as_the_body(flavour: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with mocked(flavour, handler) as client:
        client.volumes.import_archive("data", data=b"tar bytes")
    assert seen[0].content == b"tar bytes"
    assert seen[0].headers["Content-Type"] == "application/x-tar"


def test_rename_is_refused_on_every_service_while_no_pinned_spec_has_it(flavour: str) -> None:
    """Podman announces a volume rename route for 6.1; none of the pinned releases'
    specs (up to 6.0.0-rc1) has one, so no request can be built."""
    assert releases.first_release_with("VolumeRenameLibpod") is None
    for version in ("4.3.1", "5.8.2", "6.0.0-rc1"):
        seen: list[httpx.Request] = []
        with mocked(flavour, answering(200, VOLUME, seen), version=version) as client:
            volume = client.volumes.get("data")
            with pytest.raises(UnsupportedServer, match=r"no pinned Podman release's API has"):
                volume.rename("other")
            with pytest.raises(InvalidArgument, match="new volume name"):
                volume.rename("")
        assert len(seen) == 1  # the get: rename sent nothing
