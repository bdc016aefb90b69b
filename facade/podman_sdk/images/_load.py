"""Image loads in bounded memory, from bytes, a path, a binary file or any iterable of
bytes. The request comes from the generated builder; the body is streamed."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from pathlib import Path
from typing import IO

from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._error_mapping import local_file
from podman_sdk._exceptions import InvalidArgument, StreamError
from podman_sdk.images._archive import (
    ProgressCallback,
    rechunk,
)
from podman_sdk.images._requests import load_request

UPLOAD_BLOCK = 1024 * 1024


LOAD = "cannot load"


# A load report is a few names; anything longer is not one.
MAX_LOAD_REPORT = 1024 * 1024


LoadSource = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[bytes]


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


def collect_report(raw: bytearray, chunk: bytes) -> None:
    """Add ``chunk`` to a load answer read so far; a report is a few names, so an
    answer past `MAX_LOAD_REPORT` is none."""
    raw += chunk
    if len(raw) > MAX_LOAD_REPORT:
        raise StreamError(f"load: the answer is not a load report: {raw[:200]!r}")


def _file_blocks(file: IO[bytes], path: str | os.PathLike[str] | None = None) -> Iterator[bytes]:
    """The file's blocks; a read error raises `LocalFileError` naming ``path`` (or the
    file's own name, when it has one)."""
    if path is None:
        name = getattr(file, "name", None)
        path = name if isinstance(name, str) else None
    while True:
        with local_file(LOAD, path):
            block = file.read(UPLOAD_BLOCK)
        if not block:
            return
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
        with local_file(LOAD, path):
            file = path.open("rb")
            try:
                size = os.fstat(file.fileno()).st_size
            except BaseException:
                file.close()
                raise
        return _file_blocks(file, path), size, file
    if callable(getattr(source, "read", None)):
        return _file_blocks(source), None, None  # type: ignore[arg-type]
    if isinstance(source, Iterable):
        return _iterable_blocks(source), None, None
    raise InvalidArgument(
        f"cannot load from {type(source).__name__}: pass bytes, a path, a binary file "
        "or an iterable of bytes"
    )


def _counted(
    blocks: Iterable[bytes], total: int | None, progress: ProgressCallback
) -> Iterator[bytes]:
    sent = 0
    for block in blocks:
        yield block
        sent += len(block)
        progress(sent, total)


def load_archive(
    connection: Connection, source: LoadSource, progress: ProgressCallback | None = None
) -> list[str]:
    """POST /libpod/images/load, streaming ``source``; returns the names the server
    reports loaded. Raises `APIError` for an error status, `StreamError` for an answer
    that is not a load report (an error value under HTTP 200 included)."""
    body, length, opened = upload_body(source)
    if progress is not None:
        body = _counted([body] if isinstance(body, bytes) else body, length, progress)
    request = load_request()
    headers = {"Content-Length": str(length)} if length is not None else None
    try:
        with connection.stream(request, content=body, headers=headers) as response:
            raw = bytearray()
            for chunk in connection.iter_body(response):
                collect_report(raw, chunk)
    finally:
        if opened is not None:
            opened.close()
    return parse_load_report(bytes(raw))


#: What `AsyncImagesManager.load` takes: `LoadSource`, or an async iterable of bytes.
AsyncLoadSource = LoadSource | AsyncIterable[bytes]


async def async_load_archive(
    connection: AsyncConnection, source: AsyncLoadSource, progress: ProgressCallback | None
) -> list[str]:
    """`load_archive`, awaited: POST /libpod/images/load streaming ``source``;
    the names the server reports loaded."""
    opened = None
    if isinstance(source, AsyncIterable):
        body, length = _checked_async_blocks(source, progress), None
    else:
        blocks, length, opened = upload_body(source)
        if progress is not None:
            blocks = _counted([blocks] if isinstance(blocks, bytes) else blocks, length, progress)
        body = blocks_off_the_loop([blocks] if isinstance(blocks, bytes) else blocks)
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


async def blocks_off_the_loop(blocks: Iterable[bytes]) -> AsyncGenerator[bytes, None]:
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
