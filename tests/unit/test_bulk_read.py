"""Exports read past h11 (``_bulk_read``), against a real Unix-socket server playing
exact bytes: every framing, cut and malformed answers, error statuses, and what the
server sees of the request."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    ImageNotFound,
    PodmanClient,
    PodmanConnectionError,
    ServerError,
)
from podman_sdk._transport import UnixEndpoint, build_transport
from podman_sdk._transport.bulk_framing import MIN_BATCH, BodyDecoder
from podman_sdk._transport.bulk_read import BULK_READ, BodyFraming, body_framing

from tests.unit.stall_server import RawScript, StallServer, body_bytes

IMAGE_ID = "cd" * 32
BODY = body_bytes(300_000)
CHUNKED_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n"
)


def chunked(data: bytes, piece: int = 32 * 1024) -> bytes:
    framed = b"".join(
        b"%x\r\n%s\r\n" % (len(data[i : i + piece]), data[i : i + piece])
        for i in range(0, len(data), piece)
    )
    return framed + b"0\r\n\r\n"


def cut_into(data: bytes, sizes: tuple[int, ...]) -> tuple[bytes, ...]:
    """``data`` in pieces of the given sizes (cycled), so framing splits anywhere."""
    pieces, start, index = [], 0, 0
    while start < len(data):
        size = sizes[index % len(sizes)]
        pieces.append(data[start : start + size])
        start, index = start + size, index + 1
    return tuple(pieces)


@pytest.fixture
def socket_path(tmp_path: Path) -> Path:
    return tmp_path / "s.sock"


def save(socket_path: Path, steps: tuple[bytes | float, ...]) -> bytes:
    with StallServer(socket_path, RawScript(steps)), client(socket_path) as podman:
        return b"".join(podman.images._wrap({"Id": IMAGE_ID}).save(chunk_size=None))


def client(socket_path: Path) -> PodmanClient:
    return PodmanClient(
        f"unix://{socket_path}", version="4.3.1", idle_timeout=2.0, first_byte_timeout=5.0
    )


# -- framings ---------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(1 << 20,), (1,), (7, 3), (5, 32_774, 9), (65_536,)])
def test_a_chunked_export_cut_anywhere_arrives_whole(
    socket_path: Path, sizes: tuple[int, ...]
) -> None:
    wire = CHUNKED_HEAD + chunked(BODY)
    assert save(socket_path, cut_into(wire, sizes)) == BODY


def test_a_content_length_export_arrives_whole(socket_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY)
    assert save(socket_path, cut_into(head + BODY, (1000, 70_000))) == BODY


def test_an_export_ending_with_the_connection_arrives_whole(socket_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
    assert save(socket_path, (head, BODY[:1000], 0.05, BODY[1000:])) == BODY


def test_an_informational_response_before_the_answer_is_skipped(socket_path: Path) -> None:
    wire = b"HTTP/1.1 100 Continue\r\n\r\n" + CHUNKED_HEAD + chunked(BODY)
    assert save(socket_path, (wire,)) == BODY


def test_save_to_through_the_bulk_path_hashes_what_arrived(
    socket_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.tar"
    steps = cut_into(CHUNKED_HEAD + chunked(BODY * 10), (100_003,))
    with StallServer(socket_path, RawScript(steps)), client(socket_path) as podman:
        saved = podman.images._wrap({"Id": IMAGE_ID}).save_to(target)
    assert saved.size == len(BODY) * 10
    assert saved.sha256 == hashlib.sha256(BODY * 10).hexdigest()
    assert target.read_bytes() == BODY * 10


# -- cut and malformed answers ----------------------------------------------------------


BROKEN = {
    "chunked cut halfway": CHUNKED_HEAD + chunked(BODY)[:150_000],
    "chunked cut before the last chunk": CHUNKED_HEAD + chunked(BODY)[:-5],
    "content-length cut short": b"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n" + BODY[:1000],
    "bad chunk size": CHUNKED_HEAD + b"0x10\r\n" + BODY[:16] + b"\r\n0\r\n\r\n",
    "chunk longer than declared": CHUNKED_HEAD + b"4\r\nabcdef\r\n0\r\n\r\n",
    "no answer at all": b"",
    "not HTTP": b"SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "head cut short": b"HTTP/1.1 200 OK\r\nContent-Ty",
}


@pytest.mark.parametrize("wire", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_answer_is_a_connection_error(socket_path: Path, wire: bytes) -> None:
    with pytest.raises(PodmanConnectionError) as info:
        save(socket_path, (wire,))
    assert f"unix://{socket_path}" in str(info.value)


@pytest.mark.parametrize("wire", BROKEN.values(), ids=BROKEN.keys())
def test_save_to_a_broken_answer_leaves_nothing_and_keeps_the_old_file(
    socket_path: Path, tmp_path: Path, wire: bytes
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "image.tar").write_bytes(b"the previous archive")
    with (
        StallServer(socket_path, RawScript((wire,))),
        client(socket_path) as podman,
        pytest.raises(PodmanConnectionError),
    ):
        podman.images._wrap({"Id": IMAGE_ID}).save_to(out / "image.tar")
    assert [p.name for p in out.iterdir()] == ["image.tar"]
    assert (out / "image.tar").read_bytes() == b"the previous archive"


def test_a_server_error_with_a_libpod_body_fills_the_exception(socket_path: Path) -> None:
    error = json.dumps({"cause": "disk full", "message": "exporting: disk full", "response": 500})
    wire = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n\r\n%s" % (
        len(error),
        error.encode(),
    )
    with pytest.raises(ServerError) as info:
        save(socket_path, (wire,))
    assert info.value.status_code == 500
    assert (info.value.message, info.value.explanation) == ("exporting: disk full", "disk full")


def test_a_chunked_404_is_image_not_found(socket_path: Path) -> None:
    error = b'{"cause": "image not known", "message": "no such image", "response": 404}'
    wire = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(error, 10)
    with pytest.raises(ImageNotFound, match="no such image"):
        save(socket_path, (wire,))


def test_nothing_listening_is_a_connection_error_naming_the_socket(socket_path: Path) -> None:
    with client(socket_path) as podman, pytest.raises(PodmanConnectionError) as info:
        next(podman.images._wrap({"Id": IMAGE_ID}).save())
    assert str(socket_path) in str(info.value)


# -- the request, and closing ------------------------------------------------------------


def test_the_request_the_server_sees(socket_path: Path) -> None:
    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        with client(socket_path) as podman:
            assert b"".join(podman.images._wrap({"Id": IMAGE_ID}).save()) == b"x"
        head = server.requests[0].decode()
    request_line, *fields = head.split("\r\n")
    assert (
        request_line == f"GET /v4.3.1/libpod/images/{IMAGE_ID}/get?format=docker-archive HTTP/1.1"
    )
    names = {field.split(":", 1)[0].lower() for field in fields}
    assert "host" in names
    assert not names & {"content-length", "transfer-encoding"}


def test_leaving_a_save_early_closes_its_connection(socket_path: Path) -> None:
    steps = (CHUNKED_HEAD, chunked(BODY)[:100_000], 0.5, *(chunked(BODY)[100_000:],) * 20)
    with StallServer(socket_path, RawScript(steps)) as server:
        with (
            client(socket_path) as podman,
            podman.images._wrap({"Id": IMAGE_ID}).save(chunk_size=None) as stream,
        ):
            assert next(stream)
        # The server wakes from its pause and finds the connection gone.
        deadline = time.monotonic() + 5
        while not server.sends_refused and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.sends_refused == 1


@pytest.mark.parametrize(
    ("head", "sent"),
    [
        (CHUNKED_HEAD, chunked(BODY)[:100_000]),
        (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY), BODY[:100_000]),
        # Without framing, the socket's end is the body's end: an abort must still raise.
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", BODY[:100_000]),
    ],
    ids=["chunked", "length", "close-delimited"],
)
def test_closing_the_client_ends_a_download_in_progress(
    socket_path: Path, head: bytes, sent: bytes
) -> None:
    # The server sends some data, then nothing for longer than the test runs: only the
    # client's close can end the wait.
    with StallServer(socket_path, RawScript((head, sent, 30.0))):
        podman = PodmanClient(f"unix://{socket_path}", version="4.3.1", idle_timeout=60.0)
        stream = podman.images._wrap({"Id": IMAGE_ID}).save(chunk_size=None)
        try:
            received = b""
            while len(received) < 90_000:
                received += next(stream)
            closer = threading.Timer(0.3, podman.close)
            closer.start()
            started = time.monotonic()
            with pytest.raises(PodmanConnectionError, match="client was closed"):
                b"".join(stream)
            closer.join()
        finally:
            stream.close()
            podman.close()
    assert time.monotonic() - started < 10
    assert received == BODY[: len(received)]


def test_closing_the_client_ends_an_export_still_waiting_for_its_head(
    socket_path: Path, tmp_path: Path
) -> None:
    # A big export sends nothing until the server has written its archive: minutes.
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "image.tar"
    with StallServer(socket_path, RawScript((30.0,))) as server:
        podman = PodmanClient(f"unix://{socket_path}", version="4.3.1", first_byte_timeout=60.0)

        def close_once_connected() -> None:
            # Not a fixed delay: closing before the request is sent would test nothing.
            deadline = time.monotonic() + 5
            while not server.accepted and time.monotonic() < deadline:
                time.sleep(0.01)
            podman.close()

        closer = threading.Thread(target=close_once_connected)
        closer.start()
        started = time.monotonic()
        try:
            with pytest.raises(PodmanConnectionError, match="client was closed"):
                podman.images._wrap({"Id": IMAGE_ID}).save_to(target)
        finally:
            closer.join()
            podman.close()
    assert time.monotonic() - started < 10
    assert list(target.parent.iterdir()) == []


def test_a_bulk_request_after_the_transport_closed_is_refused_without_connecting(
    socket_path: Path,
) -> None:
    transport, base = build_transport(UnixEndpoint(str(socket_path)))
    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        transport.close()
        request = httpx.Request("GET", base + "/get", extensions={BULK_READ: True})
        with pytest.raises(httpx.ReadError, match="client was closed"):
            transport.handle_request(request)
    assert server.accepted == 0


def test_a_bulk_request_with_a_body_is_refused_before_sending(socket_path: Path) -> None:
    transport, base = build_transport(UnixEndpoint(str(socket_path)))
    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        request = httpx.Request(
            "POST", base + "/load", content=b"body", extensions={BULK_READ: True}
        )
        with pytest.raises(httpx.LocalProtocolError, match="no request body"):
            transport.handle_request(request)
        transport.close()
    assert server.accepted == 0


# -- the framing decision ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "status", "headers", "expected"),
    [
        ("GET", 200, [(b"transfer-encoding", b"chunked")], BodyFraming("chunked")),
        ("GET", 200, [(b"content-length", b"12")], BodyFraming("length", 12)),
        ("GET", 200, [(b"content-length", b"0")], BodyFraming("none")),
        ("GET", 200, [], BodyFraming("close")),
        ("GET", 204, [(b"content-length", b"12")], BodyFraming("none")),
        ("GET", 304, [], BodyFraming("none")),
        ("HEAD", 200, [(b"content-length", b"12")], BodyFraming("none")),
        (
            "GET",
            200,
            [(b"content-length", b"12"), (b"transfer-encoding", b"chunked")],
            BodyFraming("chunked"),
        ),
        (
            "GET",
            200,
            [(b"transfer-encoding", b"chunked"), (b"content-length", b"12")],
            BodyFraming("chunked"),
        ),
    ],
)
def test_body_framing(
    method: str, status: int, headers: list[tuple[bytes, bytes]], expected: BodyFraming
) -> None:
    assert body_framing(method, status, headers) == expected


# -- batches ----------------------------------------------------------------------------


def test_small_reads_are_handed_on_in_batches_and_the_body_is_whole() -> None:
    request = httpx.Request("GET", "http://d/x")
    decoder = BodyDecoder(BodyFraming("chunked"), request)
    wire = chunked(BODY * 4, piece=32 * 1024)
    batches, pos = [], 0
    while not decoder.done:
        space = decoder.space()
        take = min(len(space), 40_000, len(wire) - pos)  # a socket giving 40 KB a read
        space[:take] = wire[pos : pos + take]
        pos += take
        if batch := decoder.received(take):
            batches.append(batch)
    assert b"".join(batches) == BODY * 4
    assert all(len(batch) >= MIN_BATCH for batch in batches[:-1])
    assert len(batches) < len(wire) // 40_000


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_a_server_that_pauses_gets_what_it_sent_through_at_once(
    socket_path: Path, framing: str
) -> None:
    head, sent = (
        (CHUNKED_HEAD, chunked(BODY)[:50_000])
        if framing == "chunked"
        else (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY), BODY[:50_000])
    )
    with (
        StallServer(socket_path, RawScript((head, 0.2, sent, 30.0))),
        client(socket_path) as podman,
    ):
        podman_stream = podman.images._wrap({"Id": IMAGE_ID}).save(chunk_size=None)
        started = time.monotonic()
        first = next(podman_stream)
        waited = time.monotonic() - started
        podman_stream.close()
    assert waited < 2.0
    assert BODY.startswith(first)
