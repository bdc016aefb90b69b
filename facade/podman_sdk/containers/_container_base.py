"""What `Container` and `AsyncContainer` share: a container's data (``attrs``, as the
server sent it) and what is read from it, and how an output stream is opened from the
generated ``stream()``/``asyncio_stream()`` functions."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from libpod_client.api.containers import container_logs_libpod
from libpod_client.api.containers_compat import container_archive_libpod

import podman_sdk.containers._data as data
from podman_sdk._core._connection import AsyncConnection, Connection, ConnectionBase
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.containers._data import ArchiveStat, ContainerAttrs, Demuxed, ExecResult, LogQuery
from podman_sdk.containers._decisions import archive_stat
from podman_sdk.containers._streams import AsyncOutputStream, Opened, OutputStream

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager, AbstractContextManager

    from libpod_client.models import InspectContainerData
    from libpod_client.streams import AsyncStream, Stream
    from libpod_client.types import Frame

ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")
T = TypeVar("T")
Environment = Mapping[str, str] | Sequence[str]
Since = datetime | int | None
ExecAnswer = (
    ExecResult[int, bytes]
    | ExecResult[int, Demuxed]
    | ExecResult[None, OutputStream[bytes]]
    | ExecResult[None, OutputStream[Demuxed]]
    | ExecResult[None, bytes]
)
AsyncExecAnswer = (
    ExecResult[int, bytes]
    | ExecResult[int, Demuxed]
    | ExecResult[None, AsyncOutputStream[bytes]]
    | ExecResult[None, AsyncOutputStream[Demuxed]]
    | ExecResult[None, bytes]
)


class ContainerBase(Generic[ConnectionT]):
    """A container's data (``attrs``, as the server sent it) and what is read from it."""

    attrs: ContainerAttrs

    def __init__(self, attrs: ContainerAttrs | None = None) -> None:
        self.attrs: ContainerAttrs = attrs if attrs is not None else {"Id": ""}
        self._connection: ConnectionT | None = None

    @classmethod
    def _attached(cls, attrs: ContainerAttrs, connection: ConnectionT) -> Any:
        container = cls(attrs)
        container._connection = connection
        return container

    def _api(self) -> ConnectionT:
        if self._connection is None:
            raise InvalidArgument(f"container {self.short_id} is not attached to a client")
        return self._connection

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.short_id}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))

    @property
    def id(self) -> str:
        """The full container id."""
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        """The first 12 characters of the id, as ``podman ps`` shows it."""
        return data.short_id(self.id)

    @property
    def name(self) -> str | None:
        """The name, without Docker's leading slash."""
        return data.container_name(self.attrs)

    @property
    def labels(self) -> dict[str, str]:
        return data.container_labels(self.attrs)

    @property
    def status(self) -> str:
        """``created``, ``running``, ``paused``, ``exited``... as last read (`reload`)."""
        return data.container_status(self.attrs)

    @property
    def ports(self) -> dict[str, object]:
        """Inspect's ``NetworkSettings.Ports`` (empty for a container from ``list()``)."""
        return data.container_ports(self.attrs)

    @property
    def model(self) -> InspectContainerData:
        """The inspect data as the generated typed model (after ``get()`` or
        ``reload()``; one from ``list()`` raises `InvalidArgument`)."""
        from libpod_client.models import InspectContainerData

        from podman_sdk._core._answers import model_answer

        if "Config" not in self.attrs:
            raise InvalidArgument(f"container {self.short_id} came from list(): reload() it first")
        data: dict[str, object] = dict(self.attrs)
        return model_answer(InspectContainerData, data, "container", self._api().endpoint)

    def attach_socket(self) -> NoReturn:
        """Not offered, as podman-py documents it ("Not Implemented"): always raises
        `InvalidArgument`, before any request. docker-py hands out the attach's hijacked
        socket, raw frames and all; here ``attach(stream=True)`` gives the output as it
        arrives and ``exec_run(stream=True)`` runs a command, both read and closed for
        you (no ``await``: the async twin raises at the call too)."""
        raise InvalidArgument(
            "attach_socket() is not supported (podman-py does not implement it either): "
            "use attach(stream=True) for the output, or exec_run(stream=True)"
        )


def _frames(
    opened: Opened, open_stream: AbstractContextManager[Stream[Frame]]
) -> Generator[Frame, None, None]:
    with open_stream as stream:
        opened.stream = stream  # type: ignore[assignment]
        if not opened.closed:
            yield from stream


async def _async_frames(
    opened: Opened, open_stream: AbstractAsyncContextManager[AsyncStream[Frame]]
) -> AsyncGenerator[Frame, None]:
    async with open_stream as stream:
        opened.stream = stream  # type: ignore[assignment]
        if not opened.closed:
            async for frame in stream:
                yield frame


def log_opener(connection: ConnectionBase[Any], name: str, arguments: LogQuery) -> Any:
    """What opens the log stream (``stream()`` or ``asyncio_stream()``, as the
    connection's client serves)."""
    api = connection.api
    if isinstance(connection, AsyncConnection):
        return lambda: container_logs_libpod.asyncio_stream(name, client=api, **arguments)
    return lambda: container_logs_libpod.stream(name, client=api, **arguments)


def mapped(opened: Opened, opener: Any, convert: Any) -> Generator[Any, None, None]:
    for item in _frames(opened, opener()):
        yield convert(item)


async def async_mapped(opened: Opened, opener: Any, convert: Any) -> AsyncGenerator[Any, None]:
    async for item in _async_frames(opened, opener()):
        yield convert(item)


def open_archive(
    connection: Connection, name: str, path: str, chunk_size: int | None
) -> tuple[OutputStream[bytes], ArchiveStat]:
    """``get_archive()``'s stream, opened (its head carries the stat), and the stat."""
    size = data.checked_chunk_size(chunk_size)
    opening = container_archive_libpod.stream(name, client=connection.api, path=path)
    chunks = opening.__enter__()
    try:
        stat = archive_stat(chunks.response.headers)
    except BaseException:
        opening.__exit__(None, None, None)
        raise

    def produce(opened: Opened) -> Generator[bytes, None, None]:
        try:
            yield from data.in_chunks(chunks, size)
        finally:
            opening.__exit__(None, None, None)

    archive = OutputStream(produce)
    archive._opened.stream = chunks  # type: ignore[assignment]
    return archive, stat


async def open_archive_async(
    connection: AsyncConnection, name: str, path: str, chunk_size: int | None
) -> tuple[AsyncOutputStream[bytes], ArchiveStat]:
    """`open_archive`, awaited."""
    size = data.checked_chunk_size(chunk_size)
    opening = container_archive_libpod.asyncio_stream(name, client=connection.api, path=path)
    chunks = await opening.__aenter__()
    try:
        stat = archive_stat(chunks.response.headers)
    except BaseException:
        await opening.__aexit__(None, None, None)
        raise

    async def produce(opened: Opened) -> AsyncGenerator[bytes, None]:
        try:
            async for chunk in chunks:
                for piece in data.in_chunks([chunk], size):
                    yield piece
        finally:
            await opening.__aexit__(None, None, None)

    archive = AsyncOutputStream(produce)
    archive._opened.stream = chunks  # type: ignore[assignment]
    return archive, stat


def same(item: T) -> T:
    return item
