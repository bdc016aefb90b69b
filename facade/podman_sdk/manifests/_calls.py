"""The calls of the manifest verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), the push's streamed `Operation`, and the argument
checks that come before them: everything a manifest verb decides, none of its I/O."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import httpx

from podman_sdk._core._answers import json_object, model_answer, unexpected
from podman_sdk._core._api_version import Version, format_version
from podman_sdk._core._arguments import optional_bool, optional_name, required_name, string_map
from podman_sdk._core._calls import Call
from podman_sdk._core._error_mapping import answer_lines, push_failure
from podman_sdk._core._registry_auth import encode_registry_auth
from podman_sdk._exceptions import (
    APIError,
    InvalidArgument,
    NotFound,
    StreamError,
    UnsupportedServer,
)
from podman_sdk.images._image_base import ImageBase
from podman_sdk.images._progress_readers import ProgressReader
from podman_sdk.images._registry_requests import Operation
from podman_sdk.manifests._types import ManifestAttrs, ManifestRemoveReport

if TYPE_CHECKING:
    from libpod_client.models import ManifestModifyOptions, Schema2ListPublic

#: A manifest list's answer: its attrs, and the typed model checked from them.
Inspected = tuple[ManifestAttrs, "Schema2ListPublic"]

#: The first Podman whose image list says which images are manifest lists
#: (``IsManifestList``); `ManifestsManager.list` needs it.
LISTS_MARKED_FROM = Version(5, 0, 0)


def manifest_name(name: object) -> str:
    return required_name(name, "manifest list name")


def image_names(images: object, what: str = "images") -> builtins.list[str]:
    """Images or their names as the server reads them: an `Image` by its first tag
    (podman-py's choice: a tag names the registry image), else by its id."""
    if isinstance(images, (str, bytes)) or not isinstance(images, Iterable):
        raise InvalidArgument(f"{what} must be a list of images or names, not {images!r}")
    names: builtins.list[str] = []
    for item in images:
        if isinstance(item, ImageBase):
            names.append(item.tags[0] if item.tags else item.id)
        else:
            names.append(required_name(item, f"an entry of {what}"))
    return names


def digest_of(digest: object) -> str:
    """``Manifest.remove``'s argument: a digest, or a reference whose digest is taken."""
    text = required_name(digest, "digest")
    return text.split("@", 1)[1] if "@" in text else text


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _present(response: httpx.Response, endpoint: str) -> bool:
    return True


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def manifest_model(attrs: ManifestAttrs, what: str, endpoint: str) -> Schema2ListPublic:
    from libpod_client.models import Schema2ListPublic

    return model_answer(Schema2ListPublic, cast("dict[str, object]", attrs), what, endpoint)


def inspected(data: dict[str, object], name: str, what: str, endpoint: str) -> Inspected:
    """The answer as `ManifestAttrs`: ``manifests`` a list where Podman 4 writes
    ``null``, ``names`` the name asked for (podman-py's key). Checked by the model at
    once, so a malformed answer raises here."""
    attrs = dict(data)
    if attrs.get("manifests") is None:
        attrs["manifests"] = []
    attrs.setdefault("names", name)
    typed = cast(ManifestAttrs, attrs)
    return typed, manifest_model(typed, what, endpoint)


def _created_id(response: httpx.Response, endpoint: str) -> str:
    data = json_object(response, "new manifest list", endpoint)
    created = data.get("Id")
    if not isinstance(created, str) or not created:
        raise unexpected("new manifest list", endpoint, 'an object with the list\'s "Id"')
    return created


def _removed(response: httpx.Response, endpoint: str) -> ManifestRemoveReport:
    data = json_object(response, "manifest list removal", endpoint)
    errors = data.get("Errors")
    if errors is not None and not isinstance(errors, list):
        raise unexpected("manifest list removal", endpoint, "Errors as a list")
    report = cast(ManifestRemoveReport, {**data, "Errors": errors})
    # podman-py's report: ExitCode is the HTTP status (an error status raised before).
    report["ExitCode"] = response.status_code
    return report


# -- calls ----------------------------------------------------------------------------


def create_call(name: object, images: object, all: object) -> Call[str]:
    """POST /libpod/manifests/{name}: a new list holding ``images`` (none: empty); the
    answer is its id. A bad name is the server's 400 (`APIError`), a missing image its
    404 (`ImageNotFound`, as podman-py maps it)."""
    from libpod_client.api.manifests import manifest_create_libpod
    from libpod_client.types import UNSET

    checked = manifest_name(name)
    listed = None if images is None else image_names(images)
    checked_all = optional_bool(all, "all")
    request = manifest_create_libpod.request_kwargs(
        checked,
        images=listed if listed else UNSET,
        all_=UNSET if checked_all is None else checked_all,
    )
    return Call(request, _created_id, _image_not_found)


def _image_not_found(error: APIError) -> Any:
    # podman-py's create, add and remove read a 404 as a missing image.
    from podman_sdk._exceptions import ImageNotFound

    if isinstance(error, NotFound) and not isinstance(error, ImageNotFound):
        raise ImageNotFound(
            error.message, response=error.response, explanation=error.explanation
        ) from error
    raise error


def get_call(name: object) -> Call[Inspected]:
    """GET /libpod/manifests/{name}/json; a missing list raises `NotFound`."""
    from libpod_client.api.manifests import manifest_inspect_libpod

    checked = manifest_name(name)
    what = f"manifest list {checked}"
    return Call(
        manifest_inspect_libpod.request_kwargs(checked),
        lambda answer, endpoint: inspected(
            json_object(answer, what, endpoint), checked, what, endpoint
        ),
    )


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/manifests/{name}/exists: False on 404."""
    from libpod_client.api.manifests import manifest_exists_libpod

    return Call(
        manifest_exists_libpod.request_kwargs(manifest_name(name)), _present, _absent_is_false
    )


def remove_call(name: object) -> Call[ManifestRemoveReport]:
    """DELETE /libpod/manifests/{name}: the list only, not the images it names.
    Raises `ImageNotFound` for a missing list (as podman-py)."""
    from libpod_client.api.manifests import manifest_delete_libpod

    return Call(
        manifest_delete_libpod.request_kwargs(manifest_name(name)), _removed, _image_not_found
    )


def _modify_call(name: str, body: ManifestModifyOptions, tls_verify: object) -> Call[None]:
    from libpod_client.api.manifests import manifest_modify_libpod
    from libpod_client.types import UNSET

    checked_tls = optional_bool(tls_verify, "tls_verify")
    request = manifest_modify_libpod.request_kwargs(
        manifest_name(name), body=body, tls_verify=UNSET if checked_tls is None else checked_tls
    )
    return Call(request, _done, _image_not_found)


def _string_list(value: object, what: str) -> builtins.list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{what} must be a list of str, not {value!r}")
    return [required_name(item, f"an entry of {what}") for item in value]


def add_call(
    name: str,
    images: object,
    *,
    all: object = None,
    annotation: object = None,
    arch: object = None,
    features: object = None,
    os: object = None,
    os_version: object = None,
    variant: object = None,
    tls_verify: object = None,
) -> Call[None]:
    """PUT /libpod/manifests/{name} ``operation=update``: add ``images`` (from their
    registries unless named with a transport). ``annotation`` goes as ``key=value``
    entries, the form every release reads."""
    from libpod_client.models import ManifestModifyOptions
    from libpod_client.types import UNSET

    def given(value: Any) -> Any:
        return UNSET if value is None else value

    annotations = string_map(annotation, "annotation")
    checked_all = optional_bool(all, "all")
    body = ManifestModifyOptions(
        operation="update",
        images=image_names(images),
        all_=given(checked_all),
        annotation=given(
            None if annotations is None else [f"{k}={v}" for k, v in annotations.items()]
        ),
        arch=given(optional_name(arch, "arch")),
        features=given(_string_list(features, "features")),
        os=given(optional_name(os, "os")),
        os_version=given(optional_name(os_version, "os_version")),
        variant=given(optional_name(variant, "variant")),
    )
    return _modify_call(name, body, tls_verify)


def remove_digest_call(name: str, digest: object) -> Call[None]:
    """PUT /libpod/manifests/{name} ``operation=remove`` of one entry, by digest."""
    from libpod_client.models import ManifestModifyOptions

    body = ManifestModifyOptions(operation="remove", images=[digest_of(digest)])
    return _modify_call(name, body, None)


# -- list -----------------------------------------------------------------------------


def require_marked_lists(server: Version) -> None:
    """`UnsupportedServer` before listing on a Podman whose image list does not mark
    manifest lists (4.x): nothing there tells a list from an image without asking
    about each one."""
    if server[:3] < LISTS_MARKED_FROM[:3]:
        raise UnsupportedServer(
            "manifests.list needs Podman "
            f"{format_version(LISTS_MARKED_FROM)} or later (its image list marks manifest "
            f"lists); this service runs {format_version(server)}"
        )


def list_names_call() -> Call[builtins.list[str]]:
    """GET /libpod/images/json: the name of each manifest list (its first tag, else
    its id), in the server's order."""
    from podman_sdk.images._calls import list_call

    images = list_call(False, None, None)

    def names(response: httpx.Response, endpoint: str) -> builtins.list[str]:
        found: builtins.list[str] = []
        for entry in images.decode(response, endpoint):
            raw = entry
            if raw.get("IsManifestList") is not True:
                continue
            tags = raw.get("RepoTags")
            first = tags[0] if isinstance(tags, list) and tags else None
            found.append(first if isinstance(first, str) else str(raw["Id"]))
        return found

    return Call(images.request, names)


# -- push -----------------------------------------------------------------------------


class ManifestPushReader(ProgressReader):
    """A manifest list's push, read as a stream: ``{"stream": ...}`` lines, then
    ``{"Id": digest}`` or ``{"error": ...}`` (raised, even under HTTP 200)."""

    def __init__(self, name: str, destination: str) -> None:
        super().__init__(decode=True)
        self.name = name
        self.destination = destination

    def note(self, event: dict[str, object], raw: bytes) -> None:
        self.outcome.transcript.append(raw.decode("utf-8", errors="replace"))
        digest = event.get("Id")
        if isinstance(digest, str) and digest:
            self.outcome.manifest_digest = digest

    def fail(self, message: str, lines: builtins.list[str]) -> StreamError:
        return push_failure(message, f"{self.name} to {self.destination}", lines)

    def refused(self, error: APIError) -> APIError:
        return push_failure(
            error.message,
            f"{self.name} to {self.destination}",
            answer_lines(error),
            response=error.response,
            explanation=error.explanation,
        )

    def check(self) -> None:
        if self.outcome.manifest_digest is None:
            raise push_failure(
                "the stream ended without the pushed list's digest",
                f"{self.name} to {self.destination}",
                self.outcome.transcript.lines(),
            )


def push_operation(
    name: str,
    destination: object,
    all: object,
    auth_config: Mapping[str, str] | None,
    tls_verify: object,
) -> Operation[ManifestPushReader]:
    """POST /libpod/manifests/{name}/registry/{destination} with progress
    (``quiet=false``: the server streams, and reports a failure in the stream)."""
    from libpod_client.api.manifests import manifest_push_libpod
    from libpod_client.types import UNSET

    checked_destination = required_name(destination, "destination")
    checked_all = optional_bool(all, "all")
    checked_tls = optional_bool(tls_verify, "tls_verify")
    auth = string_map(auth_config, "auth_config")
    request = manifest_push_libpod.request_kwargs(
        manifest_name(name),
        checked_destination,
        all_=UNSET if checked_all is None else checked_all,
        tls_verify=UNSET if checked_tls is None else checked_tls,
        quiet=False,
        x_registry_auth=UNSET if auth is None else encode_registry_auth(auth),
    )
    return Operation(request, ManifestPushReader(name, checked_destination))
