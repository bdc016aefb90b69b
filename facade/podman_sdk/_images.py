"""`ImagesManager`: the collection verbs for local images (podman-py's names). The
registry verbs (pull, push, search, build) come from `RegistryOperations`."""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from libpod_client.api.images import (
    image_exists_libpod,
    image_inspect_libpod,
    image_list_libpod,
    image_prune_libpod,
)
from libpod_client.types import UNSET

from podman_sdk._archive import LoadSource, load_archive
from podman_sdk._errors import APIError, ImageNotFound, InvalidArgument
from podman_sdk._filters import Filters, encode_filters
from podman_sdk._image import Image, remove_image
from podman_sdk._image_id import lookup_name, short_id
from podman_sdk._image_types import PruneReport, RemoveReportEntry
from podman_sdk._images_registry import RegistryOperations
from podman_sdk._reference import parse_reference

if TYPE_CHECKING:
    from collections.abc import Iterable

    import httpx

    from podman_sdk._client import PodmanClient
    from podman_sdk._session import Session


class PruneError(APIError):
    """Some images could not be pruned. ``report`` holds what was deleted anyway;
    ``errors`` maps each image id to the server's reason."""

    def __init__(self, message: str, report: PruneReport, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.report = report
        self.errors = errors


def _image_id_or_name(image: Image | str) -> str:
    if isinstance(image, Image):
        return image.id
    if not isinstance(image, str) or not image:
        raise InvalidArgument(f"expected an Image or a non-empty name, not {image!r}")
    return image


def _check_name(name: str) -> str:
    """An image id (any algorithm, see `lookup_name`) or a reference; anything else is
    refused here rather than sent (the server answers a bad reference with a 500)."""
    return lookup_name(name)


def _send(session: Session, request: dict[str, Any]) -> httpx.Response:
    """Send a request built by a generated ``_get_kwargs`` and return the response,
    unparsed (error statuses raise in the session's hook)."""
    _ = session.version
    with session.translating():
        return session.http.request(request["method"], request["url"], params=request.get("params"))


def _is_image(data: object) -> bool:
    """Whether decoded JSON describes an image: an object with a non-empty string Id
    (an Image with an empty id would send requests to ``/images//...``)."""
    return isinstance(data, dict) and isinstance(data.get("Id"), str) and bool(data["Id"])


class ImagesManager(RegistryOperations):
    """``client.images``: list, get, exists, remove, prune, load, and the registry
    verbs pull, push, search and build."""

    def __init__(self, session: Session, podman_client: PodmanClient | None = None) -> None:
        self._session = session
        self.client = podman_client

    def _wrap(
        self, raw: Mapping[str, object], inspect: Mapping[str, object] | None = None
    ) -> Image:
        image = Image(raw, client=self._session, collection=self, podman_client=self.client)
        image._inspect = inspect
        return image

    def _decode(self, response: httpx.Response, what: str) -> Any:
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise APIError(f"{what} from {self._session.endpoint}: not JSON: {exc}") from exc

    def get(self, name: str) -> Image:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        _check_name(name)
        # Built by the generated module and decoded once here, like list(): the typed
        # model is made from the same JSON on first use of Image.model (measured:
        # parsing the model and re-serialising it for attrs cost 1.3x the raw call).
        response = _send(self._session, image_inspect_libpod._get_kwargs(name))
        data = self._decode(response, f"image {name}")
        if not _is_image(data):
            raise APIError(
                f"image {name} from {self._session.endpoint}: expected an image with an Id"
            )
        return self._wrap(data, data)

    def exists(self, name: str) -> bool:
        """GET /libpod/images/{name}/exists: False on 404; any other error raises. An
        invalid reference raises `InvalidArgument` (it could never exist)."""
        _check_name(name)
        try:
            self._session.call_raw(lambda api: image_exists_libpod.sync_detailed(name, client=api))
        except ImageNotFound:
            return False
        return True

    def list(
        self, all: bool = False, filters: Filters | None = None, name: str | None = None
    ) -> builtins.list[Image]:
        """GET /libpod/images/json. ``filters`` as libpod names them (``dangling``,
        ``label``, ``reference``, ``before``, ``since``...): values may be str, bool,
        int, a list of str, or for ``label`` a dict. ``name`` filters by reference."""
        if name is not None:
            parse_reference(name)
        encoded = encode_filters(filters, reference=name)
        # Built by the generated module, decoded here: parsing every summary into a
        # model up front cost 2-3x the raw call for 1000 images; Image.model parses
        # lazily instead.
        request = image_list_libpod._get_kwargs(
            all_=all, filters=encoded if encoded is not None else UNSET
        )
        response = _send(self._session, request)
        entries = self._decode(response, "image list")
        if not isinstance(entries, list) or not builtins.all(_is_image(e) for e in entries):
            raise APIError(
                f"image list from {self._session.endpoint}: expected an array of images with Ids"
            )
        return [self._wrap(entry) for entry in entries]

    def remove(
        self, image: Image | str, force: bool = False, noprune: bool = False
    ) -> builtins.list[RemoveReportEntry]:
        """DELETE /libpod/images/{name}. Returns podman-py's report: entries keyed
        ``Untagged``, ``Deleted``, ``Errors``, ``ExitCode``. An image in use raises
        `Conflict` (unless ``force``); a missing one `ImageNotFound`."""
        return remove_image(
            self._session, _check_name(_image_id_or_name(image)), force=force, noprune=noprune
        )

    def prune(
        self, all: bool = False, external: bool = False, filters: Filters | None = None
    ) -> PruneReport:
        """POST /libpod/images/prune: remove dangling images (``all``: every unused
        one). Raises `PruneError`, carrying what was deleted, if any image failed."""
        encoded = encode_filters(filters)
        # Sent raw: the server answers `null` when nothing was pruned, which the
        # generated parser (expecting an array) cannot read.
        response = _send(
            self._session,
            image_prune_libpod._get_kwargs(
                all_=all, external=external, filters=encoded if encoded is not None else UNSET
            ),
        )
        try:
            entries: Any = json.loads(response.content or b"null")
        except ValueError as exc:
            raise APIError(f"prune report from {self._session.endpoint}: not JSON") from exc
        entries = entries or []  # the server answers `null` when nothing was pruned
        if not isinstance(entries, builtins.list) or not builtins.all(
            isinstance(e, dict) for e in entries
        ):
            raise APIError(f"prune report from {self._session.endpoint}: expected an array")
        report: PruneReport = {"ImagesDeleted": [], "SpaceReclaimed": 0}
        errors: dict[str, str] = {}
        for entry in entries:
            image_id = str(entry.get("Id", ""))
            if entry.get("Err"):
                errors[image_id] = str(entry["Err"])
                continue
            report["ImagesDeleted"].append({"Deleted": image_id})
            size = entry.get("Size") or 0
            report["SpaceReclaimed"] += size if isinstance(size, int) else 0
        if errors:
            detail = "; ".join(
                f"{short_id(image_id)}: {reason}" for image_id, reason in errors.items()
            )
            raise PruneError(
                f"prune could not remove {len(errors)} image(s): {detail}", report, errors
            )
        return report

    def load(
        self,
        data: bytes | IO[bytes] | Iterable[bytes] | None = None,
        file_path: str | os.PathLike[str] | None = None,
    ) -> builtins.list[Image]:
        """POST /libpod/images/load, streaming the archive in bounded memory from bytes,
        a binary file, an iterable of bytes, or ``file_path``. Returns the loaded
        images."""
        if (data is None) == (file_path is None):
            raise InvalidArgument("load takes exactly one of data= or file_path=")
        source: LoadSource = file_path if file_path is not None else data  # type: ignore[assignment]
        names = load_archive(self._session, source)
        images: dict[str, Image] = {}
        for loaded in names:
            # The report names an image as "sha256:<id>" or by each reference it carried:
            # two tags of one image are one Image.
            image = self.get(loaded.removeprefix("sha256:"))
            images.setdefault(image.id, image)
        return builtins.list(images.values())
