"""What the image verbs check before a request (names) and after it (answers that
must describe images), as pure functions over decoded data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from libpod_client.types import Unset

from podman_sdk._core._answers import json_array, json_object, json_value, model_answer, unexpected
from podman_sdk.images._image_base import ImageBase
from podman_sdk.images._image_id import lookup_name
from podman_sdk.images._types import (
    HistoryEntry,
    ImageAttrs,
    RemoveReportEntry,
    checked_attrs,
    history_entry,
    remove_report,
)

if TYPE_CHECKING:
    from libpod_client.models import ImageData


def image_name(image: ImageBase[Any] | str) -> str:
    """An image id (any digest algorithm) or a reference; anything else is refused here
    rather than sent (the server answers a bad reference with a 500). See
    `lookup_name`."""
    if isinstance(image, ImageBase):
        return lookup_name(image.id)
    return lookup_name(image)


def is_image(data: object) -> bool:
    """Whether decoded JSON describes an image: an object with a non-empty string Id
    (an Image with an empty id would send requests to ``/images//...``)."""
    return isinstance(data, dict) and isinstance(data.get("Id"), str) and bool(data["Id"])


def image_object(response: httpx.Response, what: str, endpoint: str) -> dict[str, object]:
    """An inspect answer: one image with an Id."""
    data = json_value(response, what, endpoint)
    if not is_image(data) or not isinstance(data, dict):
        raise unexpected(what, endpoint, "an image with an Id")
    return data


def image_objects(response: httpx.Response, what: str, endpoint: str) -> list[dict[str, object]]:
    """A list answer: images with Ids."""
    entries = json_array(response, what, endpoint)
    images = [entry for entry in entries if is_image(entry) and isinstance(entry, dict)]
    if len(images) != len(entries):
        raise unexpected(what, endpoint, "an array of images with Ids")
    return images


def objects(
    response: httpx.Response, what: str, endpoint: str, *, null_is_empty: bool = False
) -> list[dict[str, object]]:
    """An array of JSON objects (``null_is_empty``: ``null`` is none)."""
    entries = json_array(response, what, endpoint, null_is_empty=null_is_empty)
    found = [entry for entry in entries if isinstance(entry, dict)]
    if len(found) != len(entries):
        raise unexpected(what, endpoint, "an array of objects")
    return found


def inspect_answer(
    response: httpx.Response, what: str, endpoint: str, *, compatible: bool
) -> tuple[ImageAttrs, ImageData | None]:
    """A reload's answer: the attrs, and the typed model (None for the compat route,
    whose answer is Docker's, not libpod's ImageData)."""
    data = json_object(response, what, endpoint)
    attrs = checked_attrs(data, endpoint)
    if compatible:
        return attrs, None
    from libpod_client.models import ImageData

    return attrs, model_answer(ImageData, data, what, endpoint)


def history_entries(response: httpx.Response, what: str, endpoint: str) -> list[HistoryEntry]:
    """A history answer: an array of layer objects, newest first."""
    entries = json_array(response, what, endpoint)
    if not all(isinstance(entry, dict) for entry in entries):
        raise unexpected(what, endpoint, "an array of objects")
    return [history_entry(entry) for entry in entries if isinstance(entry, dict)]


def remove_answer(
    response: httpx.Response, what: str, endpoint: str, *, noprune: bool
) -> list[RemoveReportEntry]:
    """A removal's report in podman-py's shape, from libpod's answer or (``noprune``)
    the Docker-compatible one."""
    if noprune:
        entries = json_array(response, what, endpoint, null_is_empty=True)
        report: list[RemoveReportEntry] = []
        for entry in entries:
            for key in ("Untagged", "Deleted"):
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    report.append({key: entry[key]})  # type: ignore[misc]
        return report
    from libpod_client.models import LibpodImagesRemoveReport

    parsed = model_answer(
        LibpodImagesRemoveReport, json_object(response, what, endpoint), what, endpoint
    )
    return remove_report(
        _str_list(parsed.deleted),
        _str_list(parsed.untagged),
        _str_list(parsed.errors),
        parsed.exit_code,
    )


def _str_list(value: list[str] | Unset | None) -> list[str]:
    return value if isinstance(value, list) else []
