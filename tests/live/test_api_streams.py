"""stream() and asyncio_stream() of the generated operations, live on every service.

Each kind of stream on both clients: frames (a followed log, an exec's output), JSON
lines (events), bytes (a container's export). Then the ways a stream ends: leaving the
``with``, close() from another thread, aclose() from another task, cancelling the task,
closing the client, and the service killed under it (a service of the test's own).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from libpod_client._streams import AsyncStream
from libpod_client.api.containers import (
    container_attach_libpod,
    container_create_libpod,
    container_delete_libpod,
    container_export_libpod,
    container_logs_libpod,
    container_start_libpod,
    container_wait_libpod,
)
from libpod_client.api.exec_ import container_exec_libpod, exec_inspect_libpod, exec_start_libpod
from libpod_client.api.images import image_pull_libpod, image_push_libpod
from libpod_client.api.system import system_events_libpod
from libpod_client.api.volumes import volume_create_libpod, volume_delete_libpod
from libpod_client.models import (
    ContainerExecLibpodBody,
    ExecStartLibpodBody,
    ImagePushStream,
    SpecGenerator,
    VolumeCreateOptions,
)
from libpod_client.types import UNSET, Frame
from podman_sdk import (
    AsyncPodmanClient,
    NotFound,
    PodmanClient,
    PodmanConnectionError,
    StreamError,
)

from tests.harness import RUNNABLE_SETTINGS, PodmanService, Registry, busybox_image
from tests.harness.faults import dedicated_service, kill
from tests.harness.podman_service import ServiceProcess

pytestmark = pytest.mark.timeout(120)

# The bar: a close ends the stream within 1 s. Measured from the close() call.
ENDS_WITHIN = 1.0
TALKER = "echo one; echo two >&2; sleep 300"


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "streams") as tag:
        yield tag


def started(client: PodmanClient, image: str, script: str) -> str:
    """A started container running ``script``; its id."""
    body = SpecGenerator.from_dict(
        {
            "name": f"streams-{uuid.uuid4().hex[:8]}",
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
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as opened:
        yield opened


@pytest.fixture
def talker(client: PodmanClient, busybox: str) -> Iterator[str]:
    container = started(client, busybox, TALKER)
    yield container
    container_delete_libpod.sync(container, client=client.api, force=True)


def until_both_lines(frames: Iterator[Frame]) -> list[Frame]:
    seen: list[Frame] = []
    for frame in frames:
        seen.append(frame)
        if {(1, b"one\n"), (2, b"two\n")} <= {(f.stream, f.data) for f in seen}:
            return seen
    return seen


def ended_by(close: Callable[[], object], reader: threading.Thread) -> float:
    """Seconds from calling ``close`` until ``reader`` is done."""
    begun = time.monotonic()
    close()
    reader.join(ENDS_WITHIN * 5)
    return time.monotonic() - begun


# -- frames -----------------------------------------------------------------------------


def test_a_followed_log_gives_frames_and_waits(client: PodmanClient, talker: str) -> None:
    api = client.api
    with container_logs_libpod.stream(
        talker, client=api, follow=True, stdout=True, stderr=True
    ) as frames:
        seen = until_both_lines(frames)
        # Nothing more comes: the stream waits (no read timeout) until it is closed.
        more: list[Frame] = []
        reader = threading.Thread(target=lambda: more.extend(frames))
        reader.start()
        time.sleep(1.5)
        assert reader.is_alive()
        took = ended_by(frames.close, reader)
    assert not reader.is_alive()
    assert took < ENDS_WITHIN
    assert more == []
    assert [(f.stream, f.data) for f in seen] == [(1, b"one\n"), (2, b"two\n")]


def test_a_log_of_no_container_raises_before_the_first_item(client: PodmanClient) -> None:
    with (
        pytest.raises(NotFound),
        container_logs_libpod.stream("no-such-ctr", client=client.api, stdout=True),
    ):
        pytest.fail("entered the block")


def test_a_whole_log_is_a_list_of_frames(client: PodmanClient, busybox: str) -> None:
    container = started(client, busybox, "echo out; echo err >&2")
    try:
        container_wait_libpod.sync(container, client=client.api, condition=["exited"])
        frames = container_logs_libpod.sync(container, client=client.api, stdout=True, stderr=True)
    finally:
        container_delete_libpod.sync(container, client=client.api, force=True)
    assert sorted((f.stream, f.data) for f in frames) == [(1, b"out\n"), (2, b"err\n")]


def test_an_exec_gives_its_output_and_exit_code(client: PodmanClient, talker: str) -> None:
    command = ContainerExecLibpodBody(
        cmd=["/bin/busybox", "sh", "-c", "echo to-out; echo to-err >&2; exit 5"],
        attach_stdout=True,
        attach_stderr=True,
    )
    session = container_exec_libpod.sync(talker, client=client.api, body=command)
    start = ExecStartLibpodBody(detach=False)
    with exec_start_libpod.stream(session.id, client=client.api, body=start) as frames:
        output = {1: b"", 2: b""}
        for frame in frames:
            output[frame.stream] += frame.data
    assert output == {1: b"to-out\n", 2: b"to-err\n"}
    assert exec_inspect_libpod.sync(session.id, client=client.api).exit_code == 5


def test_attach_gives_the_running_output(client: PodmanClient, busybox: str) -> None:
    container = started(client, busybox, "while true; do echo tick; sleep 0.2; done")
    try:
        with container_attach_libpod.stream(
            container, client=client.api, stdout=True, stderr=True
        ) as frames:
            first = next(iter(frames))
    finally:
        container_delete_libpod.sync(container, client=client.api, force=True)
    assert (first.stream, first.data) == (1, b"tick\n")


def test_a_tty_exec_comes_as_frames_of_stream_one(client: PodmanClient, talker: str) -> None:
    command = ContainerExecLibpodBody(
        cmd=["/bin/busybox", "sh", "-c", "echo on-a-tty; echo also >&2"],
        attach_stdout=True,
        attach_stderr=True,
        tty=True,
    )
    session = container_exec_libpod.sync(talker, client=client.api, body=command)
    start = ExecStartLibpodBody(detach=False, tty=True)
    with exec_start_libpod.stream(session.id, client=client.api, body=start) as frames:
        received = list(frames)
    assert {frame.stream for frame in received} == {1}
    # A tty turns "\n" into "\r\n" and merges stderr into the one stream.
    assert b"".join(frame.data for frame in received) == b"on-a-tty\r\nalso\r\n"


# -- JSON lines ---------------------------------------------------------------------------


def test_events_stream_with_a_filter(client: PodmanClient, busybox: str) -> None:
    name = f"streams-events-{uuid.uuid4().hex[:8]}"
    api = client.api
    with system_events_libpod.stream(client=api, filters={"container": [name]}) as events:
        body = SpecGenerator.from_dict(
            {
                "name": name,
                "image": busybox,
                "command": ["/bin/busybox", "true"],
                **RUNNABLE_SETTINGS,
            }
        )
        created = container_create_libpod.sync(client=api, body=body)
        try:
            first = next(iter(events))
        finally:
            container_delete_libpod.sync(created.id, client=api, force=True)
    assert first.action == "create"
    assert first.actor.id == created.id
    assert first.type_ == "container"


def test_a_failure_inside_a_pull_stream_raises_stream_error(
    client: PodmanClient, registry: Registry, podman_service: PodmanService
) -> None:
    """The registry answers, the image is not there: Podman 4 and 5 report it inside the
    200 stream (StreamError); Podman 6 answers 404 before the stream (NotFound)."""
    reference = f"{registry.host}/streams/absent:1"
    expected = NotFound if podman_service.name == "podman6" else StreamError
    with (
        pytest.raises(expected) as caught,
        image_pull_libpod.stream(client=client.api, reference=reference, tls_verify=False) as lines,
    ):
        for _ in lines:
            pass
    assert "manifest unknown" in str(caught.value)


def pushed_reference(registry: Registry) -> str:
    return f"{registry.host}/streams/push-{uuid.uuid4().hex[:8]}:1"


def check_push_lines(lines: list[ImagePushStream], service: PodmanService) -> None:
    """Progress text first; from Podman 5 on, a last line with the manifest's digest."""
    assert [line.error for line in lines if line.error] == []
    assert any("Copying" in str(line.stream) for line in lines)
    if service.name == "podman4":  # ImagePushReport: stream and error only
        assert all(line.manifestdigest is UNSET for line in lines)
    else:
        assert str(lines[-1].manifestdigest).startswith("sha256:")


def test_a_push_streams_typed_progress(
    client: PodmanClient, busybox: str, registry: Registry, podman_service: PodmanService
) -> None:
    with image_push_libpod.stream(
        busybox,
        client=client.api,
        destination=pushed_reference(registry),
        tls_verify=False,
        quiet=False,
    ) as progress:
        lines = list(progress)
    check_push_lines(lines, podman_service)


def test_a_quiet_push_answers_no_line(
    client: PodmanClient, busybox: str, registry: Registry
) -> None:
    """Quiet is the server's default: it writes a single empty line."""
    pushed = image_push_libpod.sync(
        busybox, client=client.api, destination=pushed_reference(registry), tls_verify=False
    )
    assert pushed == []


def test_a_failure_inside_a_push_stream_raises_stream_error(
    client: PodmanClient, busybox: str
) -> None:
    """Nothing listens on port 9 of this host: the push fails after the 200."""
    with (
        pytest.raises(StreamError) as caught,
        image_push_libpod.stream(
            busybox,
            client=client.api,
            destination="127.0.0.1:9/streams/nowhere:1",
            tls_verify=False,
            quiet=False,
        ) as progress,
    ):
        for _ in progress:
            pass
    assert "connection refused" in str(caught.value)


async def _async_push(url: str, image: str, destination: str) -> list[ImagePushStream]:
    async with (
        AsyncPodmanClient(url) as client,
        image_push_libpod.asyncio_stream(
            image, client=client.api, destination=destination, tls_verify=False, quiet=False
        ) as progress,
    ):
        return [line async for line in progress]


def test_async_push(podman_service: PodmanService, busybox: str, registry: Registry) -> None:
    lines = asyncio.run(_async_push(podman_service.url, busybox, pushed_reference(registry)))
    check_push_lines(lines, podman_service)


# -- bytes ----------------------------------------------------------------------------------


def test_an_export_streams_to_a_file(client: PodmanClient, talker: str, tmp_path: Path) -> None:
    target = tmp_path / "rootfs.tar"
    chunks = 0
    with (
        container_export_libpod.stream(talker, client=client.api) as body,
        target.open("wb") as out,
    ):
        for chunk in body:
            out.write(chunk)
            chunks += 1
    assert chunks > 1
    with tarfile.open(target) as tar:
        busybox = tar.getmember("bin/busybox")
    assert busybox.size > 100_000


# -- ends -----------------------------------------------------------------------------------


def test_closing_the_client_from_another_thread_ends_a_stream(
    podman_service: PodmanService, talker: str
) -> None:
    with PodmanClient(podman_service.url) as other:
        problems: list[BaseException] = []

        def follow() -> None:
            try:
                with container_logs_libpod.stream(
                    talker, client=other.api, follow=True, stdout=True
                ) as frames:
                    for _ in frames:
                        pass
            except Exception as exc:  # asserted below, on the test's thread
                problems.append(exc)

        reader = threading.Thread(target=follow)
        reader.start()
        time.sleep(1.0)
        took = ended_by(other.close, reader)
    assert not reader.is_alive()
    assert took < ENDS_WITHIN
    (problem,) = problems
    assert isinstance(problem, PodmanConnectionError)
    assert "closed" in str(problem)


async def _async_follow(url: str, container: str) -> list[Frame]:
    async with (
        AsyncPodmanClient(url) as client,
        container_logs_libpod.asyncio_stream(
            container, client=client.api, follow=True, stdout=True, stderr=True
        ) as frames,
    ):
        seen: list[Frame] = []
        async for frame in frames:
            seen.append(frame)
            if len(seen) == 2:
                break
        return seen


def test_async_followed_log(podman_service: PodmanService, talker: str) -> None:
    seen = asyncio.run(_async_follow(podman_service.url, talker))
    assert sorted((f.stream, f.data) for f in seen) == [(1, b"one\n"), (2, b"two\n")]


async def _async_ends(url: str, container: str, how: str) -> float:
    async with AsyncPodmanClient(url) as client:
        got_first = asyncio.Event()

        async def follow() -> None:
            async with container_logs_libpod.asyncio_stream(
                container, client=client.api, follow=True, stdout=True
            ) as frames:
                holder.append(frames)
                async for _ in frames:
                    got_first.set()

        holder: list[AsyncStream[Frame]] = []
        task = asyncio.create_task(follow())
        await asyncio.wait_for(got_first.wait(), 10)
        await asyncio.sleep(0.5)
        begun = time.monotonic()
        if how == "cancel":
            task.cancel()
        else:
            await holder[0].aclose()
        ended = (
            pytest.raises(asyncio.CancelledError) if how == "cancel" else contextlib.nullcontext()
        )
        with ended:
            await asyncio.wait_for(task, ENDS_WITHIN * 5)
        return time.monotonic() - begun


@pytest.mark.parametrize("how", ["aclose", "cancel"])
def test_async_stream_ends_on_aclose_and_cancel(
    podman_service: PodmanService, talker: str, how: str
) -> None:
    assert asyncio.run(_async_ends(podman_service.url, talker, how)) < ENDS_WITHIN


async def _async_export(url: str, container: str) -> bytes:
    out = io.BytesIO()
    async with (
        AsyncPodmanClient(url) as client,
        container_export_libpod.asyncio_stream(container, client=client.api) as body,
    ):
        async for chunk in body:
            out.write(chunk)
    return out.getvalue()


def test_async_export(podman_service: PodmanService, talker: str) -> None:
    exported = asyncio.run(_async_export(podman_service.url, talker))
    with tarfile.open(fileobj=io.BytesIO(exported)) as tar:
        assert tar.getmember("bin/busybox").size > 100_000


async def _async_events(url: str) -> list[tuple[str, str]]:
    name = f"streams-async-{uuid.uuid4().hex[:8]}"
    async with (
        AsyncPodmanClient(url) as client,
        system_events_libpod.asyncio_stream(
            client=client.api, filters={"type": ["volume"]}, idle_timeout=30
        ) as events,
    ):
        options = VolumeCreateOptions.from_dict({"Name": name})
        await volume_create_libpod.asyncio(client=client.api, body=options)
        await volume_delete_libpod.asyncio(name, client=client.api)
        seen = []
        async for event in events:
            attributes = event.actor.attributes
            if attributes is not None and attributes.get("name") == name:
                seen.append((event.type_, event.action))
            if seen and event.action == "remove":
                break
        return seen


def test_async_events_with_a_filter(podman_service: PodmanService) -> None:
    assert asyncio.run(_async_events(podman_service.url)) == [
        ("volume", "create"),
        ("volume", "remove"),
    ]


async def _async_client_closed(url: str, container: str) -> tuple[float, BaseException | None]:
    client = AsyncPodmanClient(url)
    reading = asyncio.Event()

    async def follow() -> None:
        async with container_logs_libpod.asyncio_stream(
            container, client=client.api, follow=True, stdout=True
        ) as frames:
            async for _ in frames:
                reading.set()

    task = asyncio.create_task(follow())
    await asyncio.wait_for(reading.wait(), 10)
    begun = time.monotonic()
    await client.aclose()
    done, _ = await asyncio.wait([task], timeout=ENDS_WITHIN * 5)
    return time.monotonic() - begun, task.exception() if done else None


def test_closing_an_async_client_ends_its_stream(
    podman_service: PodmanService, talker: str
) -> None:
    took, problem = asyncio.run(_async_client_closed(podman_service.url, talker))
    assert took < ENDS_WITHIN
    assert isinstance(problem, PodmanConnectionError)


# -- the service killed mid-stream ------------------------------------------------------


@pytest.fixture
def doomed(podman_service: PodmanService, harness_dir: Path) -> Iterator[ServiceProcess]:
    """A service of the same major as ``podman_service``, of this test's own."""
    with dedicated_service(podman_service.name, harness_dir) as proc:
        yield proc


def test_a_service_killed_mid_stream_raises_a_connection_error(doomed: ServiceProcess) -> None:
    with (
        PodmanClient(doomed.service.url) as client,
        system_events_libpod.stream(client=client.api) as events,
    ):
        kill(doomed)
        with pytest.raises(PodmanConnectionError):
            for _ in events:
                pass
