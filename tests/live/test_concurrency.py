"""One client shared by many threads, on every selected service.

Read-only mixes only: Podman 4.3.1 itself loses concurrent tag/untag updates on one
image (plain httpx, 8 threads: 100 clean results of 480), so concurrent tag changes
to one image say nothing about the SDK.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from libpod_client.api.images import image_list_libpod
from podman_sdk import PodmanClient

from tests.harness import ImageFactory, PodmanService
from tests.harness.faults import EVENT_WAIT, open_fds

pytestmark = pytest.mark.timeout(600)

THREADS = 8
CALLS = 200
SIMULTANEOUS = 50


TAG = "localhost/sdk-concurrency/image:1"


@pytest.fixture
def image(podman_service: PodmanService, image_factory: ImageFactory) -> str:
    """The id (hex) of a small image tagged TAG; removed after the test."""
    return image_factory(podman_service, TAG).removeprefix("sha256:")


def mixed_calls(client: PodmanClient, image_id: str) -> list[Callable[[], None]]:
    """Read-only calls, each checking its answer."""
    tag = TAG

    def get() -> None:
        assert client.images.get(tag).id.removeprefix("sha256:") == image_id

    def exists() -> None:
        assert client.images.exists(tag)

    def missing() -> None:
        assert not client.images.exists("localhost/sdk-concurrency/absent:1")

    def listing() -> None:
        assert any(i.id.removeprefix("sha256:") == image_id for i in client.images.list())

    def history() -> None:
        assert client.images.get(image_id).history()

    def reload() -> None:
        found = client.images.get(tag)
        found.reload()
        assert tag in found.tags

    def generated() -> None:
        answer = image_list_libpod.sync_detailed(client=client.api)
        assert answer.status_code == 200

    def ping() -> None:
        assert client.ping()

    return [get, exists, missing, listing, history, reload, generated, ping]


def test_threads_share_one_client(podman_service: PodmanService, image: str) -> None:
    before = open_fds()
    with PodmanClient(podman_service.url) as client:
        calls = mixed_calls(client, image)

        def worker(offset: int) -> int:
            for n in range(CALLS):
                calls[(offset + n) % len(calls)]()
            return CALLS

        with ThreadPoolExecutor(THREADS) as pool:
            done = list(pool.map(worker, range(THREADS)))
    assert done == [CALLS] * THREADS
    assert open_fds() == before


def test_simultaneous_gets(podman_service: PodmanService, image: str) -> None:
    before = open_fds()
    start = threading.Barrier(SIMULTANEOUS, timeout=EVENT_WAIT)
    with PodmanClient(podman_service.url) as client:
        client.negotiate()  # every thread then sends its get at once

        def get(_: int) -> str:
            start.wait()
            return client.images.get(image).id.removeprefix("sha256:")

        with ThreadPoolExecutor(SIMULTANEOUS) as pool:
            ids = list(pool.map(get, range(SIMULTANEOUS)))
    assert ids == [image] * SIMULTANEOUS
    assert open_fds() == before
