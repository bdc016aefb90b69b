"""`Image`: one local image and its instance verbs (podman-py's names). Its data and
the verbs' decisions are `ImageBase`'s, shared with `AsyncImage`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from podman_sdk._calls import perform
from podman_sdk._connection import Connection
from podman_sdk._image_base import DEFAULT_CHUNK_SIZE, ImageBase, save_name
from podman_sdk._image_calls import (
    history_call,
    reload_call,
    remove_call,
    tag_call,
    untag_call,
)
from podman_sdk._image_types import HistoryEntry, RemoveReportEntry

__all__ = ["DEFAULT_CHUNK_SIZE", "Image", "save_name"]

# The archive code loads on first save (tests/bench/bench_startup.py).
if TYPE_CHECKING:
    from libpod_client.models import ImageData

    from podman_sdk._archive import ProgressCallback, SavedArchive, SaveStream


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
        from podman_sdk._archive import SaveStream, check_chunk_size, export_chunks

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
        from podman_sdk._archive import export_image_to_path

        name = save_name(self.id, self.tags, named)
        return export_image_to_path(self._api(), name, Path(path), progress)
