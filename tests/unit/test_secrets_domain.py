"""SecretsManager and Secret (both clients) on a mock transport: malformed answers,
the requests sent, and what is refused before any request."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from podman_sdk import InvalidArgument, MalformedAnswerError, NotFound, PodmanClient

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]

SECRET_ID = "dbbe38362823de3fe7f249054"
SECRET = {
    "ID": SECRET_ID,
    "CreatedAt": "2026-12-07T20:34:16.752665959Z",
    "UpdatedAt": "2026-12-07T20:34:16.752665959Z",
    "Spec": {"Name": "token", "Driver": {"Name": "file", "Options": {}}, "Labels": None},
}


@contextmanager
def mocked(flavour: str, handler: Handler) -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version="4.3.1")
    ) as client:
        yield client


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_create_sends_the_data_and_reads_the_secret_back(flavour: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(200, json={"ID": SECRET_ID})
        return httpx.Response(200, json=SECRET)

    with mocked(flavour, handler) as client:
        secret = client.secrets.create("token", b"\x00raw", labels={"a": "b"})
    assert secret.id == SECRET_ID
    create, inspect = seen
    assert create.content == b"\x00raw"
    assert create.url.params["name"] == "token"
    assert json.loads(create.url.params["labels"]) == {"a": "b"}
    assert "driver" not in create.url.params  # the server's default, as podman's
    assert inspect.url.path == f"/v4.3.1/libpod/secrets/{SECRET_ID}/json"


def test_a_create_answer_without_an_id_raises(flavour: str) -> None:
    with (
        mocked(flavour, lambda request: httpx.Response(200, json={"Id": 1})) as client,
        pytest.raises(MalformedAnswerError, match="ID"),
    ):
        client.secrets.create("token", b"x")


def test_a_get_answer_of_the_wrong_shape_raises(flavour: str) -> None:
    bad = {**SECRET, "Spec": {"Name": "token"}}
    with (
        mocked(flavour, lambda request: httpx.Response(200, json=bad)) as client,
        pytest.raises(MalformedAnswerError, match="Driver"),
    ):
        client.secrets.get("token")


def test_a_list_entry_without_a_name_raises(flavour: str) -> None:
    bad = [SECRET, {"ID": "x", "Spec": {}}]
    with (
        mocked(flavour, lambda request: httpx.Response(200, json=bad)) as client,
        pytest.raises(MalformedAnswerError, match=r"Spec\.Name"),
    ):
        client.secrets.list()


def test_exists_reads_404_as_false(flavour: str) -> None:
    missing = {"cause": "no such secret", "message": "no secret", "response": 404}
    with mocked(flavour, lambda request: httpx.Response(404, json=missing)) as client:
        assert client.secrets.exists("gone") is False
        with pytest.raises(NotFound):
            client.secrets.get("gone")


@pytest.mark.parametrize(
    ("verb", "match"),
    [
        (lambda c: c.secrets.create("s", "text"), "bytes"),
        (lambda c: c.secrets.create("", b"x"), "name"),
        (lambda c: c.secrets.create("s", b"x", driver=""), "driver"),
        (lambda c: c.secrets.create("s", b"x", labels=["a"]), "labels"),
        (lambda c: c.secrets.remove("s", all="yes"), "all"),
        (lambda c: c.secrets.list(filters={"name": 1.5}), "name"),
        (lambda c: c.secrets.get(None), "name"),
    ],
)
def test_bad_input_is_refused_before_a_request(
    flavour: str, verb: Callable[[PodmanClient], object], match: str
) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument, match=match):
        verb(client)
