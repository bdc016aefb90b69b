"""`VolumesManager` (``client.volumes``) and its asyncio twin `AsyncVolumesManager`:
the collection verbs, podman-py's names and parameters. Each verb's decisions are the
`Call` of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk.volumes import _calls as calls
from podman_sdk.volumes._types import VolumeAttrs, VolumePruneReport
from podman_sdk.volumes._volume import AsyncVolume, Volume, VolumeBase

if TYPE_CHECKING:
    from libpod_client.models import VolumeConfigResponse

VolumeT = TypeVar("VolumeT", bound=VolumeBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, VolumeT]):
    """A volumes manager and the volumes it hands out, on its connection."""

    _volume_class: type[VolumeT]

    def _wrap(self, attrs: VolumeAttrs, model: VolumeConfigResponse | None = None) -> VolumeT:
        volume = self._volume_class._attached(self._connection)
        volume._store(attrs, model)
        return volume


def _name_of(name: Volume | AsyncVolume | str) -> str:
    return name.name if isinstance(name, VolumeBase) else name


class VolumesManager(_ManagerBase[Connection, Volume]):
    """``client.volumes``: create, get, list, exists, prune, remove, and a volume's
    content as a tar archive (`export_archive`, `import_archive`)."""

    _volume_class = Volume

    def create(
        self,
        name: str | None = None,
        *,
        driver: str | None = None,
        driver_opts: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Volume:
        """POST /libpod/volumes/create: a new volume (a generated name when ``name`` is
        None). Raises `Conflict` when the name is taken."""
        return self._wrap(
            *perform(self._api(), calls.create_call(name, driver, driver_opts, labels))
        )

    def exists(self, key: str) -> bool:
        """GET /libpod/volumes/{name}/exists."""
        return perform(self._api(), calls.exists_call(key))

    def get(self, volume_id: str) -> Volume:
        """GET /libpod/volumes/{name}/json. Raises `NotFound`."""
        return self._wrap(*perform(self._api(), calls.get_call(volume_id)))

    def list(self, *, filters: Filters | None = None) -> list[Volume]:
        """GET /libpod/volumes/json; ``filters``: driver, label, name, ... as libpod
        reads them."""
        return [self._wrap(attrs) for attrs in perform(self._api(), calls.list_call(filters))]

    def prune(self, filters: Filters | None = None) -> VolumePruneReport:
        """POST /libpod/volumes/prune: remove unused volumes (those ``filters`` select;
        podman-py ignores them, libpod reads them). Raises `APIError` naming each volume
        that could not be removed."""
        return perform(self._api(), calls.prune_call(filters))

    def remove(self, name: Volume | str, force: bool | None = None) -> None:
        """DELETE /libpod/volumes/{name}. Raises `NotFound`; `Conflict` when in use
        without ``force``."""
        perform(self._api(), calls.remove_call(_name_of(name), force))

    def export_archive(self, name: Volume | str) -> bytes:
        """GET /libpod/volumes/{name}/export: the volume's content as a tar archive.
        Raises `UnsupportedServer`, before sending, on a Podman without the route (4.3, 5.4: the
        pinned specs say, `_server_support`)."""
        return perform(self._api(), calls.export_call(_name_of(name)))

    def import_archive(
        self,
        name: Volume | str,
        data: bytes | None = None,
        path: str | os.PathLike[str] | None = None,
    ) -> None:
        """POST /libpod/volumes/{name}/import: replace the volume's content with an
        uncompressed tar archive, given as ``data`` or read from ``path`` (exactly one;
        `InvalidArgument` otherwise, or for a missing file, before any request)."""
        source = calls.import_source(data, path)
        payload = source if isinstance(source, bytes) else Path(source).read_bytes()
        perform(self._api(), calls.import_call(_name_of(name), payload))


class AsyncVolumesManager(_ManagerBase[AsyncConnection, AsyncVolume]):
    """``client.volumes`` of an `AsyncPodmanClient`: `VolumesManager`'s verbs, awaited."""

    _volume_class = AsyncVolume

    async def create(
        self,
        name: str | None = None,
        *,
        driver: str | None = None,
        driver_opts: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> AsyncVolume:
        """`VolumesManager.create`: POST /libpod/volumes/create."""
        call = calls.create_call(name, driver, driver_opts, labels)
        return self._wrap(*await perform_async(self._api(), call))

    async def exists(self, key: str) -> bool:
        """`VolumesManager.exists`: GET /libpod/volumes/{name}/exists."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get(self, volume_id: str) -> AsyncVolume:
        """`VolumesManager.get`: GET /libpod/volumes/{name}/json. Raises `NotFound`."""
        return self._wrap(*await perform_async(self._api(), calls.get_call(volume_id)))

    async def list(self, *, filters: Filters | None = None) -> list[AsyncVolume]:
        """`VolumesManager.list`: GET /libpod/volumes/json."""
        listed = await perform_async(self._api(), calls.list_call(filters))
        return [self._wrap(attrs) for attrs in listed]

    async def prune(self, filters: Filters | None = None) -> VolumePruneReport:
        """`VolumesManager.prune`: POST /libpod/volumes/prune."""
        return await perform_async(self._api(), calls.prune_call(filters))

    async def remove(self, name: AsyncVolume | str, force: bool | None = None) -> None:
        """`VolumesManager.remove`: DELETE /libpod/volumes/{name}."""
        await perform_async(self._api(), calls.remove_call(_name_of(name), force))

    async def export_archive(self, name: AsyncVolume | str) -> bytes:
        """`VolumesManager.export_archive`: GET /libpod/volumes/{name}/export."""
        return await perform_async(self._api(), calls.export_call(_name_of(name)))

    async def import_archive(
        self,
        name: AsyncVolume | str,
        data: bytes | None = None,
        path: str | os.PathLike[str] | None = None,
    ) -> None:
        """`VolumesManager.import_archive`: POST /libpod/volumes/{name}/import (the
        file is read in a worker thread)."""
        source = calls.import_source(data, path)
        payload = (
            source
            if isinstance(source, bytes)
            else await asyncio.to_thread(Path(source).read_bytes)
        )
        await perform_async(self._api(), calls.import_call(_name_of(name), payload))
