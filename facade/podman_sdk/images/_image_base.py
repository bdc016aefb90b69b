"""What `Image` and `AsyncImage` share: the data of a local image (attrs, id, tags,
labels, equality) and the decisions of their verbs (which name to save as, which
target to tag), as pure code; each class adds only its awaited or plain I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from podman_sdk._exceptions import APIError, InvalidArgument
from podman_sdk.images._image_id import image_id_key, short_id
from podman_sdk.images._reference import (
    parse_reference,
    reference_from_repository_tag,
    same_image_name,
    tag_target,
)
from podman_sdk.images._types import ImageAttrs, image_attrs

if TYPE_CHECKING:
    from libpod_client.models import ImageData

    from podman_sdk._core._connection import ConnectionBase

ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")

#: save()'s default: pieces of at most 2 MiB, as podman-py yields them.
DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024


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


def tag_arguments(repository: str, tag: str | None, force: bool) -> tuple[str, str] | None:
    """``tag()``'s target as (repository, tag), checked before any request; None when
    ``force`` turns a target Podman would refuse into a False result."""
    try:
        reference = tag_target(repository, tag)
    except InvalidArgument:
        if force:
            return None
        raise
    return reference.repository, reference.tag or "latest"


def refused_by_force(error: APIError, force: bool) -> bool:
    """Whether ``tag(force=True)`` answers False for this error: client errors only."""
    return force and error.is_client_error()


def untag_arguments(repository: str | None, tag: str | None) -> tuple[str | None, str | None]:
    """``untag()``'s (repository, tag): one tag, or (None, None) for every tag."""
    if repository is not None:
        reference = reference_from_repository_tag(repository, tag)
        return reference.repository, reference.tag or "latest"
    if tag is not None:
        raise InvalidArgument("untag: a tag needs its repository")
    return None, None


class ImageBase(Generic[ConnectionT]):
    """The data of a local image, as both clients hand it out (see `Image`), and the
    connection of the client that did."""

    _connection: ConnectionT | None = None

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        # Normalised on first use: list() makes a thousand Images of which a caller
        # may read a few, and normalising them all cost more than the call itself.
        self._raw: Mapping[str, object] = attrs or {}
        self._attrs: ImageAttrs | None = None
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
        return f"<{type(self).__name__}: {self.short_id} ({tags})>"

    def __eq__(self, other: object) -> bool:
        # The compat inspect (reload(compatible=True)) spells the id "sha256:<hex>".
        return isinstance(other, type(self)) and _bare_id(other.id) == _bare_id(self.id)

    def __hash__(self) -> int:
        return hash(("Image", _bare_id(self.id)))

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

    def _api(self) -> ConnectionT:
        if self._connection is None:
            raise InvalidArgument(f"this {type(self).__name__} is not attached to a client")
        return self._connection

    def _model_from_inspect(self) -> ImageData | None:
        """The typed model, made from inspect JSON already at hand if need be."""
        if self._model is None and self._inspect is not None:
            from libpod_client.models import ImageData

            self._model = ImageData.from_dict(dict(self._inspect))
        return self._model

    def _store_inspect(self, attrs: ImageAttrs, model: ImageData | None) -> None:
        """What a reload brought: attrs, and the model unless the answer was compat."""
        self.attrs = attrs
        if model is not None:
            self._model = model
            self._inspect = None
