"""Image archives in bounded memory: export as a stream or to a file, load from any
byte source. These endpoints stream with httpx directly: the generated calls would
buffer the whole archive."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from podman_sdk._errors import APIError, InvalidArgument, StreamError

if TYPE_CHECKING:
    import httpx

    from podman_sdk._session import Session

DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024
ARCHIVE_FORMAT = "docker-archive"
UPLOAD_BLOCK = 1024 * 1024

LoadSource = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[bytes]


@dataclass(frozen=True)
class SavedArchive:
    """Where ``save_to`` wrote the archive, its size, and its sha256 (hex)."""

    path: Path
    size: int
    sha256: str


def rechunk(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Yield ``chunks`` re-cut into pieces of at most ``size`` bytes, copying only what
    straddles a boundary."""
    pending = bytearray()
    for chunk in chunks:
        if not pending and len(chunk) <= size:
            yield chunk
            continue
        pending += chunk
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)


class SaveStream:
    """The chunks of an export. Iterate it; use it as a context manager (or call
    `close`) to release the connection when stopping early."""

    def __init__(self, session: Session, name: str, chunk_size: int | None) -> None:
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise InvalidArgument(f"chunk_size must be a positive int or None, not {chunk_size!r}")
        self._session = session
        self._name = name
        self._chunk_size = chunk_size
        self._iterator: Generator[bytes, None, None] | None = None

    def _chunks(self) -> Generator[bytes, None, None]:
        path = f"/libpod/images/{quote(self._name, safe='')}/get"
        with self._session.stream("GET", path, params={"format": ARCHIVE_FORMAT}) as response:
            received = self._session.iter_body(response)
            if self._chunk_size is None:
                yield from received
            else:
                yield from rechunk(received, self._chunk_size)
            _check_complete(response)

    def __iter__(self) -> SaveStream:
        return self

    def __next__(self) -> bytes:
        if self._iterator is None:
            self._iterator = self._chunks()
        return next(self._iterator)

    def close(self) -> None:
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


def _check_complete(response: httpx.Response) -> None:
    # An export has no Content-Length; a cut connection shows up as a transport error
    # (translated by iter_body). A declared length must be met.
    declared = response.headers.get("Content-Length")
    if declared is not None and response.num_bytes_downloaded < int(declared):
        raise StreamError(f"export ended after {response.num_bytes_downloaded} of {declared} bytes")


def export_image(session: Session, name: str, *, chunk_size: int | None) -> SaveStream:
    return SaveStream(session, name, chunk_size)


def export_image_to_path(session: Session, name: str, path: Path) -> SavedArchive:
    """Write the archive to a temporary file beside ``path``, hashing as it goes, and
    rename it into place only once complete."""
    directory = path.parent
    if not directory.is_dir():
        raise InvalidArgument(f"cannot save to {path}: {directory} is not a directory")
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as file, SaveStream(session, name, None) as stream:
            for chunk in stream:
                file.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return SavedArchive(path, size, digest.hexdigest())


def _file_blocks(file: IO[bytes]) -> Iterator[bytes]:
    while block := file.read(UPLOAD_BLOCK):
        yield block


def _upload_body(
    source: LoadSource,
) -> tuple[Iterable[bytes] | bytes, int | None, IO[bytes] | None]:
    """The body to send, its length when known, and a file we opened (to close)."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return data, len(data), None
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidArgument(f"cannot load {path}: no such file")
        file = path.open("rb")
        return _file_blocks(file), path.stat().st_size, file
    if hasattr(source, "read"):
        return _file_blocks(source), None, None  # type: ignore[arg-type]
    if isinstance(source, Iterable):
        return (bytes(block) for block in source), None, None
    raise InvalidArgument(
        f"cannot load from {type(source).__name__}: pass bytes, a path, a binary file or an iterable of bytes"
    )


def load_archive(session: Session, source: LoadSource) -> list[str]:
    """POST /libpod/images/load, streaming ``source``; returns the names the server
    reports loaded."""
    body, length, opened = _upload_body(source)
    headers = {"Content-Type": "application/x-tar"}
    if length is not None:
        headers["Content-Length"] = str(length)
    try:
        with session.stream(
            "POST", "/libpod/images/load", content=body, headers=headers
        ) as response:
            raw = b"".join(session.iter_body(response))
    finally:
        if opened is not None:
            opened.close()
    try:
        report = json.loads(raw)
    except ValueError as exc:
        raise StreamError(f"load: the server's answer is not JSON: {raw[:200]!r}") from exc
    names = report.get("Names") if isinstance(report, dict) else None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise APIError(f"load: the server reported no loaded image: {raw[:200]!r}")
    return names
