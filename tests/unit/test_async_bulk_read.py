"""AsyncPodmanClient's exports read past h11 (``_transport.async_bulk_read``), against the
same real Unix-socket servers as the sync reader's tests (test_bulk_read): every
framing, cut and malformed answers, error statuses, timeouts, closing the client under
a download, and save_to's writer thread."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from podman_sdk import (
    AsyncImage,
    AsyncPodmanClient,
    EventHooks,
    ImageNotFound,
    PodmanConnectionError,
    PodmanTimeoutError,
    SavedArchive,
    ServerError,
)
from podman_sdk._client import _build_async_transport
from podman_sdk._transport import BULK_READ, UnixEndpoint
from podman_sdk._transport.async_bulk_read import AsyncUnixSocketTransport
from podman_sdk.images._archive import _WriterThread

from tests.unit.stall_server import PIECE, RawScript, Script, StallServer, body_bytes
from tests.unit.test_bulk_read import BODY, BROKEN, CHUNKED_HEAD, IMAGE_ID, chunked, cut_into

T = TypeVar("T")


@pytest.fixture
def socket_path(tmp_path: Path) -> Path:
    return tmp_path / "s.sock"


def client(socket_path: Path, idle: float = 2.0, first_byte: float = 5.0) -> AsyncPodmanClient:
    return AsyncPodmanClient(
        f"unix://{socket_path}", version="4.3.1", idle_timeout=idle, first_byte_timeout=first_byte
    )


def image(podman: AsyncPodmanClient) -> AsyncImage:
    return podman.images._wrap({"Id": IMAGE_ID})


def run(body: Callable[[AsyncPodmanClient], Awaitable[T]], socket_path: Path) -> T:
    async def main() -> T:
        async with client(socket_path) as podman:
            return await asyncio.wait_for(body(podman), timeout=20)

    return asyncio.run(main())


async def chunks_of(podman: AsyncPodmanClient) -> list[bytes]:
    return [chunk async for chunk in image(podman).save(chunk_size=None)]


def save(socket_path: Path, steps: tuple[bytes | float, ...]) -> bytes:
    with StallServer(socket_path, RawScript(steps)):
        return b"".join(run(chunks_of, socket_path))


# -- framings ---------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(1 << 20,), (1,), (7, 3), (5, 32_774, 9)])
def test_a_chunked_export_cut_anywhere_arrives_whole(
    socket_path: Path, sizes: tuple[int, ...]
) -> None:
    assert save(socket_path, cut_into(CHUNKED_HEAD + chunked(BODY), sizes)) == BODY


def test_a_content_length_export_arrives_whole(socket_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY)
    assert save(socket_path, cut_into(head + BODY, (1000, 70_000))) == BODY


def test_an_export_ending_with_the_connection_arrives_whole(socket_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
    assert save(socket_path, (head, BODY[:1000], 0.05, BODY[1000:])) == BODY


def test_an_informational_response_before_the_answer_is_skipped(socket_path: Path) -> None:
    wire = b"HTTP/1.1 100 Continue\r\n\r\n" + CHUNKED_HEAD + chunked(BODY)
    assert save(socket_path, (wire,)) == BODY


def test_the_export_is_read_past_h11_in_pieces_larger_than_its_chunks(socket_path: Path) -> None:
    # Through h11 every 32 KiB chunk of the wire arrives as a piece of its own; the bulk
    # path hands over what one socket read gave, many chunks joined.
    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(BODY * 4, PIECE),))):
        chunks = run(chunks_of, socket_path)
    assert b"".join(chunks) == BODY * 4
    assert max(map(len, chunks)) > PIECE


def test_save_to_through_the_bulk_path_hashes_what_arrived(
    socket_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.tar"
    reported: list[int] = []
    steps = cut_into(CHUNKED_HEAD + chunked(BODY * 10), (100_003,))

    async def save_to(podman: AsyncPodmanClient) -> SavedArchive:
        return await image(podman).save_to(target, progress=lambda size, _: reported.append(size))

    with StallServer(socket_path, RawScript(steps)):
        saved = run(save_to, socket_path)
    assert saved.size == len(BODY) * 10
    assert saved.sha256 == hashlib.sha256(BODY * 10).hexdigest()
    assert target.read_bytes() == BODY * 10
    assert reported == sorted(reported)
    assert reported[-1] == len(BODY) * 10
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.tar", "s.sock"]


# -- cut and malformed answers ----------------------------------------------------------


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

    async def save_to(podman: AsyncPodmanClient) -> object:
        return await image(podman).save_to(out / "image.tar")

    with StallServer(socket_path, RawScript((wire,))), pytest.raises(PodmanConnectionError):
        run(save_to, socket_path)
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
    assert (info.value.message, info.value.explanation) == ("exporting: disk full", "disk full")


def test_a_chunked_404_is_image_not_found(socket_path: Path) -> None:
    error = b'{"cause": "image not known", "message": "no such image", "response": 404}'
    wire = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(error, 10)
    with pytest.raises(ImageNotFound, match="no such image"):
        save(socket_path, (wire,))


def test_nothing_listening_is_a_connection_error_naming_the_socket(socket_path: Path) -> None:
    with pytest.raises(PodmanConnectionError, match=str(socket_path)):
        run(chunks_of, socket_path)


# -- timeouts ---------------------------------------------------------------------------


def test_the_head_waits_for_first_byte_timeout_then_the_body_for_idle(socket_path: Path) -> None:
    # The head comes later than the idle timeout (within first_byte): fine. The body
    # then stalls far longer than idle: a timeout, long before the stall ends.
    script = Script(header_delay=1.5, before_stall=200_000, stall=30.0, after_stall=10)

    async def body() -> None:
        async with client(socket_path, idle=1.0, first_byte=30.0) as podman:
            received = bytearray()

            async def read() -> None:
                async for chunk in image(podman).save(chunk_size=None):
                    received.extend(chunk)

            with pytest.raises(PodmanTimeoutError):
                await read()
            assert bytes(received) == script.body()[:200_000]

    with StallServer(socket_path, script):
        asyncio.run(asyncio.wait_for(body(), timeout=15))


def test_a_head_slower_than_first_byte_times_out(socket_path: Path) -> None:
    async def body() -> None:
        async with client(socket_path, idle=30.0, first_byte=0.5) as podman:
            with pytest.raises(PodmanTimeoutError):
                await chunks_of(podman)

    with StallServer(socket_path, Script(header_delay=30.0, before_stall=10)):
        asyncio.run(asyncio.wait_for(body(), timeout=15))


# -- the request, and closing ------------------------------------------------------------


def test_the_request_the_server_sees(socket_path: Path) -> None:
    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        assert run(chunks_of, socket_path) == [b"x"]
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

    async def first_chunk(podman: AsyncPodmanClient) -> None:
        async with image(podman).save(chunk_size=None) as stream:
            assert await anext(stream)
        for _ in range(250):  # the server wakes from its pause and finds it gone
            if server.sends_refused:
                return
            await asyncio.sleep(0.02)

    with StallServer(socket_path, RawScript(steps)) as server:
        run(first_chunk, socket_path)
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
def test_aclose_ends_a_download_in_progress(socket_path: Path, head: bytes, sent: bytes) -> None:
    # The server then sends nothing for longer than the test runs: only aclose() ends it.
    async def body() -> None:
        podman = client(socket_path, idle=60.0)
        received = bytearray()
        enough = asyncio.Event()

        async def read() -> None:
            async for chunk in image(podman).save(chunk_size=None):
                received.extend(chunk)
                if len(received) >= 90_000:
                    enough.set()

        task = asyncio.create_task(read())
        await enough.wait()
        await podman.aclose()
        with pytest.raises(PodmanConnectionError, match="client was closed"):
            await asyncio.wait_for(task, timeout=2)  # promptly, not at the idle timeout
        assert bytes(received) == BODY[: len(received)]

    with StallServer(socket_path, RawScript((head, sent, 30.0))):
        asyncio.run(asyncio.wait_for(body(), timeout=15))


def test_aclose_ends_a_save_to_still_waiting_for_its_head(
    socket_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "image.tar"

    async def body() -> None:
        podman = client(socket_path, first_byte=60.0)
        task = asyncio.create_task(image(podman).save_to(target))
        while not server.requests:  # closing before the request is sent would test nothing
            await asyncio.sleep(0.01)
        await podman.aclose()
        with pytest.raises(PodmanConnectionError, match="client was closed"):
            await asyncio.wait_for(task, timeout=2)

    with StallServer(socket_path, RawScript((30.0,))) as server:
        asyncio.run(asyncio.wait_for(body(), timeout=15))
    assert list(target.parent.iterdir()) == []


def transport(socket_path: Path) -> tuple[httpx.AsyncBaseTransport, str]:
    built, base = _build_async_transport(UnixEndpoint(str(socket_path)), True, None)
    assert isinstance(built, AsyncUnixSocketTransport)
    return built, base


def test_a_bulk_request_after_the_transport_closed_is_refused_without_connecting(
    socket_path: Path,
) -> None:
    async def body() -> None:
        built, base = transport(socket_path)
        await built.aclose()
        request = httpx.Request("GET", base + "/get", extensions={BULK_READ: True})
        with pytest.raises(httpx.ReadError, match="client was closed"):
            await built.handle_async_request(request)

    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        asyncio.run(body())
    assert server.accepted == 0


def test_a_bulk_request_with_a_body_is_refused_before_sending(socket_path: Path) -> None:
    async def body() -> None:
        built, base = transport(socket_path)
        request = httpx.Request("POST", base + "/l", content=b"body", extensions={BULK_READ: True})
        with pytest.raises(httpx.LocalProtocolError, match="no request body"):
            await built.handle_async_request(request)
        await built.aclose()

    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(b"x"),))) as server:
        asyncio.run(body())
    assert server.accepted == 0


# -- save_to's writer thread ------------------------------------------------------------


def test_writes_run_off_the_event_loop_while_other_tasks_go_on() -> None:
    release = threading.Event()
    writers: list[int] = []

    def slow_write(chunk: bytes) -> None:
        writers.append(threading.get_ident())
        release.wait(10)  # a disk that stalls

    async def body() -> None:
        worker = _WriterThread(slow_write, depth=2)
        try:
            await worker.write(b"a")
            await worker.write(b"b")
            third = asyncio.create_task(worker.write(b"c"))  # waits: two are in flight
            for _ in range(5):  # the loop runs other tasks meanwhile
                await asyncio.sleep(0.01)
            assert not third.done()
            release.set()
            await asyncio.wait_for(third, timeout=5)
            await worker.finish()
        finally:
            worker.stop()
        assert len(writers) == 3
        assert threading.get_ident() not in writers

    asyncio.run(body())


def test_a_write_failure_reaches_the_task_and_later_chunks_are_dropped() -> None:
    written: list[bytes] = []

    def write(chunk: bytes) -> None:
        if chunk == b"bad":
            raise OSError(28, "No space left on device")
        written.append(chunk)

    async def body() -> None:
        worker = _WriterThread(write, depth=1)
        try:
            await worker.write(b"ok")
            await worker.write(b"bad")

            async def go_on() -> None:
                for _ in range(100):  # raised at a later write, or at finish
                    await worker.write(b"after")
                await worker.finish()

            with pytest.raises(OSError, match="No space left"):
                await go_on()
        finally:
            worker.stop()

    asyncio.run(body())
    assert written == [b"ok"]


def test_a_body_bigger_than_one_read_is_hashed_whole(socket_path: Path, tmp_path: Path) -> None:
    data = body_bytes(5_000_000)
    target = tmp_path / "out.tar"

    async def save_to(podman: AsyncPodmanClient) -> SavedArchive:
        return await image(podman).save_to(target)

    with StallServer(socket_path, RawScript((CHUNKED_HEAD + chunked(data),))):
        saved = run(save_to, socket_path)
    assert saved.sha256 == hashlib.sha256(data).hexdigest()
    assert target.read_bytes() == data


# -- other tasks run while a fast server streams -----------------------------------------

SO_SNDBUFFORCE = 32  # Linux; not in the socket module
BUFFERED = 24 * 1024 * 1024


def test_other_tasks_run_while_the_whole_body_is_already_buffered(socket_path: Path) -> None:
    # The worst case for fairness: every read finds data, so none waits. The server puts
    # the whole answer in the socket's buffer before the client reads past the head (a
    # response hook holds the client until then).
    body = b"\0" * BUFFERED
    wire = CHUNKED_HEAD + chunked(body, PIECE)
    all_sent = threading.Event()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 2 * len(wire))
            while b"\r\n\r\n" not in conn.recv(65536):
                pass
            conn.sendall(wire)
            all_sent.set()
            conn.recv(1)  # until the client hangs up

    async def main() -> tuple[int, int]:
        since_tick = longest = 0  # bytes the download took in while the other task waited
        running = True

        async def tick() -> None:
            nonlocal since_tick
            while running:
                since_tick = 0
                await asyncio.sleep(0)

        ticker = asyncio.create_task(tick())
        hooks: EventHooks = {"response": [lambda _: all_sent.wait(10)]}
        async with AsyncPodmanClient(
            f"unix://{socket_path}", version="4.3.1", event_hooks=hooks
        ) as podman:
            received = 0
            async for chunk in image(podman).save(chunk_size=None):
                received += len(chunk)
                since_tick += len(chunk)
                longest = max(longest, since_tick)
        running = False
        await ticker
        return received, longest

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        received, longest = asyncio.run(asyncio.wait_for(main(), timeout=30))
    except PermissionError:  # pragma: no cover - SO_SNDBUFFORCE needs CAP_NET_ADMIN
        pytest.skip("cannot enlarge the socket's buffer here")
    finally:
        listener.close()
        server.join(10)
    assert received == BUFFERED
    assert all_sent.is_set()
    # The loop is handed over every few MiB although no read had to wait.
    assert longest <= 8 * 1024 * 1024


# -- batches ----------------------------------------------------------------------------


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_a_server_that_pauses_gets_what_it_sent_through_at_once(
    socket_path: Path, framing: str
) -> None:
    head, sent = (
        (CHUNKED_HEAD, chunked(BODY)[:50_000])
        if framing == "chunked"
        else (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY), BODY[:50_000])
    )

    async def first_chunk(podman: AsyncPodmanClient) -> tuple[bytes, float]:
        chunks = image(podman).save(chunk_size=None)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            return await anext(chunks), loop.time() - started
        finally:
            await chunks.aclose()

    # The pause after the head keeps the body out of the head's read (handed on at once).
    with StallServer(socket_path, RawScript((head, 0.2, sent, 30.0))):
        first, waited = run(first_chunk, socket_path)
    assert waited < 2.0
    assert BODY.startswith(first)
