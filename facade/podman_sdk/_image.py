"""`Image`: one local image and its instance verbs (podman-py's names)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libpod_client.api.images import (
    image_delete_libpod,
    image_history_libpod,
    image_inspect_libpod,
    image_tag_libpod,
    image_untag_libpod,
)
from libpod_client.api.images_compat import image_delete, image_inspect
from libpod_client.models import ImageData, ImageInspect, LibpodImagesRemoveReport
from libpod_client.types import UNSET, Unset

from podman_sdk._archive import (
    DEFAULT_CHUNK_SIZE,
    SavedArchive,
    SaveStream,
    export_image,
    export_image_to_path,
)
from podman_sdk._errors import APIError, InvalidArgument
from podman_sdk._image_id import image_id_key, short_id
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

if TYPE_CHECKING:
    from podman_sdk._client import PodmanClient
    from podman_sdk._images import ImagesManager
    from podman_sdk._session import Session


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
    shape; `model` gives the generated typed model behind it."""

    def __init__(
        self,
        attrs: Mapping[str, object] | None = None,
        client: Session | None = None,
        collection: ImagesManager | None = None,
        podman_client: PodmanClient | None = None,
    ) -> None:
        # Normalised on first use: list() makes a thousand Images of which a caller
        # may read a few, and normalising them all cost more than the call itself.
        self._raw: Mapping[str, object] = attrs or {}
        self._attrs: ImageAttrs | None = None
        self._session = client
        self._manager = collection
        self.podman_client = podman_client
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
    def manager(self) -> ImagesManager:
        if self._manager is None:
            raise InvalidArgument("this Image is not attached to a client")
        return self._manager

    @property
    def model(self) -> ImageData:
        """The inspect data as the generated typed model (fetched on first use when
        this image came from ``list()``)."""
        if self._model is None:
            if self._inspect is not None:
                self._model = ImageData.from_dict(dict(self._inspect))
            else:
                self.reload()
        assert self._model is not None
        return self._model

    def _api(self) -> Session:
        if self._session is None:
            raise InvalidArgument("this Image is not attached to a client")
        return self._session

    # -- verbs --------------------------------------------------------------------------

    def reload(self, compatible: bool = False) -> None:
        """Refresh ``attrs``: GET /libpod/images/{id}/json, or with ``compatible=True``
        the Docker-compatible GET /images/{id}/json. Raises `ImageNotFound`."""
        session = self._api()
        if compatible:
            compat = session.call(
                lambda api: image_inspect.sync_detailed(self.id, client=api), ImageInspect
            )
            self.attrs = checked_attrs(compat.to_dict(), session.endpoint)
            return
        model = session.call(
            lambda api: image_inspect_libpod.sync_detailed(self.id, client=api), ImageData
        )
        self.attrs = checked_attrs(model.to_dict(), session.endpoint)
        self._model = model
        self._inspect = None

    def history(self) -> list[HistoryEntry]:
        """GET /libpod/images/{id}/history: the layers, newest first."""
        response = self._api().call_raw(
            lambda api: image_history_libpod.sync_detailed(self.id, client=api)
        )
        entries: Any = json.loads(response.content)
        if not isinstance(entries, list):
            raise APIError(f"image history of {self.short_id}: expected a JSON array")
        return [history_entry(entry) for entry in entries if isinstance(entry, dict)]

    def remove(self, force: bool = False, noprune: bool = False) -> list[RemoveReportEntry]:
        """Remove this image (``self.manager.remove(self.id, ...)``)."""
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
            self._api().call_raw(
                lambda api: image_tag_libpod.sync_detailed(
                    self.id, client=api, repo=reference.repository, tag=target_tag
                )
            )
        except APIError as exc:
            if force and exc.is_client_error():
                return False
            raise
        return True

    def untag(self, repository: str | None = None, tag: str | None = None) -> bool:
        """POST /libpod/images/{id}/untag: remove one tag, or every tag when
        ``repository`` is None. True on success."""
        repo: str | Unset = UNSET
        target_tag: str | Unset = UNSET
        if repository is not None:
            reference = reference_from_repository_tag(repository, tag)
            repo, target_tag = reference.repository, reference.tag or "latest"
        elif tag is not None:
            raise InvalidArgument("untag: a tag needs its repository")
        self._api().call_raw(
            lambda api: image_untag_libpod.sync_detailed(
                self.id, client=api, repo=repo, tag=target_tag
            )
        )
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
        name = save_name(self.id, self.tags, named)
        return export_image(self._api(), name, chunk_size=chunk_size)

    def save_to(self, path: str | Path, named: bool | str = False) -> SavedArchive:
        """Save to ``path`` through a temporary file beside it, renamed at the end;
        returns the path, size and sha256 (computed while writing). On any error or
        interrupt nothing is left at ``path`` or beside it."""
        name = save_name(self.id, self.tags, named)
        return export_image_to_path(self._api(), name, Path(path))


def remove_image(
    session: Session, name: str, *, force: bool, noprune: bool
) -> list[RemoveReportEntry]:
    """DELETE /libpod/images/{name}; with ``noprune`` the Docker-compatible route, the
    only one that can keep untagged parents."""
    if noprune:
        response = session.call_raw(
            lambda api: image_delete.sync_detailed(name, client=api, force=force, noprune=True)
        )
        entries: Any = json.loads(response.content or b"[]")
        report: list[RemoveReportEntry] = []
        for entry in entries if isinstance(entries, list) else []:
            for key in ("Untagged", "Deleted"):
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    report.append({key: entry[key]})  # type: ignore[misc]
        return report
    parsed = session.call(
        lambda api: image_delete_libpod.sync_detailed(name, client=api, force=force),
        LibpodImagesRemoveReport,
    )
    exit_code = parsed.exit_code if isinstance(parsed.exit_code, int) else None
    return remove_report(
        _str_list(parsed.deleted), _str_list(parsed.untagged), _str_list(parsed.errors), exit_code
    )
