"""Requests of the registry verbs, as pure functions: argument checks and the query
parameters of pull, push, search and build, decided before any I/O."""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from typing import Any, TypedDict

from libpod_client.types import UNSET

from podman_sdk._errors import InvalidArgument
from podman_sdk._filters import Filters, encode_filters
from podman_sdk._image_id import looks_like_image_id
from podman_sdk._reference import parse_reference, push_destination, reference_from_repository_tag

__all__ = [
    "PULL_POLICIES",
    "PUSH_FORMATS",
    "Params",
    "SearchResult",
    "build_params",
    "platform_params",
    "pull_params",
    "push_name",
    "push_params",
    "search_params",
    "search_result",
]

PULL_POLICIES = ("always", "missing", "never", "newer")
PUSH_FORMATS = ("oci", "v2s1", "v2s2")
Params = dict[str, str | list[str]]


class SearchResult(TypedDict):
    """One result of ``images.search()``, as libpod sends it. ``Tag`` is set only with
    ``list_tags=True``; ``Official`` and ``Automated`` are ``"[OK]"`` or ``""``."""

    Index: str
    Name: str
    Description: str
    Stars: int
    Official: str
    Automated: str
    Tag: str


def _flag(value: bool) -> str:
    return "true" if value else "false"


def platform_params(platform: str | None) -> Params:
    """``"os[/arch[/variant]]"`` as libpod's OS / Arch / Variant parameters."""
    if platform is None:
        return {}
    parts = platform.split("/") if isinstance(platform, str) else []
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise InvalidArgument(f"platform must be 'os[/arch[/variant]]', not {platform!r}")
    return dict(zip(("OS", "Arch", "Variant"), parts, strict=False))


def _is_image_id(name: str) -> bool:
    return looks_like_image_id(name)  # any digest algorithm, not only hex sha256


def pull_params(
    repository: str,
    tag: str | None,
    all_tags: bool,
    *,
    platform: str | None,
    policy: str | None,
    tls_verify: bool,
) -> Params:
    """The query of POST /libpod/images/pull. One image unless ``all_tags`` (never all
    tags by accident); no tag means "latest"; a digest stays a digest."""
    if not isinstance(repository, str) or not repository:
        raise InvalidArgument(f"repository must be a non-empty str, not {repository!r}")
    if policy is not None and policy not in PULL_POLICIES:
        raise InvalidArgument(f"policy must be one of {PULL_POLICIES}, not {policy!r}")
    if all_tags:
        ref = parse_reference(repository)
        if tag or ref.tag is not None or ref.digest is not None:
            raise InvalidArgument("all_tags=True pulls a whole repository: give no tag or digest")
        reference = ref.repository
    else:
        reference = str(reference_from_repository_tag(repository, tag))
    params: Params = {"reference": reference, "tlsVerify": _flag(tls_verify), "quiet": "false"}
    if all_tags:
        params["allTags"] = "true"
    if policy is not None:
        params["policy"] = policy
    params.update(platform_params(platform))
    return params


def push_name(repository: str, tag: str | None) -> str:
    """The local image to push: an id as given, else ``repository[:tag]`` parsed."""
    if not isinstance(repository, str) or not repository:
        raise InvalidArgument(f"repository must be a non-empty str, not {repository!r}")
    if tag is None and _is_image_id(repository):
        return repository
    return str(reference_from_repository_tag(repository, tag))


def push_params(destination: str | None, tls_verify: bool, format: str | None) -> Params:
    """The query of POST /libpod/images/{name}/push (progress on: ``quiet=false``)."""
    params: Params = {"tlsVerify": _flag(tls_verify), "quiet": "false"}
    if destination is not None:
        push_destination(destination)
        params["destination"] = destination
    if format is not None:
        if format not in PUSH_FORMATS:
            raise InvalidArgument(f"format must be one of {PUSH_FORMATS}, not {format!r}")
        params["format"] = format
    return params


def search_params(
    term: str, limit: int | None, filters: Filters | None, list_tags: bool
) -> dict[str, Any]:
    """Arguments for the generated image_search_libpod call."""
    if not isinstance(term, str) or not term:
        raise InvalidArgument(f"term must be a non-empty str, not {term!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidArgument(f"limit must be a positive int, not {limit!r}")
    if list_tags:
        ref = parse_reference(term)
        if ref.tag is not None or ref.digest is not None:
            raise InvalidArgument("list_tags=True needs a repository without tag or digest")
    encoded = encode_filters(filters)
    return {
        "term": term,
        "limit": UNSET if limit is None else limit,
        "filters": UNSET if encoded is None else encoded,
        "list_tags": list_tags,
    }


def search_result(entry: object) -> SearchResult:
    item: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}

    def text(key: str) -> str:
        value = item.get(key)
        return value if isinstance(value, str) else ""

    stars = item.get("Stars")
    return {
        "Index": text("Index"),
        "Name": text("Name"),
        "Description": text("Description"),
        "Stars": stars if isinstance(stars, int) else 0,
        "Official": text("Official"),
        "Automated": text("Automated"),
        "Tag": text("Tag"),
    }


def _json_map(name: str, value: Mapping[str, str] | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidArgument(f"{name} must be a mapping of str to str")
    return json.dumps(dict(value), separators=(",", ":"))


def build_params(
    dockerfile: str,
    *,
    tag: str | builtins.list[str] | None,
    buildargs: Mapping[str, str] | None,
    labels: Mapping[str, str] | None,
    target: str | None,
    pull: bool | None,
    nocache: bool,
    rm: bool,
    forcerm: bool,
    platform: str | None,
    squash: bool | None,
    network_mode: str | None,
    shmsize: int | None,
    layers: bool | None,
    quiet: bool,
) -> Params:
    """The query of POST /libpod/build."""
    params: Params = {
        "dockerfile": dockerfile,
        "nocache": _flag(nocache),
        "rm": _flag(rm),
        "forcerm": _flag(forcerm),
        "q": _flag(quiet),
    }
    tags = [tag] if isinstance(tag, str) else list(tag or [])
    for item in tags:
        ref = parse_reference(item)
        if ref.digest is not None:
            raise InvalidArgument(f"cannot tag a build with a digest: {item!r}")
    if tags:
        params["t"] = tags
    for name, mapping in (("buildargs", buildargs), ("labels", labels)):
        encoded = _json_map(name, mapping)
        if encoded is not None:
            params[name] = encoded
    if target is not None:
        params["target"] = target
    if pull is not None:
        params["pull"] = _flag(pull)
    if platform is not None:
        platform_params(platform)  # validates
        params["platform"] = platform
    if squash is not None:
        params["squash"] = _flag(squash)
    if network_mode is not None:
        params["networkmode"] = network_mode
    if shmsize is not None:
        if isinstance(shmsize, bool) or not isinstance(shmsize, int) or shmsize < 0:
            raise InvalidArgument(f"shmsize must be a non-negative int, not {shmsize!r}")
        params["shmsize"] = str(shmsize)
    if layers is not None:
        params["layers"] = _flag(layers)
    return params
