"""client.system (df, info, login, ping, version) and client.events() on a mock
transport and on a real Unix socket that stalls: the decisions before any request, the
answers' checks, the event stream's decoding, its in-stream errors, and its close from
another thread."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    APIError,
    AsyncPodmanClient,
    InvalidArgument,
    MalformedAnswerError,
    PodmanClient,
    ServerError,
    StreamError,
)
from podman_sdk._core._discovery import discover

from tests.unit.stall_server import RawScript, StallServer

EVENT = {
    "status": "create",
    "Type": "volume",
    "Action": "create",
    "Actor": {"ID": "", "Attributes": {"name": "v1", "image": "", "podId": ""}},
    "scope": "local",
    "time": 1796684408,
    "timeNano": 1796684408021914301,
}
REMOVED = {**EVENT, "status": "remove", "Action": "remove"}
Handler = Callable[[httpx.Request], httpx.Response]


def client_on(handler: Handler) -> PodmanClient:
    return PodmanClient(transport=httpx.MockTransport(handler), version="5.4.2")


def refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def lines(*values: object) -> bytes:
    return b"".join(json.dumps(value).encode() + b"\n" for value in values)


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A streamed body, in the given pieces (what a network read gives), for both
    clients."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece


class Recorder:
    """Answers one route with ``body`` and records what was asked."""

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body = body
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, stream=Pieces(self.body))


# -- events: arguments ------------------------------------------------------------------


def test_events_sends_podman_py_s_query() -> None:
    recorder = Recorder(lines(EVENT))
    naive = datetime(2026, 1, 2, 3, 4, 5)
    aware = datetime(2026, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    with client_on(recorder) as client:
        events = client.events(since=naive, until=aware, filters={"type": "volume"})
        (line,) = list(events)
    # A line of compact JSON, podman-py's undecoded item (keys in the model's order).
    assert isinstance(line, bytes)
    assert json.loads(line) == EVENT
    assert b"\n" not in line
    assert b": " not in line
    (request,) = recorder.requests
    assert request.url.path == "/v5.4.2/libpod/events"
    expected = str(int(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()))
    assert request.url.params["since"] == expected  # a naive datetime is UTC
    assert request.url.params["until"] == expected
    assert json.loads(request.url.params["filters"]) == {"type": ["volume"]}
    assert request.url.params["stream"] == "true"


def test_events_sends_ints_as_they_are_and_nothing_unasked() -> None:
    recorder = Recorder(b"")
    with client_on(recorder) as client:
        assert list(client.events(since=12, decode=True)) == []
    params = recorder.requests[0].url.params
    assert params["since"] == "12"
    assert "until" not in params
    assert "filters" not in params


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.events(since="10m"),
        lambda c: c.events(until=True),
        lambda c: c.events(since=1.5),
        lambda c: c.events(filters={"type": 3.0}),
        lambda c: c.events(decode="yes"),
    ],
    ids=["since str", "until bool", "since float", "filter value", "decode str"],
)
def test_bad_event_arguments_are_refused_before_any_request(
    call: Callable[[PodmanClient], object],
) -> None:
    with client_on(refuse) as client, pytest.raises(InvalidArgument):
        call(client)


# -- events: what comes back -----------------------------------------------------------


def test_decoded_events_are_the_typed_dicts_as_they_arrive() -> None:
    recorder = Recorder(lines(EVENT, REMOVED))
    with client_on(recorder) as client, client.events(decode=True) as events:
        first = next(events)
        assert first == EVENT
        assert first["Actor"]["Attributes"]["name"] == "v1"
        assert next(events)["Action"] == "remove"
        with pytest.raises(StopIteration):
            next(events)


def test_events_split_across_chunks_and_joined_on_one_line_decode_alike() -> None:
    wire = lines(EVENT, REMOVED)
    joined = json.dumps(EVENT).encode() + json.dumps(REMOVED).encode()
    for body in (wire, joined):
        pieces = [body[i : i + 7] for i in range(0, len(body), 7)]

        def handler(request: httpx.Request, pieces: list[bytes] = pieces) -> httpx.Response:
            return httpx.Response(200, stream=Pieces(*pieces))

        with client_on(handler) as client:
            assert [e["Action"] for e in client.events(decode=True)] == ["create", "remove"]


def test_an_error_inside_the_200_stream_raises() -> None:
    error = {"cause": "no such file", "message": "reading the event log", "response": 500}
    with client_on(Recorder(lines(EVENT, error))) as client:
        events = client.events(decode=True)
        assert next(events)["Action"] == "create"
        with pytest.raises(StreamError) as raised:
            next(events)
    assert "reading the event log" in str(raised.value)


def test_an_event_without_what_podman_always_writes_is_malformed() -> None:
    no_time = {key: value for key, value in EVENT.items() if key != "timeNano"}
    no_type = {key: value for key, value in EVENT.items() if key != "Type"}
    for bad in (no_time, no_type):
        with client_on(Recorder(lines(bad))) as client, pytest.raises(MalformedAnswerError):
            next(client.events(decode=True))


def test_an_error_status_raises_on_the_first_read() -> None:
    body = json.dumps({"cause": "bad", "message": "failed to parse filters", "response": 500})
    with client_on(Recorder(body.encode(), status=500)) as client:
        events = client.events()
        with pytest.raises(ServerError, match="failed to parse filters"):
            next(events)


def test_async_events_decode_and_raise_alike() -> None:
    error = {"cause": "x", "message": "event log gone", "response": 500}

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Pieces(lines(EVENT, error)))

    async def scenario() -> tuple[list[object], str]:
        transport = httpx.MockTransport(handler)
        async with AsyncPodmanClient(transport=transport, version="5.4.2") as client:
            seen: list[object] = []
            try:
                async with client.events(decode=True) as events:
                    async for event in events:
                        seen.append(event)
            except StreamError as error:
                return seen, str(error)
            raise AssertionError("the error in the stream did not raise")

    seen, message = asyncio.run(scenario())
    assert seen == [EVENT]
    assert "event log gone" in message


# -- events: close from another thread ------------------------------------------------

STALLING = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"%x\r\n%s\r\n" % (len(lines(EVENT)), lines(EVENT)),
    30.0,  # then nothing, as a quiet service sends nothing
)


def test_a_close_from_another_thread_ends_a_waiting_stream(tmp_path: Path) -> None:
    socket_path = tmp_path / "s.sock"
    received: list[object] = []
    with (
        StallServer(socket_path, RawScript(STALLING)),
        PodmanClient(f"unix://{socket_path}", version="5.4.2") as client,
    ):
        events = client.events(decode=True)

        def read() -> None:
            received.extend(events)

        reader = threading.Thread(target=read)
        reader.start()
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.01)
        assert received == [EVENT]  # the first event came while the stream stays open
        assert reader.is_alive()  # and the reader waits for the next
        events.close()
        reader.join(timeout=5)  # the close wakes it (within 1 s: tests/bench measures)
        assert not reader.is_alive()
        assert received == [EVENT]


def test_an_async_close_from_another_thread_ends_a_waiting_stream(tmp_path: Path) -> None:
    socket_path = tmp_path / "s.sock"

    async def scenario() -> list[object]:
        async with AsyncPodmanClient(f"unix://{socket_path}", version="5.4.2") as client:
            events = client.events()
            got: list[object] = []

            async def read() -> None:
                async for line in events:
                    got.append(line)
                    threading.Timer(0.2, events.close).start()

            await asyncio.wait_for(read(), timeout=10)
            return got

    with StallServer(socket_path, RawScript(STALLING)):
        got = asyncio.run(scenario())
    assert [json.loads(line) for line in got] == [EVENT]  # type: ignore[arg-type]


# -- system ------------------------------------------------------------------------------

VERSION = {
    "Platform": {"Name": "linux/amd64/debian-12"},
    "Version": "5.4.2",
    "ApiVersion": "1.41",
    "GitCommit": "",
    "GoVersion": "go1.23",
    "Os": "linux",
    "Arch": "amd64",
}


def test_system_and_client_methods_are_one_implementation() -> None:
    recorder = Recorder(json.dumps(VERSION).encode())
    with client_on(recorder) as client:
        assert client.system is client.system
        assert client.version() == client.system.version() == VERSION
    assert [r.url.path for r in recorder.requests] == ["/v5.4.2/libpod/version"] * 2


def test_a_version_without_platform_is_malformed() -> None:
    body = json.dumps({k: v for k, v in VERSION.items() if k != "Platform"}).encode()
    with client_on(Recorder(body)) as client, pytest.raises(MalformedAnswerError):
        client.version()


def test_version_api_version_false_is_refused() -> None:
    with client_on(refuse) as client, pytest.raises(InvalidArgument, match="ApiVersion"):
        client.version(api_version=False)


def test_df_reads_null_lists_as_empty() -> None:
    body: dict[str, object] = {"Images": None, "Containers": [], "Volumes": None, "ImagesSize": 0}
    with client_on(Recorder(json.dumps(body).encode())) as client:
        usage = client.df()
    assert usage == {"Images": [], "Containers": [], "Volumes": [], "ImagesSize": 0}


def test_df_refuses_an_answer_of_another_shape() -> None:
    with client_on(Recorder(b'{"Images": 3}')) as client, pytest.raises(MalformedAnswerError):
        client.df()


def test_login_sends_podman_py_s_body_to_the_compatible_route() -> None:
    recorder = Recorder(b'{"Status": "Login Succeeded", "IdentityToken": ""}')
    with client_on(recorder) as client:
        report = client.login("me", "pw", "me@example.test", "registry.example", reauth=True)
    assert report == {"Status": "Login Succeeded", "IdentityToken": ""}
    (request,) = recorder.requests
    assert (request.method, request.url.path) == ("POST", "/auth")
    assert json.loads(request.content) == {
        "username": "me",
        "password": "pw",
        "email": "me@example.test",
        "serveraddress": "registry.example",
    }


def test_a_refused_login_explains_itself_as_podman_py_does() -> None:
    message = "login attempt to r failed with status: lookup r: no such host"
    body = json.dumps({"message": message}).encode()
    with client_on(Recorder(body, status=500)) as client, pytest.raises(APIError) as raised:
        client.login("u", "p", registry="r")
    assert raised.value.explanation == message


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.login("u", dockercfg_path="/x"),
        lambda c: c.login("u", tls_verify=False),
        lambda c: c.login(""),
        lambda c: c.login("u", password=3),
        lambda c: c.login("u", reauth="yes"),
    ],
    ids=["dockercfg_path", "tls_verify", "no username", "password int", "reauth str"],
)
def test_login_arguments_the_service_cannot_honour_are_refused(
    call: Callable[[PodmanClient], object],
) -> None:
    with client_on(refuse) as client, pytest.raises(InvalidArgument):
        call(client)


def test_async_system_calls() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/system/df"):
            return httpx.Response(200, json={"Images": [], "Containers": None, "Volumes": []})
        return httpx.Response(200, json=VERSION)

    async def scenario() -> tuple[object, object]:
        transport = httpx.MockTransport(handler)
        async with AsyncPodmanClient(transport=transport, version="5.4.2") as client:
            return await client.df(), await client.system.version()

    usage, version = asyncio.run(scenario())
    assert usage == {"Images": [], "Containers": [], "Volumes": []}
    assert version == VERSION


# -- from_env: lazily -----------------------------------------------------------------


def test_discovery_without_a_socket_can_choose_the_default_one_lazily() -> None:
    env = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    found = discover(
        env, uid=1000, read_text=lambda path: None, is_socket=lambda path: False,
        socket_required=False,
    )  # fmt: skip
    assert found.url == "unix:///run/user/1000/podman/podman.sock"
    assert found.source == "default socket"
    assert "CONTAINER_HOST: not set" in found.trail
    assert found.trail[-1].startswith("/run/user/1000/podman/podman.sock: no socket yet")
