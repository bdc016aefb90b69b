"""One client shared by many workers, on every selected service: threads on a
`PodmanClient`, asyncio tasks on an `AsyncPodmanClient`, running the same calls.

Read-only mixes only: Podman 4.3.1 itself loses concurrent tag/untag updates on one
image (plain httpx, 8 threads: 100 clean results of 480), so concurrent tag changes
to one image say nothing about the SDK.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

import pytest
from libpod_client.api.images import image_list_libpod
from podman_sdk import AsyncPodmanClient, PodmanClient

from tests.harness import ImageFactory, PodmanService
from tests.harness.both_clients import client_for, run_on_loop, sdk_object
from tests.harness.faults import EVENT_WAIT, open_fds

pytestmark = pytest.mark.timeout(600)

THREADS = 8
CALLS = 200
SIMULTANEOUS = 50


TAG = "localhost/sdk-concurrency/image:1"
T = TypeVar("T")
Worker = Coroutine[Any, Any, T]


@pytest.fixture
def image(podman_service: PodmanService, image_factory: ImageFactory) -> str:
    """The id (hex) of a small image tagged TAG; removed after the test."""
    return image_factory(podman_service, TAG).removeprefix("sha256:")


async def result(value: T | Awaitable[T]) -> T:
    """A call's result: awaited on an async client, as it came on a sync one. The calls
    are coroutines for both, so one body serves threads and tasks."""
    return await value if inspect.isawaitable(value) else value


def shared(view: PodmanClient) -> PodmanClient | AsyncPodmanClient:
    """The SDK's own client behind the tests' view of it."""
    return cast("PodmanClient | AsyncPodmanClient", sdk_object(view))


def run_together(view: PodmanClient, workers: list[Worker[T]]) -> list[T]:
    """Run ``workers`` at once: each on a thread of its own for a sync client (all
    released together), as tasks on the client's event loop for an async one."""
    if isinstance(shared(view), PodmanClient):
        start = threading.Barrier(len(workers), timeout=EVENT_WAIT)

        def run(worker: Worker[T]) -> T:
            start.wait()
            return asyncio.run(worker)

        with ThreadPoolExecutor(len(workers)) as pool:
            return list(pool.map(run, workers))

    async def gathered() -> list[T]:
        return list(await asyncio.gather(*workers))

    return run_on_loop(view, gathered())


def mixed_calls(
    client: PodmanClient | AsyncPodmanClient, image_id: str
) -> list[Callable[[], Awaitable[None]]]:
    """Read-only calls, each checking its answer."""
    tag = TAG

    async def get() -> None:
        assert (await result(client.images.get(tag))).id.removeprefix("sha256:") == image_id

    async def exists() -> None:
        assert await result(client.images.exists(tag))

    async def missing() -> None:
        assert not await result(client.images.exists("localhost/sdk-concurrency/absent:1"))

    async def listing() -> None:
        images = await result(client.images.list())
        assert any(i.id.removeprefix("sha256:") == image_id for i in images)

    async def history() -> None:
        assert await result((await result(client.images.get(image_id))).history())

    async def reload() -> None:
        found = await result(client.images.get(tag))
        await result(found.reload())
        assert tag in found.tags

    async def generated() -> None:
        if isinstance(client, AsyncPodmanClient):
            answer = await image_list_libpod.asyncio_detailed(client=client.api)
        else:
            answer = image_list_libpod.sync_detailed(client=client.api)
        assert answer.status_code == 200

    async def ping() -> None:
        assert await result(client.ping())

    return [get, exists, missing, listing, history, reload, generated, ping]


def test_workers_share_one_client(podman_service: PodmanService, image: str, flavour: str) -> None:
    before = open_fds()
    with client_for(flavour, podman_service.url) as view:
        calls = mixed_calls(shared(view), image)

        async def worker(offset: int) -> int:
            for n in range(CALLS):
                await calls[(offset + n) % len(calls)]()
            return CALLS

        done = run_together(view, [worker(offset) for offset in range(THREADS)])
    assert done == [CALLS] * THREADS
    assert open_fds() == before


def test_simultaneous_gets(podman_service: PodmanService, image: str, flavour: str) -> None:
    before = open_fds()
    with client_for(flavour, podman_service.url) as view:
        view.negotiate()  # every worker then sends its get at once
        client = shared(view)

        async def get() -> str:
            return (await result(client.images.get(image))).id.removeprefix("sha256:")

        ids = run_together(view, [get() for _ in range(SIMULTANEOUS)])
    assert ids == [image] * SIMULTANEOUS
    assert open_fds() == before
