"""No credential is reachable from what the SDK hands out, on a mock transport: every
credential-carrying call fails in every way (error status, error inside a 200 stream,
connection error, timeout), and the exception with its whole chain, its response and
request, the stream and client reprs, a response hook's view and every log record at
DEBUG are searched for the password, the identity token and each of their encodings.
The registry verbs' cases run for both clients (tests/harness/both_clients.py). The live twin
(real registries, wrong passwords, the CLI's --trace) is tests/live/test_secrets.py."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from urllib.parse import quote

import httpx
import pytest
from libpod_client.api.images import image_build_libpod
from podman_sdk import InvalidArgument, PodmanClient, PodmanError
from podman_sdk._core._registry_auth import encode_registry_auth

from tests.harness.both_clients import client_for
from tests.harness.secret_search import exception_texts, leaks, needles, object_texts, record_texts

PASSWORD = "pw-Zq7+/x~K9!unit-secret"
TOKEN = "tok-3f9a8c2e1d-unit-identity"
LOGIN = {"username": "sdk", "password": PASSWORD}
IDENTITY = {"identitytoken": TOKEN}
SECRETS = (PASSWORD, TOKEN)
QUOTED = quote(PASSWORD, safe="")  # as a URL carries it
INSPECT = {"Id": "ab" * 32, "RepoTags": ["localhost/app:1"]}

Answer = Callable[[httpx.Request], httpx.Response]


def error_status(status: int) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"cause": "unauthorized", "message": "denied", "response": status}
        return httpx.Response(status, json=body)

    return answer


def error_in_stream(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b'{"stream":"x"}\n{"error":"unauthorized: denied"}\n')


def connection_error(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def read_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


FAILURES = {
    "500": error_status(500),
    "401": error_status(401),
    "error in a 200 stream": error_in_stream,
    "connection error": connection_error,
    "timeout": read_timeout,
}


def client_answering(
    answer: Answer, seen: list[str], flavour: str = "sync"
) -> AbstractContextManager[PodmanClient]:
    """Image inspect works; everything else gets ``answer``. A response hook records
    what a user's hook would see of the request."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/images/app/json"):
            return httpx.Response(200, json=INSPECT)
        return answer(request)

    def hook(response: httpx.Response) -> None:
        seen.extend(object_texts(response.request))

    return client_for(
        flavour,
        None,
        transport=httpx.MockTransport(handler),
        version="4.3.1",
        event_hooks={"response": [hook]},
    )


def registry_config() -> str:
    document = {"127.0.0.1:5000": {"username": "sdk", "password": PASSWORD}}
    return base64.b64encode(json.dumps(document).encode()).decode()


CALLS: dict[str, Callable[[PodmanClient], object]] = {
    "pull": lambda c: c.images.pull("127.0.0.1:5000/app", auth_config=LOGIN),
    "pull, identity token": lambda c: c.images.pull("127.0.0.1:5000/app", auth_config=IDENTITY),
    "pull stream": lambda c: list(c.images.pull_stream("127.0.0.1:5000/app", auth_config=LOGIN)),
    "push": lambda c: c.images.push("127.0.0.1:5000/app", "1", auth_config=LOGIN),
    "push stream": lambda c: list(
        c.images.push("127.0.0.1:5000/app", "1", auth_config=IDENTITY, stream=True)
    ),
    "get_registry_data": lambda c: c.images.get_registry_data(
        "127.0.0.1:5000/app:1", auth_config=LOGIN
    ),
    "generated build with X-Registry-Config": lambda c: image_build_libpod.sync_detailed(
        client=c.api, x_registry_config=registry_config()
    ),
}


@pytest.fixture
def debug_records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record at DEBUG from every logger (httpx, httpcore and ours included)."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "podman_sdk", "libpod_client"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_the_search_finds_every_encoding_of_the_header() -> None:
    """The search itself can fail: each form the credentials travel in is found."""
    header = encode_registry_auth(LOGIN)
    document = json.dumps(LOGIN).encode()
    forms = [
        header,
        header.rstrip("="),
        base64.b64encode(document).decode(),
        base64.b64encode(document).decode().rstrip("="),
        base64.urlsafe_b64encode(b"xy" + document).decode(),
        document.decode(),
        registry_config(),
        encode_registry_auth(IDENTITY),
    ]
    for form in forms:
        assert leaks([f"headers: {form}!"], SECRETS), form
    assert leaks(["<redacted>", "sdk", "127.0.0.1:5000/app"], SECRETS) == []
    assert all(len(needle) >= 8 for needle in needles(PASSWORD))


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("call", sorted(CALLS))
def test_no_credential_reachable_from_a_failed_call(
    call: str, failure: str, flavour: str, debug_records: pytest.LogCaptureFixture
) -> None:
    if call.startswith("generated") and failure == "error in a 200 stream":
        pytest.skip("the generated client reads no stream: a 200 is a success to it")
    if call.startswith("generated") and flavour == "async":
        pytest.skip("sync_detailed is the sync client's; the async one awaits asyncio_detailed")
    hooked: list[str] = []
    with client_answering(FAILURES[failure], hooked, flavour) as client:
        with pytest.raises(PodmanError) as info:
            CALLS[call](client)
        texts = [*exception_texts(info.value), repr(client), *hooked]
    texts += record_texts(debug_records.records)
    if failure not in ("connection error", "timeout"):
        assert any(r.name == "httpx" for r in debug_records.records)  # the loggers were heard
        assert hooked  # and the hook was called
    assert leaks(texts, SECRETS) == []


@pytest.mark.parametrize("kind", ["pull", "push"])
def test_no_credential_in_a_streams_repr_or_its_error(
    kind: str, flavour: str, debug_records: pytest.LogCaptureFixture
) -> None:
    with client_answering(error_in_stream, [], flavour) as client:
        if kind == "pull":
            stream: object = client.images.pull_stream("127.0.0.1:5000/a", auth_config=LOGIN)
        else:
            stream = client.images.push("127.0.0.1:5000/a", auth_config=LOGIN, stream=True)
        texts = [repr(stream)]
        with pytest.raises(PodmanError) as info:
            list(stream)  # type: ignore[call-overload]
        texts += [repr(stream), *exception_texts(info.value)]
    assert leaks([*texts, *record_texts(debug_records.records)], SECRETS) == []


def test_the_sent_request_still_shows_that_credentials_went_with_it() -> None:
    with client_answering(error_status(500), []) as client, pytest.raises(PodmanError) as info:
        client.images.pull("127.0.0.1:5000/app", auth_config=LOGIN)
    response = info.value.response  # type: ignore[attr-defined]
    assert response.request.headers["X-Registry-Auth"] == "<redacted>"


@pytest.mark.parametrize(
    ("url", "transport"),
    [
        (f"tcp://sdk:{QUOTED}@127.0.0.1:8888", False),
        (f"https://sdk:{QUOTED}@podman.test:8888", False),
        (f"ssh://sdk:{QUOTED}@host.test/run/podman/podman.sock", False),
        (f"http://sdk:{QUOTED}@podman.test", True),
    ],
)
def test_a_password_in_base_url_is_refused_without_repeating_it(url: str, transport: bool) -> None:
    given = httpx.MockTransport(error_status(500)) if transport else None
    with pytest.raises(InvalidArgument) as info:
        PodmanClient(url, transport=given, version="4.3.1")
    assert leaks(exception_texts(info.value), SECRETS) == []
