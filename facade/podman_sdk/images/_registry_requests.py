"""Requests of the registry verbs, as pure functions: argument checks, then the
request itself from the generated builder (``request_kwargs``), decided before any I/O
and shared by every client. Endpoint modules load on first use (see `_requests`).

Pull, push and build are each made into one `Operation` here (`pull_operation`,
`push_operation`, `build_operation`) before anything is sent: the request, the body,
the `ProgressReader` of their events and any later request the verb may need.
``_registry_ops`` then only sends and reads it."""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any, Generic, TypedDict, TypeVar

import httpx
from libpod_client.types import UNSET, Unset

from podman_sdk._core._answers import json_array
from podman_sdk._core._api_version import Version
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._core._registry_auth import encode_registry_auth
from podman_sdk._core._requests import RequestKwargs
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._build_context import build_context
from podman_sdk.images._image_id import looks_like_image_id
from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
from podman_sdk.images._progress_readers import BuildReader, ProgressReader, PullReader, PushReader
from podman_sdk.images._reference import (
    parse_reference,
    push_destination,
    reference_from_repository_tag,
)
from podman_sdk.images._registry_data import registry_digest_call

__all__ = [
    "LAYER_PROGRESS_API",
    "PULL_POLICIES",
    "PUSH_FORMATS",
    "Operation",
    "RequestKwargs",
    "SearchResult",
    "build_operation",
    "build_request",
    "offers_layer_progress",
    "pull_operation",
    "pull_request",
    "push_name",
    "push_operation",
    "push_request",
    "search_request",
    "search_result",
]

PULL_POLICIES = ("always", "missing", "never", "newer")
PUSH_FORMATS = ("oci", "v2s1", "v2s2")
# The first libpod API whose pull reads ``pullProgress`` (per-layer progress).
LAYER_PROGRESS_API = Version(6, 0, 0)
V = TypeVar("V")
ReaderT = TypeVar("ReaderT", bound=ProgressReader)


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


def _given(value: V | None) -> V | Unset:
    """A caller's choice, or UNSET to leave it to the server: the builders send the
    spec's default otherwise, which for the options below is not always the server's
    own (networkmode "bridge", a shmsize, layers). Parameters whose spec default is the
    server's are left to the builder, so the same code builds against every release's
    generated tree (make check-releases)."""
    return UNSET if value is None else value


def _auth(auth_config: Mapping[str, str] | None) -> str | Unset:
    return UNSET if auth_config is None else encode_registry_auth(auth_config)


def platform_parts(platform: str | None) -> tuple[str | Unset, str | Unset, str | Unset]:
    """``"os[/arch[/variant]]"`` as libpod's OS, Arch and Variant."""
    if platform is None:
        return UNSET, UNSET, UNSET
    parts = platform.split("/") if isinstance(platform, str) else []
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise InvalidArgument(f"platform must be 'os[/arch[/variant]]', not {platform!r}")
    padded: list[str | Unset] = [*parts, UNSET, UNSET]
    return padded[0], padded[1], padded[2]


def _is_image_id(name: str) -> bool:
    return looks_like_image_id(name)  # any digest algorithm, not only hex sha256


def pull_reference(repository: str, tag: str | None, all_tags: bool) -> str:
    """What a pull asks for: one image unless ``all_tags`` (never all tags by accident);
    no tag means "latest"; a digest stays a digest."""
    if not isinstance(repository, str) or not repository:
        raise InvalidArgument(f"repository must be a non-empty str, not {repository!r}")
    if not all_tags:
        return str(reference_from_repository_tag(repository, tag))
    ref = parse_reference(repository)
    if tag or ref.tag is not None or ref.digest is not None:
        raise InvalidArgument("all_tags=True pulls a whole repository: give no tag or digest")
    return ref.repository


def offers_layer_progress(server: Version) -> bool:
    """Whether a service of this libpod API version sends per-layer pull progress
    (6.0 and its pre-releases: "6.0.0-rc1" has it)."""
    return server[:3] >= LAYER_PROGRESS_API[:3]


def pull_request(
    repository: str,
    tag: str | None,
    all_tags: bool,
    options: PullOptions,
    layer_progress: bool = False,
) -> tuple[str, RequestKwargs, RequestKwargs | None]:
    """The reference a pull asks for (`pull_reference`), and its request: POST
    /libpod/images/pull with progress (``quiet=false``); with ``layer_progress`` also
    the same request asking each layer's progress (``pullProgress``, libpod API 6.0 and
    later: older services are never sent it)."""
    from libpod_client.api.images import image_pull_libpod

    reference = pull_reference(repository, tag, all_tags)
    policy = options.get("policy")
    if policy is not None and policy not in PULL_POLICIES:
        raise InvalidArgument(f"policy must be one of {PULL_POLICIES}, not {policy!r}")
    os_, arch, variant = platform_parts(options.get("platform"))

    def request(layers: bool) -> RequestKwargs:
        return image_pull_libpod.request_kwargs(
            reference=reference,
            quiet=False,
            os=os_,
            arch=arch,
            variant=variant,
            policy=_given(policy),
            tls_verify=options.get("tls_verify", True),
            all_tags=True if all_tags else UNSET,
            pull_progress=True if layers else UNSET,
            x_registry_auth=_auth(options.get("auth_config")),
        )

    return reference, request(False), request(True) if layer_progress else None


def push_name(repository: str, tag: str | None) -> str:
    """The local image to push: an id as given, else ``repository[:tag]`` parsed."""
    return _pushed(repository, tag)[0]


def _pushed(repository: str, tag: str | None) -> tuple[str, bool]:
    if not isinstance(repository, str) or not repository:
        raise InvalidArgument(f"repository must be a non-empty str, not {repository!r}")
    if tag is None and _is_image_id(repository):
        return repository, True
    return str(reference_from_repository_tag(repository, tag)), False


def push_request(
    repository: str, tag: str | None, options: PushOptions
) -> tuple[str, RequestKwargs, str | None]:
    """The local image a push sends (`push_name`), its request: POST
    /libpod/images/{name}/push with progress (``quiet=false``), and the name the
    registry then knows it by: the destination, else the image's own reference (None
    for an image pushed by id alone)."""
    from libpod_client.api.images import image_push_libpod

    name, by_id = _pushed(repository, tag)
    destination, format = options.get("destination"), options.get("format")
    if destination is not None:
        push_destination(destination)
    if format is not None and format not in PUSH_FORMATS:
        raise InvalidArgument(f"format must be one of {PUSH_FORMATS}, not {format!r}")
    request = image_push_libpod.request_kwargs(
        name,
        destination=_given(destination),
        tls_verify=options.get("tls_verify", True),
        quiet=False,
        format_=_given(format),
        x_registry_auth=_auth(options.get("auth_config")),
    )
    return name, request, destination or (None if by_id else name)


def search_request(
    term: str, limit: int | None, filters: Filters | None, list_tags: bool, tls_verify: bool
) -> RequestKwargs:
    """GET /libpod/images/search."""
    from libpod_client.api.images import image_search_libpod

    if not isinstance(term, str) or not term:
        raise InvalidArgument(f"term must be a non-empty str, not {term!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidArgument(f"limit must be a positive int, not {limit!r}")
    if list_tags:
        ref = parse_reference(term)
        if ref.tag is not None or ref.digest is not None:
            raise InvalidArgument("list_tags=True needs a repository without tag or digest")
    return image_search_libpod.request_kwargs(
        term=term,
        limit=_given(limit),
        filters=_given(filter_values(filters)),
        tls_verify=tls_verify,
        list_tags=list_tags,
    )


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


def _string_map(name: str, value: Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidArgument(f"{name} must be a mapping of str to str")
    return dict(value)


#: podman-py keywords Podman's build API cannot honour, and why (each raises, named).
UNHONOURED_BUILD_KEYWORDS = {
    "encoding": "the context is sent as an uncompressed tar",
    "output": "Podman's build API reads no output destination",
    "timeout": "a build waits for its first answer without a limit, then times out "
    "when idle; set the client's timeout instead",
    "use_config_proxy": "the service's proxy settings apply; http_proxy=True passes them",
}
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
LIMIT_KEYS = ("memory", "memswap", "cpushares", "cpusetcpus", "cpuperiod", "cpuquota")


def check_build_keywords(options: Mapping[str, object]) -> None:
    """Every keyword ``build()`` got is one it honours: an unknown or unhonoured one
    raises `InvalidArgument` naming it, before anything is read or sent."""
    known = BuildOptions.__annotations__
    for key, value in options.items():
        if key not in known:
            raise InvalidArgument(f"build() got an unknown keyword {key!r}")
        if key in UNHONOURED_BUILD_KEYWORDS and value is not None:
            raise InvalidArgument(
                f"build(): {key}= is not supported: {UNHONOURED_BUILD_KEYWORDS[key]}"
            )
    if options.get("gzip"):
        raise InvalidArgument(
            "build(): gzip=True is not supported: the context is sent as an uncompressed tar"
        )


def _string_list(name: str, value: object) -> builtins.list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidArgument(f"{name} must be a list of str, not {value!r}")
    if not all(isinstance(item, str) and item for item in value):
        raise InvalidArgument(f"{name} must be a list of non-empty str, not {value!r}")
    return list(value)


def _limits(value: object) -> dict[str, int | str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidArgument(f"container_limits must be a mapping, not {value!r}")
    limits: dict[str, int | str] = {}
    for key, item in value.items():
        if key not in LIMIT_KEYS:
            raise InvalidArgument(
                f"container_limits: unknown key {key!r} (known: {', '.join(LIMIT_KEYS)})"
            )
        wanted = str if key == "cpusetcpus" else int
        if isinstance(item, bool) or not isinstance(item, wanted):
            raise InvalidArgument(
                f"container_limits[{key!r}] must be {wanted.__name__}, not {item!r}"
            )
        limits[key] = item
    return limits


def build_request(options: BuildOptions) -> Callable[[str], RequestKwargs]:
    """POST /libpod/build, its options checked first (before a context directory is
    walked): the request for a context whose Containerfile has the name given; the
    caller sends the context tar as the body. Every option the caller left out is left
    to the server."""
    from libpod_client.api.images import image_build_libpod

    check_build_keywords(options)
    tag, platform, shmsize = options.get("tag"), options.get("platform"), options.get("shmsize")
    tags = [tag] if isinstance(tag, str) else list(tag or [])
    for item in tags:
        ref = parse_reference(item)
        if ref.digest is not None:
            raise InvalidArgument(f"cannot tag a build with a digest: {item!r}")
    if platform is not None:
        platform_parts(platform)  # validates
    if shmsize is not None and (
        isinstance(shmsize, bool) or not isinstance(shmsize, int) or shmsize < 0
    ):
        raise InvalidArgument(f"shmsize must be a non-negative int, not {shmsize!r}")
    limits = _limits(options.get("container_limits"))
    hosts = _string_map("extra_hosts", options.get("extra_hosts"))
    secrets = _string_list("secrets", options.get("secrets"))
    manifest = options.get("manifest")
    if manifest is not None:
        parse_reference(manifest)
    buildargs = _string_map("buildargs", options.get("buildargs"))
    labels = _string_map("labels", options.get("labels"))
    cache_from = _string_list("cache_from", options.get("cache_from"))
    memory, memswap = limits.get("memory"), limits.get("memswap")
    cpushares, cpuperiod = limits.get("cpushares"), limits.get("cpuperiod")
    cpuquota, cpusetcpus = limits.get("cpuquota"), limits.get("cpusetcpus")

    def request(dockerfile: str) -> RequestKwargs:
        return image_build_libpod.request_kwargs(
            content_type="application/x-tar",  # the context goes as a tar (`stream` adds it)
            dockerfile=dockerfile,
            t=tags or UNSET,
            q=options.get("quiet", False),
            nocache=options.get("nocache", False),
            pull=_given(options.get("pull")),
            rm=options.get("rm", True),
            forcerm=options.get("forcerm", False),
            buildargs=_given(buildargs),
            shmsize=_given(shmsize),
            squash=_given(options.get("squash")),
            labels=_given(labels),
            # podman-py's documented default: keep intermediate layers, so a rebuild uses
            # its cache (libpod's build handler defaults to no layers).
            layers=_given(options.get("layers", True)),
            networkmode=_given(options.get("network_mode")),
            platform=_given(platform),
            target=_given(options.get("target")),
            manifest=_given(manifest),
            # Both are JSON arrays as the server decodes them (hosts as "name:address").
            secrets=_given(secrets),
            extrahosts=UNSET
            if hosts is None
            else json.dumps([f"{k}:{v}" for k, v in hosts.items()]),
            cachefrom=_given(cache_from),
            httpproxy=_given(options.get("http_proxy")),
            # podman-py's documented default, OCI: Podman 4.3.1's own default format
            # never finds its cache again (measured: no "Using cache" on a rebuild).
            outputformat=_given(options.get("outputformat", OCI_MANIFEST)),
            isolation=_given(options.get("isolation")),
            memory=memory if isinstance(memory, int) else UNSET,
            memswap=memswap if isinstance(memswap, int) else UNSET,
            cpushares=cpushares if isinstance(cpushares, int) else UNSET,
            cpuperiod=cpuperiod if isinstance(cpuperiod, int) else UNSET,
            cpuquota=cpuquota if isinstance(cpuquota, int) else UNSET,
            cpusetcpus=cpusetcpus if isinstance(cpusetcpus, str) else UNSET,
        )

    return request


def search_call(
    term: str, limit: int | None, filters: Filters | None, list_tags: bool, tls_verify: bool
) -> Call[list[SearchResult]]:
    """GET /libpod/images/search, for either client."""
    request = search_request(term, limit, filters, list_tags, tls_verify)
    return Call(request, _search_answer)


def _search_answer(response: httpx.Response, endpoint: str) -> list[SearchResult]:
    entries = json_array(response, "search", endpoint, null_is_empty=True)
    return [search_result(entry) for entry in entries]


# -- the operations: everything a registry verb sends, decided before it is sent ----------


@dataclass(frozen=True)
class Operation(Generic[ReaderT]):
    """A registry verb ready to send: ``request``, the body (a build's context tar,
    read block by block), and the reader of its events. ``layer_request``: a decoded
    pull's request that also asks each layer's progress, for a service that offers it
    (`offers_layer_progress`). ``digests``: a whole push's questions to the registry,
    asked only when the server reported no digest (Podman 4), in order: the next only
    when the server refuses the one before as `UnsupportedServer`."""

    request: RequestKwargs
    reader: ReaderT
    content: Iterable[bytes] | None = None
    layer_request: RequestKwargs | None = None
    digests: tuple[Call[str | None], ...] = ()

    def request_for(self, server: Version) -> RequestKwargs:
        """The request to send to a service of libpod API ``server``."""
        if self.layer_request is not None and offers_layer_progress(server):
            return self.layer_request
        return self.request


def pull_operation(
    repository: str, tag: str | None, all_tags: bool, decode: bool, options: PullOptions
) -> Operation[PullReader]:
    """POST /libpod/images/pull of ``repository[:tag]``, or every tag with ``all_tags``;
    a decoded stream asks a service that offers it for each layer's progress."""
    reference, request, layer_request = pull_request(repository, tag, all_tags, options, decode)
    return Operation(
        request,
        PullReader(reference, options.get("progress"), decode),
        layer_request=layer_request,
    )


def push_operation(
    repository: str, tag: str | None, stream: bool, decode: bool, options: PushOptions
) -> Operation[PushReader]:
    """POST /libpod/images/{name}/push of ``repository[:tag]`` (or an image id).
    ``decode`` is for streams: a whole push gives the server's text. A whole push also
    carries the registry's digest questions for a server that reports none."""
    name, request, registry_name = push_request(repository, tag, options)
    tls_verify = options.get("tls_verify", True)
    asked = None if stream or registry_name is None else registry_name
    # Podman 4.3.1 reads no tlsVerify on that route (its version gate refuses
    # tls_verify=False): then ask as that server does anyway, verifying as its
    # registries.conf says.
    verifications = (tls_verify,) if tls_verify else (False, True)
    digests = () if asked is None else tuple(registry_digest_call(asked, v) for v in verifications)
    reader = PushReader(name, options.get("progress"), stream and decode)
    return Operation(request, reader, digests=digests)


def build_operation(
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    options: BuildOptions,
) -> Operation[BuildReader]:
    """POST /libpod/build with the context of ``path`` and ``fileobj`` as its body
    (`build_context`). The keywords are checked before the context is looked at."""
    request_for = build_request(options)
    reader = BuildReader(options.get("progress"))
    context = build_context(
        path, fileobj, options.get("dockerfile"), bool(options.get("custom_context"))
    )
    return Operation(request_for(context.dockerfile), reader, context.chunks())
