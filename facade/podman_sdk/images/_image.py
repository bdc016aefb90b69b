"""`Image`: one local image and its instance verbs (podman-py's names). Its data and
the verbs' decisions are `ImageBase`'s, shared with `AsyncImage`.

`AsyncImage`: `Image` for asyncio. Its data and the verbs' decisions are
`ImageBase`'s; each verb sends the same request and decodes the answer with the same
function as `Image`'s, awaited.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import podman_sdk.images._calls as calls
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._calls import history_call, reload_call, remove_call, tag_call, untag_call
from podman_sdk.images._image_base import DEFAULT_CHUNK_SIZE, ImageBase, save_name
from podman_sdk.images._types import HistoryEntry, RemoveReportEntry

if TYPE_CHECKING:
    from libpod_client.models import ImageData

    from podman_sdk.images._archive import (
        AsyncSaveStream,
        ProgressCallback,
        SavedArchive,
        SaveStream,
    )


__all__ = ["DEFAULT_CHUNK_SIZE", "Image", "save_name"]


class Image(ImageBase[Connection]):
    """A local image. ``attrs`` holds the server's data in the documented `ImageAttrs`
    shape; `model` gives the generated typed model behind it.

    Images come from ``client.images`` (``get``, ``list``, ``pull``...), attached to
    that client's connection. ``Image(attrs)`` alone makes a detached one, whose data
    can be read but whose verbs raise `InvalidArgument`."""

    @property
    def model(self) -> ImageData:
        """The inspect data as the generated typed model (fetched on first use when
        this image came from ``list()``)."""
        if self._model_from_inspect() is None:
            self.reload()
        assert self._model is not None
        return self._model

    # -- verbs --------------------------------------------------------------------------

    def reload(self, compatible: bool = False) -> None:
        """Refresh ``attrs``: GET /libpod/images/{id}/json, or with ``compatible=True``
        the Docker-compatible GET /images/{id}/json. Raises `ImageNotFound`."""
        self._store_inspect(*perform(self._api(), reload_call(self.id, self.short_id, compatible)))

    def history(self) -> list[HistoryEntry]:
        """GET /libpod/images/{id}/history: the layers, newest first."""
        return perform(self._api(), history_call(self.id, self.short_id))

    def remove(self, force: bool = False, noprune: bool = False) -> list[RemoveReportEntry]:
        """Remove this image (``client.images.remove(self.id, ...)``)."""
        return perform(self._api(), remove_call(self.id, force, noprune))

    def tag(self, repository: str, tag: str | None = None, force: bool = False) -> bool:
        """POST /libpod/images/{id}/tag. True on success. ``force=True`` turns a client
        error (4xx) or a target Podman would refuse into False; server and connection
        errors always raise. The target is checked before any request
        (`InvalidArgument`, see `tag_target`)."""
        call = tag_call(self.id, repository, tag, force)
        return False if call is None else perform(self._api(), call)

    def untag(self, repository: str | None = None, tag: str | None = None) -> bool:
        """POST /libpod/images/{id}/untag: remove one tag, or every tag when
        ``repository`` is None. True on success."""
        return perform(self._api(), untag_call(self.id, repository, tag))

    def save(
        self, chunk_size: int | None = DEFAULT_CHUNK_SIZE, named: bool | str = False
    ) -> SaveStream:
        """GET /libpod/images/{name}/get as a docker-archive, streamed: an iterator of
        chunks of at most ``chunk_size`` bytes (``None``: as received), and a context
        manager that closes the connection if left early.

        ``named=False`` exports by id (no tag in the archive); ``True`` under the first
        tag (an untagged image raises `InvalidArgument`); a string must match one of
        the image's tags."""
        from podman_sdk.images._archive import SaveStream, check_chunk_size, export_chunks

        name = save_name(self.id, self.tags, named)
        size = check_chunk_size(chunk_size)
        connection = self._api()
        return SaveStream(lambda: export_chunks(connection, name, size))

    def save_to(
        self,
        path: str | Path,
        named: bool | str = False,
        *,
        progress: ProgressCallback | None = None,
    ) -> SavedArchive:
        """Save to ``path`` through a temporary file beside it, renamed at the end;
        returns the path, size and sha256 (computed while writing). On any error or
        interrupt nothing is left at ``path`` or beside it. ``progress`` is called
        with the bytes written so far (and None: an export's size is not known) as
        the archive arrives. The file gets the permissions the umask gives.

        Raises `LocalFileError` (also an `OSError`, naming ``path``) when the
        directory is missing, the file cannot be created or the disk fills up."""
        from podman_sdk.images._archive import export_image_to_path

        name = save_name(self.id, self.tags, named)
        return export_image_to_path(self._api(), name, Path(path), progress)


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
        from podman_sdk.images._archive import (
            AsyncSaveStream,
            async_export_chunks,
            check_chunk_size,
        )

        name = save_name(self.id, self.tags, named)
        size = check_chunk_size(chunk_size)
        connection = self._api()
        return AsyncSaveStream(lambda: async_export_chunks(connection, name, size))

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
        from podman_sdk.images._archive import async_export_image_to_path

        name = save_name(self.id, self.tags, named)
        return await async_export_image_to_path(self._api(), name, Path(path), progress)
