"""`AsyncImage`: `Image` for asyncio. Its data and the verbs' decisions are
`ImageBase`'s; each verb sends the same request and decodes the answer with the same
function as `Image`'s, awaited."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import podman_sdk._image_calls as calls
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._calls import perform_async
from podman_sdk._errors import InvalidArgument
from podman_sdk._image_base import DEFAULT_CHUNK_SIZE, ImageBase, save_name
from podman_sdk._image_types import HistoryEntry, RemoveReportEntry

# The archive code loads on first save (tests/bench/bench_startup.py).
if TYPE_CHECKING:
    from libpod_client.models import ImageData

    from podman_sdk._archive import ProgressCallback, SavedArchive
    from podman_sdk._async_archive import AsyncSaveStream


class AsyncImage(ImageBase[AsyncConnection]):
    """A local image, from an `AsyncPodmanClient`: `Image`'s data and verbs, awaited.

    `model` does no I/O here: it is there for an image from ``get()`` or after
    ``await image.reload()``; on one from ``list()`` before that it raises
    `InvalidArgument`. ``AsyncImage(attrs)`` alone makes a detached image."""

    @property
    def model(self) -> ImageData:
        """The inspect data as the generated typed model (see the class docstring)."""
        model = self._model_from_inspect()
        if model is None:
            raise InvalidArgument(
                f"image {self.short_id} came from list(): await image.reload() for its model"
            )
        return model

    # -- verbs: Image's calls (_image_calls), awaited -------------------------------------

    async def reload(self, compatible: bool = False) -> None:
        """`Image.reload`: GET /libpod/images/{id}/json (``compatible``: Docker's
        GET /images/{id}/json). Raises `ImageNotFound`."""
        call = calls.reload_call(self.id, self.short_id, compatible)
        self._store_inspect(*await perform_async(self._api(), call))

    async def history(self) -> list[HistoryEntry]:
        """`Image.history`: the layers, newest first."""
        return await perform_async(self._api(), calls.history_call(self.id, self.short_id))

    async def remove(self, force: bool = False, noprune: bool = False) -> list[RemoveReportEntry]:
        """`Image.remove`: ``await client.images.remove(self.id, ...)``."""
        return await perform_async(self._api(), calls.remove_call(self.id, force, noprune))

    async def tag(self, repository: str, tag: str | None = None, force: bool = False) -> bool:
        """`Image.tag`: POST /libpod/images/{id}/tag; True on success, False for what
        ``force=True`` forgives (a client error, a target Podman would refuse)."""
        call = calls.tag_call(self.id, repository, tag, force)
        return call is not None and await perform_async(self._api(), call)

    async def untag(self, repository: str | None = None, tag: str | None = None) -> bool:
        """`Image.untag`: one tag, or every tag when ``repository`` is None."""
        return await perform_async(self._api(), calls.untag_call(self.id, repository, tag))

    def save(
        self, chunk_size: int | None = DEFAULT_CHUNK_SIZE, named: bool | str = False
    ) -> AsyncSaveStream:
        """`Image.save` for ``async for``: GET /libpod/images/{name}/get as a
        docker-archive, in chunks of at most ``chunk_size`` bytes (None: as received).
        Not awaited: the request goes out on the first ``__anext__``. Use it with
        ``async with`` to release the connection when leaving early."""
        from podman_sdk._archive import check_chunk_size
        from podman_sdk._async_archive import AsyncSaveStream, export_chunks

        name = save_name(self.id, self.tags, named)
        size = check_chunk_size(chunk_size)
        connection = self._api()
        return AsyncSaveStream(lambda: export_chunks(connection, name, size))

    async def save_to(
        self,
        path: str | Path,
        named: bool | str = False,
        *,
        progress: ProgressCallback | None = None,
    ) -> SavedArchive:
        """`Image.save_to`, awaited: through a temporary file beside ``path``, renamed
        at the end; on any error, or a cancelled task, nothing is left at ``path`` or
        beside it."""
        from podman_sdk._async_archive import export_image_to_path

        name = save_name(self.id, self.tags, named)
        return await export_image_to_path(self._api(), name, Path(path), progress)
