"""Container verbs on a mock transport: what a real service cannot be made to do on
demand (an output read that breaks midway), and the checks made before any request.
Everything else is tested live (tests/live/test_containers.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from podman_sdk import (
    AsyncPodmanClient,
    ContainerError,
    InvalidArgument,
    PodmanClient,
    PodmanConnectionError,
)

INSPECT = {"Id": "c0ffee", "Name": "/job", "State": {"Status": "exited"}, "Config": {}}
HEADER_OUT = b"\x01\x00\x00\x00\x00\x00\x00\x04"


class Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A log body that breaks after its first frame header."""

    def __iter__(self) -> Iterator[bytes]:
        yield HEADER_OUT + b"part"
        raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield HEADER_OUT + b"part"
        raise httpx.ReadError("connection reset")


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A streamed body (what a log answer is), for both clients."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data


class FakeService:
    """Answers create/inspect/start/wait/logs/delete, and records what was sent."""

    def __init__(self, exit_code: int = 0, logs: httpx.SyncByteStream | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.exit_code = exit_code
        self.logs = logs

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.sent.append((request.method, path))
        if path.endswith("/containers/create"):
            return httpx.Response(201, json={"Id": "c0ffee", "Warnings": []})
        if path.endswith("/json"):
            return httpx.Response(200, json=INSPECT)
        if path.endswith(("/start", "/kill")):
            return httpx.Response(204)
        if path.endswith("/wait"):
            return httpx.Response(200, content=json.dumps(self.exit_code).encode())
        if path.endswith("/logs"):
            if self.logs is not None:
                return httpx.Response(200, stream=self.logs)
            return httpx.Response(200, stream=Body(b"\x02\x00\x00\x00\x00\x00\x00\x05oops\n"))
        if request.method == "DELETE":
            assert request.url.params["force"] == "true"
            return httpx.Response(200, json=[{"Id": "c0ffee"}])
        return httpx.Response(404, json={"message": f"no route {path}"})

    @property
    def removed(self) -> bool:
        return ("DELETE", "/v5.4.2/libpod/containers/c0ffee") in self.sent


async def _async_handler(service: FakeService, request: httpx.Request) -> httpx.Response:
    return service(request)


def test_run_remove_removes_when_reading_the_output_fails() -> None:
    service = FakeService(logs=Broken())
    with (
        PodmanClient(transport=httpx.MockTransport(service), version="5.4.2") as client,
        pytest.raises(PodmanConnectionError, match="reset"),
    ):
        client.containers.run("busybox", ["echo"], remove=True)
    assert service.removed


def test_async_run_remove_removes_when_reading_the_output_fails() -> None:
    service = FakeService(logs=Broken())

    async def main() -> None:
        transport = httpx.MockTransport(lambda request: _async_handler(service, request))
        async with AsyncPodmanClient(transport=transport, version="5.4.2") as client:
            with pytest.raises(PodmanConnectionError, match="reset"):
                await client.containers.run("busybox", ["echo"], remove=True)

    asyncio.run(main())
    assert service.removed


def test_without_remove_the_container_stays() -> None:
    service = FakeService(logs=Broken())
    with (
        PodmanClient(transport=httpx.MockTransport(service), version="5.4.2") as client,
        pytest.raises(PodmanConnectionError),
    ):
        client.containers.run("busybox", ["echo"])
    assert not service.removed


def test_a_failed_removal_does_not_hide_the_error_that_ended_the_run() -> None:
    service = FakeService(exit_code=2)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(500, json={"message": "storage busy"})
        return service(request)

    with (
        PodmanClient(transport=httpx.MockTransport(handler), version="5.4.2") as client,
        pytest.raises(ContainerError) as raised,
    ):
        client.containers.run("busybox", ["false"], remove=True)
    assert raised.value.exit_status == 2
    assert any("storage busy" in note for note in raised.value.__notes__)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.containers.run("busybox", ["x"], colour=1), "colour"),
        (lambda c: c.containers.create("busybox", network_mode="bridge"), "network_mode"),
        (lambda c: c.containers.list(limit="3"), "limit"),
        (lambda c: c.containers.remove("x", link=True), "link"),
        (lambda c: c.containers.run("busybox", policy="sometimes"), "policy"),
    ],
)
def test_bad_arguments_raise_before_any_request(call: object, message: str) -> None:
    def no_request(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"sent {request.method} {request.url}")

    with (
        PodmanClient(transport=httpx.MockTransport(no_request), version="5.4.2") as client,
        pytest.raises(InvalidArgument, match=message),
    ):
        call(client)  # type: ignore[operator]


def test_container_verbs_check_their_arguments_first() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json=INSPECT)

    with PodmanClient(transport=httpx.MockTransport(handler), version="5.4.2") as client:
        container = client.containers.get("job")
        before = len(sent)
        for bad in (
            lambda: container.wait(condition="finished"),
            lambda: container.logs(stdout=False, stderr=False),
            lambda: container.logs(since="yesterday"),  # type: ignore[call-overload]
            lambda: container.rename(""),
            lambda: container.kill(signal=1.5),  # type: ignore[arg-type]
            lambda: container.commit(conf={"a": 1}),
            lambda: container.update(colour=1),  # type: ignore[call-arg]
            lambda: container.exec_run([]),
            lambda: container.export(chunk_size=0),
        ):
            with pytest.raises(InvalidArgument):
                bad()
        assert len(sent) == before
