"""The Podman service killed (SIGKILL) in the middle of each stream.

Podman 4 only: each test starts a service of its own (the harness's Podman 4 starts in
about a second; the chroot and build services are session-wide and slow to start), so
killing it breaks no other test. The kill lands on the first sign of data flowing (a
progress callback, a first chunk or event) and returns only once the process is gone,
with tens of MiB still to come: the rest of the stream meets a dead peer.

Each test asserts the exception class, that nothing is left beside a target, and that no
file descriptor leaked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from podman_sdk import PodmanClient, PodmanConnectionError, PodmanError, ProgressCallback

from tests.harness import push_image, remove_image
from tests.harness.archives import load_into, write_docker_archive
from tests.harness.both_clients import client_for
from tests.harness.faults import (
    at_first_blob,
    dedicated_service,
    kill,
    leftovers,
    open_fds,
    own_registry,
)
from tests.harness.podman_service import ServiceProcess

pytestmark = [pytest.mark.timeout(300), pytest.mark.podman4]

TAG = "localhost/sdk-fault/big:1"
SIZE = 64 * 1024 * 1024


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fault-archive") / "big.tar"
    write_docker_archive(path, TAG, SIZE)
    return path


@pytest.fixture
def doomed(
    podman4_service: object, harness_dir: Path, big_archive: Path
) -> Iterator[ServiceProcess]:
    """A Podman 4 service of this test's own holding the big image. (Asking for the
    session's podman4 service selects the test with PODMAN_SDK_SERVICES alone.)"""
    with dedicated_service("podman4", harness_dir) as proc:
        load_into(proc.service, big_archive)
        yield proc


def client_of(proc: ServiceProcess, flavour: str) -> AbstractContextManager[PodmanClient]:
    return client_for(flavour, proc.service.url, idle_timeout=60.0)


def progress_that_kills(proc: ServiceProcess) -> tuple[list[int], ProgressCallback]:
    """A ``progress=`` callback that kills the service at its first call, and the list
    it records how many bytes had gone by then in."""
    killed: list[int] = []

    def kill_once(done: int, total: int | None) -> None:
        if not killed:
            killed.append(done)
            kill(proc)

    return killed, kill_once


def test_service_killed_during_save_to(
    doomed: ServiceProcess, tmp_path: Path, flavour: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = open_fds()
    killed, kill_once = progress_that_kills(doomed)
    with client_of(doomed, flavour) as client, pytest.raises(PodmanConnectionError):
        client.images.get(TAG).save_to(out / "image.tar", progress=kill_once)
    assert killed
    assert killed[0] < SIZE
    assert leftovers(out) == []
    assert open_fds() == before


def test_service_killed_during_save(doomed: ServiceProcess, flavour: str) -> None:
    before = open_fds()
    received: list[int] = []

    def read_killing(chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            if not received:
                kill(doomed)
            received.append(len(chunk))

    with client_of(doomed, flavour) as client:
        stream = client.images.get(TAG).save()
        with stream, pytest.raises(PodmanConnectionError):
            read_killing(stream)
    assert 0 < sum(received) < SIZE
    assert open_fds() == before


def test_service_killed_during_load(doomed: ServiceProcess, tmp_path: Path, flavour: str) -> None:
    archive = tmp_path / "other.tar"
    write_docker_archive(archive, "localhost/sdk-fault/other:1", SIZE)
    before = open_fds()
    killed, kill_once = progress_that_kills(doomed)
    with client_of(doomed, flavour) as client, pytest.raises(PodmanConnectionError):
        client.images.load(file_path=archive, progress=kill_once)
    assert killed
    assert killed[0] < archive.stat().st_size
    assert open_fds() == before


@pytest.fixture
def registry_host(harness_dir: Path) -> Iterator[str]:
    """A registry of the test's own (the session's would keep what the test pushes,
    and a search there shows only so many repositories)."""
    with own_registry(harness_dir) as proc:
        yield proc.registry.host


def test_service_killed_during_pull(
    doomed: ServiceProcess, registry_host: str, flavour: str
) -> None:
    remote = f"{registry_host}/sdk-fault/pull"
    push_image(doomed.service, TAG, f"{remote}:1")
    remove_image(doomed.service, TAG)
    before = open_fds()
    with client_of(doomed, flavour) as client:
        stream = client.images.pull_stream(remote, "1", tls_verify=False, decode=True)
        with stream, pytest.raises(PodmanConnectionError):
            at_first_blob(stream, lambda: kill(doomed))
    assert doomed.process.poll() is not None, "the kill never came: no blob was copied"
    assert open_fds() == before


def test_service_killed_during_push(
    doomed: ServiceProcess, registry_host: str, flavour: str
) -> None:
    remote = f"{registry_host}/sdk-fault/push:1"
    before = open_fds()
    with client_of(doomed, flavour) as client:
        stream = client.images.push(
            TAG, destination=remote, tls_verify=False, stream=True, decode=True
        )
        with stream, pytest.raises(PodmanError) as info:
            at_first_blob(stream, lambda: kill(doomed))
    assert doomed.process.poll() is not None, "the kill never came: no blob was copied"
    assert isinstance(info.value, PodmanConnectionError)
    assert open_fds() == before
