"""Image archives in bounded memory: export as a stream or to a file, load from any
byte source. These endpoints stream with httpx directly: the generated calls would
buffer the whole archive.

On a Unix socket an export is read a megabyte at a time past h11 (``_bulk_read``).
``save_to`` writes each chunk as it arrives while a worker thread hashes it: sha256
is the one cost curl does not pay (0.7 s of CPU per GiB), and on a second core it
overlaps with receiving. Hashing and writing both on the worker, or on two workers,
measured no faster. tests/bench/bench_save_load.py measures it.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import secrets
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from podman_sdk._errors import InvalidArgument, StreamError

if TYPE_CHECKING:
    from podman_sdk._session import Session

DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024
ARCHIVE_FORMAT = "docker-archive"
# How many received chunks may wait for save_to's hashing thread. A chunk is what one
# socket read gave (at most BULK_READ_SIZE on a Unix socket; about 180 KiB measured).
HASH_QUEUE_DEPTH = 8
WRITE_SLICE = 256 * 1024
UPLOAD_BLOCK = 1024 * 1024
# A load report is a few names; anything longer is not one.
MAX_LOAD_REPORT = 1024 * 1024

LoadSource = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[bytes]


@dataclass(frozen=True)
class SavedArchive:
    """Where ``save_to`` wrote the archive, its size, and its sha256 (hex)."""

    path: Path
    size: int
    sha256: str


# -- pure decisions ---------------------------------------------------------------------


def rechunk(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Re-cut ``chunks`` into pieces of exactly ``size`` bytes (the last may be
    shorter). A bytes chunk that already is one piece passes through uncopied; other
    pieces are staged in one reused buffer, so each input chunk can be freed as soon
    as it is copied: holding them all until their 2 MiB piece was complete measured
    about 60,000 page faults per GiB (the allocator handing memory back and forth with
    the kernel), staging about 5,000."""
    staged = bytearray(size)
    held = 0
    for chunk in chunks:
        view = memoryview(chunk)
        start, end = 0, len(view)
        while start < end:
            if not held and end - start >= size:
                whole = start == 0 and end == size and type(chunk) is bytes
                yield chunk if whole else bytes(view[start : start + size])
                start += size
                continue
            take = min(size - held, end - start)
            staged[held : held + take] = view[start : start + take]
            held += take
            start += take
            if held == size:
                yield bytes(staged)
                held = 0
    if held:
        yield bytes(memoryview(staged)[:held])


def split_chunks(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Each chunk as it arrived, cut into pieces of at most ``size`` bytes; one that
    fits passes through uncopied, an empty one is dropped.

    Joining small chunks up to ``size`` would copy every byte once more, and hand
    callers bigger buffers to write: writing 1 GiB to a file took 0.25-0.29 s in
    16-256 KiB writes but 1.2 s in 2 MiB ones (Debian 12 kernel, ext4), which made
    ``save()`` at its default chunk size 0.83x curl."""
    for chunk in chunks:
        if len(chunk) <= size:
            if chunk:
                yield chunk
            continue
        view = memoryview(chunk)
        for start in range(0, len(view), size):
            yield bytes(view[start : start + size])


def check_chunk_size(chunk_size: object) -> int | None:
    if chunk_size is None:
        return None
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidArgument(f"chunk_size must be a positive int or None, not {chunk_size!r}")
    return chunk_size


def export_path(name: str) -> str:
    return f"/libpod/images/{quote(name, safe='')}/get"


def declared_length(headers: Mapping[str, str]) -> str | None:
    """The body length to expect, or None when unknown (no Content-Length) or not
    comparable with the decoded bytes (a Content-Encoding)."""
    if headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    return headers.get("Content-Length")


def check_complete(declared: str | None, received: int) -> None:
    """An export has no Content-Length, so a cut connection shows up as a transport
    error; a declared length must be met."""
    if declared is not None and received < int(declared):
        raise StreamError(f"export ended after {received} of {declared} bytes")


def parse_load_report(raw: bytes) -> list[str]:
    """The names from a load answer (``{"Names": [...]}``). Anything else raises
    `StreamError`, carrying the server's message when the body is an error value."""
    try:
        report: object = json.loads(raw)
    except ValueError as exc:
        raise StreamError(f"load: the server's answer is not JSON: {raw[:200]!r}") from exc
    if not isinstance(report, dict):
        raise StreamError(f"load: unexpected answer: {raw[:200]!r}")
    for key in ("error", "message", "cause"):
        value = report.get(key)
        if isinstance(value, str) and value.strip() and not report.get("Names"):
            raise StreamError(f"load failed: {value.strip()}", [raw[:500].decode(errors="replace")])
    names = report.get("Names")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise StreamError(f"load: the server reported no loaded image: {raw[:200]!r}")
    return names


# -- export -----------------------------------------------------------------------------


class SaveStream:
    """The chunks of an export. Iterate it; use it as a context manager (or call
    `close`) to release the connection when stopping early."""

    def __init__(self, session: Session, name: str, chunk_size: int | None) -> None:
        self._session = session
        self._name = name
        self._chunk_size = check_chunk_size(chunk_size)
        self._iterator: Generator[bytes, None, None] | None = None
        self._closed = False

    def _chunks(self) -> Generator[bytes, None, None]:
        with self._session.stream(
            "GET", export_path(self._name), params={"format": ARCHIVE_FORMAT}, bulk=True
        ) as response:
            received = _Counted(self._session.iter_body(response))
            if self._chunk_size is None:
                yield from received
            else:
                yield from split_chunks(received, self._chunk_size)
            check_complete(declared_length(response.headers), received.count)

    def __iter__(self) -> SaveStream:
        return self

    def __next__(self) -> bytes:
        if self._closed:
            raise StopIteration
        if self._iterator is None:
            self._iterator = self._chunks()
        return next(self._iterator)

    def close(self) -> None:
        """Release the connection (a no-op if the stream never started or ended)."""
        self._closed = True
        if self._iterator is not None:
            self._iterator.close()  # runs the stream's finally: the connection is released

    def __enter__(self) -> SaveStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _Counted:
    """Chunks passed through, counting their bytes (httpx's own count skips bodies a
    transport handed over already read)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.count += len(chunk)
            yield chunk


def export_image(session: Session, name: str, *, chunk_size: int | None) -> SaveStream:
    return SaveStream(session, name, chunk_size)


def export_image_to_path(session: Session, name: str, path: Path) -> SavedArchive:
    """Write the archive to a temporary file beside ``path``, hashing as it goes, and
    rename it into place only once complete. On any error or interrupt the temporary
    file is removed and ``path`` is untouched."""
    if path.is_dir():
        raise InvalidArgument(f"cannot save to {path}: it is a directory")
    if not path.parent.is_dir():
        raise InvalidArgument(f"cannot save to {path}: {path.parent} is not a directory")
    file, temporary = _create_beside(path)
    try:
        with file:
            size, digest = _receive_into(session, name, file)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return SavedArchive(path, size, digest)


def _create_beside(path: Path) -> tuple[IO[bytes], Path]:
    """A new hidden file next to ``path``, created with the permissions the umask
    gives (mkstemp's 0600 would survive the rename)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        return os.fdopen(fd, "wb", buffering=0), temporary


def _receive_into(session: Session, name: str, file: IO[bytes]) -> tuple[int, str]:
    """Stream the export into ``file``; return its size and sha256."""
    hasher = _BackgroundSha256()
    size = 0
    try:
        with session.stream(
            "GET", export_path(name), params={"format": ARCHIVE_FORMAT}, bulk=True
        ) as response:
            for chunk in session.iter_body(response):
                hasher.update(chunk)
                _write_all(file, chunk)
                size += len(chunk)
            check_complete(declared_length(response.headers), size)
        return size, hasher.hexdigest()
    finally:
        hasher.close()


def _write_all(file: IO[bytes], chunk: bytes) -> None:
    # At most WRITE_SLICE per write: the kernel measured three to four times slower
    # per byte on writes of 512 KiB and more (see split_chunks).
    data = memoryview(chunk)
    while data:
        written = file.write(data[:WRITE_SLICE])  # an unbuffered file may write less
        data = data[written:]


class _BackgroundSha256:
    """A sha256 computed on a worker thread while the caller writes and reads on.

    Hashing a GiB takes about 0.7 s of CPU; the save's own thread already spends its
    time receiving and writing, and `sha256.update` releases the GIL, so on a second
    core the hash costs little wall time. Chunks are queued uncopied; once ``depth``
    wait, `update` blocks, which bounds the memory held."""

    def __init__(self, depth: int = HASH_QUEUE_DEPTH) -> None:
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(depth)
        self._discard = False
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="podman-sdk sha256", daemon=True)
        self._thread.start()

    def update(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._discard or self._failure is not None:
                continue  # keep draining, so update() never blocks for good
            try:
                self._digest.update(chunk)
            except BaseException as exc:  # MemoryError, in practice
                self._failure = exc

    def hexdigest(self) -> str:
        """Wait for every queued chunk; the hex digest of them all."""
        self._stop()
        if self._failure is not None:
            raise self._failure
        return self._digest.hexdigest()

    def close(self) -> None:
        """Stop the worker, dropping what is queued (a no-op after `hexdigest`)."""
        self._discard = True
        self._stop()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


# -- load -------------------------------------------------------------------------------


def _file_blocks(file: IO[bytes]) -> Iterator[bytes]:
    while block := file.read(UPLOAD_BLOCK):
        if not isinstance(block, bytes | bytearray):
            raise InvalidArgument(
                f"load: the file gave {type(block).__name__}, not bytes (open it with 'rb')"
            )
        yield bytes(block)


def _iterable_blocks(source: Iterable[bytes]) -> Iterator[bytes]:
    def checked() -> Iterator[bytes]:
        for block in source:
            if not isinstance(block, bytes | bytearray | memoryview):
                raise InvalidArgument(f"load: the iterable gave {type(block).__name__}, not bytes")
            yield bytes(block)

    # Many small pieces would each cost a write (and a chunk header) of their own, and
    # one huge piece a quadratic send loop (below).
    return rechunk(checked(), UPLOAD_BLOCK)


def _byte_blocks(data: bytes) -> Iterator[bytes]:
    # httpcore's default network stream (TCP, ssh tunnels excepted) sends a buffer by
    # re-slicing the unsent rest after every send(): quadratic in the buffer's size.
    for start in range(0, len(data), UPLOAD_BLOCK):
        yield data[start : start + UPLOAD_BLOCK]


def upload_body(
    source: LoadSource,
) -> tuple[Iterable[bytes] | bytes, int | None, IO[bytes] | None]:
    """The body to send, its length when known, and a file we opened (to close)."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return _byte_blocks(data), len(data), None
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidArgument(f"cannot load {path}: no such file")
        file = path.open("rb")
        return _file_blocks(file), os.fstat(file.fileno()).st_size, file
    if callable(getattr(source, "read", None)):
        return _file_blocks(source), None, None  # type: ignore[arg-type]
    if isinstance(source, Iterable):
        return _iterable_blocks(source), None, None
    raise InvalidArgument(
        f"cannot load from {type(source).__name__}: pass bytes, a path, a binary file "
        "or an iterable of bytes"
    )


def load_archive(session: Session, source: LoadSource) -> list[str]:
    """POST /libpod/images/load, streaming ``source``; returns the names the server
    reports loaded. Raises `APIError` for an error status, `StreamError` for an answer
    that is not a load report (an error value under HTTP 200 included)."""
    body, length, opened = upload_body(source)
    headers = {"Content-Type": "application/x-tar"}
    if length is not None:
        headers["Content-Length"] = str(length)
    try:
        with session.stream(
            "POST", "/libpod/images/load", content=body, headers=headers
        ) as response:
            raw = bytearray()
            for chunk in session.iter_body(response):
                raw += chunk
                if len(raw) > MAX_LOAD_REPORT:
                    raise StreamError(f"load: the answer is not a load report: {raw[:200]!r}")
    finally:
        if opened is not None:
            opened.close()
    return parse_load_report(bytes(raw))
