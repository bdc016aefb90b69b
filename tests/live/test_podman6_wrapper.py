"""The ``podman6`` wrapper behaves like ``podman``: state follows the roots it is given.

Services on the wrapper's own config files (issue #19), as a person would start them:
two with different ``--root`` / ``--runroot`` / ``--tmpdir``, one after the other and
then both at once, each with its own image, volume and container. Nothing new may be
left where a rootful Podman or the wrapper keeps state by default.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.harness import (
    LIBPOD,
    RUNNABLE_SETTINGS,
    PodmanService,
    build_busybox_image,
    demux_logs,
    image_exists,
    uds_client,
)
from tests.harness.mounts import remove_tree
from tests.harness.podman6_build import start_podman6_own_config
from tests.harness.podman_service import ServiceProcess

pytestmark = pytest.mark.podman6

LABELS = ("a", "b")
# Where state would land if it did not follow the roots: the wrapper's defaults
# (/var/lib/podman-sdk, /run/podman-sdk), rootful Podman's (/var/lib/containers,
# /run/libpod, /run/containers, /dev/shm/libpod_lock, /etc/containers/networks), crun's
# and temporary files without TMPDIR (/var/tmp). The build's own directory is added.
WATCHED = (
    Path("/var/lib/podman-sdk"),
    Path("/var/lib/containers"),
    Path("/var/lib/cni"),
    Path("/run"),
    Path("/etc/containers"),
    Path("/etc/cni"),
    Path("/dev/shm"),
    Path("/var/tmp"),
)
# What every rootful Podman on the machine shares, whatever its roots, podman itself
# included: containers/image's blob info cache for root (no setting moves it), crun's
# state root (podman passes none; a container's entry goes with the container) and
# netavark's state for the host's one network namespace.
MACHINE_WIDE = (
    "/var/lib/containers/cache",
    "/run/crun",
    "/run/containers/networks",
    "/run/lock/netavark.lock",
)


def tree(tops: list[Path]) -> set[str]:
    """Every path at or below ``tops`` (symbolic links not followed)."""
    found: set[str] = set()
    for top in tops:
        if not top.exists():
            continue
        found.add(str(top))
        for dirpath, dirnames, filenames in os.walk(top):
            found.update(os.path.join(dirpath, name) for name in [*dirnames, *filenames])
    return found


def machine_wide(path: str) -> bool:
    return any(
        path == shared or path.startswith(shared + "/") or shared.startswith(path + "/")
        for shared in MACHINE_WIDE
    )


class Wrapper:
    """Services on the wrapper's own config, each with its roots in ``base/<label>``."""

    def __init__(self, wrapper: Path, base: Path) -> None:
        self.wrapper = wrapper
        self.base = base
        self.home = base / "home"
        self.home.mkdir(parents=True)
        self.running: list[ServiceProcess] = []

    def state(self, label: str) -> Path:
        return self.base / label

    def start(self, label: str) -> ServiceProcess:
        proc = start_podman6_own_config(self.wrapper, self.state(label), self.home)
        self.running.append(proc)
        return proc

    def start_together(self, labels: tuple[str, ...]) -> list[ServiceProcess]:
        with ThreadPoolExecutor(len(labels)) as pool:
            futures: list[Future[ServiceProcess]] = [
                pool.submit(self.start, label) for label in labels
            ]
        return [future.result() for future in futures]

    def stop_all(self) -> None:
        for proc in self.running:
            proc.stop()
        self.running.clear()


@pytest.fixture
def wrapper_services(podman6_wrapper: Path, harness_dir: Path) -> Iterator[Wrapper]:
    services = Wrapper(podman6_wrapper, harness_dir / "podman6-wrapper")
    try:
        yield services
    finally:
        services.stop_all()
        remove_tree(services.base)  # unmounts whatever the services left first


def tag(label: str) -> str:
    return f"localhost/wrapper/busybox-{label}:v1"


def check_roots(proc: ServiceProcess) -> None:
    """The service stores where its roots say, and reads the wrapper's own config."""
    with uds_client(proc.socket_path) as client:
        assert client.get("/_ping").text == "OK"
        info = client.get(f"{LIBPOD}/info").json()
    assert info["store"]["graphRoot"] == str(proc.state / "root")
    assert info["store"]["runRoot"] == str(proc.state / "runroot")
    # etc/containers.conf's choice (Podman's default is the journal).
    assert info["host"]["eventLogger"] == "file"


def create_volume(service: PodmanService, name: str) -> str:
    with uds_client(service.socket_path) as client:
        response = client.post(f"{LIBPOD}/volumes/create", json={"Name": name})
    assert response.status_code == 201, response.text
    mountpoint: str = response.json()["Mountpoint"]
    return mountpoint


def names(service: PodmanService, what: str) -> set[str]:
    with uds_client(service.socket_path) as client:
        response = client.get(f"{LIBPOD}/{what}/json")
    assert response.status_code == 200, response.text
    values: list[dict[str, Any]] = response.json() or []
    if what == "images":
        return {name for value in values for name in value.get("Names") or []}
    return {value["Name"] for value in values}


def run_container(service: PodmanService, label: str) -> str:
    """Create, start, wait, read and remove a busybox container; return its id."""
    body = {
        "name": f"wrapper-{label}",
        "image": tag(label),
        "command": ["/bin/busybox", "echo", f"hello {label}"],
        **RUNNABLE_SETTINGS,
    }
    with uds_client(service.socket_path) as client:
        created = client.post(f"{LIBPOD}/containers/create", json=body)
        assert created.status_code == 201, created.text
        cid: str = created.json()["Id"]
        started = client.post(f"{LIBPOD}/containers/{cid}/start")
        assert started.status_code == 204, started.text
        waited = client.post(f"{LIBPOD}/containers/{cid}/wait", params={"condition": "exited"})
        assert waited.json() == 0, waited.text
        logs = client.get(f"{LIBPOD}/containers/{cid}/logs", params={"stdout": "true"})
        assert demux_logs(logs.content) == [(1, f"hello {label}\n".encode())]
        removed = client.delete(f"{LIBPOD}/containers/{cid}")
        assert removed.status_code == 200, removed.text
    return cid


def test_two_roots_one_after_the_other_and_at_once_leave_nothing_outside(
    wrapper_services: Wrapper,
) -> None:
    build_dir = wrapper_services.wrapper.parent.parent
    watched = [*WATCHED, build_dir]
    before = tree(watched)

    # One after the other: the second root used to fail ("database graph root ... does
    # not match our graph root") while the first root's database sat outside it.
    for label in LABELS:
        proc = wrapper_services.start(label)
        check_roots(proc)
        build_busybox_image(proc.service, tag(label))
        mountpoint = create_volume(proc.service, f"volume-{label}")
        assert mountpoint == f"{proc.state}/root/volumes/volume-{label}/_data"
        wrapper_services.stop_all()

    # Both at once, on the roots the first round left.
    procs = wrapper_services.start_together(LABELS)
    for proc, label in zip(procs, LABELS, strict=True):
        check_roots(proc)
        other = next(other for other in LABELS if other != label)
        assert names(proc.service, "images") == {tag(label)}
        assert not image_exists(proc.service, tag(other))
        assert names(proc.service, "volumes") == {f"volume-{label}"}
    with ThreadPoolExecutor(len(procs)) as pool:
        ids = list(pool.map(run_container, [proc.service for proc in procs], LABELS))
    wrapper_services.stop_all()

    for label in LABELS:
        state = wrapper_services.state(label)
        # Podman's state, in the roots: database and volumes in the graph root, alive
        # file, locks and events in the tmp dir.
        for path in ("root/db.sql", "root/volumes", "tmp/alive", "tmp/locks"):
            assert (state / path).exists(), path
        assert f"wrapper-{label}" in (state / "tmp/events/events.log").read_text()
    assert not list(wrapper_services.home.iterdir())

    given = str(wrapper_services.base) + "/"
    left = [
        path
        for path in tree(watched) - before
        if not path.startswith(given)
        and (not machine_wide(path) or any(cid in path for cid in ids))
    ]
    assert lasting(left) == []


def lasting(paths: list[str], grace: float = 30.0) -> list[str]:
    """The ``paths`` that still exist after ``grace`` seconds.

    Other services on the machine (other test sessions' Podman 4 among them) put
    temporary files into /var/tmp while they copy images; what this test's services
    left stays.
    """
    deadline = time.monotonic() + grace
    while True:
        paths = sorted(path for path in paths if os.path.lexists(path))
        if not paths or time.monotonic() > deadline:
            return paths
        time.sleep(0.5)
