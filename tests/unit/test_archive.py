"""Image.save / save_to and ImagesManager.load on a mock transport, the pure pieces
underneath (rechunk, the background hash, the load report), and the stream timeouts against a
real slow server on a Unix socket."""

from __future__ import annotations

import hashlib
import io
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    Image,
    InvalidArgument,
    LocalFileError,
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
    StreamError,
)
from podman_sdk.images._archive import (
    _BackgroundSha256,
    _receive_into,
    _writer,
    check_complete,
    declared_length,
    rechunk,
    split_chunks,
)
from podman_sdk.images._load import UPLOAD_BLOCK, parse_load_report

from tests.unit.stall_server import Script, StallServer, body_bytes

IMAGE_ID = "ab" * 32
TAG = "localhost/foo:latest"
LIBPOD_500 = {
    "cause": "no space left on device",
    "message": "exporting: no space left",
    "response": 500,
}
Handler = Callable[[httpx.Request], httpx.Response]


class Chunks(httpx.SyncByteStream):
    """A response body that arrives in the given pieces, can break off with an
    exception after them, and records whether it was closed."""

    def __init__(self, chunks: Iterable[bytes], then: BaseException | None = None) -> None:
        self._chunks = chunks
        self._then = then
        self.closed = False
        self.yielded = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.yielded += 1
            yield chunk
        if self._then is not None:
            raise self._then

    def close(self) -> None:
        self.closed = True


def inspect_answer() -> httpx.Response:
    return httpx.Response(200, json={"Id": IMAGE_ID, "RepoTags": [TAG]})


class StreamingMockTransport(httpx.BaseTransport):
    """Like httpx.MockTransport, but hands the handler the request with its body not
    read yet (MockTransport reads it first), so a test can see it arrive in pieces."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._handler(request)


def client_for(
    export: Handler | None = None, load: Handler | None = None, *, streaming: bool = False
) -> PodmanClient:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "GET" and path.endswith("/json"):
            return inspect_answer()
        if path.endswith("/get") and export is not None:
            return export(request)
        if path.endswith("/images/load") and load is not None:
            return load(request)
        return httpx.Response(404, json={"cause": "no such route", "message": path})

    transport = StreamingMockTransport(handler) if streaming else httpx.MockTransport(handler)
    return PodmanClient(transport=transport, version="4.3.1")


def image_of(client: PodmanClient) -> Image:
    return client.images.get(IMAGE_ID)


def random_chunking(rng: random.Random, data: bytes) -> list[bytes]:
    """``data`` cut at random places, with an empty chunk now and then."""
    chunks, start = [], 0
    while start < len(data):
        size = rng.choice([0, 1, 2, rng.randint(1, 100), rng.randint(1, 5000)])
        chunks.append(data[start : start + size])
        start += size
    return chunks


def leftovers(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


# -- rechunk and the background hash: property-style over many random chunkings -------------------


@pytest.mark.parametrize("seed", range(200))
def test_rechunk_cuts_pieces_of_exactly_size_and_keeps_every_byte(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randint(0, 20_000))
    size = rng.choice([1, 2, 7, 100, 4096, rng.randint(1, 30_000)])
    pieces = list(rechunk(random_chunking(rng, data), size))
    assert b"".join(pieces) == data
    assert all(len(piece) == size for piece in pieces[:-1])
    assert all(0 < len(piece) <= size for piece in pieces)
    assert all(type(piece) is bytes for piece in pieces)


@pytest.mark.parametrize("seed", range(200))
def test_split_chunks_gives_pieces_of_at_most_size_and_keeps_every_byte(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randint(0, 50_000))
    chunks = random_chunking(rng, data)
    size = rng.choice([1, 3, 1000, rng.randint(1, 60_000)])
    pieces = list(split_chunks(chunks, size))
    assert b"".join(pieces) == data
    assert all(0 < len(piece) <= size for piece in pieces)
    assert all(type(piece) is bytes for piece in pieces)
    # Nothing is joined: a piece never spans two chunks.
    assert len(pieces) == sum(-(-len(chunk) // size) for chunk in chunks)


def test_split_chunks_passes_a_chunk_that_fits_through_uncopied() -> None:
    chunk = b"x" * 8
    (piece,) = split_chunks([chunk], 8)
    assert piece is chunk


def test_rechunk_passes_a_chunk_of_the_right_size_through_uncopied() -> None:
    chunk = b"x" * 8
    (piece,) = rechunk([chunk], 8)
    assert piece is chunk


@pytest.mark.parametrize("seed", range(100))
def test_the_background_sha256_hashes_every_byte_in_order(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randint(0, 50_000))
    hasher = _BackgroundSha256(depth=rng.choice([1, 2, 5]))
    try:
        for chunk in random_chunking(rng, data):
            hasher.update(chunk)
        digest = hasher.hexdigest()
    finally:
        hasher.close()
    assert digest == hashlib.sha256(data).hexdigest()


def test_a_closed_background_sha256_leaves_no_thread() -> None:
    hasher = _BackgroundSha256(depth=1)
    hasher.update(b"x" * 100_000)
    hasher.close()
    hasher.close()
    assert not any(t.name == "podman-sdk sha256" for t in threading.enumerate())


def test_only_an_unencoded_content_length_is_a_length_to_check() -> None:
    assert declared_length({"Content-Length": "5"}) == "5"
    assert declared_length({}) is None
    assert declared_length({"Content-Length": "5", "Content-Encoding": "gzip"}) is None


def test_check_complete_refuses_a_short_body_with_a_declared_length() -> None:
    check_complete(None, 5)
    check_complete("5", 5)
    with pytest.raises(StreamError, match="3 of 5"):
        check_complete("5", 3)


# -- save: chunking, request shape, early close ---------------------------------------


@pytest.mark.parametrize("seed", range(30))
def test_save_chunks_are_at_most_chunk_size_and_join_to_the_archive(seed: int) -> None:
    rng = random.Random(seed)
    archive = rng.randbytes(rng.randint(1, 300_000))
    received = random_chunking(rng, archive)
    chunk_size = rng.choice([1000, 65_536, rng.randint(1, 400_000)])
    with client_for(export=lambda r: httpx.Response(200, stream=Chunks(received))) as client:
        chunks = list(image_of(client).save(chunk_size=chunk_size))
    assert b"".join(chunks) == archive
    assert all(0 < len(chunk) <= chunk_size for chunk in chunks)


def test_save_with_chunk_size_none_yields_data_as_received() -> None:
    received = [b"a" * 10, b"b" * 70_000, b"c"]
    with client_for(export=lambda r: httpx.Response(200, stream=Chunks(received))) as client:
        assert list(image_of(client).save(chunk_size=None)) == received


def test_save_always_asks_for_a_docker_archive_by_id() -> None:
    seen: list[httpx.URL] = []

    def export(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, content=b"tar")

    with client_for(export=export) as client:
        assert b"".join(image_of(client).save()) == b"tar"
        assert b"".join(image_of(client).save(named=True)) == b"tar"
    assert seen[0].path == f"/v4.3.1/libpod/images/{IMAGE_ID}/get"
    assert seen[0].params["format"] == "docker-archive"
    assert seen[1].raw_path.startswith(b"/v4.3.1/libpod/images/localhost%2Ffoo%3Alatest/get?")
    assert seen[1].params["format"] == "docker-archive"


@pytest.mark.parametrize("chunk_size", [0, -1, True, 1.5, "2"])
def test_save_refuses_a_bad_chunk_size_before_any_request(chunk_size: object) -> None:
    with client_for(export=lambda r: pytest.fail("no request expected")) as client:
        image = image_of(client)
        with pytest.raises(InvalidArgument, match="chunk_size"):
            image.save(chunk_size=chunk_size)  # type: ignore[arg-type]


def test_leaving_a_save_stream_early_closes_the_connection() -> None:
    body = Chunks(iter([b"x" * 100] * 1000))
    with client_for(export=lambda r: httpx.Response(200, stream=body)) as client:
        with image_of(client).save(chunk_size=None) as stream:
            assert next(stream) == b"x" * 100
        assert body.closed
        assert body.yielded < 10
        assert list(stream) == []  # a closed stream stays ended
        assert client.images.get(IMAGE_ID).id == IMAGE_ID  # the client still works


def test_a_save_stream_never_iterated_sends_nothing() -> None:
    with client_for(export=lambda r: pytest.fail("no request expected")) as client:
        stream = image_of(client).save()
        stream.close()


# -- save: errors ---------------------------------------------------------------------


def broken_export(request: httpx.Request) -> httpx.Response:
    """200, half an archive, then the connection breaks."""
    cut = httpx.RemoteProtocolError("peer closed connection without sending complete body")
    return httpx.Response(200, stream=Chunks([b"x" * 40_000] * 4, then=cut))


def test_a_save_stream_cut_halfway_raises_an_sdk_error() -> None:
    with client_for(export=broken_export) as client:
        stream = image_of(client).save(chunk_size=10_000)
        received = [next(stream) for _ in range(10)]
        with pytest.raises(PodmanConnectionError) as info:
            list(stream)
    assert sum(map(len, received)) == 100_000  # the error came midway, not up front
    assert not isinstance(info.value, httpx.HTTPError)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)


def test_save_to_a_stream_cut_halfway_leaves_nothing(tmp_path: Path) -> None:
    with client_for(export=broken_export) as client, pytest.raises(PodmanError):
        image_of(client).save_to(tmp_path / "out.tar")
    assert leftovers(tmp_path) == []


def test_save_to_interrupted_leaves_nothing(tmp_path: Path) -> None:
    def export(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Chunks([b"x" * 600_000] * 5, then=KeyboardInterrupt()))

    with client_for(export=export) as client, pytest.raises(KeyboardInterrupt):
        image_of(client).save_to(tmp_path / "out.tar")
    assert leftovers(tmp_path) == []


def test_save_to_keeps_an_existing_file_when_the_save_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.tar"
    target.write_bytes(b"previous")
    with client_for(export=broken_export) as client, pytest.raises(PodmanError):
        image_of(client).save_to(target)
    assert leftovers(tmp_path) == ["out.tar"]
    assert target.read_bytes() == b"previous"


def test_a_server_error_on_save_raises_server_error_with_message_and_cause(
    tmp_path: Path,
) -> None:
    with client_for(export=lambda r: httpx.Response(500, json=LIBPOD_500)) as client:
        image = image_of(client)
        with pytest.raises(ServerError) as info:
            next(image.save())
        with pytest.raises(ServerError):
            image.save_to(tmp_path / "out.tar")
    assert info.value.message == "exporting: no space left"
    assert info.value.explanation == "no space left on device"
    assert info.value.status_code == 500
    assert leftovers(tmp_path) == []


def test_save_to_writes_the_archive_and_returns_its_sha256(tmp_path: Path) -> None:
    rng = random.Random(7)
    archive = rng.randbytes(3_500_000)
    received = [archive[i : i + 32_768] for i in range(0, len(archive), 32_768)]
    with client_for(export=lambda r: httpx.Response(200, stream=Chunks(received))) as client:
        saved = image_of(client).save_to(tmp_path / "out.tar")
    assert saved.path == tmp_path / "out.tar"
    assert saved.size == len(archive)
    assert saved.sha256 == hashlib.sha256(archive).hexdigest()
    assert (tmp_path / "out.tar").read_bytes() == archive
    assert leftovers(tmp_path) == ["out.tar"]


def test_a_write_error_while_saving_raises_and_stops_the_hash_thread(tmp_path: Path) -> None:
    class FullDisk(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

    body = Chunks([b"x" * 40_000] * 20)
    write = _writer(FullDisk(), tmp_path / "out.tar")  # type: ignore[arg-type]
    with (
        client_for(export=lambda r: httpx.Response(200, stream=body)) as client,
        pytest.raises(LocalFileError, match="No space left"),
    ):
        _receive_into(client.images._api(), IMAGE_ID, write, None)
    assert body.closed
    assert body.yielded == 1
    assert not any(t.name == "podman-sdk sha256" for t in threading.enumerate())


# -- load -----------------------------------------------------------------------------


class LoadServer:
    """Records what a load sent; answers with a load report naming the image."""

    def __init__(self, answer: httpx.Response | None = None) -> None:
        self.bodies: list[bytes] = []
        self.headers: list[httpx.Headers] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.headers.append(request.headers)
        self.bodies.append(b"".join(request.stream))  # type: ignore[arg-type]
        if self.answer is not None:
            return self.answer
        return httpx.Response(200, json={"Names": [TAG]})


ARCHIVE = random.Random(3).randbytes(2_500_000)


def test_load_from_bytes_sends_them_with_a_length() -> None:
    server = LoadServer()
    with client_for(load=server) as client:
        images = client.images.load(ARCHIVE)
    assert [image.id for image in images] == [IMAGE_ID]
    assert server.bodies == [ARCHIVE]
    assert server.headers[0]["Content-Length"] == str(len(ARCHIVE))
    assert server.headers[0]["Content-Type"] == "application/x-tar"


def test_load_from_a_path_sends_the_file_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "archive.tar"
    path.write_bytes(ARCHIVE)
    server = LoadServer()
    with client_for(load=server) as client:
        assert client.images.load(file_path=path)
        assert client.images.load(file_path=str(path))
    assert server.bodies == [ARCHIVE, ARCHIVE]
    assert server.headers[0]["Content-Length"] == str(len(ARCHIVE))


def test_load_from_a_binary_file_streams_it(tmp_path: Path) -> None:
    server = LoadServer()
    with client_for(load=server) as client:
        assert client.images.load(io.BytesIO(ARCHIVE))
    assert server.bodies == [ARCHIVE]
    assert server.headers[0]["Transfer-Encoding"] == "chunked"


def test_load_from_an_iterable_streams_it_lazily() -> None:
    """The body is sent while the source is still being produced."""
    produced = 0
    consumed_at_first_read: list[int] = []

    def source() -> Iterator[bytes]:
        nonlocal produced
        for start in range(0, len(ARCHIVE), 100_000):
            produced += 1
            yield ARCHIVE[start : start + 100_000]

    def load(request: httpx.Request) -> httpx.Response:
        body = b""
        for block in request.stream:  # type: ignore[union-attr]
            if not consumed_at_first_read:
                consumed_at_first_read.append(produced)
            assert len(block) <= UPLOAD_BLOCK
            body += block
        assert body == ARCHIVE
        return httpx.Response(200, json={"Names": [TAG]})

    with client_for(load=load, streaming=True) as client:
        assert client.images.load(source())
    assert consumed_at_first_read[0] < produced  # not read to the end before sending


def test_load_accepts_bytearrays_and_memoryviews_in_an_iterable() -> None:
    server = LoadServer()
    pieces: list[bytes | bytearray | memoryview] = [bytearray(b"ab"), memoryview(b"cd"), b"ef"]
    with client_for(load=server) as client:
        assert client.images.load(pieces)  # type: ignore[arg-type]  # typed as bytes, any buffer works
    assert server.bodies == [b"abcdef"]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (42, "cannot load from int"),
        (["text"], "gave str"),
        (io.StringIO("text"), "gave str"),
    ],
)
def test_load_refuses_what_is_not_bytes(data: object, match: str) -> None:
    with client_for(load=LoadServer()) as client, pytest.raises(InvalidArgument, match=match):
        client.images.load(data)  # type: ignore[arg-type]


def test_load_of_a_missing_path_is_refused_before_any_request(tmp_path: Path) -> None:
    with (
        client_for(load=lambda r: pytest.fail("no request expected")) as client,
        pytest.raises(LocalFileError, match="No such file"),
    ):
        client.images.load(file_path=tmp_path / "absent.tar")


def test_a_server_error_on_load_raises_server_error_and_closes_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "archive.tar"
    path.write_bytes(ARCHIVE)
    answer = httpx.Response(500, json=LIBPOD_500)
    with client_for(load=LoadServer(answer)) as client, pytest.raises(ServerError) as info:
        client.images.load(file_path=path)
    assert info.value.message == "exporting: no space left"
    assert info.value.explanation == "no space left on device"


def test_malformed_json_from_load_raises_stream_error() -> None:
    answer = httpx.Response(200, content=b'{"Names": ["localhost/fo')
    with (
        client_for(load=LoadServer(answer)) as client,
        pytest.raises(StreamError, match="not JSON"),
    ):
        client.images.load(ARCHIVE)


@pytest.mark.parametrize(
    "body",
    [
        {
            "cause": "invalid tar header",
            "message": "payload does not match any of the supported image formats",
            "response": 500,
        },
        {"error": "payload does not match any of the supported image formats"},
    ],
)
def test_a_load_that_answers_200_with_an_error_body_raises(body: dict[str, object]) -> None:
    answer = httpx.Response(200, json=body)
    with (
        client_for(load=LoadServer(answer)) as client,
        pytest.raises(StreamError, match="supported image formats"),
    ):
        client.images.load(ARCHIVE)


@pytest.mark.parametrize("body", [b"[]", b"{}", b'{"Names": []}', b'{"Names": [1]}', b"null"])
def test_a_load_report_without_names_raises(body: bytes) -> None:
    with pytest.raises(StreamError):
        parse_load_report(body)


def test_a_load_report_gives_its_names() -> None:
    assert parse_load_report(b'{"Names": ["sha256:ab", "localhost/x:1"]}') == [
        "sha256:ab",
        "localhost/x:1",
    ]


# -- timeouts against a real slow server ----------------------------------------------


# Margins a loaded two-core machine cannot miss: the idle timeout is long enough that
# data flowing never trips it, a delay meant to exceed it does so by a second (it only
# grows under load), and a stall meant to trip it lasts far longer (the server's close
# ends it).
IDLE = 2.0
LONGER_THAN_IDLE = IDLE + 1.0
STALL = 30.0


def slow_client(socket_path: Path) -> PodmanClient:
    return PodmanClient(
        f"unix://{socket_path}", version="4.3.1", idle_timeout=IDLE, first_byte_timeout=30.0
    )


@pytest.fixture
def socket_path(tmp_path: Path) -> Path:
    # A short directory: a Unix socket path is limited to 107 bytes.
    return tmp_path / "s.sock"


def test_headers_slower_than_idle_but_within_first_byte_succeed(socket_path: Path) -> None:
    script = Script(header_delay=LONGER_THAN_IDLE, before_stall=300_000)
    with StallServer(socket_path, script), slow_client(socket_path) as client:
        image = client.images._wrap({"Id": IMAGE_ID})
        assert b"".join(image.save()) == script.body()


def test_save_to_with_slow_headers_succeeds(socket_path: Path, tmp_path: Path) -> None:
    script = Script(header_delay=LONGER_THAN_IDLE, before_stall=3_000_000)
    target = tmp_path / "out.tar"
    with StallServer(socket_path, script), slow_client(socket_path) as client:
        image = client.images._wrap({"Id": IMAGE_ID})
        saved = image.save_to(target)
    assert saved.sha256 == hashlib.sha256(body_bytes(3_000_000)).hexdigest()


def test_headers_slower_than_first_byte_time_out(socket_path: Path) -> None:
    script = Script(header_delay=STALL, before_stall=10)
    with (
        StallServer(socket_path, script),
        PodmanClient(
            f"unix://{socket_path}", version="4.3.1", idle_timeout=5.0, first_byte_timeout=1.0
        ) as client,
        pytest.raises(PodmanTimeoutError),
    ):
        next(client.images._wrap({"Id": IMAGE_ID}).save())


def test_a_body_stalling_longer_than_idle_times_out(socket_path: Path) -> None:
    script = Script(before_stall=200_000, stall=STALL, after_stall=200_000)
    with StallServer(socket_path, script), slow_client(socket_path) as client:
        stream = client.images._wrap({"Id": IMAGE_ID}).save(chunk_size=100_000)
        received = b""
        while len(received) < 200_000:  # the data before the stall arrives
            received += next(stream)
        with pytest.raises(PodmanTimeoutError):
            next(stream)
    assert received == script.body()[:200_000]


def test_save_to_a_stalling_body_times_out_and_leaves_nothing(
    socket_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    script = Script(before_stall=2_500_000, stall=STALL, after_stall=200_000)
    with (
        StallServer(socket_path, script),
        slow_client(socket_path) as client,
        pytest.raises(PodmanTimeoutError),
    ):
        client.images._wrap({"Id": IMAGE_ID}).save_to(out / "image.tar")
    assert leftovers(out) == []


def test_the_request_a_slow_server_saw(socket_path: Path) -> None:
    with StallServer(socket_path, Script(before_stall=10)) as server:
        with slow_client(socket_path) as client:
            b"".join(client.images._wrap({"Id": IMAGE_ID}).save())
        head = server.requests[0].decode()
    assert head.startswith(f"GET /v4.3.1/libpod/images/{IMAGE_ID}/get?format=docker-archive ")
