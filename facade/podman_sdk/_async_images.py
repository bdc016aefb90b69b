"""`AsyncImagesManager` (``async_client.images``): `ImagesManager`'s verbs, awaited.
Arguments are checked, requests built and answers decoded by the functions the sync
manager uses (``_images_rules``, ``_image_requests``, ``_image_answers``)."""

from __future__ import annotations

import builtins
import os
from typing import IO, TYPE_CHECKING

import podman_sdk._image_calls as calls
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._async_image import AsyncImage
from podman_sdk._calls import perform_async
from podman_sdk._filters import Filters
from podman_sdk._image_answers import image_name
from podman_sdk._image_types import PruneReport, RemoveReportEntry
from podman_sdk._images_rules import ManagerBase, distinct_images, load_source, loaded_lookups

if TYPE_CHECKING:
    from podman_sdk._archive import ProgressCallback
    from podman_sdk._async_archive import AsyncLoadSource
    from podman_sdk._registry_requests import SearchResult


class AsyncImagesManager(ManagerBase[AsyncConnection, AsyncImage]):
    """``async_client.images``: `ImagesManager`'s verbs for asyncio, each sending the
    same `Call` (``_image_calls``), awaited. The registry verbs pull, push, build and
    get_registry_data are not there yet. One made with ``AsyncImagesManager()`` is
    detached and its verbs raise `InvalidArgument`."""

    _image_class = AsyncImage

    async def get(self, name: str) -> AsyncImage:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        data = await perform_async(self._api(), calls.get_call(name))
        return self._wrap(data, data)

    async def exists(self, name: str) -> bool:
        """GET /libpod/images/{name}/exists: False on 404; any other error raises."""
        return await perform_async(self._api(), calls.exists_call(name))

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
        from podman_sdk._async_archive import load_archive

        source: AsyncLoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = await load_archive(self._api(), source, progress)
        return distinct_images([await self.get(name) for name in loaded_lookups(loaded)])

    async def search(
        self,
        term: str,
        *,
        limit: int | None = None,
        filters: Filters | None = None,
        list_tags: bool = False,
        tls_verify: bool = True,
    ) -> builtins.list[SearchResult]:
        """GET /libpod/images/search, as `ImagesManager.search`. Raises `ServerError`
        when the registry could not be searched."""
        from podman_sdk._registry_requests import search_call

        call = search_call(term, limit, filters, list_tags, tls_verify)
        return await perform_async(self._api(), call)
