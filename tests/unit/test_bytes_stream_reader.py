"""Every byte stream of the generated package (exports, archives) is read by the bulk
reader on a Unix socket, on both clients, and gives back exactly the bytes sent: the
path that reads at curl's rate (tests/bench/bench_streams.py) is the one they all take.

The server is a real Unix-socket server playing a chunked answer (``stall_server``);
which reader a stream got is read from the httpx response it wraps."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import libpod_client.api
import pytest
from podman_sdk import AsyncPodmanClient, PodmanClient
from podman_sdk._transport.async_bulk_read import _AsyncBulkBody
from podman_sdk._transport.bulk_read import _BulkBody

from tests.unit.stall_server import RawScript, StallServer, body_bytes

BODY = body_bytes(200_000)
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n"
# The routes issue 29 names, which must be among those found.
NAMED = {
    "container_export_libpod",
    "image_get_libpod",
    "image_export_libpod",
    "container_archive_libpod",
    "volume_export_libpod",
}


def chunked(data: bytes, piece: int) -> bytes:
    framed = b"".join(
        b"%x\r\n%s\r\n" % (len(data[i : i + piece]), data[i : i + piece])
        for i in range(0, len(data), piece)
    )
    return framed + b"0\r\n\r\n"


def byte_stream_modules() -> dict[str, ModuleType]:
    """The generated operations whose stream() gives bytes and sends no body unless asked."""
    found = {}
    for info in pkgutil.walk_packages(libpod_client.api.__path__, "libpod_client.api."):
        module = importlib.import_module(info.name)
        stream = getattr(module, "stream", None)
        if stream is None or "Stream[bytes]" not in str(inspect.signature(stream)):
            continue
        required = required_arguments(stream)
        if "body" not in required:
            found[info.name.rsplit(".", 1)[1]] = module
    return found


def required_arguments(stream: Callable[..., Any]) -> list[str]:
    return [
        name
        for name, parameter in inspect.signature(stream).parameters.items()
        if parameter.default is inspect.Parameter.empty and name != "client"
    ]


def arguments(stream: Callable[..., Any]) -> tuple[list[str], dict[str, str]]:
    """Placeholder values for the required parameters (all strings: names, paths)."""
    positional, keywords = [], {}
    for name in required_arguments(stream):
        kind = inspect.signature(stream).parameters[name].kind
        if kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[name] = "/x"
        else:
            positional.append("x")
    return positional, keywords


MODULES = byte_stream_modules()


def test_the_named_exports_are_all_found() -> None:
    assert set(MODULES) >= NAMED


@pytest.mark.parametrize("piece", [32 * 1024, 1000])
@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_byte_stream_takes_the_bulk_reader(tmp_path: Path, name: str, piece: int) -> None:
    module = MODULES[name]
    positional, keywords = arguments(module.stream)
    socket_path = tmp_path / "s.sock"
    with (
        StallServer(socket_path, RawScript((HEAD, chunked(BODY, piece)))),
        PodmanClient(f"unix://{socket_path}", version="5.8.2") as client,  # has every route
        module.stream(*positional, client=client.api, **keywords) as chunks,
    ):
        received = b"".join(chunks)
        reader = chunks.response.stream
    assert received == BODY
    # httpx wraps the transport's stream (BoundSyncStream) around the reader it was given.
    assert isinstance(reader, httpx.SyncByteStream)
    assert isinstance(reader._stream, _BulkBody)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_an_async_byte_stream_takes_the_bulk_reader(tmp_path: Path, name: str) -> None:
    module = MODULES[name]
    positional, keywords = arguments(module.asyncio_stream)
    socket_path = tmp_path / "s.sock"

    async def read() -> tuple[bytes, object]:
        async with (
            AsyncPodmanClient(
                f"unix://{socket_path}", version="5.8.2"
            ) as client,  # has every route
            module.asyncio_stream(*positional, client=client.api, **keywords) as chunks,
        ):
            return b"".join([chunk async for chunk in chunks]), chunks.response.stream

    with StallServer(socket_path, RawScript((HEAD, chunked(BODY, 32 * 1024)))):
        received, reader = asyncio.run(read())
    assert received == BODY
    assert isinstance(reader._stream, _AsyncBulkBody)  # type: ignore[attr-defined]
