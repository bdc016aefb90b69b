"""`Image`: one local image and its instance verbs (podman-py's names)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from libpod_client.types import Unset

from podman_sdk._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._errors import APIError, InvalidArgument
from podman_sdk._image_id import image_id_key, short_id
from podman_sdk._image_requests import (
    history_request,
    inspect_request,
    remove_request,
    tag_request,
    untag_request,
)
from podman_sdk._image_types import (
    HistoryEntry,
    ImageAttrs,
    RemoveReportEntry,
    checked_attrs,
    history_entry,
    image_attrs,
    remove_report,
)
from podman_sdk._reference import (
    parse_reference,
    reference_from_repository_tag,
    same_image_name,
    tag_target,
)

#: save()'s default: pieces of at most 2 MiB, as podman-py yields them.
DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024

# The archive code loads on first save (tests/bench/bench_startup.py).
if TYPE_CHECKING:
    from libpod_client.models import ImageData

    from podman_sdk._archive import ProgressCallback, SavedArchive, SaveStream
    from podman_sdk._connection import Connection


def _str_list(value: list[str] | Unset | None) -> list[str]:
    return value if isinstance(value, list) else []


def _bare_id(image_id: str) -> str:
    return image_id_key(image_id)  # any algorithm, not only "sha256:"


def save_name(image_id: str, tags: list[str], named: bool | str) -> str:
    """What to export as: the id (``named=False``), the first tag (``True``), or a
    reference that must match one of the image's tags."""
    if named is False:
        return image_id
    if named is True:
        if not tags:
            raise InvalidArgument(
                f"image {short_id(image_id)} has no tag, so named=True has no name to use; "
                "tag it first or pass named=False to export by id"
            )
        return tags[0]
    if not isinstance(named, str):
        raise InvalidArgument(f"named must be a bool or a str, not {type(named).__name__}")
    parse_reference(named)  # a bad reference raises InvalidArgument here
    for tag in tags:
        if same_image_name(named, tag):
            return tag
    shown = ", ".join(tags) or "none"
    raise InvalidArgument(f"{named!r} is not one of the image's tags ({shown})")


class Image:
    """A local image. ``attrs`` holds the server's data in the documented `ImageAttrs`
    shape; `model` gives the generated typed model behind it.

    Images come from ``client.images`` (``get``, ``list``, ``pull``...), attached to
    that client's connection. ``Image(attrs)`` alone makes a detached one, whose data
    can be read but whose verbs raise `InvalidArgument`."""

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        # Normalised on first use: list() makes a thousand Images of which a caller
        # may read a few, and normalising them all cost more than the call itself.
        self._raw: Mapping[str, object] = attrs or {}
        self._attrs: ImageAttrs | None = None
        self._connection: Connection | None = None
        self._model: ImageData | None = None
        # Inspect JSON the typed model can be built from without another request.
        self._inspect: Mapping[str, object] | None = None

    @property
    def attrs(self) -> ImageAttrs:
        if self._attrs is None:
            self._attrs = image_attrs(self._raw)
        return self._attrs

    @attrs.setter
    def attrs(self, value: ImageAttrs) -> None:
        self._attrs = value

    def __repr__(self) -> str:
        tags = ", ".join(self.tags) or "untagged"
        return f"<Image: {self.short_id} ({tags})>"

    def __eq__(self, other: object) -> bool:
        # The compat inspect (reload(compatible=True)) spells the id "sha256:<hex>".
        return isinstance(other, Image) and _bare_id(other.id) == _bare_id(self.id)

    def __hash__(self) -> int:
        return hash(("Image", _bare_id(self.id)))

    # -- data ---------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        """12 characters of the id, as in ``podman images``; an ``algorithm:`` prefix
        (``sha256:``) is kept if present."""
        return short_id(self.id)

    @property
    def tags(self) -> list[str]:
        """RepoTags, ``[]`` when untagged (never ``<none>:<none>``)."""
        return list(self.attrs["RepoTags"])

    @property
    def labels(self) -> dict[str, str]:
        """Labels, ``{}`` when there are none."""
        return dict(self.attrs["Labels"])

    @property
    def model(self) -> ImageData:
        """The inspect data as the generated typed model (fetched on first use when
        this image came from ``list()``)."""
        if self._model is None:
            if self._inspect is not None:
                from libpod_client.models import ImageData

                self._model = ImageData.from_dict(dict(self._inspect))
            else:
                self.reload()
        assert self._model is not None
        return self._model

    def _api(self) -> Connection:
        if self._connection is None:
            raise InvalidArgument("this Image is not attached to a client")
        return self._connection

    # -- verbs --------------------------------------------------------------------------

    def reload(self, compatible: bool = False) -> None:
        """Refresh ``attrs``: GET /libpod/images/{id}/json, or with ``compatible=True``
        the Docker-compatible GET /images/{id}/json. Raises `ImageNotFound`."""
        from libpod_client.models import ImageData

        connection = self._api()
        what = f"image {self.short_id}"
        if compatible:
            response = connection.call(inspect_request(self.id, compatible=True))
            data = json_object(response, what, connection.endpoint)
            self.attrs = checked_attrs(data, connection.endpoint)
            return
        response = connection.call(inspect_request(self.id))
        data = json_object(response, what, connection.endpoint)
        self.attrs = checked_attrs(data, connection.endpoint)
        self._model = model_answer(ImageData, data, what, connection.endpoint)
        self._inspect = None

    def history(self) -> list[HistoryEntry]:
        """GET /libpod/images/{id}/history: the layers, newest first."""
        connection = self._api()
        response = connection.call(history_request(self.id))
        what = f"image history of {self.short_id}"
        entries = json_array(response, what, connection.endpoint)
        if not all(isinstance(entry, dict) for entry in entries):
            raise unexpected(what, connection.endpoint, "an array of objects")
        return [history_entry(entry) for entry in entries if isinstance(entry, dict)]

    def remove(self, force: bool = False, noprune: bool = False) -> list[RemoveReportEntry]:
        """Remove this image (``client.images.remove(self.id, ...)``)."""
        return remove_image(self._api(), self.id, force=force, noprune=noprune)

    def tag(self, repository: str, tag: str | None = None, force: bool = False) -> bool:
        """POST /libpod/images/{id}/tag. True on success. ``force=True`` turns a client
        error (4xx) or a target Podman would refuse into False; server and connection
        errors always raise. The target is checked before any request
        (`InvalidArgument`, see `tag_target`)."""
        try:
            reference = tag_target(repository, tag)
        except InvalidArgument:
            if force:
                return False
            raise
        target_tag = reference.tag or "latest"
        try:
            self._api().call(tag_request(self.id, reference.repository, target_tag))
        except APIError as exc:
            if force and exc.is_client_error():
                return False
            raise
        return True

    def untag(self, repository: str | None = None, tag: str | None = None) -> bool:
        """POST /libpod/images/{id}/untag: remove one tag, or every tag when
        ``repository`` is None. True on success."""
        repo: str | None = None
        target_tag: str | None = None
        if repository is not None:
            reference = reference_from_repository_tag(repository, tag)
            repo, target_tag = reference.repository, reference.tag or "latest"
        elif tag is not None:
            raise InvalidArgument("untag: a tag needs its repository")
        self._api().call(untag_request(self.id, repo, target_tag))
        return True

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


def remove_image(
    connection: Connection, name: str, *, force: bool, noprune: bool
) -> list[RemoveReportEntry]:
    """DELETE /libpod/images/{name}; with ``noprune`` the Docker-compatible route, the
    only one that can keep untagged parents."""
    from libpod_client.models import LibpodImagesRemoveReport

    what = f"removal of {name}"
    if noprune:
        response = connection.call(remove_request(name, force=force, noprune=True))
        entries = json_array(response, what, connection.endpoint, null_is_empty=True)
        report: list[RemoveReportEntry] = []
        for entry in entries:
            for key in ("Untagged", "Deleted"):
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    report.append({key: entry[key]})  # type: ignore[misc]
        return report
    response = connection.call(remove_request(name, force=force, noprune=False))
    parsed = model_answer(
        LibpodImagesRemoveReport,
        json_object(response, what, connection.endpoint),
        what,
        connection.endpoint,
    )
    exit_code = parsed.exit_code if isinstance(parsed.exit_code, int) else None
    return remove_report(
        _str_list(parsed.deleted), _str_list(parsed.untagged), _str_list(parsed.errors), exit_code
    )
