"""Contract: a container's life on every major, parsed by the generated models.

The models are strict: a field the Go type always writes that is missing, or a null
where the Go type cannot be nil, raises MalformedAnswer (an APIError) instead of
parsing. So each call below is a check of the types against the server's real answers:
a running and an exited container (inspect and list), an exec session, system df and
the events the life wrote.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from libpod_client.api.containers import (
    container_create_libpod,
    container_delete_libpod,
    container_inspect_libpod,
    container_list_libpod,
    container_start_libpod,
    container_stop_libpod,
    container_wait_libpod,
)
from libpod_client.api.exec_ import container_exec_libpod, exec_inspect_libpod, exec_start_libpod
from libpod_client.api.system import system_data_usage_libpod, system_events_libpod
from libpod_client.models import ContainerExecLibpodBody, ExecStartLibpodBody, SpecGenerator
from podman_sdk import PodmanClient

from tests.harness import RUNNABLE_SETTINGS, PodmanService, busybox_image


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as podman:
        yield podman


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "contract-lifecycle") as tag:
        yield tag


@pytest.fixture
def running(client: PodmanClient, busybox: str) -> Iterator[str]:
    """A started container that sleeps until stopped; its name."""
    name = f"contract-life-{uuid.uuid4().hex[:8]}"
    body = SpecGenerator.from_dict(
        {
            "name": name,
            "image": busybox,
            "command": ["/bin/busybox", "sleep", "300"],
            "stop_signal": 9,
            **RUNNABLE_SETTINGS,
        }
    )
    created = container_create_libpod.sync(client=client.api, body=body)
    try:
        container_start_libpod.sync(created.id, client=client.api)
        yield name
    finally:
        container_delete_libpod.sync(created.id, client=client.api, force=True)


def test_a_running_then_exited_container_parses(client: PodmanClient, running: str) -> None:
    data = container_inspect_libpod.sync(running, client=client.api)
    assert data.state is not None
    assert data.state.running
    assert data.state.pid > 0
    (listed,) = container_list_libpod.sync(client=client.api, filters={"name": [running]})
    assert listed.state == "running"
    assert listed.pid == data.state.pid

    container_stop_libpod.sync(running, client=client.api, timeout=0)
    assert container_wait_libpod.sync(running, client=client.api, condition=["exited"]) == 137
    exited = container_inspect_libpod.sync(running, client=client.api)
    assert exited.state is not None
    assert not exited.state.running
    assert exited.state.exit_code == 137
    (entry,) = container_list_libpod.sync(client=client.api, all_=True, filters={"name": [running]})
    assert entry.state == "exited"
    assert entry.exit_code == 137


def test_an_exec_session_parses(client: PodmanClient, running: str) -> None:
    command = ContainerExecLibpodBody(
        cmd=["/bin/busybox", "sh", "-c", "exit 7"], attach_stdout=True, attach_stderr=True
    )
    made = container_exec_libpod.sync(running, client=client.api, body=command)
    before = exec_inspect_libpod.sync(made.id, client=client.api)
    assert before.id == made.id
    assert not before.running
    assert before.process_config is not None
    assert before.process_config.entrypoint == "/bin/busybox"
    assert before.process_config.arguments == ["sh", "-c", "exit 7"]
    exec_start_libpod.sync(made.id, client=client.api, body=ExecStartLibpodBody(detach=False))
    after = exec_inspect_libpod.sync(made.id, client=client.api)
    assert after.exit_code == 7
    assert not after.running
    assert after.container_id == container_inspect_libpod.sync(running, client=client.api).id


def test_system_df_parses(client: PodmanClient, running: str, busybox: str) -> None:
    report = system_data_usage_libpod.sync(client=client.api)
    assert report.containers is not None
    assert running in [entry.names for entry in report.containers]
    assert report.images is not None
    tags = [f"{entry.repository}:{entry.tag}" for entry in report.images]
    assert busybox in tags
    assert report.volumes is not None


def test_the_events_of_a_life_parse(client: PodmanClient, busybox: str) -> None:
    since = str(int(time.time()) - 1)
    name = f"contract-events-{uuid.uuid4().hex[:8]}"
    body = SpecGenerator.from_dict(
        {"name": name, "image": busybox, "command": ["/bin/busybox", "true"], **RUNNABLE_SETTINGS}
    )
    created = container_create_libpod.sync(client=client.api, body=body)
    try:
        container_start_libpod.sync(created.id, client=client.api)
        container_wait_libpod.sync(created.id, client=client.api, condition=["exited"])
    finally:
        container_delete_libpod.sync(created.id, client=client.api, force=True)
    events = system_events_libpod.sync(
        client=client.api,
        stream=False,
        since=since,
        until=str(int(time.time()) + 1),
        filters={"container": [created.id]},
    )
    actions = [event.action for event in events]
    for action in ("create", "start", "died", "remove"):
        assert action in actions, actions
    assert {event.actor.id for event in events} == {created.id}
    assert {event.type_ for event in events} == {"container"}
