"""Cancelling a task in an AsyncPodmanClient call or stream, on a real Unix socket: the
server sees that exchange's connection closed, nothing is left by a cancelled save_to,
and the client goes on serving calls. The server is an asyncio one in the test's own
event loop, so every step is awaited, not timed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from podman_sdk import AsyncImage, AsyncPodmanClient, ImageNotFound, PodmanConnectionError

VERSION = {
    "Version": "5.4.2", "ApiVersion": "1.41", "GitCommit": "", "GoVersion": "go1.23.6",
    "Os": "linux", "Arch": "amd64", "Platform": {"Name": "linux/amd64"},
}  # fmt: skip
CHUNK = 64 * 1024
PULL_EVENT = b'{"stream": "Copying blob sha256:4276d823fb9c\\n"}\n'


class StallingPodman:
    """Answers _ping and version; never answers ``images/slow/json``; sends one chunk
    of an export of ``stall``, or one event of a pull, and then stalls; answers an
    export of ``missing`` with a streamed 404. Records each route asked and each
    connection the client closed."""

    def __init__(self) -> None:
        self.asked: dict[str, asyncio.Event] = {}
        self.hung_up = asyncio.Event()

    def asked_for(self, path: str) -> asyncio.Event:
        return self.asked.setdefault(path, asyncio.Event())

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                path = head.split(b" ", 2)[1].decode().partition("?")[0]
                self.asked_for(path).set()
                if not await self.answer(path, reader, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            self.hung_up.set()
        finally:
            writer.close()

    async def answer(
        self, path: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        if path == "/libpod/_ping":
            writer.write(_response(b"OK", b"Libpod-Api-Version: 5.4.2\r\n"))
        elif path == "/v5.4.2/libpod/version":
            writer.write(_response(json.dumps(VERSION).encode()))
        elif path.endswith("/missing/get"):
            body = json.dumps({"message": "no such image: missing"}).encode()
            writer.write(b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n")
            writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        elif path.endswith(("/stall/get", "/images/pull")):
            first = b"x" * CHUNK if path.endswith("/get") else PULL_EVENT
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            writer.write(b"%x\r\n%s\r\n" % (len(first), first))
            await writer.drain()
            await self.until_hung_up(reader)
            return False
        else:  # images/slow/json: no answer, ever
            await self.until_hung_up(reader)
            return False
        await writer.drain()
        return True

    async def until_hung_up(self, reader: asyncio.StreamReader) -> None:
        assert await reader.read() == b""
        self.hung_up.set()


def _response(body: bytes, headers: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s"
        % (headers, len(body), body)
    )


def run_against_server(
    tmp_path: Path, body: Callable[[AsyncPodmanClient, StallingPodman], Awaitable[None]]
) -> None:
    async def main() -> None:
        fake = StallingPodman()
        socket_path = tmp_path / "podman.sock"
        server = await asyncio.start_unix_server(fake.serve, path=str(socket_path))
        try:
            async with AsyncPodmanClient(f"unix://{socket_path}") as client:
                await asyncio.wait_for(body(client, fake), timeout=10)
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(main())


def attached_image(client: AsyncPodmanClient, name: str) -> AsyncImage:
    return client.images._wrap({"Id": name, "RepoTags": [], "Labels": {}})


async def cancelled(task: asyncio.Task[object]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def still_usable(client: AsyncPodmanClient, fake: StallingPodman) -> None:
    await fake.hung_up.wait()  # the interrupted exchange's connection is closed
    assert await client.version() == VERSION
    assert await client.ping() is True


def test_cancelling_a_call_closes_its_connection_and_the_client_goes_on(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        await client.negotiate()
        task = asyncio.create_task(client.images.get("slow"))
        await fake.asked_for("/v5.4.2/libpod/images/slow/json").wait()
        await cancelled(task)  # type: ignore[arg-type]
        await still_usable(client, fake)

    run_against_server(tmp_path, body)


def test_cancelling_a_task_reading_a_save_closes_the_stream(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        first = asyncio.Event()

        async def read() -> object:
            async with attached_image(client, "stall").save(chunk_size=None) as stream:
                async for _chunk in stream:
                    first.set()
            return None

        task = asyncio.create_task(read())
        await first.wait()
        await cancelled(task)
        await still_usable(client, fake)

    run_against_server(tmp_path, body)


def test_a_cancelled_save_to_leaves_nothing_at_or_beside_the_target(tmp_path: Path) -> None:
    target_dir = tmp_path / "out"
    target_dir.mkdir()

    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        written = asyncio.Event()
        image = attached_image(client, "stall")
        task = asyncio.create_task(
            image.save_to(target_dir / "image.tar", progress=lambda size, total: written.set())
        )
        await written.wait()
        assert len(list(target_dir.iterdir())) == 1  # the temporary file, being written
        await cancelled(task)  # type: ignore[arg-type]
        assert list(target_dir.iterdir()) == []
        await still_usable(client, fake)

    run_against_server(tmp_path, body)


def test_a_streamed_error_answer_on_a_socket_carries_the_servers_message(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        with pytest.raises(ImageNotFound, match="no such image: missing"):
            async for _chunk in attached_image(client, "missing").save():
                pass
        assert await client.version() == VERSION

    run_against_server(tmp_path, body)


def test_aclose_ends_a_stream_in_flight_with_a_connection_error(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        first = asyncio.Event()

        async def read() -> None:
            async for _chunk in attached_image(client, "stall").save(chunk_size=None):
                first.set()

        task = asyncio.create_task(read())
        await first.wait()
        await client.aclose()
        with pytest.raises(PodmanConnectionError):
            await asyncio.wait_for(task, timeout=2)  # promptly, not at the idle timeout
        await fake.hung_up.wait()

    run_against_server(tmp_path, body)


# -- progress streams (pull stands for push and build: one code path) ---------------------


def test_cancelling_a_task_reading_a_pull_stream_closes_its_connection(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        first = asyncio.Event()

        async def read() -> object:
            async with await client.images.pull_stream("r.example/app") as stream:
                async for _event in stream:
                    first.set()
            return None

        task = asyncio.create_task(read())
        await first.wait()
        await cancelled(task)
        await still_usable(client, fake)

    run_against_server(tmp_path, body)


def test_cancelling_a_task_awaiting_a_pull_closes_its_connection(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        first = asyncio.Event()
        pull = client.images.pull("r.example/app", progress=lambda event: first.set())
        task = asyncio.create_task(pull)
        await first.wait()  # the first event is in: the task waits inside the body
        await cancelled(task)  # type: ignore[arg-type]
        await still_usable(client, fake)

    run_against_server(tmp_path, body)


def test_aclose_ends_a_pull_stream_in_flight_with_a_connection_error(tmp_path: Path) -> None:
    async def body(client: AsyncPodmanClient, fake: StallingPodman) -> None:
        first = asyncio.Event()

        async def read() -> None:
            stream = await client.images.pull_stream("r.example/app", decode=True)
            async for _event in stream:
                first.set()

        task = asyncio.create_task(read())
        await first.wait()
        await client.aclose()
        with pytest.raises(PodmanConnectionError):
            await asyncio.wait_for(task, timeout=2)  # promptly, not at the idle timeout
        await fake.hung_up.wait()

    run_against_server(tmp_path, body)
