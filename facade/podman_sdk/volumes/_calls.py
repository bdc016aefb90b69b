"""The calls of the volume verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), and the argument checks that come before them:
everything a volume verb decides, none of its I/O."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._arguments import optional_bool, optional_name, required_name, string_map
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._core._server_support import unpinned_operation
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound, UnsupportedServer
from podman_sdk.volumes._types import VolumeAttrs, VolumePruneReport

if TYPE_CHECKING:
    from libpod_client.models import VolumeConfigResponse

    from podman_sdk._core._requests import RequestKwargs

#: A volume's answer: its attrs, and the typed model when it was parsed already.
Inspected = tuple[VolumeAttrs, "VolumeConfigResponse"]


def volume_name(name: object) -> str:
    return required_name(name, "volume name")


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def _present(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _empty_on_404(error: APIError) -> list[VolumeAttrs]:
    # podman-py lists nothing when the route answers 404 (as with some filters).
    if isinstance(error, NotFound):
        return []
    raise error


def volume_model(attrs: VolumeAttrs, what: str, endpoint: str) -> VolumeConfigResponse:
    from libpod_client.models import VolumeConfigResponse

    return model_answer(VolumeConfigResponse, cast("dict[str, object]", attrs), what, endpoint)


def _inspected(response: httpx.Response, what: str, endpoint: str) -> Inspected:
    # Parsed at once: the model checks every field, so a malformed answer raises here
    # and the attrs handed out are the checked ones.
    data = json_object(response, what, endpoint)
    attrs = cast(VolumeAttrs, data)
    return attrs, volume_model(attrs, what, endpoint)


def _listed(response: httpx.Response, endpoint: str) -> list[VolumeAttrs]:
    # Decoded to JSON only (each model is made on first use of ``model``): the
    # entries are checked for what every Volume reads, their name.
    entries = json_array(response, "volumes", endpoint, null_is_empty=True)
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str):
            raise unexpected("volumes", endpoint, "a JSON array of volumes, each with a Name")
    return cast("list[VolumeAttrs]", entries)


def _pruned(response: httpx.Response, endpoint: str) -> VolumePruneReport:
    report: VolumePruneReport = {"VolumesDeleted": [], "SpaceReclaimed": 0}
    failures: list[str] = []
    for entry in json_array(response, "volume prune report", endpoint, null_is_empty=True):
        if not isinstance(entry, dict) or not isinstance(entry.get("Id"), str):
            raise unexpected("volume prune report", endpoint, "entries with an Id")
        if entry.get("Err"):
            failures.append(f"{entry['Id']}: {entry['Err']}")
            continue
        report["VolumesDeleted"].append(entry["Id"])
        size = entry.get("Size")
        report["SpaceReclaimed"] += size if isinstance(size, int) else 0
    if failures:
        # As podman-py: a failed entry raises (naming each), after the others were pruned.
        raise APIError(f"failed to prune volume(s): {'; '.join(failures)}")
    return report


# -- requests -------------------------------------------------------------------------


def _create_request(
    name: str | None,
    driver: str | None,
    options: dict[str, str] | None,
    labels: dict[str, str] | None,
) -> RequestKwargs:
    from libpod_client.api.volumes import volume_create_libpod
    from libpod_client.models import VolumeCreateOptions
    from libpod_client.types import UNSET

    # "Labels": every release since 4.0 reads it ("Label" is the older spelling, which
    # they still merge in); Podman 4.3.1's handler reads both.
    body = VolumeCreateOptions(
        name=UNSET if name is None else name,
        driver=UNSET if driver is None else driver,
        labels=UNSET if labels is None else dict(labels),
        options=UNSET if options is None else dict(options),
    )
    return volume_create_libpod.request_kwargs(body=body)


# -- calls ----------------------------------------------------------------------------


def create_call(
    name: object, driver: object, driver_opts: object, labels: object
) -> Call[Inspected]:
    """POST /libpod/volumes/create (201: the new volume's inspect data)."""
    checked_name = optional_name(name, "volume name")
    request = _create_request(
        checked_name,
        optional_name(driver, "driver"),
        string_map(driver_opts, "driver_opts"),
        string_map(labels, "labels"),
    )
    what = f"new volume {checked_name or ''}".rstrip()
    return Call(request, lambda answer, endpoint: _inspected(answer, what, endpoint))


def get_call(name: object) -> Call[Inspected]:
    """GET /libpod/volumes/{name}/json; a missing volume raises `NotFound`."""
    from libpod_client.api.volumes import volume_inspect_libpod

    checked = volume_name(name)
    what = f"volume {checked}"
    return Call(
        volume_inspect_libpod.request_kwargs(checked),
        lambda answer, endpoint: _inspected(answer, what, endpoint),
    )


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/volumes/{name}/exists: False on 404."""
    from libpod_client.api.volumes import volume_exists_libpod

    return Call(volume_exists_libpod.request_kwargs(volume_name(name)), _present, _absent_is_false)


def list_call(filters: Filters | None) -> Call[list[VolumeAttrs]]:
    """GET /libpod/volumes/json (filters: driver, label, name, ...)."""
    from libpod_client.api.volumes import volume_list_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = volume_list_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _listed, _empty_on_404)


def prune_call(filters: Filters | None) -> Call[VolumePruneReport]:
    """POST /libpod/volumes/prune; raises `APIError` naming each volume that failed."""
    from libpod_client.api.volumes import volume_prune_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = volume_prune_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _pruned)


def remove_call(name: object, force: object) -> Call[None]:
    """DELETE /libpod/volumes/{name}; `NotFound`, or `Conflict` when in use."""
    from libpod_client.api.volumes import volume_delete_libpod
    from libpod_client.types import UNSET

    checked_force = optional_bool(force, "force")
    request = volume_delete_libpod.request_kwargs(
        volume_name(name), force=UNSET if checked_force is None else checked_force
    )
    return Call(request, _done)


def export_call(name: object) -> Call[bytes]:
    """GET /libpod/volumes/{name}/export: the volume's content as a tar archive."""
    from libpod_client.api.volumes import volume_export_libpod

    return Call(
        volume_export_libpod.request_kwargs(volume_name(name)),
        lambda answer, endpoint: answer.content,
    )


def import_call(name: object, data: bytes) -> Call[None]:
    """POST /libpod/volumes/{name}/import: an uncompressed tar archive as the body."""
    from libpod_client.api.volumes import volume_import_libpod
    from libpod_client.types import File

    request = volume_import_libpod.request_kwargs(
        volume_name(name), body=File(payload=io.BytesIO(data))
    )
    # The generated builder sends the payload as it is; bytes need no file around them.
    request["content"] = data
    return Call(request, _done)


#: The operation a volume rename would be (Podman's naming): announced for Podman 6.1,
#: in no pinned release's spec yet.
RENAME_OPERATION = "VolumeRenameLibpod"


def refuse_rename(name: object, new_name: object) -> UnsupportedServer:
    """``Volume.rename``'s answer while no pinned spec has the route: the arguments
    checked, then `UnsupportedServer` (`unpinned_operation`), before any request."""
    volume_name(name)
    required_name(new_name, "new volume name")
    # Once a pinned spec has the route, tests/unit/test_volumes.py fails until its
    # generated builder is wired here.
    return unpinned_operation(RENAME_OPERATION, "Volume.rename") or UnsupportedServer(
        "Volume.rename: a pinned spec has the route, but this SDK does not send it yet"
    )


def import_source(
    data: object, path: str | os.PathLike[str] | None
) -> bytes | str | os.PathLike[str]:
    """``import_archive()``'s one source: ``data`` (bytes) or ``path`` (an existing file),
    never both or neither, checked before any request."""
    if (data is None) == (path is None):
        raise InvalidArgument("import_archive takes exactly one of data= or path=")
    if path is not None:
        if not os.path.isfile(path):
            raise InvalidArgument(f"archive {os.fspath(path)!r} does not exist or is no file")
        return path
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InvalidArgument(f"data must be bytes, not {type(data).__name__}")
    return bytes(data)
