"""`Container` and `AsyncContainer`: one container and its instance verbs (podman-py's
names). Their data and every decision are `ContainerBase`'s and ``_decisions``'; the
two classes differ only in I/O (plain or awaited)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Unpack, overload

from libpod_client.api.containers import (
    container_attach_libpod,
    container_export_libpod,
    container_stats_libpod,
)
from libpod_client.api.exec_ import exec_start_libpod
from libpod_client.types import Frame

import podman_sdk.containers._data as data
import podman_sdk.containers._decisions as d
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.containers._container_base import (
    AsyncExecAnswer,
    ContainerBase,
    Environment,
    ExecAnswer,
    Since,
    async_mapped,
    log_opener,
    mapped,
    open_archive,
    open_archive_async,
    same,
)
from podman_sdk.containers._data import (
    DEFAULT_CHUNK_SIZE,
    ArchiveStat,
    ChangeEntry,
    ContainerAttrs,
    Demuxed,
    ExecResult,
    StatsItem,
    TopAnswer,
    UpdateKeywords,
)
from podman_sdk.containers._streams import (
    AsyncOutputStream,
    Opened,
    OutputStream,
    perform_waiting,
    perform_waiting_async,
)

if TYPE_CHECKING:
    from podman_sdk.images._image import AsyncImage, Image


class Container(ContainerBase[Connection]):
    """A container, from ``client.containers`` (``get``, ``list``, ``create``, ``run``).
    ``attrs`` is the server's data in the documented `ContainerAttrs` shape; `model`
    the generated `InspectContainerData`. Errors: `NotFound` for a container that is
    gone, `APIError` for what the service refuses."""

    def _stream(self, opener: Any, convert: Any) -> OutputStream[Any]:
        return OutputStream(lambda opened: mapped(opened, opener, convert))

    @property
    def image(self) -> Image:
        """The image it was created from (GET /libpod/images/{id}/json)."""
        from podman_sdk.images._manager import ImagesManager

        return ImagesManager._attached(self._api()).get(self.attrs.get("Image", ""))

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/containers/{id}/json."""
        self.attrs = perform(self._api(), d.inspect_call(self.id))

    def inspect(self) -> ContainerAttrs:
        """GET /libpod/containers/{id}/json, as the server answers it."""
        return perform(self._api(), d.inspect_call(self.id))

    def start(self, detach_keys: str | None = None) -> None:
        """POST /libpod/containers/{id}/start; a running one stays as it is."""
        perform(self._api(), d.start_call(self.id, detach_keys))

    def stop(self, all: bool = False, ignore: bool = False, timeout: int | None = None) -> None:
        """POST /libpod/containers/{id}/stop: SIGTERM, then SIGKILL after ``timeout``
        seconds (no call timeout cuts that wait). Already stopped raises `APIError`
        (HTTP 304) unless ``ignore``. ``all=True`` is not this container's verb:
        `InvalidArgument`."""
        if all:
            raise InvalidArgument("stop(all=True): stop each of client.containers.list()")
        perform_waiting(self._api(), d.stop_call(self.id, timeout, ignore), None)

    def restart(self, timeout: int | None = None) -> None:
        """POST /libpod/containers/{id}/restart (``timeout``: seconds before the kill)."""
        perform_waiting(self._api(), d.restart_call(self.id, timeout), None)

    def kill(self, signal: str | int | None = None) -> None:
        """POST /libpod/containers/{id}/kill (default SIGKILL)."""
        perform(self._api(), d.kill_call(self.id, signal))

    def pause(self) -> None:
        """POST /libpod/containers/{id}/pause (needs cgroups)."""
        perform(self._api(), d.simple_call("pause", self.id))

    def unpause(self) -> None:
        """POST /libpod/containers/{id}/unpause."""
        perform(self._api(), d.simple_call("unpause", self.id))

    def init(self) -> None:
        """POST /libpod/containers/{id}/init: prepare it without starting it."""
        perform(self._api(), d.simple_call("init", self.id))

    def remove(self, v: bool = False, link: bool = False, force: bool = False) -> None:
        """DELETE /libpod/containers/{id} (``client.containers.remove(self, ...)``)."""
        perform_waiting(self._api(), d.remove_call(self.id, v, link, force), None)

    def rename(self, name: str) -> None:
        """POST /libpod/containers/{id}/rename; ``attrs["Name"]`` follows."""
        perform(self._api(), d.rename_call(self.id, name))
        self.attrs["Name"] = name

    def resize(self, height: int | None = None, width: int | None = None) -> None:
        """POST /libpod/containers/{id}/resize: the tty's size."""
        perform(self._api(), d.resize_call(self.id, height, width))

    def update(self, **kwargs: Unpack[UpdateKeywords]) -> None:
        """POST /libpod/containers/{id}/update: resources, health check, restart
        policy (podman-py's keywords; an unknown one raises `InvalidArgument`)."""
        perform(self._api(), d.update_call(self.id, kwargs))

    def wait(
        self,
        condition: str | Sequence[str] | None = None,
        interval: str | None = None,
        timeout: float | None = None,
    ) -> int:
        """POST /libpod/containers/{id}/wait: the exit code once ``condition`` holds
        (default: exited). Waits as long as it takes, or ``timeout`` seconds, then
        raises `PodmanTimeoutError`; the client's call timeout does not apply."""
        return perform_waiting(self._api(), d.wait_call(self.id, condition, interval), timeout)

    def top(self, ps_args: str | None = None, stream: Literal[False] = False) -> TopAnswer:
        """GET /libpod/containers/{id}/top: ps's titles and processes."""
        if stream:
            raise InvalidArgument("top(stream=True) is not supported; call top() again")
        return perform(self._api(), d.top_call(self.id, ps_args))

    def diff(self) -> list[ChangeEntry]:
        """GET /libpod/containers/{id}/changes: the filesystem's changes."""
        return perform(self._api(), d.diff_call(self.id))

    def commit(
        self,
        repository: str | None = None,
        tag: str | None = None,
        *,
        author: str | None = None,
        changes: Sequence[str] | None = None,
        comment: str | None = None,
        conf: Mapping[str, object] | None = None,
        format: str | None = None,
        message: str | None = None,
        pause: bool | None = None,
    ) -> Image:
        """POST /libpod/commit: a new image from this container."""
        from podman_sdk.images._manager import ImagesManager

        call = d.commit_call(
            self.id, repository, tag, author=author, changes=changes, comment=comment,
            conf=conf, format=format, message=message, pause=pause,
        )  # fmt: skip
        return ImagesManager._attached(self._api()).get(perform(self._api(), call))

    def put_archive(self, path: str, data: bytes | None = None) -> bool:
        """PUT /libpod/containers/{id}/archive: extract the tar ``data`` into ``path``
        (None: a tar of the local ``path``). True on success; errors raise."""
        payload = d.local_tar(path) if data is None else data
        return perform(self._api(), d.put_archive_call(self.id, path, payload))

    # -- output -------------------------------------------------------------------------

    @overload
    def logs(
        self, *, stream: Literal[False] = False, stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool = False, until: Since = None,
    ) -> bytes: ...  # fmt: skip
    @overload
    def logs(
        self, *, stream: Literal[True], stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool | None = None, until: Since = None,
    ) -> OutputStream[bytes]: ...  # fmt: skip
    def logs(
        self, *, stream: bool = False, stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool | None = None, until: Since = None,
    ) -> bytes | OutputStream[bytes]:  # fmt: skip
        """GET /libpod/containers/{id}/logs: the output's bytes, stdout and stderr as
        they came, without frame headers; ``stream=True`` (which follows unless
        ``follow=False``) an `OutputStream` of chunks as they arrive. To keep stdout
        and stderr apart, `log_frames`."""
        query = data.log_arguments(
            stdout=stdout, stderr=stderr, follow=stream if follow is None else follow,
            timestamps=timestamps, tail=tail, since=since, until=until,
        )  # fmt: skip
        if stream:
            return self._stream(log_opener(self._api(), self.id, query), data.frame_data)
        frames = perform_waiting(self._api(), d.logs_call(self.id, query), None)
        return data.joined(frames)

    def log_frames(
        self, *, stdout: bool = True, stderr: bool = True, timestamps: bool = False,
        tail: int | str | None = None, since: Since = None, follow: bool = True,
        until: Since = None,
    ) -> OutputStream[Frame]:  # fmt: skip
        """The log as the generated `Frame` items (``frame.stream`` 1 stdout, 2 stderr,
        ``frame.data`` the bytes), following by default: stdout and stderr kept apart."""
        query = data.log_arguments(
            stdout=stdout, stderr=stderr, follow=follow, timestamps=timestamps, tail=tail,
            since=since, until=until,
        )  # fmt: skip
        return self._stream(log_opener(self._api(), self.id, query), same)

    @overload
    def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: Literal[False] = False,
        logs: bool = False,
    ) -> bytes: ...  # fmt: skip
    @overload
    def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: Literal[True], logs: bool = False
    ) -> OutputStream[bytes]: ...
    def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: bool = False, logs: bool = False
    ) -> bytes | OutputStream[bytes]:
        """POST /libpod/containers/{id}/attach: the output from now until the container
        ends (``logs``: what it wrote before, first), as bytes once it ended, or with
        ``stream=True`` as it arrives. (podman-py raises NotImplementedError here.)"""
        if not stream:
            call = d.attach_call(self.id, stdout, stderr, logs)
            frames = perform_waiting(self._api(), call, None)
            return data.joined(frames)
        api = self._api().api
        return self._stream(
            lambda: container_attach_libpod.stream(
                self.id, client=api, stdout=stdout, stderr=stderr, logs=logs, stream=True
            ),
            data.frame_data,
        )

    @overload
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[False] = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[False] = False,
    ) -> ExecResult[int, bytes]: ...  # fmt: skip
    @overload
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[False] = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[True],
    ) -> ExecResult[int, Demuxed]: ...  # fmt: skip
    @overload
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[True],
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[False] = False,
    ) -> ExecResult[None, OutputStream[bytes]]: ...  # fmt: skip
    @overload
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[True],
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[True],
    ) -> ExecResult[None, OutputStream[Demuxed]]: ...  # fmt: skip
    @overload
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[True], stream: bool = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: bool = False,
    ) -> ExecResult[None, bytes]: ...  # fmt: skip
    def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: bool = False, stream: bool = False,
        socket: bool = False, environment: Environment | None = None,
        workdir: str | None = None, demux: bool = False,
    ) -> ExecAnswer:  # fmt: skip
        """Run ``cmd`` in the container: POST /libpod/containers/{id}/exec, then
        POST /libpod/exec/{id}/start (its output, read without a call timeout), then
        GET /libpod/exec/{id}/json for the exit code. ``output`` is the process's
        bytes; ``demux=True`` gives ``(stdout, stderr)``; ``stream=True`` an
        `OutputStream` (exit code None); ``detach=True`` returns once it started.
        ``socket=True`` (a raw socket) raises `InvalidArgument`."""
        if socket:
            raise InvalidArgument("exec_run(socket=True) is not supported; use stream=True")
        connection = self._api()
        exec_id = perform(connection, d.exec_create_call(
            self.id, cmd, stdout=stdout, stderr=stderr, stdin=stdin, tty=tty,
            privileged=privileged, user=user, environment=environment, workdir=workdir,
        ))  # fmt: skip
        if detach:
            perform(connection, d.exec_detach_call(exec_id, tty))
            return ExecResult(None, b"")
        body = d.exec_start_body(False, tty)
        if stream:
            return ExecResult(None, self._stream(
                lambda: exec_start_libpod.stream(exec_id, client=connection.api, body=body),
                data.demuxed_frame if demux else data.frame_data,
            ))  # fmt: skip
        received = perform_waiting(connection, d.exec_output_call(exec_id, tty), None)
        code = perform(connection, d.exec_exit_code_call(exec_id))
        return (
            ExecResult(code, data.demuxed(received))
            if demux
            else ExecResult(code, data.joined(received))
        )

    def export(self, chunk_size: int | None = DEFAULT_CHUNK_SIZE) -> OutputStream[bytes]:
        """GET /libpod/containers/{id}/export: the filesystem as a tar, streamed in
        pieces of at most ``chunk_size`` bytes."""
        size = data.checked_chunk_size(chunk_size)
        api = self._api().api

        def produce(opened: Opened) -> Generator[bytes, None, None]:
            with container_export_libpod.stream(self.id, client=api) as chunks:
                opened.stream = chunks  # type: ignore[assignment]
                yield from data.in_chunks(chunks, size)

        return OutputStream(produce)

    def get_archive(
        self, path: str, chunk_size: int | None = DEFAULT_CHUNK_SIZE
    ) -> tuple[OutputStream[bytes], ArchiveStat]:
        """GET /libpod/containers/{id}/archive: a tar of ``path``, streamed, and the
        stat of ``path``. Raises `NotFound` for a missing path."""
        return open_archive(self._api(), self.id, path, chunk_size)

    @overload
    def stats(
        self, *, decode: Literal[False] = False, stream: Literal[True] = True
    ) -> OutputStream[bytes]: ...
    @overload
    def stats(
        self, *, decode: Literal[True], stream: Literal[True] = True
    ) -> OutputStream[StatsItem]: ...
    @overload
    def stats(self, *, decode: Literal[False] = False, stream: Literal[False]) -> bytes: ...
    @overload
    def stats(self, *, decode: Literal[True], stream: Literal[False]) -> StatsItem: ...
    def stats(
        self, *, decode: bool = False, stream: bool = True
    ) -> OutputStream[bytes] | OutputStream[StatsItem] | bytes | StatsItem:
        """GET /libpod/containers/{id}/stats: one JSON value a sample (``decode``: as
        a dict), as they come every second; ``stream=False`` the first alone. Podman
        reads them from the container's cgroup: without cgroups it answers an error."""
        api = self._api().api
        items = self._stream(
            lambda: container_stats_libpod.stream(self.id, client=api, stream=stream),
            data.stats_dict if decode else data.stats_json,
        )
        if stream:
            return items
        with items:
            first: bytes | StatsItem = next(items)
        return first


class AsyncContainer(ContainerBase[AsyncConnection]):
    """`Container` for asyncio, from an `AsyncPodmanClient`: the same data, verbs and
    decisions, every call awaited, every stream an `AsyncOutputStream`."""

    def _stream(self, opener: Any, convert: Any) -> AsyncOutputStream[Any]:
        return AsyncOutputStream(lambda opened: async_mapped(opened, opener, convert))

    @property
    async def image(self) -> AsyncImage:
        """``await container.image``: `Container.image`."""
        from podman_sdk.images._manager import AsyncImagesManager

        return await AsyncImagesManager._attached(self._api()).get(self.attrs.get("Image", ""))

    async def reload(self) -> None:
        """`Container.reload`."""
        self.attrs = await perform_async(self._api(), d.inspect_call(self.id))

    async def inspect(self) -> ContainerAttrs:
        """`Container.inspect`."""
        return await perform_async(self._api(), d.inspect_call(self.id))

    async def start(self, detach_keys: str | None = None) -> None:
        """`Container.start`."""
        await perform_async(self._api(), d.start_call(self.id, detach_keys))

    async def stop(
        self, all: bool = False, ignore: bool = False, timeout: int | None = None
    ) -> None:
        """`Container.stop`."""
        if all:
            raise InvalidArgument("stop(all=True): stop each of client.containers.list()")
        await perform_waiting_async(self._api(), d.stop_call(self.id, timeout, ignore), None)

    async def restart(self, timeout: int | None = None) -> None:
        """`Container.restart`."""
        await perform_waiting_async(self._api(), d.restart_call(self.id, timeout), None)

    async def kill(self, signal: str | int | None = None) -> None:
        """`Container.kill`."""
        await perform_async(self._api(), d.kill_call(self.id, signal))

    async def pause(self) -> None:
        """`Container.pause`."""
        await perform_async(self._api(), d.simple_call("pause", self.id))

    async def unpause(self) -> None:
        """`Container.unpause`."""
        await perform_async(self._api(), d.simple_call("unpause", self.id))

    async def init(self) -> None:
        """`Container.init`."""
        await perform_async(self._api(), d.simple_call("init", self.id))

    async def remove(self, v: bool = False, link: bool = False, force: bool = False) -> None:
        """`Container.remove`."""
        await perform_waiting_async(self._api(), d.remove_call(self.id, v, link, force), None)

    async def rename(self, name: str) -> None:
        """`Container.rename`."""
        await perform_async(self._api(), d.rename_call(self.id, name))
        self.attrs["Name"] = name

    async def resize(self, height: int | None = None, width: int | None = None) -> None:
        """`Container.resize`."""
        await perform_async(self._api(), d.resize_call(self.id, height, width))

    async def update(self, **kwargs: Unpack[UpdateKeywords]) -> None:
        """`Container.update`."""
        await perform_async(self._api(), d.update_call(self.id, kwargs))

    async def wait(
        self,
        condition: str | Sequence[str] | None = None,
        interval: str | None = None,
        timeout: float | None = None,
    ) -> int:
        """`Container.wait`: no call timeout unless ``timeout`` (`PodmanTimeoutError`)."""
        call = d.wait_call(self.id, condition, interval)
        return await perform_waiting_async(self._api(), call, timeout)

    async def top(self, ps_args: str | None = None, stream: Literal[False] = False) -> TopAnswer:
        """`Container.top`."""
        if stream:
            raise InvalidArgument("top(stream=True) is not supported; call top() again")
        return await perform_async(self._api(), d.top_call(self.id, ps_args))

    async def diff(self) -> list[ChangeEntry]:
        """`Container.diff`."""
        return await perform_async(self._api(), d.diff_call(self.id))

    async def commit(
        self,
        repository: str | None = None,
        tag: str | None = None,
        *,
        author: str | None = None,
        changes: Sequence[str] | None = None,
        comment: str | None = None,
        conf: Mapping[str, object] | None = None,
        format: str | None = None,
        message: str | None = None,
        pause: bool | None = None,
    ) -> AsyncImage:
        """`Container.commit`."""
        from podman_sdk.images._manager import AsyncImagesManager

        call = d.commit_call(
            self.id, repository, tag, author=author, changes=changes, comment=comment,
            conf=conf, format=format, message=message, pause=pause,
        )  # fmt: skip
        image_id = await perform_async(self._api(), call)
        return await AsyncImagesManager._attached(self._api()).get(image_id)

    async def put_archive(self, path: str, data: bytes | None = None) -> bool:
        """`Container.put_archive`."""
        payload = d.local_tar(path) if data is None else data
        return await perform_async(self._api(), d.put_archive_call(self.id, path, payload))

    # -- output -------------------------------------------------------------------------

    @overload
    async def logs(
        self, *, stream: Literal[False] = False, stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool = False, until: Since = None,
    ) -> bytes: ...  # fmt: skip
    @overload
    async def logs(
        self, *, stream: Literal[True], stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool | None = None, until: Since = None,
    ) -> AsyncOutputStream[bytes]: ...  # fmt: skip
    async def logs(
        self, *, stream: bool = False, stdout: bool = True, stderr: bool = True,
        timestamps: bool = False, tail: int | str | None = None, since: Since = None,
        follow: bool | None = None, until: Since = None,
    ) -> bytes | AsyncOutputStream[bytes]:  # fmt: skip
        """`Container.logs`: bytes, or with ``stream=True`` an `AsyncOutputStream`."""
        query = data.log_arguments(
            stdout=stdout, stderr=stderr, follow=stream if follow is None else follow,
            timestamps=timestamps, tail=tail, since=since, until=until,
        )  # fmt: skip
        if stream:
            return self._stream(log_opener(self._api(), self.id, query), data.frame_data)
        call = d.logs_call(self.id, query)
        frames = await perform_waiting_async(self._api(), call, None)
        return data.joined(frames)

    def log_frames(
        self, *, stdout: bool = True, stderr: bool = True, timestamps: bool = False,
        tail: int | str | None = None, since: Since = None, follow: bool = True,
        until: Since = None,
    ) -> AsyncOutputStream[Frame]:  # fmt: skip
        """`Container.log_frames`: ``async for frame in container.log_frames()``."""
        query = data.log_arguments(
            stdout=stdout, stderr=stderr, follow=follow, timestamps=timestamps, tail=tail,
            since=since, until=until,
        )  # fmt: skip
        return self._stream(log_opener(self._api(), self.id, query), same)

    @overload
    async def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: Literal[False] = False,
        logs: bool = False,
    ) -> bytes: ...  # fmt: skip
    @overload
    async def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: Literal[True], logs: bool = False
    ) -> AsyncOutputStream[bytes]: ...
    async def attach(
        self, *, stdout: bool = True, stderr: bool = True, stream: bool = False, logs: bool = False
    ) -> bytes | AsyncOutputStream[bytes]:
        """`Container.attach`."""
        if not stream:
            call = d.attach_call(self.id, stdout, stderr, logs)
            frames = await perform_waiting_async(self._api(), call, None)
            return data.joined(frames)
        api = self._api().api
        return self._stream(
            lambda: container_attach_libpod.asyncio_stream(
                self.id, client=api, stdout=stdout, stderr=stderr, logs=logs, stream=True
            ),
            data.frame_data,
        )

    @overload
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[False] = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[False] = False,
    ) -> ExecResult[int, bytes]: ...  # fmt: skip
    @overload
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[False] = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[True],
    ) -> ExecResult[int, Demuxed]: ...  # fmt: skip
    @overload
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[True],
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[False] = False,
    ) -> ExecResult[None, AsyncOutputStream[bytes]]: ...  # fmt: skip
    @overload
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[False] = False, stream: Literal[True],
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: Literal[True],
    ) -> ExecResult[None, AsyncOutputStream[Demuxed]]: ...  # fmt: skip
    @overload
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: Literal[True], stream: bool = False,
        socket: Literal[False] = False, environment: Environment | None = None,
        workdir: str | None = None, demux: bool = False,
    ) -> ExecResult[None, bytes]: ...  # fmt: skip
    async def exec_run(
        self, cmd: str | Sequence[str], *, stdout: bool = True, stderr: bool = True,
        stdin: bool = False, tty: bool = False, privileged: bool = False,
        user: str | None = None, detach: bool = False, stream: bool = False,
        socket: bool = False, environment: Environment | None = None,
        workdir: str | None = None, demux: bool = False,
    ) -> AsyncExecAnswer:  # fmt: skip
        """`Container.exec_run`, awaited; streams are `AsyncOutputStream`."""
        if socket:
            raise InvalidArgument("exec_run(socket=True) is not supported; use stream=True")
        connection = self._api()
        exec_id = await perform_async(connection, d.exec_create_call(
            self.id, cmd, stdout=stdout, stderr=stderr, stdin=stdin, tty=tty,
            privileged=privileged, user=user, environment=environment, workdir=workdir,
        ))  # fmt: skip
        if detach:
            await perform_async(connection, d.exec_detach_call(exec_id, tty))
            return ExecResult(None, b"")
        body = d.exec_start_body(False, tty)
        if stream:
            return ExecResult(None, self._stream(
                lambda: exec_start_libpod.asyncio_stream(exec_id, client=connection.api, body=body),
                data.demuxed_frame if demux else data.frame_data,
            ))  # fmt: skip
        received = await perform_waiting_async(connection, d.exec_output_call(exec_id, tty), None)
        code = await perform_async(connection, d.exec_exit_code_call(exec_id))
        return (
            ExecResult(code, data.demuxed(received))
            if demux
            else ExecResult(code, data.joined(received))
        )

    def export(self, chunk_size: int | None = DEFAULT_CHUNK_SIZE) -> AsyncOutputStream[bytes]:
        """`Container.export`: ``async for chunk in container.export()``."""
        size = data.checked_chunk_size(chunk_size)
        api = self._api().api

        async def produce(opened: Opened) -> AsyncGenerator[bytes, None]:
            async with container_export_libpod.asyncio_stream(self.id, client=api) as chunks:
                opened.stream = chunks  # type: ignore[assignment]
                async for chunk in chunks:
                    for piece in data.in_chunks([chunk], size):
                        yield piece

        return AsyncOutputStream(produce)

    @overload
    async def stats(
        self, *, decode: Literal[False] = False, stream: Literal[True] = True
    ) -> AsyncOutputStream[bytes]: ...
    @overload
    async def stats(
        self, *, decode: Literal[True], stream: Literal[True] = True
    ) -> AsyncOutputStream[StatsItem]: ...
    @overload
    async def stats(self, *, decode: Literal[False] = False, stream: Literal[False]) -> bytes: ...
    @overload
    async def stats(self, *, decode: Literal[True], stream: Literal[False]) -> StatsItem: ...
    async def stats(
        self, *, decode: bool = False, stream: bool = True
    ) -> AsyncOutputStream[bytes] | AsyncOutputStream[StatsItem] | bytes | StatsItem:
        """`Container.stats`."""
        api = self._api().api
        items = self._stream(
            lambda: container_stats_libpod.asyncio_stream(self.id, client=api, stream=stream),
            data.stats_dict if decode else data.stats_json,
        )
        if stream:
            return items
        async with items:
            first: bytes | StatsItem = await anext(items)
        return first

    async def get_archive(
        self, path: str, chunk_size: int | None = DEFAULT_CHUNK_SIZE
    ) -> tuple[AsyncOutputStream[bytes], ArchiveStat]:
        """`Container.get_archive`."""
        return await open_archive_async(self._api(), self.id, path, chunk_size)
