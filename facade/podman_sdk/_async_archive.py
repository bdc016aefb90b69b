"""Exports and loads for `AsyncPodmanClient`, in bounded memory: the awaited I/O of
``_archive`` and ``_load``, whose pure parts (chunk cutting, completeness, the file
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
import queue
import threading
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Iterator
from pathlib import Path

from podman_sdk._archive import (
    HASH_QUEUE_DEPTH,
    ArchiveWriter,
    ProgressCallback,
    SavedArchive,
    _BackgroundSha256,
    _writer,
    check_complete,
    declared_length,
    split_chunks,
    written_beside,
)
from podman_sdk._async_closing import AsyncClosing
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._errors import InvalidArgument
from podman_sdk._image_requests import export_request, load_request
from podman_sdk._load import LoadSource, _counted, collect_report, parse_load_report, upload_body

#: What `AsyncImagesManager.load` takes: `LoadSource`, or an async iterable of bytes.
AsyncLoadSource = LoadSource | AsyncIterable[bytes]


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


async def export_chunks(
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


async def export_image_to_path(
    connection: AsyncConnection, name: str, path: Path, progress: ProgressCallback | None
) -> SavedArchive:
    """`_archive.export_image_to_path`, awaited: through a file beside ``path`` that a
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


async def load_archive(
    connection: AsyncConnection, source: AsyncLoadSource, progress: ProgressCallback | None
) -> list[str]:
    """`_load.load_archive`, awaited: POST /libpod/images/load streaming ``source``;
    the names the server reports loaded."""
    opened = None
    if isinstance(source, AsyncIterable):
        body, length = _checked_async_blocks(source, progress), None
    else:
        blocks, length, opened = upload_body(source)
        if progress is not None:
            blocks = _counted([blocks] if isinstance(blocks, bytes) else blocks, length, progress)
        body = _blocks_off_the_loop([blocks] if isinstance(blocks, bytes) else blocks)
    headers = {"Content-Length": str(length)} if length is not None else None
    try:
        async with connection.stream(load_request(), content=body, headers=headers) as response:
            raw = bytearray()
            async for chunk in connection.iter_body(response):
                collect_report(raw, chunk)
    finally:
        if opened is not None:
            opened.close()
    return parse_load_report(bytes(raw))


async def _blocks_off_the_loop(blocks: Iterable[bytes]) -> AsyncGenerator[bytes, None]:
    """A source's blocks, each read on a worker thread: a file or a user's iterable
    may block, and the event loop must not."""
    iterator: Iterator[bytes] = iter(blocks)
    while (block := await asyncio.to_thread(next, iterator, None)) is not None:
        yield block


async def _checked_async_blocks(
    source: AsyncIterable[bytes], progress: ProgressCallback | None
) -> AsyncGenerator[bytes, None]:
    sent = 0
    async for block in source:
        if not isinstance(block, bytes | bytearray | memoryview):
            raise InvalidArgument(
                f"load: the async iterable gave {type(block).__name__}, not bytes"
            )
        yield bytes(block)
        sent += len(block)
        if progress is not None:
            progress(sent, None)
