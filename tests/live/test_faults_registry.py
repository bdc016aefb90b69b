"""The registry killed (SIGKILL) or paused (SIGSTOP) in the middle of a pull or push,
and ``close()`` from another thread during one, on every selected service.

Each test has a registry of its own, so pausing or killing it disturbs nothing else, and
reaches it through a forwarder that passes 16 MiB/s (Podman 6 pulls 64 MiB from a local
registry in 0.4 s, too fast to aim at): the fault lands at the first "Copying blob"
event, with most of a 64 MiB layer still to copy; for "pull-mid-layer" (Podman 6,
whose decoded pull stream carries each layer's progress) at the first ``pullProgress``
of a layer partly copied, about a second in. A
paused registry leaves the service waiting with nothing to send: only the client's idle
timeout or its close can end the call then (the case that kept a thread blocked for 40 s
after close() before the transport shut its sockets down).

Each test asserts the exception class and that no file descriptor leaked, and runs for
both clients (tests/harness/both_clients.py); the close comes each client's own way:
``close()`` from another thread, ``aclose()`` from another task.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from podman_sdk import (
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    PullError,
    PushError,
)

from tests.harness import PodmanService, ProgressError, both_clients, push_image, remove_image
from tests.harness.archives import load_into, write_docker_archive
from tests.harness.faults import (
    CLOSE_BOUND,
    at_first_blob,
    copying_blob,
    kill,
    mid_layer,
    open_fds,
    own_registry,
    pause,
    record_timing,
)
from tests.harness.registry import RegistryProcess
from tests.harness.throttle import ThrottledRegistry
from tests.live.test_faults_close import closing_for

pytestmark = pytest.mark.timeout(600)

TAG = "localhost/sdk-fault/big:1"
SIZE = 64 * 1024 * 1024
IDLE = 5.0
# 64 MiB in about four seconds each way.
RATE = 16 * 1024 * 1024


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fault-archive") / "big.tar"
    write_docker_archive(path, TAG, SIZE)
    return path


@dataclass
class Transfer:
    """A pull or push about to start against ``registry``."""

    kind: str
    registry: RegistryProcess
    start: Callable[[PodmanClient], Any]
    failure: type[PodmanError]
    fault_at: Callable[[Mapping[str, object]], bool] = copying_blob


@pytest.fixture(params=["pull", "pull-mid-layer", "push"])
def transfer(
    request: pytest.FixtureRequest,
    podman_service: PodmanService,
    harness_dir: Path,
    big_archive: Path,
) -> Iterator[Transfer]:
    """A registry of the test's own and a 64 MiB image to pull from it (pushed there,
    then removed from the service) or to push to it."""
    kind: str = request.param
    if kind == "pull-mid-layer" and int(podman_service.version.split(".")[0]) < 6:
        pytest.skip("per-layer pull progress (pullProgress) is libpod API 6.0 and later")
    load_into(podman_service, big_archive)
    with own_registry(harness_dir) as registry, throttled(registry) as host:
        if kind != "push":
            remote = f"{host}/sdk-fault/big"
            # Straight to the registry: the same repository, without the throttle.
            push_image(podman_service, TAG, f"{registry.registry.host}/sdk-fault/big:1")
            remove_image(podman_service, TAG)
            leftover = f"{remote}:1"

            def start(client: PodmanClient) -> Any:
                return client.images.pull_stream(remote, "1", tls_verify=False, decode=True)

            fault_at = mid_layer if kind == "pull-mid-layer" else copying_blob
            yield Transfer(kind, registry, start, PullError, fault_at)
        else:
            leftover = TAG
            destination = f"{host}/sdk-fault/pushed-{secrets.token_hex(3)}:1"

            def start(client: PodmanClient) -> Any:
                return client.images.push(
                    TAG, destination=destination, tls_verify=False, stream=True, decode=True
                )

            yield Transfer(kind, registry, start, PushError)
    # The registry is gone now, so the service's own attempt ends too.
    with contextlib.suppress(ProgressError):
        remove_image(podman_service, leftover)


@contextlib.contextmanager
def throttled(registry: RegistryProcess) -> Iterator[str]:
    """The host of a forwarder to ``registry`` at `RATE`: a transfer through it takes
    seconds, so a fault aimed at it lands while data flows."""
    forwarder = ThrottledRegistry(registry.registry.host, RATE, registry.directory)
    try:
        yield forwarder.host
    finally:
        forwarder.stop()


def client_of(
    flavour: str, service: PodmanService, idle: float = 300.0
) -> AbstractContextManager[PodmanClient]:
    """A client of ``flavour`` (an async one driven through SyncView)."""
    return both_clients.client_for(flavour, service.url, idle_timeout=idle)


def run(transfer: Transfer, client: PodmanClient, action: Callable[[], object]) -> None:
    """Start the transfer and read it to its end, calling ``action`` at its fault."""
    with transfer.start(client) as events:
        assert at_first_blob(events, action, transfer.fault_at) > 0


def test_registry_killed(podman_service: PodmanService, transfer: Transfer, flavour: str) -> None:
    before = open_fds()
    with client_of(flavour, podman_service) as client, pytest.raises(PodmanError) as info:
        run(transfer, client, lambda: kill(transfer.registry))
    assert transfer.registry.process.poll() is not None, "no blob event: the kill never came"
    assert isinstance(info.value, transfer.failure), repr(info.value)
    assert open_fds() == before


def test_registry_paused_past_the_idle_timeout(
    podman_service: PodmanService, transfer: Transfer, flavour: str
) -> None:
    before = open_fds()
    paused_at: list[float] = []

    def pause_now() -> None:
        pause(transfer.registry)
        paused_at.append(time.monotonic())

    with (
        client_of(flavour, podman_service, idle=IDLE) as client,
        pytest.raises(PodmanTimeoutError),
    ):
        run(transfer, client, pause_now)
    waited = time.monotonic() - paused_at[0]
    record_timing(f"{podman_service.name} {transfer.kind} paused, {flavour}: idle timeout", waited)
    assert waited < IDLE + 30.0
    assert open_fds() == before


@pytest.mark.parametrize("paused", [True, False], ids=["registry-paused", "data-flowing"])
def test_close_from_another_thread_or_task(
    podman_service: PodmanService, transfer: Transfer, paused: bool, flavour: str
) -> None:
    """``close()`` from another thread, ``aclose()`` from another task (tests/live/
    test_faults_close.py's `Closing`): with the registry paused the reader waits in a
    read when it comes (a second later), with data flowing it lands while the stream
    runs. The reader gets PodmanConnectionError promptly either way."""
    before = open_fds()
    closing = closing_for(flavour, podman_service, delay=1.0 if paused else 0.0)

    def fault() -> None:
        if paused:
            pause(transfer.registry)
        closing.close_now()

    with pytest.raises(PodmanConnectionError, match="the client was closed"):
        run(transfer, closing.client, fault)
    state = "registry paused" if paused else "data flowing"
    seconds = closing.finish(f"{podman_service.name} {transfer.kind} close, {state}, {flavour}")
    assert seconds < CLOSE_BOUND
    assert open_fds() == before
