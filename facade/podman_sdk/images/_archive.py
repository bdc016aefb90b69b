"""Image exports in bounded memory, as a stream or to a file (loads: ``_load``). The
request comes from the generated builder; the body is read as a stream, never through
the generated call, which would buffer the whole archive.

On a Unix socket an export is read a megabyte at a time past h11 (``_bulk_read``).
``save_to`` writes each chunk as it arrives while a worker thread hashes it: sha256
is the one cost curl does not pay (0.7 s of CPU per GiB), and on a second core it
overlaps with receiving. Hashing and writing both on the worker, or on two workers,
measured no faster. tests/bench/bench_save_load.py measures it.

Exports and loads for `AsyncPodmanClient`, in bounded memory: the awaited I/O of
the sync functions above and ``_load``'s, whose pure parts (chunk cutting, completeness, the file
written beside the target, the upload body, the load report) they use as they are.

On a Unix socket an export is read past h11 a megabyte at a time, as the sync client
reads it (``_transport.async_bulk_read``). ``save_to`` receives on the event loop and
hands each chunk to a thread of its own (`_WriterThread`), which writes and hashes it
exactly as the sync ``save_to`` does after receiving (`ArchiveWriter` over the
background sha256): the loop's other tasks keep running, and receiving overlaps with
writing and hashing. tests/bench/bench_save_load.py measures both clients.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import queue
import secrets
import threading
from collections.abc import (
    AsyncGenerator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol

from podman_sdk._core._async_closing import AsyncClosing
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._error_mapping import local_file
from podman_sdk._exceptions import InvalidArgument, LocalFileError, StreamError
from podman_sdk.images._requests import export_request

# How many received chunks may wait for save_to's hashing thread. A chunk is what one
# batch of socket reads gave (on a Unix socket 128 KiB to BULK_READ_SIZE: _transport.bulk_framing).
HASH_QUEUE_DEPTH = 8


WRITE_SLICE = 256 * 1024


SAVE = "cannot save to"


#: Called as an archive is written or read: bytes so far, and the total when known.
ProgressCallback = Callable[[int, int | None], object]


@dataclass(frozen=True)
class SavedArchive:
    """Where ``save_to`` wrote the archive, its size, and its sha256 (hex)."""

    path: Path
    size: int
    sha256: str


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


class SaveStream:
    """The chunks of an export. Iterate it; use it as a context manager (or call
    `close`) to release the connection when stopping early."""

    def __init__(self, chunks: Callable[[], Generator[bytes, None, None]]) -> None:
        # Called on the first next(): a stream nobody reads sends no request.
        self._chunks = chunks
        self._iterator: Generator[bytes, None, None] | None = None
        self._closed = False

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


def export_chunks(
    connection: Connection, name: str, chunk_size: int | None
) -> Generator[bytes, None, None]:
    """The export's chunks, cut to at most ``chunk_size`` (None: as received)."""
    with connection.stream(export_request(name), bulk=True) as response:
        received = _Counted(connection.iter_body(response))
        if chunk_size is None:
            yield from received
        else:
            yield from split_chunks(received, chunk_size)
        check_complete(declared_length(response.headers), received.count)


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


def export_image_to_path(
    connection: Connection, name: str, path: Path, progress: ProgressCallback | None = None
) -> SavedArchive:
    """Write the archive to a temporary file beside ``path``, hashing as it goes, and
    rename it into place only once complete. On any error or interrupt the temporary
    file is removed and ``path`` is untouched. A local failure (no such directory,
    permission denied, disk full) raises `LocalFileError` naming ``path``; the
    temporary file is created before the request, so most do before any is sent."""
    with written_beside(path) as file:
        size, digest = _receive_into(connection, name, _writer(file, path), progress)
    return SavedArchive(path, size, digest)


@contextmanager
def written_beside(path: Path) -> Iterator[IO[bytes]]:
    """A new temporary file beside ``path``, renamed to ``path`` when the block ends
    normally; on any error or interrupt (a cancelled task included) it is removed and
    ``path`` is untouched. Local failures raise `LocalFileError` naming ``path``.
    Shared by the sync and the async save_to."""
    if path.is_dir():
        raise LocalFileError(errno.EISDIR, os.strerror(errno.EISDIR), str(path), action=SAVE)
    with local_file(SAVE, path):
        file, temporary = _create_beside(path)
    try:
        try:
            yield file
        finally:
            with local_file(SAVE, path):
                file.close()
        with local_file(SAVE, path):
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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


def _writer(file: IO[bytes], path: Path) -> Callable[[bytes], None]:
    """Writes to ``file``; a failure names ``path``, the caller's, not the hidden file."""

    def write(chunk: bytes) -> None:
        with local_file(SAVE, path):
            _write_all(file, chunk)

    return write


def _receive_into(
    connection: Connection,
    name: str,
    write: Callable[[bytes], object],
    progress: ProgressCallback | None,
) -> tuple[int, str]:
    """Stream the export through ``write``; return its size and sha256."""
    hasher = _BackgroundSha256()
    writer = ArchiveWriter(write, hasher, progress)
    try:
        with connection.stream(export_request(name), bulk=True) as response:
            for chunk in connection.iter_body(response):
                writer.write(chunk)
            check_complete(declared_length(response.headers), writer.size)
        return writer.size, hasher.hexdigest()
    finally:
        hasher.close()


class Sha256Like(Protocol):
    def update(self, data: bytes, /) -> None: ...


class ArchiveWriter:
    """Where save_to's chunks go, in both clients: hashed, written (``write``, which
    names the caller's path in a failure), counted, reported to ``progress``."""

    def __init__(
        self,
        write: Callable[[bytes], object],
        hasher: Sha256Like,
        progress: ProgressCallback | None,
    ) -> None:
        self._write = write
        self._hasher = hasher
        self._progress = progress
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._hasher.update(chunk)
        self._write(chunk)
        self.size += len(chunk)
        if self._progress is not None:
            self._progress(self.size, None)


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


class AsyncSaveStream(AsyncClosing):
    """The chunks of an export, for ``async for``; use it with ``async with`` (or
    await `aclose`) to release the connection when stopping early."""

    def __init__(self, chunks: Callable[[], AsyncGenerator[bytes, None]]) -> None:
        # Called on the first __anext__: a stream nobody reads sends no request.
        self._chunks = chunks
        self._iterator: AsyncGenerator[bytes, None] | None = None
        self._closed = False

    def __aiter__(self) -> AsyncSaveStream:
        return self

    async def __anext__(self) -> bytes:
        if self._closed:
            raise StopAsyncIteration
        if self._iterator is None:
            self._iterator = self._chunks()
        return await anext(self._iterator)

    async def aclose(self) -> None:
        """Release the connection (a no-op if the stream never started or ended)."""
        self._closed = True
        if self._iterator is not None:
            await self._iterator.aclose()


async def async_export_chunks(
    connection: AsyncConnection, name: str, chunk_size: int | None
) -> AsyncGenerator[bytes, None]:
    """The export's chunks, cut to at most ``chunk_size`` (None: as received)."""
    async with connection.stream(export_request(name), bulk=True) as response:
        received = 0
        async for chunk in connection.iter_body(response):
            received += len(chunk)
            for piece in [chunk] if chunk_size is None else split_chunks([chunk], chunk_size):
                yield piece
        check_complete(declared_length(response.headers), received)


async def async_export_image_to_path(
    connection: AsyncConnection, name: str, path: Path, progress: ProgressCallback | None
) -> SavedArchive:
    """`export_image_to_path`, awaited: through a file beside ``path`` that a
    failure or a cancelled task removes. Chunks are written and hashed off the event
    loop; ``progress`` is called on the loop's thread with the bytes handed over."""
    hasher = _BackgroundSha256()
    try:
        with written_beside(path) as file:
            writer = ArchiveWriter(_writer(file, path), hasher, None)
            worker = _WriterThread(writer.write)
            try:
                received = await _receive(connection, name, worker, progress)
                await worker.finish()
            finally:
                worker.stop()  # before the file closes, whatever ended the save
            # Before the rename: a task cancelled while this waits leaves no file.
            digest = await asyncio.to_thread(hasher.hexdigest)
    finally:
        hasher.close()
    return SavedArchive(path, received, digest)


async def _receive(
    connection: AsyncConnection,
    name: str,
    worker: _WriterThread,
    progress: ProgressCallback | None,
) -> int:
    """Stream the export to ``worker``; the number of bytes received."""
    received = 0
    async with connection.stream(export_request(name), bulk=True) as response:
        async for chunk in connection.iter_body(response):
            await worker.write(chunk)
            received += len(chunk)
            if progress is not None:
                progress(received, None)
        check_complete(declared_length(response.headers), received)
    return received


class _WriterThread:
    """Calls ``write`` with each chunk on a thread of its own, in order. `write` waits
    while ``depth`` chunks are queued, which bounds the memory held; a failure of
    ``write`` (a full disk) is raised by the next `write` or by `finish`.

    `stop` joins the thread, blocking the loop for at most the chunk being written:
    the caller closes and removes the file next, and no write may land after that,
    also when the task was cancelled (awaiting there could be cancelled again)."""

    def __init__(self, write: Callable[[bytes], object], depth: int = HASH_QUEUE_DEPTH) -> None:
        self._write = write
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(depth)
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._discard = False
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="podman-sdk save_to", daemon=True)
        self._thread.start()

    async def write(self, chunk: bytes) -> None:
        await self._slots.acquire()
        self._raise_failure()
        self._queue.put(chunk)

    async def finish(self) -> None:
        """Wait until every chunk is written; raise a failure of ``write``."""
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)
        self._raise_failure()

    def stop(self) -> None:
        """Drop what is queued and end the thread (a no-op after `finish`)."""
        self._discard = True
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if not self._discard and self._failure is None:
                try:
                    self._write(chunk)
                except BaseException as exc:  # LocalFileError, MemoryError
                    self._failure = exc
            # Even after a failure: a task waiting for a slot must wake to see it.
            self._loop.call_soon_threadsafe(self._slots.release)
