"""What issue #27's typed programs hit live, on every service: the stats of all
containers typed as the handler writes them (sync and stream()), an error the server
writes inside a 200 raised with its message, a long server-side wait outliving the
client's call timeout, a per-call timeout, and the volume label key of each release."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from libpod_client.api.containers import (
    container_create_libpod,
    container_delete_libpod,
    container_start_libpod,
    container_wait_libpod,
    containers_stats_all_libpod,
)
from libpod_client.api.system import system_events_libpod
from libpod_client.api.volumes import (
    volume_create_libpod,
    volume_delete_libpod,
    volume_inspect_libpod,
)
from libpod_client.models import (
    ContainerStatsReport,
    ContainerStatsReportErrorType0,
    SpecGenerator,
    VolumeCreateOptions,
)
from podman_sdk import APIError, AsyncPodmanClient, PodmanClient, PodmanTimeoutError

from tests.harness import RUNNABLE_SETTINGS, PodmanService, busybox_image

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "typed") as tag:
        yield tag


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as opened:
        yield opened


def started(client: PodmanClient, image: str, script: str) -> str:
    """A started container running ``script``; its id."""
    body = SpecGenerator.from_dict(
        {
            "name": f"typed-{uuid.uuid4().hex[:8]}",
            "image": image,
            "command": ["/bin/busybox", "sh", "-c", script],
            "stop_signal": 9,
            **RUNNABLE_SETTINGS,
        }
    )
    created = container_create_libpod.sync(client=client.api, body=body)
    container_start_libpod.sync(created.id, client=client.api)
    return created.id


@pytest.fixture
def sleeper(client: PodmanClient, busybox: str) -> Iterator[str]:
    container = started(client, busybox, "sleep 300")
    yield container
    container_delete_libpod.sync(container, client=client.api, force=True)


# -- item 2: the stats of all containers --------------------------------------------------


def test_stats_all_sync_and_stream(client: PodmanClient, sleeper: str) -> None:
    """Podman writes ContainerStatsReport lines ({"Error", "Stats"}); the spec said
    ContainerStats, so every call was a malformed answer."""
    reports = containers_stats_all_libpod.sync(client=client.api, stream=False)
    assert len(reports) == 1
    assert isinstance(reports[0], ContainerStatsReport)
    # A container without cgroups (this host's) has no figures to read: the report then
    # carries an error, written by encoding/json as {} (the message is not sent).
    report = reports[0]
    if report.error is None:
        assert isinstance(report.stats, list)
        assert all(isinstance(stats.container_id, str) for stats in report.stats)
    else:
        assert isinstance(report.error, ContainerStatsReportErrorType0)
        assert report.error.additional_properties == {}
    with containers_stats_all_libpod.stream(
        client=client.api, stream=True, interval=1, idle_timeout=30
    ) as items:
        streamed = list(itertools.islice(items, 2))
    assert [type(item) for item in streamed][:1] == [ContainerStatsReport]
    if len(streamed) == 1:  # Podman ends the stream after a report with an error
        assert streamed[0].error is not None


def test_stats_all_asyncio(podman_service: PodmanService, sleeper: str) -> None:
    async def main() -> list[ContainerStatsReport]:
        async with AsyncPodmanClient(podman_service.url) as client:
            first = await containers_stats_all_libpod.asyncio(client=client.api, stream=False)
            async with containers_stats_all_libpod.asyncio_stream(
                client=client.api, interval=1, idle_timeout=30
            ) as items:
                async for item in items:
                    return [*first, item]
        return first

    assert [type(report) for report in asyncio.run(main())] == [ContainerStatsReport] * 2


# -- item 3: an error inside a 2xx --------------------------------------------------------


BAD_FILTERS = {"frobnicate": ["x"]}


def test_a_bad_event_filter_raises_the_servers_message(
    client: PodmanClient, podman_service: PodmanService
) -> None:
    """Podman 4 answers 200 and then writes libpod's error body; later ones answer an
    error status. Either way the server's message is raised, not a malformed answer."""
    with pytest.raises(APIError) as raised:
        system_events_libpod.sync(client=client.api, filters=BAD_FILTERS, stream=False)
    assert "filter" in raised.value.message
    assert "malformed" not in str(raised.value)
    if podman_service.name == "podman4":
        assert raised.value.status_code == 200


def test_a_bad_event_filter_raises_on_stream(client: PodmanClient) -> None:
    with (
        pytest.raises(Exception, match="filter") as raised,
        system_events_libpod.stream(client=client.api, filters=BAD_FILTERS, stream=False) as items,
    ):
        list(items)
    assert "malformed" not in str(raised.value)


def test_a_bad_since_raises_the_servers_message(client: PodmanClient) -> None:
    with pytest.raises(APIError) as raised:
        system_events_libpod.sync(client=client.api, since="not-a-time", stream=False)
    assert "malformed" not in str(raised.value)
    assert raised.value.message


# -- item 5: long waits and per-call timeouts ------------------------------------------


def test_a_wait_outlives_the_clients_call_timeout(
    podman_service: PodmanService, busybox: str
) -> None:
    with PodmanClient(podman_service.url, timeout=2) as client:
        container = started(client, busybox, "sleep 4; exit 3")
        try:
            begun = time.monotonic()
            code = container_wait_libpod.sync(container, client=client.api)
            assert code == 3
            assert time.monotonic() - begun > 2
        finally:
            container_delete_libpod.sync(container, client=client.api, force=True)


def test_a_call_timeout_cuts_a_wait(client: PodmanClient, sleeper: str) -> None:
    begun = time.monotonic()
    with pytest.raises(PodmanTimeoutError):
        container_wait_libpod.sync(sleeper, client=client.api, call_timeout=1)
    assert time.monotonic() - begun < 10


# -- item 6: the volume label key --------------------------------------------------------


@pytest.mark.parametrize("key", ["Label", "Labels"])
def test_volume_labels_under_either_key(client: PodmanClient, key: str) -> None:
    """Every pinned release (4.3.1 to 6.0.0-rc1, pkg/api/handlers/libpod/volumes.go
    CreateVolume) reads both ``Label`` (for compatibility) and ``Labels`` (preferred,
    wins on a clash): either key alone labels the volume on every major."""
    name = f"typed-{uuid.uuid4().hex[:8]}"
    body = VolumeCreateOptions.from_dict({"Name": name, key: {"team": "a"}})
    volume_create_libpod.sync(client=client.api, body=body)
    try:
        inspected = volume_inspect_libpod.sync(name, client=client.api)
        assert inspected.labels is not None
        assert inspected.labels == {"team": "a"}
    finally:
        volume_delete_libpod.sync(name, client=client.api)


def test_volume_labels_wins_over_label(client: PodmanClient) -> None:
    name = f"typed-{uuid.uuid4().hex[:8]}"
    body = VolumeCreateOptions.from_dict(
        {"Name": name, "Label": {"team": "old", "a": "1"}, "Labels": {"team": "new"}}
    )
    volume_create_libpod.sync(client=client.api, body=body)
    try:
        inspected = volume_inspect_libpod.sync(name, client=client.api)
        assert inspected.labels is not None
        assert inspected.labels == {"team": "new", "a": "1"}
    finally:
        volume_delete_libpod.sync(name, client=client.api)


# The two programs of docs/api-notes.md, run as written (URL set) and type-checked.
API_NOTES = "api-notes.md"


@pytest.mark.parametrize("index", [0, 1])
def test_api_notes_programs_type_check(index: int, tmp_path: Path) -> None:
    from tests.harness.docs import python_block  # noqa: PLC0415
    from tests.live.test_readme_api import type_check  # noqa: PLC0415

    type_check(python_block(API_NOTES, index), tmp_path / f"api_notes_{index}.py")


def test_api_notes_programs_run(podman_service: PodmanService, tmp_path: Path) -> None:
    from tests.harness.docs import python_block  # noqa: PLC0415
    from tests.live.test_readme_api import run_program, with_settings  # noqa: PLC0415

    stats = run_program(with_settings(python_block(API_NOTES, 0), URL=podman_service.url), tmp_path)
    assert re.match(r"reports: \d+\n", stats.stdout), stats.stdout
    wait = run_program(with_settings(python_block(API_NOTES, 1), URL=podman_service.url), tmp_path)
    assert wait.stdout.startswith("no such container:"), wait.stdout
