"""The generated streams' decisions without a server: frames, JSON lines, the errors
inside a stream, and what a truncated or stalled stream raises (mock transports: a real
service cannot cut a stream or stall on demand). Live behaviour: tests/live/test_api_streams.py.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator

import h11
import httpx
import libpod_client
import pytest
from libpod_client import _streams as libpod_streams
from libpod_client import errors
from libpod_client._streams import FrameSplitter, JsonValueSplitter, parse_line, split_frames
from libpod_client.api.containers import container_export_libpod, container_logs_libpod
from libpod_client.api.containers_compat import container_attach
from libpod_client.api.images import image_pull_libpod
from libpod_client.api.system import system_events_libpod
from libpod_client.errors import ShapeError
from libpod_client.streams import MAX_LINE, Frame
from podman_sdk import (
    AsyncPodmanClient,
    MalformedAnswerError,
    PodmanConnectionError,
    PodmanTimeoutError,
    StreamError,
)
from podman_sdk._transport import extensions as transport_extensions
from podman_sdk._transport.bulk_framing import bulk_response, reads_in_bulk

from tests.unit.test_async_client import async_transport
from tests.unit.test_client import FakePodman


def frame(stream: int, data: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + len(data).to_bytes(4, "big") + data


def fed(splitter: FrameSplitter, body: bytes, step: int) -> list[tuple[int, bytes]]:
    frames = []
    for start in range(0, len(body), step):
        frames += splitter.feed(body[start : start + step])
    frames += splitter.end()
    return [(f.stream, f.data) for f in frames]


@pytest.mark.parametrize("step", [1, 3, 8, 9, 1000])
def test_frames_come_whole_or_in_pieces_never_lost(step: int) -> None:
    body = frame(1, b"hello\n") + frame(2, b"oops\n") + frame(1, b"")
    pieces = fed(FrameSplitter(), body, step)
    for stream in (1, 2):
        assert (
            b"".join(d for s, d in pieces if s == stream) == {1: b"hello\n", 2: b"oops\n"}[stream]
        )
    assert all(data for _, data in pieces)


def test_unframed_tty_output_is_stream_one() -> None:
    # Passed on at once: a prompt is not held back waiting for 8 bytes.
    assert fed(FrameSplitter(), b"$ ls\r\nbin\r\n", 4) == [
        (1, b"$ ls"),
        (1, b"\r\nbi"),
        (1, b"n\r\n"),
    ]
    assert FrameSplitter().feed(b"$") == [Frame(1, b"$")]
    assert fed(FrameSplitter(), b"hi", 8) == [(1, b"hi")]  # shorter than a header


def test_a_multiplexed_content_type_is_framed_whatever_the_start() -> None:
    headers = {"content-type": "application/vnd.docker.multiplexed-stream"}
    assert split_frames(frame(2, b"x"), headers) == [Frame(2, b"x")]


def test_a_cut_or_corrupt_frame_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match="a whole frame"):
        fed(FrameSplitter(), frame(1, b"hello")[:-2], 100)
    with pytest.raises(ShapeError, match="a frame header"):
        fed(FrameSplitter(True), frame(1, b"a") + b"\x07\x01\x00\x00\x00\x00\x00\x01", 100)


def test_values_are_split_across_chunks_and_counted() -> None:
    splitter = JsonValueSplitter()
    assert splitter.feed(b'{"a": 1}\n{"b"') == [b'{"a": 1}']
    assert splitter.feed(b": 2}\n\n") == [b'{"b": 2}']
    assert splitter.end() == []
    assert splitter.count == 2


def test_a_value_longer_than_the_limit_is_refused_with_its_index() -> None:
    splitter = JsonValueSplitter()
    splitter.feed(b"{}\n")
    with pytest.raises(ShapeError) as caught:
        splitter.feed(b"x" * (MAX_LINE + 1))
    assert caught.value.path == (1,)


def test_an_error_line_is_a_stream_error_and_a_bad_line_names_its_index() -> None:
    with pytest.raises(errors.StreamError) as caught:
        parse_line(b'{"error": "manifest unknown"}', 3, "op", dict)
    assert caught.value.message == "manifest unknown"
    with pytest.raises(ShapeError) as shape:
        parse_line(b"{nope", 4, "op", dict)
    assert shape.value.path == (4,)


# -- through client.api ----------------------------------------------------------------


def chunks(*parts: bytes, then: Exception | None = None) -> Iterator[bytes]:
    yield from parts
    if then is not None:
        raise then


def fake_with(path: tuple[str, str], body: Iterator[bytes], headers: dict[str, str]) -> FakePodman:
    ping = {"Libpod-Api-Version": "5.4.2", "Api-Version": "1.41", "Server": "Libpod/5.4.2"}
    routes = {path: lambda request: httpx.Response(200, headers=headers, content=body)}
    return FakePodman(routes, ping_headers=ping)


EVENT = {"Action": "create", "Actor": {"ID": "c1", "Attributes": {}}, "Type": "container"}
EVENTS = ("GET", "/libpod/events")


def event_line(**fields: object) -> bytes:
    return json.dumps({**EVENT, **fields}).encode() + b"\n"


def test_events_stream_typed_through_api() -> None:
    fake = fake_with(EVENTS, chunks(event_line(), event_line(Action="start")), {})
    with fake.client() as client, system_events_libpod.stream(client=client.api) as events:
        assert [event.action for event in events] == ["create", "start"]
    (request,) = [r for r in fake.requests if r.url.path.endswith("/events")]
    assert request.extensions["timeout"]["read"] is None  # no limit between items


def test_a_malformed_line_is_a_malformed_answer_naming_the_line() -> None:
    fake = fake_with(EVENTS, chunks(event_line(), event_line(Action=5)), {})
    with fake.client() as client, system_events_libpod.stream(client=client.api) as events:
        iterator = iter(events)
        assert next(iterator).action == "create"
        with pytest.raises(MalformedAnswerError) as caught:
            next(iterator)
    assert caught.value.path == "$[1].Action"


def test_an_error_in_a_pull_stream_raises_the_sdks_stream_error() -> None:
    pull = ("POST", "/libpod/images/pull")
    lines = chunks(b'{"stream": "Trying to pull..."}\n', b'{"error": "denied: no access"}\n')
    fake = fake_with(pull, lines, {})
    with (
        fake.client() as client,
        image_pull_libpod.stream(client=client.api, reference="r") as progress,
        pytest.raises(StreamError, match="denied: no access"),
    ):
        for _ in progress:
            pass


def test_compat_attach_answers_200_with_frames() -> None:
    """Override: the hijacked attach answers 200 OK to a client that does not upgrade."""
    attach = ("POST", "/containers/c/attach")
    headers = {"content-type": "application/vnd.docker.multiplexed-stream"}
    fake = fake_with(attach, chunks(frame(2, b"warn\n")), headers)
    with fake.client() as client:
        assert container_attach.sync("c", client=client.api, stderr=True) == [Frame(2, b"warn\n")]


def test_a_cut_stream_is_a_connection_error() -> None:
    logs = ("GET", "/libpod/containers/c/logs")
    cut = chunks(frame(1, b"a"), then=httpx.RemoteProtocolError("peer closed connection"))
    fake = fake_with(logs, cut, {})
    with fake.client() as client, container_logs_libpod.stream("c", client=client.api) as frames:
        iterator = iter(frames)
        assert next(iterator) == Frame(1, b"a")
        with pytest.raises(PodmanConnectionError):
            next(iterator)


def test_an_idle_timeout_is_asked_for_and_a_stall_raises_a_timeout() -> None:
    logs = ("GET", "/libpod/containers/c/logs")
    stall = chunks(frame(1, b"a"), then=httpx.ReadTimeout("timed out"))
    fake = fake_with(logs, stall, {})
    with (
        fake.client() as client,
        container_logs_libpod.stream("c", client=client.api, idle_timeout=2.5) as frames,
        pytest.raises(PodmanTimeoutError),
    ):
        list(frames)
    (request,) = [r for r in fake.requests if r.url.path.endswith("/logs")]
    assert request.extensions["timeout"]["read"] == 2.5


def test_a_standalone_client_raises_its_own_errors() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks(event_line(Action=5)))

    client = libpod_client.Client(base_url="http://podman").set_httpx_client(
        httpx.Client(base_url="http://podman", transport=httpx.MockTransport(answer))
    )
    with (
        client,
        system_events_libpod.stream(client=client) as events,
        pytest.raises(errors.MalformedAnswer) as caught,
    ):
        list(events)
    assert caught.value.path == (0, "Action")


async def async_chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def test_async_stream_through_api() -> None:
    body = async_chunks(event_line(), event_line(Action="start"))
    fake = FakePodman({EVENTS: lambda request: httpx.Response(200, content=body)})

    async def main() -> list[str]:
        async with (
            AsyncPodmanClient(transport=async_transport(fake)) as client,
            system_events_libpod.asyncio_stream(client=client.api) as events,
        ):
            return [event.action async for event in events]

    assert asyncio.run(main()) == ["create", "start"]


# -- raw answers read in bulk ---------------------------------------------------------------


def test_a_response_read_by_another_hand_raises_instead_of_ending_empty() -> None:
    export = ("GET", "/libpod/containers/c/export")
    # httpx reads a bytes body at once: iterating it again is a StreamConsumed error.
    fake = FakePodman({export: lambda request: httpx.Response(200, content=b"tar")})
    with (
        fake.client() as client,
        container_export_libpod.stream("c", client=client.api) as chunks,
        pytest.raises(httpx.StreamConsumed),
    ):
        list(chunks)


def test_the_raw_body_mark_is_the_one_the_transport_reads() -> None:
    assert transport_extensions.RAW_BODY == libpod_streams.RAW_BODY


def test_a_bodiless_raw_answer_is_read_in_bulk_and_one_with_a_body_is_not() -> None:
    def request(extensions: dict[str, object], **kwargs: object) -> httpx.Request:
        return httpx.Request("GET", "http://d/x", extensions=extensions, **kwargs)  # type: ignore[arg-type]

    raw = {libpod_streams.RAW_BODY: True}
    assert reads_in_bulk(request(raw))
    assert reads_in_bulk(request({transport_extensions.BULK_READ: True}))
    assert not reads_in_bulk(request({}))
    assert not reads_in_bulk(request(raw, content=b"yaml"))


def test_a_byte_stream_is_marked_raw_and_a_json_stream_is_not() -> None:
    export = ("GET", "/libpod/containers/c/export")
    fake = FakePodman(
        {
            export: lambda request: httpx.Response(200, content=iter([b"tar"])),
            EVENTS: lambda request: httpx.Response(200, content=iter([event_line()])),
        }
    )
    with fake.client() as client:
        with container_export_libpod.stream("c", client=client.api) as chunks:
            assert b"".join(chunks) == b"tar"
        with system_events_libpod.stream(client=client.api) as events:
            assert len(list(events)) == 1
    marks = {
        r.url.path.rsplit("/", 1)[-1]: r.extensions.get(libpod_streams.RAW_BODY)
        for r in fake.requests
    }
    assert marks["export"] is True
    assert marks["events"] is None


def test_a_bulk_response_gives_its_socket_for_a_close_from_another_thread() -> None:
    left, right = socket.socketpair()
    with left, right:
        head = h11.Response(status_code=200, headers=[], reason=b"OK")
        response = bulk_response(head, httpx.ByteStream(b""), left)
        assert response.extensions["network_stream"].get_extra_info("socket") is left
