"""The local verbs of both images managers (`LocalVerbs` under `ImagesManager`,
`AsyncLocalVerbs` under `AsyncImagesManager`): what reads or changes the store without
a registry. Each sends the same `Call` (``_calls``); the twins differ only in awaiting
it."""

from __future__ import annotations

import builtins
import os
from typing import IO, TYPE_CHECKING

import podman_sdk.images._calls as calls
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk._exceptions import PruneReport
from podman_sdk.images._answers import image_name
from podman_sdk.images._calls import exists_call, get_call, list_call, prune_call, remove_call
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._rules import ManagerBase, distinct_images, load_source, loaded_lookups
from podman_sdk.images._types import BuildPruneReport, RemoveReportEntry, ScpReport

if TYPE_CHECKING:
    from podman_sdk.images._archive import ProgressCallback
    from podman_sdk.images._load import AsyncLoadSource, LoadSource


class LocalVerbs(ManagerBase[Connection, Image]):
    """`ImagesManager`'s verbs on the local store."""

    def get(self, name: str) -> Image:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        data = perform(self._api(), get_call(name))
        return self._wrap(data, data)

    def exists(self, name: str) -> bool:
        """GET /libpod/images/{name}/exists: False on 404; any other error raises. A
        string that is no valid name or id is False at once (it could never exist)."""
        call = exists_call(name)
        return False if call is None else perform(self._api(), call)

    def list(
        self, all: bool = False, filters: Filters | None = None, name: str | None = None
    ) -> builtins.list[Image]:
        """GET /libpod/images/json. ``filters`` as libpod names them (``dangling``,
        ``label``, ``reference``, ``before``, ``since``...): values may be str, bool,
        int, a list of str, or for ``label`` a dict. ``name`` filters by reference."""
        return [self._wrap(raw) for raw in perform(self._api(), list_call(all, filters, name))]

    def remove(
        self, image: Image | str, force: bool = False, noprune: bool = False
    ) -> builtins.list[RemoveReportEntry]:
        """DELETE /libpod/images/{name}. Returns podman-py's report: entries keyed
        ``Untagged``, ``Deleted``, ``Errors``, ``ExitCode``. An image in use raises
        `Conflict` (unless ``force``); a missing one `ImageNotFound`."""
        return perform(self._api(), remove_call(image_name(image), force, noprune))

    def prune(
        self, all: bool = False, external: bool = False, filters: Filters | None = None
    ) -> PruneReport:
        """POST /libpod/images/prune: remove dangling images (``all``: every unused
        one). Raises `PruneError`, carrying what was deleted, if any image failed."""
        return perform(self._api(), prune_call(all, external, filters))

    def load(
        self,
        data: bytes | IO[bytes] | LoadSource | None = None,
        file_path: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[Image]:
        """POST /libpod/images/load from bytes, a binary file, an iterable of bytes or
        ``file_path``, in bounded memory; the loaded images. ``progress`` gets the
        bytes sent so far and the total when known. A file that cannot be opened or
        read raises `LocalFileError` (an `OSError` too)."""
        from podman_sdk.images._load import load_archive

        source: LoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = load_archive(self._api(), source, progress)
        return distinct_images([self.get(name) for name in loaded_lookups(loaded)])

    def prune_builds(self) -> BuildPruneReport:
        """podman-py's report, without a request: Podman keeps no build cache apart
        from images (its layers are images, which `prune` removes), so there is never
        a cache to delete."""
        return {"CachesDeleted": [], "SpaceReclaimed": 0}

    def scp(self, source: str, dest: str | None = None, quiet: bool | None = False) -> ScpReport:
        """POST /libpod/images/scp/{name}: copy an image between hosts over ssh, as the
        service runs it (``source``/``dest``: ``[user@host[:port]::]image`` or a
        connection name). Raises `APIError` with the service's reason when it cannot."""
        return perform(self._api(), calls.scp_call(source, dest, quiet))


class AsyncLocalVerbs(ManagerBase[AsyncConnection, AsyncImage]):
    """`AsyncImagesManager`'s verbs on the local store: `LocalVerbs`', awaited."""

    async def get(self, name: str) -> AsyncImage:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        data = await perform_async(self._api(), calls.get_call(name))
        return self._wrap(data, data)

    async def exists(self, name: str) -> bool:
        """`ImagesManager.exists`: GET /libpod/images/{name}/exists."""
        call = calls.exists_call(name)
        return False if call is None else await perform_async(self._api(), call)

    async def list(
        self, all: bool = False, filters: Filters | None = None, name: str | None = None
    ) -> builtins.list[AsyncImage]:
        """GET /libpod/images/json, filtered as `ImagesManager.list` describes."""
        found = await perform_async(self._api(), calls.list_call(all, filters, name))
        return [self._wrap(raw) for raw in found]

    async def remove(
        self, image: AsyncImage | str, force: bool = False, noprune: bool = False
    ) -> builtins.list[RemoveReportEntry]:
        """DELETE /libpod/images/{name}: podman-py's report. Raises `Conflict` for an
        image in use (unless ``force``), `ImageNotFound` for a missing one."""
        call = calls.remove_call(image_name(image), force, noprune)
        return await perform_async(self._api(), call)

    async def prune(
        self, all: bool = False, external: bool = False, filters: Filters | None = None
    ) -> PruneReport:
        """POST /libpod/images/prune. Raises `PruneError` if any image failed."""
        return await perform_async(self._api(), calls.prune_call(all, external, filters))

    async def load(
        self,
        data: bytes | IO[bytes] | AsyncLoadSource | None = None,
        file_path: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[AsyncImage]:
        """POST /libpod/images/load from bytes, a binary file, an iterable or an async
        iterable of bytes, or ``file_path``, in bounded memory; the loaded images."""
        from podman_sdk.images._load import async_load_archive

        source: AsyncLoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = await async_load_archive(self._api(), source, progress)
        return distinct_images([await self.get(name) for name in loaded_lookups(loaded)])

    async def prune_builds(self) -> BuildPruneReport:
        """`LocalVerbs.prune_builds`: no request, nothing to delete."""
        return {"CachesDeleted": [], "SpaceReclaimed": 0}

    async def scp(
        self, source: str, dest: str | None = None, quiet: bool | None = False
    ) -> ScpReport:
        """`LocalVerbs.scp`: POST /libpod/images/scp/{name}."""
        return await perform_async(self._api(), calls.scp_call(source, dest, quiet))
