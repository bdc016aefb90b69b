"""`QuadletsManager` (``client.quadlets``) and its asyncio twin `AsyncQuadletsManager`:
the collection verbs, podman-py's names and parameters. Each verb's decisions are the
`Call` of ``_calls``; the twins differ only in awaiting it (and reading files in a
worker thread)."""

from __future__ import annotations

import asyncio
import builtins
from typing import Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk.quadlets import _calls as calls
from podman_sdk.quadlets._calls import QuadletFiles
from podman_sdk.quadlets._quadlet import AsyncQuadlet, Quadlet, QuadletBase
from podman_sdk.quadlets._types import QuadletAttrs, QuadletInstallReport

QuadletT = TypeVar("QuadletT", bound=QuadletBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, QuadletT]):
    _quadlet_class: type[QuadletT]

    def _wrap(self, attrs: QuadletAttrs) -> QuadletT:
        quadlet = self._quadlet_class._attached(self._connection)
        quadlet._store(attrs)
        return quadlet


def _name_of(name: Quadlet | AsyncQuadlet | str | None) -> str | None:
    return name.name if isinstance(name, QuadletBase) else name


class QuadletsManager(_ManagerBase[Connection, Quadlet]):
    """``client.quadlets``: the quadlet files of the service's user (Podman 5.8 and
    later; an older service raises `UnsupportedServer` before anything is sent)."""

    _quadlet_class = Quadlet

    def list(self, *, filters: Filters | None = None) -> list[Quadlet]:
        """GET /libpod/quadlets/json; ``filters``: name (wildcards allowed), ..."""
        return [self._wrap(a) for a in perform(self._api(), calls.list_call(filters))]

    def get(self, name: str) -> Quadlet:
        """The quadlet of that file name (GET /libpod/quadlets/json, filtered). Raises
        `NotFound`."""
        return self._wrap(perform(self._api(), calls.get_call(name)))

    def exists(self, key: str) -> bool:
        """GET /libpod/quadlets/{name}/exists."""
        return perform(self._api(), calls.exists_call(key))

    def get_contents(self, name: Quadlet | str) -> str:
        """GET /libpod/quadlets/{name}/file: the file's text. Raises `NotFound`."""
        return perform(self._api(), calls.contents_call(_name_of(name)))

    def print_contents(self, name: Quadlet | str) -> None:
        """Print the file's text, without surrounding blank space (podman-py's)."""
        print(self.get_contents(name).strip())

    def delete(
        self,
        name: Quadlet | str | None = None,
        *,
        all: bool | None = None,  # podman-py's name
        force: bool | None = None,
        ignore: bool | None = None,
        reload_systemd: bool | None = None,
    ) -> builtins.list[str]:
        """DELETE /libpod/quadlets/{name} (or every quadlet with ``all=True``; exactly
        one of the two): the names removed. ``force`` stops running ones first,
        ``ignore`` accepts missing ones, ``reload_systemd`` (default True). Raises
        `NotFound`, or `APIError` naming the quadlets that were not removed."""
        call = calls.delete_call(_name_of(name), all, force, ignore, reload_systemd)
        return perform(self._api(), call)

    def install(
        self,
        files: QuadletFiles,
        *,
        replace: bool = False,
        reload_systemd: bool = True,
    ) -> QuadletInstallReport:
        """POST /libpod/quadlets: install one quadlet file with its assets, each given
        as ``(file name, content)`` or a path (one ``.tar`` path is sent as it is).
        Every file is read before the request; a missing one raises `InvalidArgument`.
        Raises `APIError` (400) when the server refuses a file."""
        archive = calls.install_archive(files)
        return perform(self._api(), calls.install_call(archive, replace, reload_systemd))


class AsyncQuadletsManager(_ManagerBase[AsyncConnection, AsyncQuadlet]):
    """``client.quadlets`` of an `AsyncPodmanClient`: `QuadletsManager`'s verbs, awaited."""

    _quadlet_class = AsyncQuadlet

    async def list(self, *, filters: Filters | None = None) -> list[AsyncQuadlet]:
        """`QuadletsManager.list`: GET /libpod/quadlets/json."""
        listed = await perform_async(self._api(), calls.list_call(filters))
        return [self._wrap(a) for a in listed]

    async def get(self, name: str) -> AsyncQuadlet:
        """`QuadletsManager.get`. Raises `NotFound`."""
        return self._wrap(await perform_async(self._api(), calls.get_call(name)))

    async def exists(self, key: str) -> bool:
        """`QuadletsManager.exists`: GET /libpod/quadlets/{name}/exists."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get_contents(self, name: AsyncQuadlet | str) -> str:
        """`QuadletsManager.get_contents`: GET /libpod/quadlets/{name}/file."""
        return await perform_async(self._api(), calls.contents_call(_name_of(name)))

    async def print_contents(self, name: AsyncQuadlet | str) -> None:
        """`QuadletsManager.print_contents`, awaited."""
        print((await self.get_contents(name)).strip())

    async def delete(
        self,
        name: AsyncQuadlet | str | None = None,
        *,
        all: bool | None = None,  # podman-py's name
        force: bool | None = None,
        ignore: bool | None = None,
        reload_systemd: bool | None = None,
    ) -> builtins.list[str]:
        """`QuadletsManager.delete`: DELETE /libpod/quadlets/{name} or all of them."""
        call = calls.delete_call(_name_of(name), all, force, ignore, reload_systemd)
        return await perform_async(self._api(), call)

    async def install(
        self,
        files: QuadletFiles,
        *,
        replace: bool = False,
        reload_systemd: bool = True,
    ) -> QuadletInstallReport:
        """`QuadletsManager.install` (files read in a worker thread): POST /libpod/quadlets."""
        archive = await asyncio.to_thread(calls.install_archive, files)
        call = calls.install_call(archive, replace, reload_systemd)
        return await perform_async(self._api(), call)
