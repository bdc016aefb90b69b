"""Exports and loads for `AsyncPodmanClient`, in bounded memory: the awaited I/O of
``_archive`` and ``_load``, whose pure parts (chunk cutting, completeness, the file
written beside the target, the upload body, the load report) they use as they are.

Not yet at the sync client's rate: the export is read through httpx's async transport
(the sync client's bulk path past h11 has no async twin), and ``save_to`` hashes and
writes on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Iterator
from pathlib import Path

from podman_sdk._archive import (
    ArchiveWriter,
    ProgressCallback,
    SavedArchive,
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
    async with connection.stream(export_request(name)) as response:
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
    failure or a cancelled task removes."""
    digest = hashlib.sha256()
    with written_beside(path) as file:
        writer = ArchiveWriter(_writer(file, path), digest, progress)
        async with connection.stream(export_request(name)) as response:
            async for chunk in connection.iter_body(response):
                writer.write(chunk)
            check_complete(declared_length(response.headers), writer.size)
    return SavedArchive(path, writer.size, digest.hexdigest())


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
