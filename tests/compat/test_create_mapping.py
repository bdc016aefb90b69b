"""Where podman-py 5.8.0's create() body is wrong, on the same service: each keyword
podman-py refuses or drops reaches the container with podman_sdk, on every Podman major.

It lives with the podman-py comparisons, not in tests/live, because it needs podman-py,
which the test matrix's cells do not install (it is a reference, not a dependency).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from libpod_client.api.containers import container_delete_libpod
from podman import PodmanClient as PodmanPyClient
from podman.errors import APIError as PodmanPyAPIError
from podman_sdk import PodmanClient

from tests.harness import PodmanService, busybox_image
from tests.live.test_create_options import SECOND, created

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "create-mapping") as tag:
        yield tag


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as opened:
        yield opened


@pytest.fixture
def name(client: PodmanClient) -> Iterator[str]:
    made = f"create-mapping-{uuid.uuid4().hex[:8]}"
    yield made
    container_delete_libpod.sync(made, client=client.api, force=True, ignore=True)


Inspected = dict[str, Any]


def _stop_signal(data: Inspected) -> bool:
    return data["Config"]["StopSignal"] in (2, "SIGINT", "2")


def _flag_label(data: Inspected) -> bool:
    return bool(data["Config"]["Labels"].get("flag") == "")


def _entrypoint(data: Inspected) -> bool:
    return data["Config"]["Entrypoint"] in (["/bin/busybox", "true"], "/bin/busybox true")


def _health_cmd(data: Inspected) -> bool:
    check = data["Config"].get("Healthcheck") or {}
    return check.get("Test") == ["CMD-SHELL", "/bin/busybox true"]


def _start_period(data: Inspected) -> bool:
    return (data["Config"].get("Healthcheck") or {}).get("StartPeriod") == 3 * SECOND


def _tmpfs(data: Inspected) -> bool:
    return "/scratch" in (data["HostConfig"].get("Tmpfs") or {})


def _nano_cpus(data: Inspected) -> bool:
    host = data["HostConfig"]
    return (host["CpuPeriod"], host["CpuQuota"]) == (100_000, 50_000)


# keyword -> (its value, what podman-py gets: "refused" or "dropped", ours reached it)
PODMAN_PY_WRONG: dict[str, tuple[object, str, Callable[[Inspected], bool]]] = {
    # The server's StopSignal is a number: a name fails to decode (HTTP 500).
    "stop_signal": ("SIGINT", "refused", _stop_signal),
    # Labels is a map: the list fails to decode.
    "labels": (["flag"], "refused", _flag_label),
    # Entrypoint is a list of words: a string fails to decode.
    "entrypoint": ("/bin/busybox true", "refused", _entrypoint),
    # The server has no health_cmd field: podman-py's is ignored, no health check is set.
    "health_cmd": ("/bin/busybox true", "dropped", _health_cmd),
    # The server reads StartPeriod; podman-py passes start_period on, which it ignores.
    "healthcheck": (
        {"test": ["CMD", "/bin/busybox", "true"], "start_period": 3 * SECOND},
        "dropped",
        _start_period,
    ),
    # podman-py refuses tmpfs= before sending; the server mounts it as a tmpfs mount.
    "tmpfs": ({"/scratch": "size=1m"}, "refused", _tmpfs),
    # podman-py deletes nano_cpus without a word.
    "nano_cpus": (500_000_000, "dropped", _nano_cpus),
}


@pytest.fixture
def podman_py(podman_service: PodmanService) -> Iterator[PodmanPyClient]:
    with PodmanPyClient(base_url=f"unix://{podman_service.socket_path}") as opened:
        yield opened


@pytest.mark.parametrize("keyword", sorted(PODMAN_PY_WRONG))
def test_where_podman_py_misses_the_server_s_field_the_keyword_reaches_it(
    keyword: str,
    client: PodmanClient,
    podman_py: PodmanPyClient,
    busybox: str,
    name: str,
) -> None:
    value, podman_py_gets, reached = PODMAN_PY_WRONG[keyword]
    settings: dict[str, object] = {"cgroups_mode": "disabled", "network_mode": "none"}
    theirs = f"{name}-podman-py"
    try:
        try:
            made = podman_py.containers.create(
                busybox, ["/bin/busybox", "true"], name=theirs, **settings, **{keyword: value}
            )
        except (PodmanPyAPIError, TypeError, ValueError):
            assert podman_py_gets == "refused"
        else:
            assert podman_py_gets == "dropped"
            assert not reached(made.inspect())
    finally:
        container_delete_libpod.sync(theirs, client=client.api, force=True, ignore=True)

    ours = created(client, busybox, {"name": name, **settings, keyword: value})
    assert reached(ours), ours
