"""One class per failure of a pull, push or build, whichever way the server reports it:
Podman 4 and 5 put most failures in a 200 stream, Podman 6 answers an error status;
the same for PodmanClient and AsyncPodmanClient (tests/harness/both_clients.py)."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager

import httpx
import pytest
from podman_sdk import (
    APIError,
    BuildError,
    ImageNotFound,
    NotFound,
    PodmanClient,
    PullError,
    PullNotFound,
    PushError,
    PushNotFound,
    StreamError,
)
from podman_sdk._core._error_mapping import answer_lines, means_missing

from tests.harness.both_clients import client_for
from tests.unit.test_client import FakePodman, Handler, answer

MISSING_TAG = (
    "initializing source docker://127.0.0.1:5000/app:nope: reading manifest nope in "
    "127.0.0.1:5000/app: manifest unknown"
)
UNREACHABLE = (
    "initializing source docker://127.0.0.1:9/app:1: pinging container registry "
    '127.0.0.1:9: Get "http://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused'
)


def stream_of(*values: dict[str, object]) -> Handler:
    body = b"".join(json.dumps(value).encode() + b"\n" for value in values)
    return answer(200, body)


def libpod_error(status: int, message: str) -> Handler:
    return answer(status, {"cause": message.rsplit(": ", 1)[-1], "message": message})


PULL = ("POST", "/libpod/images/pull")
PUSH = ("POST", "/libpod/images/localhost/app:1/push")  # the fake matches decoded paths


def client_of(fake: FakePodman, flavour: str) -> AbstractContextManager[PodmanClient]:
    return client_for(flavour, None, transport=httpx.MockTransport(fake))


def pull_with(handler: Handler, flavour: str) -> PullError:
    with (
        client_of(FakePodman({PULL: handler}), flavour) as client,
        pytest.raises(PullError) as info,
    ):
        client.images.pull("127.0.0.1:5000/app", "nope")
    return info.value


@pytest.mark.parametrize(
    "handler",
    [
        stream_of(
            {"stream": "Trying to pull 127.0.0.1:5000/app:nope...\n"}, {"error": MISSING_TAG}
        ),
        libpod_error(404, MISSING_TAG),
    ],
    ids=["in a 200 stream (Podman 4, 5)", "as 404 (Podman 6)"],
)
def test_a_missing_tag_is_the_same_class_either_way(handler: Handler, flavour: str) -> None:
    error = pull_with(handler, flavour)
    assert type(error) is PullNotFound
    assert isinstance(error, APIError)
    assert isinstance(error, ImageNotFound)
    assert isinstance(error, NotFound)
    assert isinstance(error, StreamError)
    assert "manifest unknown" in error.message
    assert error.reference == "127.0.0.1:5000/app:nope"
    assert error.transcript  # never empty: it ends with what the server said
    assert "manifest unknown" in error.transcript[-1]
    assert str(error).startswith("pull 127.0.0.1:5000/app:nope: ")  # reads the same either way


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (stream_of({"error": UNREACHABLE}), None),
        (libpod_error(500, UNREACHABLE), 500),
    ],
    ids=["in a 200 stream (Podman 4, 5)", "as 500 (Podman 6)"],
)
def test_an_unreachable_registry_is_a_pull_error_not_a_not_found(
    handler: Handler, status: int | None, flavour: str
) -> None:
    error = pull_with(handler, flavour)
    assert type(error) is PullError
    assert isinstance(error, APIError)
    assert not isinstance(error, NotFound)
    assert error.status_code == status
    assert "connection refused" in str(error)


def test_a_push_refused_with_a_status_is_a_push_error(flavour: str) -> None:
    fake = FakePodman({PUSH: libpod_error(400, "pinging container registry: connection refused")})
    with client_of(fake, flavour) as client, pytest.raises(PushError) as info:
        client.images.push("localhost/app", "1", destination="127.0.0.1:9/app:1")
    assert type(info.value) is PushError
    assert info.value.status_code == 400
    assert info.value.transcript[-1].startswith("{")  # the server's own answer


def test_a_push_of_a_missing_local_image_is_push_not_found(flavour: str) -> None:
    fake = FakePodman({PUSH: libpod_error(404, "localhost/app:1: image not known")})
    with client_of(fake, flavour) as client, pytest.raises(PushNotFound) as info:
        client.images.push("localhost/app", "1")
    assert isinstance(info.value, ImageNotFound)
    assert isinstance(info.value, PushError)


def test_a_push_error_in_the_stream_is_a_push_error_without_status(flavour: str) -> None:
    fake = FakePodman({PUSH: stream_of({"stream": "Getting image\n"}, {"error": "denied"})})
    with client_of(fake, flavour) as client, pytest.raises(PushError) as info:
        client.images.push("localhost/app", "1")
    assert type(info.value) is PushError
    assert info.value.status_code is None


def test_a_build_refused_with_a_status_is_a_build_error(flavour: str) -> None:
    fake = FakePodman({("POST", "/libpod/build"): libpod_error(500, "no space left on device")})
    with client_of(fake, flavour) as client, pytest.raises(BuildError) as info:
        client.images.build(fileobj=b"FROM scratch\n")
    assert isinstance(info.value, APIError)
    assert info.value.status_code == 500
    assert info.value.build_log == []
    assert "no space left" in info.value.msg


@pytest.mark.parametrize(
    ("message", "status", "missing"),
    [
        (MISSING_TAG, None, True),
        ("reading manifest x: name unknown: repository name not known to registry", None, True),
        ("docker.io/library/nope: not found", None, True),
        (UNREACHABLE, None, False),
        ("unauthorized: authentication required", None, False),
        ("anything at all", 404, True),
        ("Manifest Unknown", 500, True),
    ],
)
def test_means_missing(message: str, status: int | None, missing: bool) -> None:
    assert means_missing(message, status) is missing


def test_answer_lines_of_an_unread_body_fall_back_to_the_message() -> None:
    response = httpx.Response(500, stream=httpx.ByteStream(b"x"))
    assert answer_lines(APIError("boom", response)) == ["boom"]
