"""``close()`` from another thread (``aclose()`` from another task, for
`AsyncPodmanClient`) in the middle of save, save_to, load and build, on every selected
service (pull and push: ``test_faults_registry``).

The close comes on the first sign of data flowing (a progress callback, a first chunk
or build event), and the reading thread waits until close() has returned before it
reads on (the reading task, until its next await: `TaskClosing`): the close always
lands mid-stream, with tens of MiB (or several build steps) still to come. The unit tests (tests/unit/test_close.py) cover a thread blocked in a
read when the close comes, against servers that stall on demand.

Each test asserts the exception and its message, nothing left beside a target, no
descriptor leaked, and the time from close() to the exception.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

import pytest
from podman_sdk import AsyncPodmanClient, PodmanConnectionError

from tests.harness import PodmanService, remove_image
from tests.harness.archives import load_into, write_docker_archive
from tests.harness.both_clients import client_for, run_on_loop, sdk_object
from tests.harness.faults import (
    CLOSE_BOUND,
    EVENT_WAIT,
    CloseOn,
    leftovers,
    open_fds,
    record_timing,
)

pytestmark = pytest.mark.timeout(300)

TAG = "localhost/sdk-fault/close:1"
SIZE = 64 * 1024 * 1024
CLOSED = "the client was closed"


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("close-archive") / "big.tar"
    write_docker_archive(path, TAG, SIZE)
    return path


@pytest.fixture
def big_image(podman_service: PodmanService, big_archive: Path) -> Iterator[str]:
    load_into(podman_service, big_archive)
    yield TAG
    remove_image(podman_service, TAG)


class Closing:
    """A client of one flavour (tests/harness/both_clients.py) and what closes it mid-stream
    (`ThreadClosing`, `TaskClosing`): `close_now` starts the close, `progress` is a
    progress callback that calls it once, `finish` ends the scenario. With a ``delay``
    the close comes that many seconds after `close_now`, which returns at once: the
    reader reads on and waits in a read when it comes (a paused registry)."""

    def __init__(self, service: PodmanService, flavour: str, delay: float) -> None:
        self._opened = client_for(flavour, service.url, idle_timeout=300.0)
        self.client = self._opened.__enter__()
        self.started = False
        self.delay = delay

    def close_now(self) -> None:
        self.started = True
        self._close()

    def progress(self, done: int, total: int | None) -> None:
        if not self.started:
            self.close_now()

    def finish(self, what: str) -> float:
        """Wait for the close, close the client; seconds from the close to now (the
        exception came)."""
        raised_at = time.monotonic()
        closed_at = self._closed_at()
        self._opened.__exit__(None, None, None)
        seconds = raised_at - closed_at
        record_timing(what, seconds)
        return seconds

    def _close(self) -> None:
        raise NotImplementedError

    def _closed_at(self) -> float:
        raise NotImplementedError


class ThreadClosing(Closing):
    """A `PodmanClient`, closed by close() on a thread of its own; without a delay
    `close_now` returns once close() has returned."""

    def __init__(self, service: PodmanService, delay: float = 0.0) -> None:
        super().__init__(service, "sync", delay)
        self._trigger = threading.Event()
        self._closer = CloseOn(self.client, self._trigger, delay=delay)

    def _close(self) -> None:
        self._trigger.set()
        if not self.delay:
            assert self._closer.closed.wait(EVENT_WAIT)

    def _closed_at(self) -> float:
        self._closer.join()
        assert self._closer.closed_at is not None, "the close never came"
        return self._closer.closed_at


class TaskClosing(Closing):
    """An `AsyncPodmanClient`, closed by aclose() in a task of its own on the client's
    event loop. Between reads (a save stream's chunks) `close_now` runs that task and
    returns once aclose() has returned, as `ThreadClosing` does; called by the reading
    task itself or a worker thread of its (a progress callback), or with a delay, it
    only starts the task, which runs at the reader's next await: mid-stream all the
    same."""

    def __init__(self, service: PodmanService, delay: float = 0.0) -> None:
        super().__init__(service, "async", delay)
        self._loop = run_on_loop(self.client, running_loop())
        self._closer: concurrent.futures.Future[None] | asyncio.Future[None] | None = None
        self._aclosed_at: float | None = None

    async def _aclose(self) -> None:
        await asyncio.sleep(self.delay)
        self._aclosed_at = time.monotonic()
        await cast(AsyncPodmanClient, sdk_object(self.client)).aclose()

    async def _start_aclose(self) -> asyncio.Future[None]:
        return asyncio.ensure_future(self._aclose())

    def _close(self) -> None:
        if self._loop.is_running():
            self._closer = asyncio.run_coroutine_threadsafe(self._aclose(), self._loop)
        elif self.delay:
            self._closer = run_on_loop(self.client, self._start_aclose())
        else:
            run_on_loop(self.client, self._aclose())

    def _closed_at(self) -> float:
        if self._closer is not None:
            run_on_loop(self.client, asyncio.wrap_future(self._closer))
        assert self._aclosed_at is not None, "the close never came"
        return self._aclosed_at


async def running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


CLOSINGS: dict[str, Callable[[PodmanService, float], Closing]] = {
    "sync": ThreadClosing,
    "async": TaskClosing,
}


def closing_for(flavour: str, service: PodmanService, delay: float = 0.0) -> Closing:
    """A client of ``flavour`` on ``service`` and what closes it (see `Closing`)."""
    return CLOSINGS[flavour](service, delay)


def test_close_during_save_to(
    podman_service: PodmanService, big_image: str, tmp_path: Path, flavour: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = open_fds()
    closing = closing_for(flavour, podman_service)
    with pytest.raises(PodmanConnectionError, match=CLOSED):
        closing.client.images.get(big_image).save_to(out / "image.tar", progress=closing.progress)
    assert closing.finish(f"{podman_service.name} save_to close") < CLOSE_BOUND
    assert leftovers(out) == []
    assert open_fds() == before


def close_at_first(items: Iterable[object], closing: Closing) -> int:
    """Read ``items``, closing the client at the first; how many came."""
    count = 0
    for _ in items:
        count += 1
        if count == 1:
            closing.close_now()
    return count


def test_close_during_save(podman_service: PodmanService, big_image: str, flavour: str) -> None:
    before = open_fds()
    closing = closing_for(flavour, podman_service)
    stream = closing.client.images.get(big_image).save()
    with stream, pytest.raises(PodmanConnectionError, match=CLOSED):
        close_at_first(stream, closing)
    assert closing.finish(f"{podman_service.name} save close") < CLOSE_BOUND
    assert open_fds() == before


def test_close_during_load(podman_service: PodmanService, tmp_path: Path, flavour: str) -> None:
    archive = tmp_path / "load.tar"
    write_docker_archive(archive, "localhost/sdk-fault/load:1", SIZE)
    before = open_fds()
    closing = closing_for(flavour, podman_service)
    with pytest.raises(PodmanConnectionError, match=CLOSED):
        closing.client.images.load(file_path=archive, progress=closing.progress)
    assert closing.finish(f"{podman_service.name} load close") < CLOSE_BOUND
    assert open_fds() == before
    # Whatever the service made of the cut upload, it is not a loaded image.
    remove_image(podman_service, "localhost/sdk-fault/load:1")


def build_context(directory: Path, steps: int) -> Path:
    """A context whose Containerfile has ``steps`` COPY steps: each commits a layer,
    so the build's events keep coming for a while."""
    lines = ["FROM scratch"]
    for step in range(steps):
        (directory / f"file{step}.txt").write_text(f"step {step}\n")
        lines.append(f"COPY file{step}.txt /file{step}.txt")
    (directory / "Containerfile").write_text("\n".join(lines) + "\n")
    return directory


def test_close_during_build(podman_service: PodmanService, tmp_path: Path, flavour: str) -> None:
    context = build_context(tmp_path, steps=6)
    tag = "localhost/sdk-fault/build:1"
    before = open_fds()
    closing = closing_for(flavour, podman_service)
    stream = closing.client.images.build_stream(str(context), tag=tag)
    with stream, pytest.raises(PodmanConnectionError, match=CLOSED):
        close_at_first(stream, closing)
    assert closing.finish(f"{podman_service.name} build close") < CLOSE_BOUND
    assert open_fds() == before
    remove_image(podman_service, tag)
