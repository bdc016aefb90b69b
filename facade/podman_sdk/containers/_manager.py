"""`ContainersManager` (``client.containers``, podman-py's names) and its asyncio twin
`AsyncContainersManager`. Each verb checks its arguments and builds its call in
``_decisions`` (``_run`` for ``run()``); the two classes differ only in I/O."""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack, overload

import podman_sdk.containers._data as data
import podman_sdk.containers._decisions as d
import podman_sdk.containers._run as r
from podman_sdk._core._attached import Attached
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection, ConnectionBase
from podman_sdk._core._filters import Filters
from podman_sdk._exceptions import ContainerError, NotFound, PodmanError
from podman_sdk.containers._container import AsyncContainer, Container
from podman_sdk.containers._container_base import async_mapped, log_opener, mapped
from podman_sdk.containers._create_options import CreateKeywords, check_server_reads
from podman_sdk.containers._data import ContainerAttrs, ContainersPruneReport
from podman_sdk.containers._streams import (
    AsyncOutputStream,
    Opened,
    OutputStream,
    perform_waiting,
    perform_waiting_async,
)

if TYPE_CHECKING:
    from libpod_client.models import SpecGenerator

    from podman_sdk.images._image import AsyncImage, Image
    from podman_sdk.images._options import PullOptions

ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")
Command = str | Sequence[str] | None


def _follow(connection: ConnectionBase[Any], name: str, stdout: bool, stderr: bool) -> Any:
    query = data.log_arguments(
        stdout=stdout, stderr=stderr, follow=True, timestamps=False, tail=None, since=None,
        until=None,
    )  # fmt: skip
    return log_opener(connection, name, query)


class ContainersManager(Attached[Connection]):
    """``client.containers``: create, run, get, list, exists, prune, remove.

    Errors: `NotFound` for a missing container, `ImageNotFound`/`PullError` for an
    image that cannot be had, `ContainerError` when ``run()``'s command fails, another
    `APIError` for what the service refuses, `InvalidArgument` before any request."""

    def _wrap(self, attrs: ContainerAttrs) -> Container:
        container: Container = Container._attached(attrs, self._api())
        return container

    def get(self, key: str) -> Container:
        """GET /libpod/containers/{key}/json: by name or id. Raises `NotFound`."""
        return self._wrap(perform(self._api(), d.inspect_call(data.container_id(key))))

    def exists(self, key: str) -> bool:
        """GET /libpod/containers/{key}/exists: False on 404."""
        return perform(self._api(), d.exists_call(data.container_id(key)))

    def list(
        self,
        *,
        all: bool = False,
        since: str | None = None,
        before: str | None = None,
        limit: int | None = None,
        filters: Filters | None = None,
        sparse: bool = True,
        ignore_removed: bool = False,
    ) -> builtins.list[Container]:
        """GET /libpod/containers/json: running ones, or ``all``. ``since``/``before``
        (a container's name or id) and ``filters`` (libpod's: ``status``, ``label``,
        ``name``, ``id``, ``exited``, ``ancestor``...) narrow it, ``limit`` keeps the
        last created. ``sparse=False`` inspects each (`reload`); a container removed
        meanwhile raises `NotFound`, or is left out with ``ignore_removed``."""
        listed = perform(self._api(), d.list_call(all, filters, since, before, limit))
        containers = [self._wrap(attrs) for attrs in listed]
        if sparse:
            return containers
        kept = []
        for container in containers:
            try:
                container.reload()
            except NotFound:
                if not ignore_removed:
                    raise
                continue
            kept.append(container)
        return kept

    def prune(self, filters: Filters | None = None) -> ContainersPruneReport:
        """POST /libpod/containers/prune: remove stopped containers (``filters``:
        ``until``, ``label``). A container that could not be removed raises `APIError`."""
        return perform(self._api(), d.prune_call(filters))

    def remove(
        self,
        container_id: Container | str,
        v: bool = False,
        link: bool = False,
        force: bool = False,
    ) -> None:
        """DELETE /libpod/containers/{id}: ``force`` kills a running one first, ``v``
        removes its anonymous volumes. Raises `NotFound`, or `APIError` (409: running)."""
        call = d.remove_call(data.container_id(container_id), v, link, force)
        perform_waiting(self._api(), call, None)

    def create(
        self,
        image: Image | str,
        command: Command = None,
        *,
        detach: bool = True,
        remove: bool = False,
        spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> Container:
        """POST /libpod/containers/create, then its inspect. ``kwargs`` are podman-py's
        creation keywords (`CreateKeywords`; an unknown one raises `InvalidArgument`);
        ``spec``, the generated `SpecGenerator`, covers what they do not. ``remove``: Podman
        removes the container when it exits (podman-py's meaning). ``detach`` is taken as
        podman-py's callers pass it: a created container is neither started nor attached,
        whichever value it has."""
        body = d.creation_spec(r.image_name(image), command, spec, r.with_remove(kwargs, remove))
        return self._created(body)

    def _created(self, body: SpecGenerator) -> Container:
        # A field the connected release would skip silently is refused first.
        check_server_reads(body, self._api().negotiate())
        return self.get(perform(self._api(), d.create_call(body)))

    def _pull(self, image: str, options: PullOptions) -> None:
        from podman_sdk.images._manager import ImagesManager

        ImagesManager._attached(self._api()).pull(image, **options)

    def _create_pulling(self, body: SpecGenerator, image: str, pull: PullOptions) -> Container:
        policy = pull.get("policy") or "missing"
        if r.pulls_first(policy):
            self._pull(image, pull)
        try:
            return self._created(body)
        except PodmanError as error:
            if not r.pulls_after(policy, error):
                raise
        self._pull(image, pull)
        return self._created(body)

    def _cleanup(self, container: Container, in_flight: BaseException | None) -> None:
        try:
            call = d.remove_call(container.id, False, False, True, r.CLEANUP_STOP_TIMEOUT)
            perform_waiting(self._api(), call, None)
        except NotFound:
            pass  # gone already (auto_remove)
        except PodmanError as problem:
            r.note_failed_cleanup(in_flight, container.id, problem)

    @overload
    def run(
        self, image: Image | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[False] = False,
        stream: Literal[False] = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> bytes: ...  # fmt: skip
    @overload
    def run(
        self, image: Image | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[True],
        stream: bool = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> Container: ...  # fmt: skip
    @overload
    def run(
        self, image: Image | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[False] = False,
        stream: Literal[True], policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> OutputStream[bytes]: ...  # fmt: skip
    def run(
        self, image: Image | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: bool = False,
        stream: bool = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> bytes | Container | OutputStream[bytes]:  # fmt: skip
        """Create and start a container, podman-py's way (see ``_run``): pull ``image``
        if missing (``policy``, ``auth_config``, the ``platform`` keyword), wait for the command
        with no call timeout, and return its output as bytes (``stdout``/``stderr``
        choose the streams), or with ``stream=True`` an `OutputStream` followed as it
        comes, or with ``detach=True`` the started `Container`. ``remove`` removes it
        afterwards, whatever happened (detached: Podman removes it when it exits).

        Raises `ContainerError` (with the container's stderr) for a non-zero exit."""
        name = r.image_name(image)
        body = r.run_spec(name, command, spec, kwargs, detach=detach, remove=remove, policy=policy)
        pull: PullOptions = {
            "policy": policy,
            "auth_config": auth_config,
            "platform": kwargs.get("platform"),
        }
        container = self._create_pulling(body, name, pull)
        handed_over = False
        in_flight: BaseException | None = None
        try:
            container.start()
            if detach:
                container.reload()
                handed_over = True
                return container
            if stream:
                handed_over = True
                return self._run_stream(
                    container,
                    command=command,
                    image=name,
                    stdout=stdout,
                    stderr=stderr,
                    remove=remove,
                )
            status = container.wait()
            output = container.logs(stdout=stdout, stderr=stderr) if stdout or stderr else b""
            if status != 0:
                failure = container.logs(stdout=False, stderr=True)
                raise ContainerError(container, status, _shown(command), name, failure)
            return output
        except BaseException as error:
            in_flight = error
            raise
        finally:
            if remove and not handed_over:
                self._cleanup(container, in_flight)

    def _run_stream(
        self, container: Container, *, command: Command, image: str, stdout: bool, stderr: bool,
        remove: bool,
    ) -> OutputStream[bytes]:  # fmt: skip
        opener = _follow(self._api(), container.id, stdout, stderr)

        def produce(opened: Opened) -> Generator[bytes, None, None]:
            in_flight: BaseException | None = None
            try:
                yield from mapped(opened, opener, data.frame_data)
                if opened.closed:
                    return
                status = container.wait()
                if status != 0:
                    failure = container.logs(stdout=False, stderr=True)
                    raise ContainerError(container, status, _shown(command), image, failure)
            except BaseException as error:
                in_flight = r.still_in_flight(error)
                raise
            finally:
                finish = opened.take_finish()
                if finish is not None:
                    finish(in_flight)

        output = OutputStream(produce)
        if remove:
            output._opened.finish = partial(self._cleanup, container)
        return output


def _shown(command: Command) -> str | list[str] | None:
    return command if command is None or isinstance(command, str) else list(command)


class AsyncContainersManager(Attached[AsyncConnection]):
    """``AsyncPodmanClient.containers``: `ContainersManager`'s verbs, awaited; its
    containers are `AsyncContainer`, its streams `AsyncOutputStream`."""

    def _wrap(self, attrs: ContainerAttrs) -> AsyncContainer:
        container: AsyncContainer = AsyncContainer._attached(attrs, self._api())
        return container

    async def get(self, key: str) -> AsyncContainer:
        """`ContainersManager.get`."""
        return self._wrap(await perform_async(self._api(), d.inspect_call(data.container_id(key))))

    async def exists(self, key: str) -> bool:
        """`ContainersManager.exists`."""
        return await perform_async(self._api(), d.exists_call(data.container_id(key)))

    async def list(
        self,
        *,
        all: bool = False,
        since: str | None = None,
        before: str | None = None,
        limit: int | None = None,
        filters: Filters | None = None,
        sparse: bool = True,
        ignore_removed: bool = False,
    ) -> builtins.list[AsyncContainer]:
        """`ContainersManager.list`."""
        listed = await perform_async(self._api(), d.list_call(all, filters, since, before, limit))
        containers = [self._wrap(attrs) for attrs in listed]
        if sparse:
            return containers
        kept = []
        for container in containers:
            try:
                await container.reload()
            except NotFound:
                if not ignore_removed:
                    raise
                continue
            kept.append(container)
        return kept

    async def prune(self, filters: Filters | None = None) -> ContainersPruneReport:
        """`ContainersManager.prune`."""
        return await perform_async(self._api(), d.prune_call(filters))

    async def remove(
        self,
        container_id: AsyncContainer | str,
        v: bool = False,
        link: bool = False,
        force: bool = False,
    ) -> None:
        """`ContainersManager.remove`."""
        call = d.remove_call(data.container_id(container_id), v, link, force)
        await perform_waiting_async(self._api(), call, None)

    async def create(
        self,
        image: AsyncImage | str,
        command: Command = None,
        *,
        detach: bool = True,
        remove: bool = False,
        spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> AsyncContainer:
        """`ContainersManager.create`."""
        body = d.creation_spec(r.image_name(image), command, spec, r.with_remove(kwargs, remove))
        return await self._created(body)

    async def _created(self, body: SpecGenerator) -> AsyncContainer:
        # A field the connected release would skip silently is refused first.
        check_server_reads(body, await self._api().negotiate())
        return await self.get(await perform_async(self._api(), d.create_call(body)))

    async def _pull(self, image: str, options: PullOptions) -> None:
        from podman_sdk.images._manager import AsyncImagesManager

        await AsyncImagesManager._attached(self._api()).pull(image, **options)

    async def _create_pulling(
        self, body: SpecGenerator, image: str, pull: PullOptions
    ) -> AsyncContainer:
        policy = pull.get("policy") or "missing"
        if r.pulls_first(policy):
            await self._pull(image, pull)
        try:
            return await self._created(body)
        except PodmanError as error:
            if not r.pulls_after(policy, error):
                raise
        await self._pull(image, pull)
        return await self._created(body)

    async def _cleanup(self, container: AsyncContainer, in_flight: BaseException | None) -> None:
        try:
            call = d.remove_call(container.id, False, False, True, r.CLEANUP_STOP_TIMEOUT)
            await perform_waiting_async(self._api(), call, None)
        except NotFound:
            pass
        except PodmanError as problem:
            r.note_failed_cleanup(in_flight, container.id, problem)

    @overload
    async def run(
        self, image: AsyncImage | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[False] = False,
        stream: Literal[False] = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> bytes: ...  # fmt: skip
    @overload
    async def run(
        self, image: AsyncImage | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[True],
        stream: bool = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> AsyncContainer: ...  # fmt: skip
    @overload
    async def run(
        self, image: AsyncImage | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: Literal[False] = False,
        stream: Literal[True], policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> AsyncOutputStream[bytes]: ...  # fmt: skip
    async def run(
        self, image: AsyncImage | str, command: Command = None, *, stdout: bool = True,
        stderr: bool = False, remove: bool = False, detach: bool = False,
        stream: bool = False, policy: r.PullPolicy = "missing",
        auth_config: Mapping[str, str] | None = None, spec: SpecGenerator | None = None,
        **kwargs: Unpack[CreateKeywords],
    ) -> bytes | AsyncContainer | AsyncOutputStream[bytes]:  # fmt: skip
        """`ContainersManager.run`, awaited; a cancelled task removes the container
        too when ``remove``."""
        name = r.image_name(image)
        body = r.run_spec(name, command, spec, kwargs, detach=detach, remove=remove, policy=policy)
        pull: PullOptions = {
            "policy": policy,
            "auth_config": auth_config,
            "platform": kwargs.get("platform"),
        }
        container = await self._create_pulling(body, name, pull)
        handed_over = False
        in_flight: BaseException | None = None
        try:
            await container.start()
            if detach:
                await container.reload()
                handed_over = True
                return container
            if stream:
                handed_over = True
                return self._run_stream(
                    container,
                    command=command,
                    image=name,
                    stdout=stdout,
                    stderr=stderr,
                    remove=remove,
                )
            status = await container.wait()
            output = await container.logs(stdout=stdout, stderr=stderr) if stdout or stderr else b""
            if status != 0:
                failure = await container.logs(stdout=False, stderr=True)
                raise ContainerError(container, status, _shown(command), name, failure)
            return output
        except BaseException as error:
            in_flight = error
            raise
        finally:
            if remove and not handed_over:
                await self._cleanup(container, in_flight)

    def _run_stream(
        self, container: AsyncContainer, *, command: Command, image: str, stdout: bool,
        stderr: bool, remove: bool,
    ) -> AsyncOutputStream[bytes]:  # fmt: skip
        opener = _follow(self._api(), container.id, stdout, stderr)

        async def produce(opened: Opened) -> AsyncGenerator[bytes, None]:
            in_flight: BaseException | None = None
            try:
                async for chunk in async_mapped(opened, opener, data.frame_data):
                    yield chunk
                if opened.closed:
                    return
                status = await container.wait()
                if status != 0:
                    failure = await container.logs(stdout=False, stderr=True)
                    raise ContainerError(container, status, _shown(command), image, failure)
            except BaseException as error:
                in_flight = r.still_in_flight(error)
                raise
            finally:
                finish = opened.take_finish()
                if finish is not None:
                    await finish(in_flight)  # type: ignore[misc]

        output = AsyncOutputStream(produce)
        if remove:
            output._opened.finish = partial(self._cleanup, container)
        return output
