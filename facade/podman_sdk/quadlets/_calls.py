"""The calls of the quadlet verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), and the argument checks that come before them:
everything a quadlet verb decides, none of its I/O."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._arguments import optional_bool, required_name
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound
from podman_sdk.quadlets._types import QuadletAttrs, QuadletInstallReport

if TYPE_CHECKING:
    from libpod_client.models import ListQuadlet

#: What ``install()`` takes for one file: ``(file name, content)``, or a path to read.
QuadletFileItem = tuple[str, str | bytes] | str | os.PathLike[str]
#: ``install()``'s ``files``: one item, or a list of them.
QuadletFiles = QuadletFileItem | list[QuadletFileItem]

_KEYS = ("Name", "UnitName", "Path", "Status", "App")


def quadlet_name(name: object) -> str:
    return required_name(name, "quadlet name")


def quadlet_model(attrs: QuadletAttrs, what: str, endpoint: str) -> ListQuadlet:
    from libpod_client.models import ListQuadlet

    return model_answer(ListQuadlet, cast("dict[str, object]", attrs), what, endpoint)


def _listed(response: httpx.Response, endpoint: str) -> list[QuadletAttrs]:
    entries = json_array(response, "quadlets", endpoint, null_is_empty=True)
    for entry in entries:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in _KEYS):
            raise unexpected("quadlets", endpoint, f"a JSON array of quadlets, each with {_KEYS}")
    return cast("list[QuadletAttrs]", entries)


def _the_one_named(name: str) -> Callable[[httpx.Response, str], QuadletAttrs]:
    def decode(response: httpx.Response, endpoint: str) -> QuadletAttrs:
        for attrs in _listed(response, endpoint):
            if attrs["Name"] == name:
                return attrs
        raise NotFound(f"no such quadlet: {name}")

    return decode


def _present(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _text(response: httpx.Response, endpoint: str) -> str:
    return response.text


def _removed(ignore: bool) -> Callable[[httpx.Response, str], list[str]]:
    def decode(response: httpx.Response, endpoint: str) -> list[str]:
        report = json_object(response, "quadlet remove report", endpoint)
        removed = report.get("Removed") or []
        if not isinstance(removed, list) or not all(isinstance(n, str) for n in removed):
            raise unexpected("quadlet remove report", endpoint, "Removed: a list of names")
        errors = report.get("Errors") or {}
        if errors and not ignore:
            # Go writes each error as {} (its fields are private): the names are what is known.
            failed = ", ".join(sorted(errors)) if isinstance(errors, dict) else str(errors)
            raise APIError(f"quadlets not removed: {failed} (removed: {removed})")
        return cast("list[str]", removed)

    return decode


def _installed(response: httpx.Response, endpoint: str) -> QuadletInstallReport:
    report = json_object(response, "quadlet install report", endpoint)
    installed = report.get("InstalledQuadlets") or {}
    if not isinstance(installed, dict):
        raise unexpected("quadlet install report", endpoint, "InstalledQuadlets: an object")
    errors = report.get("QuadletErrors") or {}
    return {
        "InstalledQuadlets": cast("dict[str, str]", installed),
        "QuadletErrors": cast("dict[str, object]", errors if isinstance(errors, dict) else {}),
    }


# -- install's archive ----------------------------------------------------------------


def _file_name(name: object) -> str:
    if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\0" in name:
        raise InvalidArgument(f"a quadlet file name must be a plain file name, not {name!r}")
    return name


def _one_file(item: object) -> tuple[str, bytes]:
    if isinstance(item, tuple):
        if len(item) != 2:
            raise InvalidArgument(f"a file given as a tuple is (name, content), not {item!r}")
        name, content = item
        if isinstance(content, str):
            content = content.encode()
        if not isinstance(content, bytes):
            raise InvalidArgument(f"the content of {name!r} must be str or bytes")
        return _file_name(name), content
    if isinstance(item, (str, os.PathLike)) and os.fspath(item):
        path = Path(item)
        if not path.is_file():
            raise InvalidArgument(f"quadlet file {os.fspath(path)!r} does not exist or is no file")
        return path.name, path.read_bytes()
    raise InvalidArgument(f"a quadlet file is (name, content) or a path to a file, not {item!r}")


def install_archive(files: object) -> bytes:
    """``install()``'s ``files`` as the tar archive the route reads: one path to a
    ``.tar`` (or ``.tar.gz``) as it is; otherwise each item as a file at the archive's
    top (podman-py sends those as multipart; Podman reads both the same). Every file is
    read before any request."""
    items: Sequence[object] = files if isinstance(files, list) else [files]
    if not items:
        raise InvalidArgument("install() needs at least one file")
    first = items[0]
    if (
        len(items) == 1
        and isinstance(first, (str, os.PathLike))
        and os.fspath(first).endswith((".tar", ".tar.gz"))
    ):
        if not os.path.isfile(first):
            raise InvalidArgument(f"archive {os.fspath(first)!r} does not exist or is no file")
        return Path(first).read_bytes()
    read = [_one_file(item) for item in items]
    names = [name for name, _ in read]
    if len(set(names)) != len(names):
        raise InvalidArgument(f"install() was given one file name twice: {names}")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in read:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


# -- calls ----------------------------------------------------------------------------


def list_call(filters: Filters | None) -> Call[list[QuadletAttrs]]:
    """GET /libpod/quadlets/json (filters: name, ...)."""
    from libpod_client.api.quadlets import quadlet_list_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = quadlet_list_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _listed)


def get_call(name: object) -> Call[QuadletAttrs]:
    """GET /libpod/quadlets/json filtered by name; `NotFound` when none has it."""
    from libpod_client.api.quadlets import quadlet_list_libpod

    checked = quadlet_name(name)
    request = quadlet_list_libpod.request_kwargs(filters={"name": [checked]})
    return Call(request, _the_one_named(checked))


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/quadlets/{name}/exists: False on 404."""
    from libpod_client.api.quadlets import quadlet_exists_libpod

    return Call(
        quadlet_exists_libpod.request_kwargs(quadlet_name(name)), _present, _absent_is_false
    )


def contents_call(name: object) -> Call[str]:
    """GET /libpod/quadlets/{name}/file: the file's text. `NotFound` when absent."""
    from libpod_client.api.quadlets import quadlet_file_libpod

    return Call(quadlet_file_libpod.request_kwargs(quadlet_name(name)), _text)


def delete_call(
    name: object, all_: object, force: object, ignore: object, reload_systemd: object
) -> Call[list[str]]:
    """DELETE /libpod/quadlets/{name}, or DELETE /libpod/quadlets?all=true: the names
    removed. Exactly one of a name and ``all=True``."""
    from libpod_client.api.quadlets import quadlet_delete_all_libpod, quadlet_delete_libpod
    from libpod_client.types import UNSET

    every = optional_bool(all_, "all")
    checked = [optional_bool(force, "force"), optional_bool(ignore, "ignore")]
    reload_given = optional_bool(reload_systemd, "reload_systemd")
    if (name is None) == (not every):
        raise InvalidArgument("delete() takes a quadlet name or all=True (exactly one)")
    forced, ignored = (UNSET if value is None else value for value in checked)
    reload = UNSET if reload_given is None else reload_given
    if every:
        request = quadlet_delete_all_libpod.request_kwargs(
            all_=True, force=forced, ignore=ignored, reload_systemd=reload
        )
    else:
        request = quadlet_delete_libpod.request_kwargs(
            quadlet_name(name), force=forced, ignore=ignored, reload_systemd=reload
        )
    return Call(request, _removed(bool(checked[1])))


def install_call(
    archive: bytes, replace: object, reload_systemd: object
) -> Call[QuadletInstallReport]:
    """POST /libpod/quadlets with a tar archive of the files (`install_archive`)."""
    from libpod_client.api.quadlets import quadlet_install_libpod
    from libpod_client.types import File

    request = quadlet_install_libpod.request_kwargs(
        body=File(payload=io.BytesIO(archive)),
        replace=_bool(replace, "replace"),
        reload_systemd=_bool(reload_systemd, "reload_systemd"),
    )
    # The generated builder sends the payload as it is; bytes need no file around them.
    request["content"] = archive
    # The spec offers tar and multipart bodies as one File type, and the builder ends
    # on multipart's media type (with a made-up boundary): this body is a tar archive.
    request["headers"] = {**request.get("headers", {}), "Content-Type": "application/x-tar"}
    return Call(request, _installed)


def _bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{what} must be a bool, not {value!r}")
    return value
