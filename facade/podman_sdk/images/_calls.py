"""The calls of the image verbs, both clients' (`Call`: the request from its
generated builder, the answer decoded by ``_answers``), and the argument checks
that come before them: everything an image verb decides, none of its I/O."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_object, unexpected
from podman_sdk._core._arguments import optional_name, required_name
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, ImageNotFound, InvalidArgument, PruneReport
from podman_sdk.images._answers import (
    history_entries,
    image_name,
    image_object,
    image_objects,
    inspect_answer,
    objects,
    remove_answer,
)
from podman_sdk.images._image_base import refused_by_force, tag_arguments, untag_arguments
from podman_sdk.images._reference import parse_reference
from podman_sdk.images._requests import (
    exists_request,
    history_request,
    inspect_request,
    list_request,
    prune_request,
    remove_request,
    tag_request,
    untag_request,
)
from podman_sdk.images._types import (
    HistoryEntry,
    ImageAttrs,
    RemoveReportEntry,
    ScpReport,
    prune_report,
)

if TYPE_CHECKING:
    from libpod_client.models import ImageData


def _done(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, ImageNotFound):
        return False
    raise error


def _refused_is_false(force: bool, error: APIError) -> bool:
    if refused_by_force(error, force):
        return False
    raise error


# -- ImagesManager ----------------------------------------------------------------------


def get_call(name: str) -> Call[dict[str, object]]:
    """GET /libpod/images/{name}/json: the inspect JSON (decoded once: the typed model
    is made from it on first use of ``model``, parsing it up front cost 1.3x)."""
    image_name(name)
    what = f"image {name}"
    return Call(
        inspect_request(name), lambda answer, endpoint: image_object(answer, what, endpoint)
    )


def exists_call(name: str) -> Call[bool] | None:
    """GET /libpod/images/{name}/exists: False on 404. None for a string that is no
    image name or id: such an image can never exist, and ``exists()`` says False
    without asking, as podman-py does (``exists("InvalidManifestName")``); a name that
    is not a string raises `InvalidArgument`."""
    if not isinstance(name, str):
        raise InvalidArgument(f"expected an image name or id, not {type(name).__name__}")
    try:
        image_name(name)
    except InvalidArgument:
        return None
    return Call(exists_request(name), _done, _absent_is_false)


def list_call(
    all_: bool, filters: Filters | None, name: str | None
) -> Call[list[dict[str, object]]]:
    """GET /libpod/images/json; ``name`` filters by reference (checked first). Decoded
    to JSON only: parsing 1000 summaries into models cost 2-3x the call."""
    if name is not None:
        parse_reference(name)
    encoded = filter_values(filters, reference=name)
    return Call(
        list_request(all_, encoded),
        lambda answer, endpoint: image_objects(answer, "images", endpoint),
    )


def remove_call(name: str, force: bool, noprune: bool) -> Call[list[RemoveReportEntry]]:
    """DELETE /libpod/images/{name}; with ``noprune`` the Docker-compatible route, the
    only one that can keep untagged parents."""
    what = f"removal of {name}"
    return Call(
        remove_request(name, force=force, noprune=noprune),
        lambda answer, endpoint: remove_answer(answer, what, endpoint, noprune=noprune),
    )


def _prune_answer(response: httpx.Response, endpoint: str) -> PruneReport:
    # The server answers `null` when nothing was pruned.
    return prune_report(objects(response, "prune report", endpoint, null_is_empty=True))


def prune_call(all_: bool, external: bool, filters: Filters | None) -> Call[PruneReport]:
    """POST /libpod/images/prune; `PruneError` when some image failed."""
    return Call(prune_request(all_, external, filter_values(filters)), _prune_answer)


# -- Image ------------------------------------------------------------------------------


def reload_call(
    image_id: str, short_id: str, compatible: bool
) -> Call[tuple[ImageAttrs, ImageData | None]]:
    """GET /libpod/images/{id}/json, or Docker's GET /images/{id}/json (no model)."""
    what = f"image {short_id}"
    return Call(
        inspect_request(image_id, compatible=compatible),
        lambda answer, endpoint: inspect_answer(answer, what, endpoint, compatible=compatible),
    )


def history_call(image_id: str, short_id: str) -> Call[list[HistoryEntry]]:
    """GET /libpod/images/{id}/history: the layers, newest first."""
    what = f"image history of {short_id}"
    return Call(
        history_request(image_id), lambda answer, endpoint: history_entries(answer, what, endpoint)
    )


def tag_call(image_id: str, repository: str, tag: str | None, force: bool) -> Call[bool] | None:
    """POST /libpod/images/{id}/tag; None when ``force`` answers False without asking
    (a target Podman would refuse), and a client error is False under ``force``."""
    target = tag_arguments(repository, tag, force)
    if target is None:
        return None
    return Call(tag_request(image_id, *target), _done, partial(_refused_is_false, force))


def untag_call(image_id: str, repository: str | None, tag: str | None) -> Call[bool]:
    """POST /libpod/images/{id}/untag: one tag, or every tag."""
    return Call(untag_request(image_id, *untag_arguments(repository, tag)), _done)


def scp_call(source: object, dest: object, quiet: object) -> Call[ScpReport]:
    """POST /libpod/images/scp/{name}: copy ``source`` ("[user@host[:port]::]image")
    to ``dest`` (a connection, or this host). The service runs the copy over ssh; what
    it cannot reach is its error status (`APIError`)."""
    from libpod_client.api.images import image_scp_libpod
    from libpod_client.types import UNSET

    checked = required_name(source, "source")
    destination = optional_name(dest, "dest")
    if quiet is not None and not isinstance(quiet, bool):
        raise InvalidArgument(f"quiet must be a bool, not {quiet!r}")
    request = image_scp_libpod.request_kwargs(
        checked,
        destination=UNSET if destination is None else destination,
        quiet=UNSET if quiet is None else quiet,
    )
    return Call(request, _scp_answer)


def _scp_answer(response: httpx.Response, endpoint: str) -> ScpReport:
    data = json_object(response, "image copy", endpoint)
    if not isinstance(data.get("Id"), str):
        raise unexpected("image copy", endpoint, 'an object with the image\'s "Id"')
    return cast(ScpReport, data)
