"""What the image verbs check before a request (names) and after it (answers that
must describe images), as pure functions over decoded data."""

from __future__ import annotations

import httpx

from podman_sdk._answers import json_array, json_value, unexpected
from podman_sdk._image import Image
from podman_sdk._image_id import lookup_name


def image_name(image: Image | str) -> str:
    """An image id (any digest algorithm) or a reference; anything else is refused here
    rather than sent (the server answers a bad reference with a 500). See
    `lookup_name`."""
    if isinstance(image, Image):
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
