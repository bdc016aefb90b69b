"""A user program that runs containers through every public member of
ContainersManager and Container (and their asyncio twins), with assert_type on what
each call returns: the overloads of run(), logs(), attach(), exec_run() and stats()
included.

Type-checked (``mypy --strict`` and pyright), never executed: each assert_type is an
assertion about the SDK's public types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn, assert_type

from libpod_client.models import InspectContainerData, SpecGenerator
from libpod_client.types import Frame
from podman_sdk import (
    ArchiveStat,
    AsyncContainer,
    AsyncContainersManager,
    AsyncImage,
    AsyncOutputStream,
    AsyncPodmanClient,
    ChangeEntry,
    Container,
    ContainerAttrs,
    ContainerError,
    ContainersManager,
    ContainersPruneReport,
    ExecResult,
    Image,
    OutputStream,
    PodmanClient,
    TopAnswer,
)

RUNNABLE = {"cgroups_mode": "disabled", "network_mode": "none"}


def run(client: PodmanClient) -> None:
    containers = assert_type(client.containers, ContainersManager)
    output = containers.run("busybox", ["echo", "hi"], remove=True, network_mode="none")
    assert_type(output, bytes)
    both = containers.run("busybox", "date", stdout=True, stderr=True, cgroups_mode="disabled")
    assert_type(both, bytes)
    container = containers.run("busybox", ["sleep", "60"], detach=True, remove=True)
    assert_type(container, Container)
    followed = containers.run("busybox", ["seq", "3"], stream=True, policy="never")
    assert_type(followed, OutputStream[bytes])
    chunks: Iterator[bytes] = followed
    with followed:
        print(b"".join(chunks))
    spec = SpecGenerator(image="busybox", command=["true"], cgroups_mode="disabled")
    assert_type(containers.run("busybox", spec=spec), bytes)
    try:
        containers.run("busybox", ["false"])
    except ContainerError as failed:
        assert_type(failed.exit_status, int)
        assert_type(failed.stderr, bytes | None)
        assert_type(failed.container.id, str)
        assert_type(failed.container.name, str | None)
        assert_type(failed.image, str)


def manage(containers: ContainersManager) -> None:
    created = containers.create("busybox", ["sleep", "60"], name="app", labels={"a": "b"})
    assert_type(created, Container)
    assert_type(containers.create("busybox", spec=SpecGenerator(image="busybox")), Container)
    assert_type(containers.get("app"), Container)
    assert_type(containers.exists("app"), bool)
    listed = containers.list(all=True, filters={"label": "a=b"}, since="x", before="y", limit=3)
    assert_type(listed, list[Container])
    assert_type(containers.list(sparse=False, ignore_removed=True), list[Container])
    report = assert_type(containers.prune(filters={"until": "1h"}), ContainersPruneReport)
    assert_type(report["ContainersDeleted"], list[str])
    assert_type(report["SpaceReclaimed"], int)
    assert_type(containers.remove(created, v=True, force=True), None)
    assert_type(containers.remove("app"), None)


def data(container: Container) -> None:
    attrs = assert_type(container.attrs, ContainerAttrs)
    assert_type(attrs["Id"], str)
    assert_type(container.id, str)
    assert_type(container.short_id, str)
    assert_type(container.name, str | None)
    assert_type(container.labels, dict[str, str])
    assert_type(container.status, str)
    assert_type(container.ports, dict[str, object])
    assert_type(container.model, InspectContainerData)
    assert_type(container.model.state.exit_code if container.model.state else 0, int)
    assert_type(container.image, Image)
    assert_type(container.inspect(), ContainerAttrs)


def verbs(container: Container) -> None:
    assert_type(container.reload(), None)
    assert_type(container.start(), None)
    assert_type(container.stop(timeout=5, ignore=True), None)
    assert_type(container.restart(timeout=1), None)
    assert_type(container.kill("SIGTERM"), None)
    assert_type(container.pause(), None)
    assert_type(container.unpause(), None)
    assert_type(container.init(), None)
    assert_type(container.rename("new"), None)
    assert_type(container.resize(height=24, width=80), None)
    assert_type(container.update(restart_policy="always", pids={"limit": 10}), None)
    assert_type(container.wait(), int)
    assert_type(container.wait(condition=["exited", "stopped"], interval="1s", timeout=30), int)
    assert_type(container.top(ps_args="-ef"), TopAnswer)
    assert_type(container.diff(), list[ChangeEntry])
    assert_type(container.commit("localhost/snap", "v1", message="m"), Image)
    assert_type(container.put_archive("/", b"tar bytes"), bool)
    archive, stat = container.get_archive("/etc/hosts", chunk_size=1024)
    assert_type(archive, OutputStream[bytes])
    assert_type(stat, ArchiveStat)
    assert_type(stat["size"], int)
    assert_type(container.export(), OutputStream[bytes])
    assert_type(container.remove(force=True), None)


def output(container: Container) -> None:
    assert_type(container.logs(), bytes)
    assert_type(container.logs(stdout=True, stderr=False, tail=10, since=0), bytes)
    assert_type(container.logs(stream=True), OutputStream[bytes])
    with container.log_frames(follow=True) as frames:
        for frame in frames:
            assert_type(frame, Frame)
            assert_type(frame.stream, int)
            assert_type(frame.data, bytes)
    assert_type(container.attach(), bytes)
    assert_type(container.attach(stream=True, logs=True), OutputStream[bytes])
    plain = container.exec_run(["ls", "/"])
    assert_type(plain, ExecResult[int, bytes])
    assert_type(plain.exit_code, int)
    assert_type(plain.output, bytes)
    split = container.exec_run("ls /", demux=True, environment={"A": "1"}, workdir="/")
    assert_type(split.output, tuple[bytes | None, bytes | None])
    streamed = container.exec_run(["ls"], stream=True)
    assert_type(streamed, ExecResult[None, OutputStream[bytes]])
    assert_type(container.exec_run(["ls"], stream=True, demux=True).output,
                OutputStream[tuple[bytes | None, bytes | None]])  # fmt: skip
    assert_type(container.exec_run(["sleep", "9"], detach=True), ExecResult[None, bytes])
    assert_type(container.stats(), OutputStream[bytes])
    assert_type(container.stats(decode=True), OutputStream[dict[str, object]])
    assert_type(container.stats(stream=False), bytes)
    assert_type(container.stats(decode=True, stream=False), dict[str, object])


def no_attach_socket(container: Container) -> NoReturn:
    # Raises InvalidArgument, as podman-py documents it not implemented.
    container.attach_socket()


def no_async_attach_socket(container: AsyncContainer) -> NoReturn:
    container.attach_socket()  # raises at the call: nothing to await


async def async_program(client: AsyncPodmanClient) -> None:
    containers = assert_type(client.containers, AsyncContainersManager)
    assert_type(await containers.run("busybox", ["echo"], remove=True, **{}), bytes)
    container = await containers.run("busybox", ["sleep", "9"], detach=True)
    assert_type(container, AsyncContainer)
    followed = await containers.run("busybox", ["seq", "3"], stream=True)
    assert_type(followed, AsyncOutputStream[bytes])
    async with followed:
        async for chunk in followed:
            assert_type(chunk, bytes)
    assert_type(await containers.create("busybox", name="x"), AsyncContainer)
    assert_type(await containers.get("x"), AsyncContainer)
    assert_type(await containers.exists("x"), bool)
    assert_type(await containers.list(all=True, sparse=False), list[AsyncContainer])
    assert_type(await containers.prune(), ContainersPruneReport)
    assert_type(await containers.remove("x", force=True), None)
    assert_type(container.attrs, ContainerAttrs)
    assert_type((container.id, container.short_id, container.status), tuple[str, str, str])
    assert_type((container.name, container.labels, container.ports),
                tuple[str | None, dict[str, str], dict[str, object]])  # fmt: skip
    assert_type(container.model, InspectContainerData)
    assert_type(await container.image, AsyncImage)
    assert_type(await container.inspect(), ContainerAttrs)
    for verb in (container.reload(), container.start(), container.stop(), container.restart(),
                 container.kill(), container.pause(), container.unpause(), container.init(),
                 container.rename("y"), container.resize(1, 1), container.update(cpu={}),
                 container.remove(v=True)):  # fmt: skip
        assert_type(await verb, None)
    assert_type(await container.wait(condition="exited", timeout=5), int)
    assert_type(await container.top(), TopAnswer)
    assert_type(await container.diff(), list[ChangeEntry])
    assert_type(await container.commit("localhost/x"), AsyncImage)
    assert_type(await container.put_archive("/", b""), bool)
    archive, stat = await container.get_archive("/")
    assert_type(archive, AsyncOutputStream[bytes])
    assert_type(stat, ArchiveStat)
    assert_type(container.export(), AsyncOutputStream[bytes])
    assert_type(await container.logs(), bytes)
    assert_type(await container.logs(stream=True), AsyncOutputStream[bytes])
    assert_type(container.log_frames(), AsyncOutputStream[Frame])
    assert_type(await container.attach(), bytes)
    assert_type(await container.attach(stream=True), AsyncOutputStream[bytes])
    assert_type(await container.exec_run(["ls"]), ExecResult[int, bytes])
    assert_type((await container.exec_run(["ls"], demux=True)).output,
                tuple[bytes | None, bytes | None])  # fmt: skip
    assert_type(await container.exec_run(["ls"], stream=True),
                ExecResult[None, AsyncOutputStream[bytes]])  # fmt: skip
    assert_type(await container.stats(stream=False, decode=True), dict[str, object])
    assert_type(await container.stats(), AsyncOutputStream[bytes])


print(RUNNABLE, run, manage, data, verbs, output, async_program)
