"""The decisions of ``client.images``' verbs that are no `Call` (``_calls``),
shared by `ImagesManager` and `AsyncImagesManager`: attaching images, a load's source
and what to look up after it; each manager adds only its I/O."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from podman_sdk._core._attached import Attached
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._image_base import ConnectionT, ImageBase

ImageT = TypeVar("ImageT", bound=ImageBase[Any])


class ManagerBase(Attached[ConnectionT], Generic[ConnectionT, ImageT]):
    """An images manager's connection and the images it hands out. One made directly
    is detached: its verbs raise `InvalidArgument`."""

    _image_class: type[ImageT]

    def _wrap(
        self, raw: Mapping[str, object], inspect: Mapping[str, object] | None = None
    ) -> ImageT:
        """An image on this manager's connection; ``inspect``: JSON its typed model
        can be made from without another request."""
        image = self._image_class(raw)
        image._connection = self._connection
        image._inspect = inspect
        return image


def load_source(data: object, file_path: str | os.PathLike[str] | None) -> object:
    """``load()``'s one source: ``data`` or ``file_path``, never both or neither."""
    if (data is None) == (file_path is None):
        raise InvalidArgument("load takes exactly one of data= or file_path=")
    return file_path if file_path is not None else data


def loaded_lookups(names: Iterable[str]) -> list[str]:
    """What to look up after a load: the report names an image by id or by each of
    its tags."""
    return [name.removeprefix("sha256:") for name in names]


def distinct_images(images: Iterable[ImageT]) -> list[ImageT]:
    """One image each, in order: several tags of one image are one image."""
    return list({image.id: image for image in images}.values())
