"""The calls of the artifact verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), and the argument checks that come before them:
everything an artifact verb decides, none of its I/O."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._arguments import optional_name, required_name
from podman_sdk._core._calls import Call
from podman_sdk._core._registry_auth import encode_registry_auth
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound
from podman_sdk.artifacts._types import ArtifactAttrs

if TYPE_CHECKING:
    from libpod_client.models import ArtifactInspectReport


def artifact_name(name: object) -> str:
    return required_name(name, "artifact name")


def artifact_model(attrs: ArtifactAttrs, what: str, endpoint: str) -> ArtifactInspectReport:
    from libpod_client.models import ArtifactInspectReport

    return model_answer(ArtifactInspectReport, cast("dict[str, object]", attrs), what, endpoint)


def _checked(entry: object, what: str, endpoint: str) -> ArtifactAttrs:
    if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str):
        raise unexpected(what, endpoint, "artifacts, each with a Name")
    manifest = entry.get("Manifest")
    if manifest is not None and not isinstance(manifest, dict):
        raise unexpected(what, endpoint, "a Manifest that is an object or null")
    return cast(ArtifactAttrs, entry)


def _listed(response: httpx.Response, endpoint: str) -> list[ArtifactAttrs]:
    entries = json_array(response, "artifacts", endpoint, null_is_empty=True)
    return [_checked(entry, "artifacts", endpoint) for entry in entries]


def _inspected(what: str) -> Callable[[httpx.Response, str], ArtifactAttrs]:
    def decode(response: httpx.Response, endpoint: str) -> ArtifactAttrs:
        attrs = _checked(json_object(response, what, endpoint), what, endpoint)
        if not isinstance(attrs.get("Digest"), str):
            raise unexpected(what, endpoint, "an artifact with a Digest")
        return attrs

    return decode


def _present(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _digest(what: str) -> Callable[[httpx.Response, str], str]:
    def decode(response: httpx.Response, endpoint: str) -> str:
        digest = json_object(response, what, endpoint).get("ArtifactDigest")
        if not isinstance(digest, str) or not digest:
            raise unexpected(what, endpoint, "an ArtifactDigest")
        return digest

    return decode


def _digests(response: httpx.Response, endpoint: str) -> list[str]:
    digests = json_object(response, "artifact remove report", endpoint).get("ArtifactDigests")
    if digests is None:
        return []
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise unexpected("artifact remove report", endpoint, "ArtifactDigests: a list")
    return cast("list[str]", digests)


def _content(response: httpx.Response, endpoint: str) -> bytes:
    return response.content


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{what} must be a bool, not {value!r}")
    return value


def _annotations(value: object) -> list[str] | None:
    """``{"key": "value"}`` as the route reads annotations: ``key=value`` strings."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and k and "=" not in k and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidArgument(f"annotations must map names (without '=') to str, not {value!r}")
    return [f"{key}={item}" for key, item in value.items()]


# -- calls ----------------------------------------------------------------------------


def list_call() -> Call[list[ArtifactAttrs]]:
    """GET /libpod/artifacts/json."""
    from libpod_client.api.artifacts import artifact_list_libpod

    return Call(artifact_list_libpod.request_kwargs(), _listed)


def get_call(name: object) -> Call[ArtifactAttrs]:
    """GET /libpod/artifacts/{name}/json; `NotFound` when absent."""
    from libpod_client.api.artifacts import artifact_inspect_libpod

    checked = artifact_name(name)
    return Call(artifact_inspect_libpod.request_kwargs(checked), _inspected(f"artifact {checked}"))


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/artifacts/{name}/json, read as present or not (there is no exists
    route): False on 404."""
    from libpod_client.api.artifacts import artifact_inspect_libpod

    request = artifact_inspect_libpod.request_kwargs(artifact_name(name))
    return Call(request, _present, _absent_is_false)


def add_call(
    name: object,
    data: bytes,
    *,
    file_name: object,
    file_mime_type: object,
    artifact_mime_type: object,
    annotations: object,
    append: object,
    replace: object,
) -> Call[str]:
    """POST /libpod/artifacts/add with the file's bytes as the body: the digest."""
    from libpod_client.api.artifacts import artifact_add_libpod
    from libpod_client.types import UNSET, File

    file_type = optional_name(file_mime_type, "file_mime_type")
    artifact_type = optional_name(artifact_mime_type, "artifact_mime_type")
    listed = _annotations(annotations)
    request = artifact_add_libpod.request_kwargs(
        body=File(payload=io.BytesIO(data)),
        name=artifact_name(name),
        file_name=required_name(file_name, "file_name"),
        file_mime_type=UNSET if file_type is None else file_type,
        artifact_mime_type=UNSET if artifact_type is None else artifact_type,
        annotations=UNSET if listed is None else listed,
        append=_flag(append, "append"),
        replace=_flag(replace, "replace"),
    )
    if _flag(append, "append") and _flag(replace, "replace"):
        raise InvalidArgument("add() takes append=True or replace=True, not both")
    # The generated builder sends the payload as it is; bytes need no file around them.
    request["content"] = data
    return Call(request, _digest("artifact add report"))


def remove_call(names: Sequence[str] | None, all_: object, ignore: object) -> Call[list[str]]:
    """DELETE /libpod/artifacts/{name}, or DELETE /libpod/artifacts/remove for several
    names or ``all``: the digests removed."""
    from libpod_client.api.artifacts import artifact_delete_all_libpod, artifact_delete_libpod
    from libpod_client.types import UNSET

    every = _flag(all_, "all")
    ignored = _flag(ignore, "ignore")
    checked = [artifact_name(name) for name in names or ()]
    if bool(checked) == every:
        raise InvalidArgument("remove() takes artifact names or all=True (exactly one)")
    if len(checked) == 1 and not ignored:
        return Call(artifact_delete_libpod.request_kwargs(checked[0]), _digests)
    request = artifact_delete_all_libpod.request_kwargs(
        artifacts=checked or UNSET,
        all_=True if every else UNSET,
        ignore=True if ignored else UNSET,
    )
    return Call(request, _digests)


def extract_call(name: object, title: object, digest: object, exclude_title: object) -> Call[bytes]:
    """GET /libpod/artifacts/{name}/extract: a tar archive of the artifact's files (of
    one, chosen by ``title`` or ``digest``)."""
    from libpod_client.api.artifacts import artifact_extract_libpod
    from libpod_client.types import UNSET

    chosen_title = optional_name(title, "title")
    chosen_digest = optional_name(digest, "digest")
    if chosen_title is not None and chosen_digest is not None:
        raise InvalidArgument("extract() takes title= or digest=, not both")
    request = artifact_extract_libpod.request_kwargs(
        artifact_name(name),
        title=UNSET if chosen_title is None else chosen_title,
        digest=UNSET if chosen_digest is None else chosen_digest,
        exclude_title=True if _flag(exclude_title, "exclude_title") else UNSET,
    )
    return Call(request, _content)


def _auth(auth_config: Mapping[str, str] | None) -> str | None:
    return None if auth_config is None else encode_registry_auth(auth_config)


def pull_call(
    name: object, tls_verify: object, retry: object, retry_delay: object, auth_config: object
) -> Call[str]:
    """POST /libpod/artifacts/pull?name=: the digest pulled."""
    from libpod_client.api.artifacts import artifact_pull_libpod
    from libpod_client.types import UNSET

    retries, delay, auth = _transfer_options(retry, retry_delay, auth_config)
    request = artifact_pull_libpod.request_kwargs(
        name=artifact_name(name),
        tls_verify=_flag(tls_verify, "tls_verify"),
        retry=UNSET if retries is None else retries,
        retry_delay=UNSET if delay is None else delay,
        x_registry_auth=UNSET if auth is None else auth,
    )
    return Call(request, _digest("artifact pull report"))


def push_call(
    name: object, tls_verify: object, retry: object, retry_delay: object, auth_config: object
) -> Call[str]:
    """POST /libpod/artifacts/{name}/push: the digest pushed."""
    from libpod_client.api.artifacts import artifact_push_libpod
    from libpod_client.types import UNSET

    retries, delay, auth = _transfer_options(retry, retry_delay, auth_config)
    request = artifact_push_libpod.request_kwargs(
        artifact_name(name),
        tls_verify=_flag(tls_verify, "tls_verify"),
        retry=UNSET if retries is None else retries,
        retry_delay=UNSET if delay is None else delay,
        x_registry_auth=UNSET if auth is None else auth,
    )
    return Call(request, _digest("artifact push report"))


def _transfer_options(
    retry: object, retry_delay: object, auth_config: object
) -> tuple[int | None, str | None, str | None]:
    if retry is not None and (not isinstance(retry, int) or isinstance(retry, bool) or retry < 0):
        raise InvalidArgument(f"retry must be a count (an int >= 0), not {retry!r}")
    delay = optional_name(retry_delay, "retry_delay")
    if auth_config is not None and not (
        isinstance(auth_config, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in auth_config.items())
    ):
        raise InvalidArgument("auth_config must map str to str (username, password, ...)")
    return retry, delay, _auth(auth_config)


def read_source(data: object, path: str | os.PathLike[str] | None) -> tuple[bytes, str | None]:
    """``add()``'s one source, ``data`` (bytes) or ``path`` (an existing file), never both
    or neither, and the file name a path gives."""
    if (data is None) == (path is None):
        raise InvalidArgument("add() takes exactly one of data= or path=")
    if path is not None:
        if not os.path.isfile(path):
            raise InvalidArgument(f"file {os.fspath(path)!r} does not exist or is no file")
        return Path(path).read_bytes(), Path(path).name
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InvalidArgument(f"data must be bytes, not {type(data).__name__}")
    return bytes(data), None
