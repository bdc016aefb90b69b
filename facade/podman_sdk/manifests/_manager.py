"""`ManifestsManager` (``client.manifests``) and its asyncio twin
`AsyncManifestsManager`: the collection verbs, podman-py's names and parameters. Each
verb's decisions are the `Call` of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.manifests import _calls as calls
from podman_sdk.manifests._manifest import AsyncManifest, Manifest, ManifestBase
from podman_sdk.manifests._types import ManifestAttrs, ManifestRemoveReport

if TYPE_CHECKING:
    from libpod_client.models import Schema2ListPublic

    from podman_sdk.images._image import AsyncImage, Image

ManifestT = TypeVar("ManifestT", bound=ManifestBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, ManifestT]):
    """A manifests manager and the lists it hands out, on its connection."""

    _manifest_class: type[ManifestT]

    def _wrap(self, attrs: ManifestAttrs, model: Schema2ListPublic | None = None) -> ManifestT:
        manifest = self._manifest_class._attached(self._connection)
        manifest._store(attrs, model)
        return manifest


def _name_of(name: Manifest | AsyncManifest | str) -> str:
    return name.name if isinstance(name, ManifestBase) else name


class ManifestsManager(_ManagerBase[Connection, Manifest]):
    """``client.manifests``: create, get, list, exists and remove manifest lists."""

    _manifest_class = Manifest

    def create(
        self,
        name: str,
        images: Sequence[Image | str] | None = None,
        all: bool | None = None,
    ) -> Manifest:
        """POST /libpod/manifests/{name}: a new list holding ``images`` (an `Image` by
        its first tag; a name without a transport is read from its registry), or an
        empty one. Raises `APIError` for a name the server refuses, `ImageNotFound`."""
        created = perform(self._api(), calls.create_call(name, images, all))
        manifest = self.get(created)
        manifest.attrs["names"] = name
        return manifest

    def exists(self, key: str) -> bool:
        """GET /libpod/manifests/{name}/exists."""
        return perform(self._api(), calls.exists_call(key))

    def get(self, key: str) -> Manifest:
        """GET /libpod/manifests/{name}/json: the list, named ``key``. Raises `NotFound`."""
        return self._wrap(*perform(self._api(), calls.get_call(key)))

    def list(self) -> builtins.list[Manifest]:
        """The manifest lists in the store: GET /libpod/images/json, then each list's
        GET /libpod/manifests/{name}/json. podman-py raises NotImplementedError; this
        needs Podman 5 or later (`UnsupportedServer` before any listing on 4.x)."""
        connection = self._api()
        calls.require_marked_lists(connection.negotiate())
        return [self.get(name) for name in perform(connection, calls.list_names_call())]

    def remove(self, name: Manifest | str) -> ManifestRemoveReport:
        """DELETE /libpod/manifests/{name}: the list, not the images it names. Returns
        podman-py's report. Raises `ImageNotFound` for a missing list."""
        return perform(self._api(), calls.remove_call(_name_of(name)))


class AsyncManifestsManager(_ManagerBase[AsyncConnection, AsyncManifest]):
    """``client.manifests`` of an `AsyncPodmanClient`: `ManifestsManager`'s verbs,
    awaited."""

    _manifest_class = AsyncManifest

    async def create(
        self,
        name: str,
        images: Sequence[AsyncImage | str] | None = None,
        all: bool | None = None,
    ) -> AsyncManifest:
        """`ManifestsManager.create`: POST /libpod/manifests/{name}."""
        created = await perform_async(self._api(), calls.create_call(name, images, all))
        manifest = await self.get(created)
        manifest.attrs["names"] = name
        return manifest

    async def exists(self, key: str) -> bool:
        """`ManifestsManager.exists`: GET /libpod/manifests/{name}/exists."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get(self, key: str) -> AsyncManifest:
        """`ManifestsManager.get`: GET /libpod/manifests/{name}/json. Raises `NotFound`."""
        return self._wrap(*await perform_async(self._api(), calls.get_call(key)))

    async def list(self) -> builtins.list[AsyncManifest]:
        """`ManifestsManager.list`: Podman 5 or later."""
        connection = self._api()
        calls.require_marked_lists(await connection.negotiate())
        names = await perform_async(connection, calls.list_names_call())
        return [await self.get(name) for name in names]

    async def remove(self, name: AsyncManifest | str) -> ManifestRemoveReport:
        """`ManifestsManager.remove`: DELETE /libpod/manifests/{name}."""
        return await perform_async(self._api(), calls.remove_call(_name_of(name)))
