"""``client.containers`` and `Container`, live on every service, for both clients.

Containers start as this kind of host allows (podman-py's keywords
``cgroups_mode="disabled"``, ``network_mode="none"``; see tests/harness/containers.py).
One image per service; one long-running container (`sleeper`) per service serves every
test that only reads or execs; the rest make their own, labelled with the test's
``mark`` so that "nothing is left" is a list by that label.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Literal, TypedDict

import httpx
import pytest
from podman_sdk import (
    AsyncContainer,
    AsyncPodmanClient,
    Container,
    ContainerError,
    InvalidArgument,
    MalformedAnswerError,
    NotFound,
    PodmanClient,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
)

from tests.harness import PodmanService, busybox_image
from tests.harness.both_clients import client_for, run_on_loop, sdk_object

pytestmark = pytest.mark.timeout(180)


class Runnable(TypedDict):
    """The creation keywords a container needs to start on this kind of host."""

    cgroups_mode: Literal["disabled"]
    network_mode: str


RUNNABLE: Runnable = {"cgroups_mode": "disabled", "network_mode": "none"}
SH = ["/bin/busybox", "sh", "-c"]
SLEEPER_SCRIPT = "echo ready; echo warn >&2; exec /bin/busybox sleep 600"


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "containers") as tag:
        yield tag


@pytest.fixture(scope="module")
def sleeper(podman_service: PodmanService, busybox: str) -> Iterator[str]:
    """A running container shared by the tests that read from it or exec in it: its id."""
    with PodmanClient(podman_service.url) as client:
        container = client.containers.run(
            busybox, [*SH, SLEEPER_SCRIPT], detach=True, labels={"purpose": "sleeper"},
            stop_signal=9, **RUNNABLE,
        )  # fmt: skip
        try:
            yield container.id
        finally:
            container.remove(force=True)


@pytest.fixture
def mark() -> str:
    """A label value of this test's own."""
    return uuid.uuid4().hex[:12]


def left(client: PodmanClient, mark: str) -> list[str]:
    """The containers of this test still there."""
    return [c.id for c in client.containers.list(all=True, filters={"label": f"mark={mark}"})]


# -- run --------------------------------------------------------------------------------


def test_run_returns_the_output_and_removes(client: PodmanClient, busybox: str, mark: str) -> None:
    script = "echo out; echo err >&2"
    output = client.containers.run(
        busybox, [*SH, script], remove=True, labels={"mark": mark}, **RUNNABLE
    )
    assert output == b"out\n"  # stdout only, as podman-py's default
    both = client.containers.run(
        busybox, [*SH, script], stderr=True, remove=True, labels={"mark": mark}, **RUNNABLE
    )
    assert sorted(both.splitlines()) == [b"err", b"out"]
    assert left(client, mark) == []


def test_a_failing_command_raises_container_error_and_is_removed(
    client: PodmanClient, busybox: str, mark: str
) -> None:
    with pytest.raises(ContainerError) as raised:
        client.containers.run(
            busybox, [*SH, "echo boom >&2; exit 3"], remove=True, labels={"mark": mark}, **RUNNABLE
        )
    assert raised.value.exit_status == 3
    assert raised.value.stderr == b"boom\n"
    assert raised.value.image == busybox
    assert left(client, mark) == []


def test_run_stream_follows_and_removes_at_the_end(
    client: PodmanClient, busybox: str, mark: str
) -> None:
    script = "echo one; sleep 1; echo two"
    with client.containers.run(
        busybox, [*SH, script], stream=True, remove=True, labels={"mark": mark}, **RUNNABLE
    ) as chunks:
        assert b"".join(chunks) == b"one\ntwo\n"
    assert left(client, mark) == []


def test_a_missing_image_that_cannot_be_pulled_leaves_nothing(
    client: PodmanClient, mark: str
) -> None:
    with pytest.raises(PodmanError):
        client.containers.run(
            "localhost:1/nowhere/nothing:v1", ["true"], remove=True, labels={"mark": mark},
            **RUNNABLE,
        )  # fmt: skip
    assert left(client, mark) == []


def test_an_unknown_keyword_raises_before_any_request(client: PodmanClient) -> None:
    with pytest.raises(InvalidArgument, match="colour"):
        client.containers.run("any", ["true"], colour="blue")  # type: ignore[call-overload]


def test_a_wait_longer_than_the_call_timeout_is_not_cut(
    podman_service: PodmanService, flavour: str, busybox: str
) -> None:
    with client_for(flavour, podman_service.url, timeout=1) as client:
        container = client.containers.run(
            busybox, [*SH, "echo begun; sleep 2.5; echo done; exit 4"], detach=True, **RUNNABLE
        )
        try:
            with container.logs(stream=True) as chunks:
                assert b"".join(chunks) == b"begun\ndone\n"
            assert container.wait() == 4
        finally:
            container.remove(force=True)


def test_wait_timeout_bounds_the_wait(client: PodmanClient, sleeper: str) -> None:
    container = client.containers.get(sleeper)
    begun = time.monotonic()
    with pytest.raises(PodmanTimeoutError):
        container.wait(condition="exited", timeout=1)
    assert time.monotonic() - begun < 5


def test_an_interrupted_run_removes_its_container(
    podman_service: PodmanService, busybox: str, mark: str
) -> None:
    with PodmanClient(podman_service.url) as client:
        timer = threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                client.containers.run(
                    busybox, [*SH, "sleep 60"], remove=True, labels={"mark": mark}, **RUNNABLE
                )
        finally:
            timer.cancel()
        assert left(client, mark) == []


def test_a_cancelled_run_removes_its_container(
    podman_service: PodmanService, busybox: str, mark: str
) -> None:
    async def cancelled(client: AsyncPodmanClient) -> None:
        task = asyncio.create_task(
            client.containers.run(
                busybox, [*SH, "sleep 60"], remove=True, labels={"mark": mark}, **RUNNABLE
            )
        )
        await asyncio.sleep(2.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with client_for("async", podman_service.url) as client:
        run_on_loop(client, cancelled(sdk_object(client)))  # type: ignore[arg-type]
        assert left(client, mark) == []


# -- the manager ------------------------------------------------------------------------


def test_get_exists_list_and_the_data(client: PodmanClient, sleeper: str) -> None:
    containers = client.containers
    container = containers.get(sleeper)
    assert container.id == sleeper
    assert container.status == "running"
    assert container.labels["purpose"] == "sleeper"  # beside the image's own
    assert container.name is not None
    assert containers.get(container.name) == container
    assert container.attrs["State"]
    assert container.model.id == sleeper
    assert containers.exists(sleeper)
    assert not containers.exists("no-such-container")
    listed = containers.list(filters={"label": "purpose=sleeper"})
    assert [c.id for c in listed] == [sleeper]
    assert listed[0].status == "running"
    assert listed[0].name == container.name
    full = containers.list(filters={"id": sleeper}, sparse=False)
    assert (full[0].attrs["Config"]["Labels"] or {})["purpose"] == "sleeper"
    with pytest.raises(NotFound):
        containers.get("no-such-container")


def test_create_start_stop_restart_kill_rename_remove(
    client: PodmanClient, busybox: str, mark: str
) -> None:
    container = client.containers.create(
        busybox, [*SH, "sleep 60"], labels={"mark": mark}, stop_signal=9, **RUNNABLE
    )
    assert container.status == "created"
    container.init()
    container.start()
    container.reload()
    assert container.status == "running"
    container.stop(timeout=0)
    container.reload()
    assert container.status in ("exited", "stopped")
    container.restart(timeout=0)
    container.reload()
    assert container.status == "running"
    container.kill()
    assert container.wait() != 0
    new_name = f"renamed-{mark}"
    container.rename(new_name)
    assert container.name == new_name
    assert client.containers.get(new_name) == container
    client.containers.remove(container, force=True)
    assert not client.containers.exists(container.id)


def test_prune_removes_stopped_containers(client: PodmanClient, busybox: str, mark: str) -> None:
    container = client.containers.create(busybox, ["true"], labels={"mark": mark}, **RUNNABLE)
    report = client.containers.prune(filters={"label": f"mark={mark}"})
    assert report["ContainersDeleted"] == [container.id]
    assert left(client, mark) == []


# -- output -----------------------------------------------------------------------------


def test_exec_run_gives_the_process_bytes_and_exit_code(client: PodmanClient, sleeper: str) -> None:
    container = client.containers.get(sleeper)
    script = "echo out; echo err >&2; exit 3"
    code, output = container.exec_run([*SH, script])
    assert code == 3
    assert sorted(output.splitlines()) == [b"err", b"out"]  # no frame headers
    assert container.exec_run([*SH, script], demux=True) == (3, (b"out\n", b"err\n"))
    assert container.exec_run("/bin/busybox true", demux=True) == (0, (None, None))
    streamed = container.exec_run([*SH, "echo a; echo b"], stream=True)
    assert streamed.exit_code is None
    with streamed.output as chunks:
        assert b"".join(chunks) == b"a\nb\n"
    result = container.exec_run(
        [*SH, "echo $GREETING; pwd"], environment={"GREETING": "hi"}, workdir="/dev"
    )
    assert result.output == b"hi\n/dev\n"


def test_logs_whole_followed_and_split(client: PodmanClient, sleeper: str) -> None:
    container = client.containers.get(sleeper)
    assert sorted(container.logs().splitlines()) == [b"ready", b"warn"]
    assert container.logs(stderr=False) == b"ready\n"
    with container.log_frames() as frames:  # follows: ends when closed
        seen = {(frame.stream, frame.data) for _, frame in zip(range(2), frames, strict=False)}
        assert seen == {(1, b"ready\n"), (2, b"warn\n")}
        begun = time.monotonic()
    assert time.monotonic() - begun < 1.0


def test_attach_gives_what_the_container_writes(
    client: PodmanClient, busybox: str, mark: str
) -> None:
    container = client.containers.run(
        busybox, [*SH, "sleep 2; echo late; echo later >&2"], detach=True, labels={"mark": mark},
        **RUNNABLE,
    )  # fmt: skip
    try:
        assert sorted(container.attach().splitlines()) == [b"late", b"later"]
    finally:
        container.remove(force=True)


def test_attach_socket_raises_before_any_request(
    podman_service: PodmanService, flavour: str, sleeper: str
) -> None:
    """podman-py documents attach_socket() as not implemented: it raises at the call
    (no await for the async twin), sends nothing, and leaves the container running."""
    sent: list[httpx.Request] = []
    with client_for(flavour, podman_service.url, event_hooks={"request": [sent.append]}) as client:
        container = client.containers.get(sleeper)
        target = sdk_object(container)
        assert isinstance(target, Container | AsyncContainer)
        sent.clear()
        with pytest.raises(InvalidArgument, match=r"attach_socket\(\) is not supported.*attach\("):
            target.attach_socket()
        assert sent == []
        container.reload()
        assert container.status == "running"


def test_archives_diff_export_and_commit(
    client: PodmanClient, sleeper: str, flavour: str, podman_service: PodmanService
) -> None:
    container = client.containers.get(sleeper)
    payload = io.BytesIO()
    with tarfile.open(fileobj=payload, mode="w") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 6
        tar.addfile(info, io.BytesIO(b"hello\n"))
    assert container.put_archive("/", payload.getvalue()) is True
    chunks, stat = container.get_archive("/hello.txt")
    assert stat["name"] == "hello.txt"
    assert stat["size"] == 6
    with chunks, tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as archive:
        member = archive.extractfile("hello.txt")
        assert member is not None
        assert member.read() == b"hello\n"
    changes = container.diff()
    assert changes
    assert all(isinstance(c["Path"], str) and c["Kind"] in (0, 1, 2) for c in changes)
    if podman_service.name == "podman4":  # 5 and 6 list only /etc here, whose reason is theirs
        assert {"Path": "/hello.txt", "Kind": 1} in changes
    with container.export(chunk_size=512) as exported:
        first = next(exported)
    assert 0 < len(first) <= 512
    image = container.commit(
        f"localhost/committed-{flavour}", "v1", message="snapshot", format="docker", pause=False
    )
    try:
        assert f"localhost/committed-{flavour}:v1" in image.tags
    finally:
        image.remove(force=True)


def test_top_lists_the_processes(
    client: PodmanClient, sleeper: str, podman_service: PodmanService
) -> None:
    container = client.containers.get(sleeper)
    # Podman reads the processes from the container's cgroup, which containers have
    # none of on this host: 5 and 6 say so (500); 4.3.1 answers 200 with an empty body,
    # no answer the API documents, so it raises rather than return nothing.
    expected = MalformedAnswerError if podman_service.name == "podman4" else ServerError
    with pytest.raises(expected, match=r"top|cgroup"):
        container.top()


def test_the_image_of_a_container(client: PodmanClient, sleeper: str, busybox: str) -> None:
    assert busybox in client.containers.get(sleeper).image.tags


def test_a_verb_of_a_removed_container_raises_not_found(client: PodmanClient, busybox: str) -> None:
    container = client.containers.create(busybox, ["true"], **RUNNABLE)
    container.remove()
    with pytest.raises(NotFound):
        container.reload()
