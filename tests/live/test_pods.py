"""``client.pods`` and `Pod`, live on every service, for both clients.

Pods here are made as this kind of host allows (tests/harness/containers.py): their
containers run with cgroups disabled and no network. A pod with an infra container uses
the module's busybox image as its infra image (Podman 4.3.1 would build one from
catatonit, which is not installed), sleeping as its infra command. Each test labels its
pods with its own ``mark``, so that "nothing is left" is a list by that label.
"""

from __future__ import annotations

import json
import re
import types
import typing
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import (
    Conflict,
    InvalidArgument,
    NotFound,
    PodAttrs,
    PodmanClient,
    ServerError,
    UnsupportedServer,
)

from tests.harness import PodmanService, busybox_image
from tests.live.test_readme_api import run_program, section_code, type_check, with_settings

pytestmark = pytest.mark.timeout(180)


class Runnable(typing.TypedDict):
    """The creation keywords a container needs to start on this kind of host."""

    cgroups_mode: typing.Literal["disabled"]
    network_mode: str


RUNNABLE: Runnable = {"cgroups_mode": "disabled", "network_mode": "none"}
SLEEP = ["/bin/busybox", "sleep", "600"]
ATTR_TYPES = typing.get_type_hints(PodAttrs)


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "pods") as tag:
        yield tag


@pytest.fixture
def mark(client: PodmanClient) -> Iterator[str]:
    """A label value of this test's own; its pods are removed afterwards."""
    value = uuid.uuid4().hex[:12]
    yield value
    for pod in client.pods.list(filters={"label": f"mark={value}"}):
        pod.remove(force=True)


def pod_name(mark: str, what: str = "pod") -> str:
    return f"sdk-{what}-{mark}"


def accepts(annotation: object, value: object) -> bool:
    """Whether ``value`` (decoded JSON) fits ``annotation``, one level deep."""
    if isinstance(annotation, types.UnionType):
        return any(accepts(arm, value) for arm in typing.get_args(annotation))
    if annotation is None or annotation is types.NoneType:
        return value is None
    if typing.is_typeddict(annotation):
        return isinstance(value, dict)
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and isinstance(value, origin)


def major_minor(service: PodmanService) -> tuple[int, int]:
    major, minor = (int(part) for part in service.version.split(".")[:2])
    return major, minor


def test_create_get_list_exists_remove(client: PodmanClient, mark: str) -> None:
    name = pod_name(mark)
    pod = client.pods.create(name, labels={"mark": mark}, no_infra=True)
    assert pod.name == name
    assert len(pod.id) == 64
    assert pod.attrs["State"] == "Created"
    assert pod.attrs.get("Labels") == {"mark": mark}
    # Inspect leaves out what is empty: a pod without containers has no "Containers".
    assert "Containers" not in pod.attrs
    assert pod.model.name == name
    assert pod.model.create_infra is False
    assert client.pods.exists(name) is True
    assert client.pods.exists(pod.id) is True

    got = client.pods.get(name)
    assert got == pod
    assert got.attrs["Id"] == pod.id

    listed = client.pods.list(filters={"label": f"mark={mark}"})
    assert [entry.id for entry in listed] == [pod.id]
    assert listed[0].attrs["Status"] == "Created"
    assert client.pods.list(filters={"name": pod_name(mark, "none-such")}) == []
    with pytest.raises(InvalidArgument, match="reload"):
        listed[0].model  # noqa: B018
    listed[0].reload()
    assert listed[0].model.id == pod.id

    pod.remove()
    assert client.pods.exists(name) is False
    with pytest.raises(NotFound):
        pod.reload()
    with pytest.raises(NotFound):
        client.pods.get(name)
    with pytest.raises(NotFound):
        client.pods.remove(name)


def test_a_taken_name_conflicts(client: PodmanClient, mark: str) -> None:
    name = pod_name(mark)
    client.pods.create(name, labels={"mark": mark}, no_infra=True)
    with pytest.raises(Conflict):
        client.pods.create(name, labels={"mark": mark}, no_infra=True)


def test_attrs_types_match_the_answer(client: PodmanClient, mark: str, busybox: str) -> None:
    pod = client.pods.create(
        pod_name(mark), labels={"mark": mark}, infra_image=busybox, infra_command=SLEEP
    )
    # A Pod stands for its id, as in podman-py.
    client.containers.create(busybox, SLEEP, pod=pod, labels={"mark": mark}, **RUNNABLE)
    pod.reload()
    (listed,) = client.pods.list(filters={"label": f"mark={mark}"})
    for attrs in (pod.attrs, listed.attrs):
        for key, value in attrs.items():
            if key in ATTR_TYPES:
                assert accepts(ATTR_TYPES[key], value), (key, value)
    # The infra container and the one added, in both answers.
    assert len(pod.attrs.get("Containers") or []) == 2
    assert len(listed.attrs.get("Containers") or []) == 2
    assert pod.attrs.get("InfraContainerID")
    assert pod.model.num_containers == 2


def test_bad_input_is_refused_before_a_request(client: PodmanClient) -> None:
    with pytest.raises(InvalidArgument, match="did you mean"):
        client.pods.create("x", lables={"a": "b"})  # type: ignore[call-arg]
    with pytest.raises(InvalidArgument, match="labels"):
        client.pods.create("x", labels={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument, match="filters"):
        client.pods.prune(filters={"label": "a"})
    with pytest.raises(InvalidArgument, match="mutually exclusive"):
        client.pods.stats(all=True, name="x")
    with pytest.raises(InvalidArgument):
        client.pods.get("")
    assert client.pods.exists("x") is False


def test_a_field_the_server_does_not_read_is_refused(
    client: PodmanClient, podman_service: PodmanService, mark: str
) -> None:
    name = pod_name(mark)
    if major_minor(podman_service) < (5, 0):
        with pytest.raises(UnsupportedServer, match="restart_policy"):
            client.pods.create(name, labels={"mark": mark}, no_infra=True, restart_policy="no")
        assert client.pods.exists(name) is False
        return
    pod = client.pods.create(name, labels={"mark": mark}, no_infra=True, restart_policy="no")
    assert pod.attrs.get("RestartPolicy") == "no"


def test_lifecycle_of_a_pod_with_a_container(client: PodmanClient, mark: str, busybox: str) -> None:
    pod = client.pods.create(pod_name(mark), labels={"mark": mark}, no_infra=True)
    container = client.containers.create(
        busybox, SLEEP, pod=pod.id, labels={"mark": mark}, stop_signal=9, **RUNNABLE
    )
    pod.start()
    pod.reload()
    assert pod.attrs["State"] == "Running"
    pod.start()  # already running: no error, as podman-py

    top = pod.top()
    assert "PID" in top["Titles"] or "COMMAND" in top["Titles"]
    assert any("sleep" in " ".join(row) for row in top["Processes"])

    # Podman reads stats from cgroups and pauses with the cgroup freezer: with cgroups
    # disabled (all this host allows) both are refused, on every major.
    with pytest.raises(ServerError, match="cgroup"):
        client.pods.stats(name=pod.id, decode=True)
    with pytest.raises(ServerError, match="cgroup"):
        client.pods.stats(all=True)
    with pytest.raises(Conflict, match="cgroup"):
        pod.pause()
    pod.unpause()
    pod.stop(timeout=1)
    pod.reload()
    assert pod.attrs["State"] in ("Stopped", "Exited")
    pod.stop()  # already stopped: no error

    pod.restart()
    pod.reload()
    assert pod.attrs["State"] == "Running"

    pod.kill("SIGKILL")
    pod.reload()
    assert pod.attrs["State"] in ("Stopped", "Exited")
    container.reload()
    assert container.status in ("exited", "stopped")

    # Every stopped pod goes (Podman's prune takes no filters); this one is stopped.
    report = client.pods.prune()
    assert pod.id in report["PodsDeleted"]
    assert report["SpaceReclaimed"] == 0
    assert client.pods.exists(pod.id) is False
    assert client.containers.exists(container.id) is False


def test_stats_of_a_pod_without_containers(client: PodmanClient, mark: str) -> None:
    pod = client.pods.create(pod_name(mark), labels={"mark": mark}, no_infra=True)
    assert json.loads(client.pods.stats(name=pod.id)) == []
    assert client.pods.stats(name=[pod.name], decode=True) == []
    with pytest.raises(NotFound):
        client.pods.stats(name=pod_name(mark, "none-such"))


# The program of docs/pods.md, run as written (URL set) and type-checked.
DOCS_PAGE = "pods.md"


def test_the_docs_program_type_checks(tmp_path: Path) -> None:
    type_check(section_code(DOCS_PAGE), tmp_path / "docs_pods.py")


def test_the_docs_program_runs(podman_service: PodmanService, tmp_path: Path) -> None:
    code = with_settings(section_code(DOCS_PAGE), URL=podman_service.url)
    lines = run_program(code, tmp_path).stdout.splitlines()
    assert lines[0] == "docs-pod Created 0"
    assert re.fullmatch(r"listed [0-9a-f]{10} Created", lines[1]), lines
    assert lines[2:] == ["stats []", "exists False"]
