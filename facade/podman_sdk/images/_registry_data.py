"""`RegistryData` (and `AsyncRegistryData`, whose ``pull`` is awaited): what a registry
says about a reference, asked through the service. Both clients send the same `Call`
(`registry_data_call`) and make the same decisions; only `fetch_registry_data` and
`fetch_registry_data_async` differ, by the awaited I/O.

Neither Podman 4.3 nor 5.x implements Docker's ``GET /distribution/{name}/json`` (both
answer 404 "not supported"). The only route that reads a remote manifest is libpod's
``GET /libpod/manifests/{name}/json?tlsVerify=``: it answers a manifest list (image
index) with 200, and refuses a single-image manifest with a 404 whose message quotes
the manifest it fetched verbatim (Go ``%q``: ``parsing manifest blob "<json>" as a
"<media type>": Treating single images as manifest lists is not implemented``). The
SDK recovers those exact bytes, so the digest it reports is the registry's own. It
never returns local image data under a remote name. Neither server passes
``X-Registry-Auth`` to the registry on this route (measured on 4.3.1 and 5.4.2), so a
registry that needs credentials answers "unauthorized".

Podman 4.3.1's handler reads no ``tlsVerify`` on this route (its ``ManifestInspect``
takes none: pkg/api/handlers/libpod/manifests.go), so ``tls_verify=False`` cannot
reach a registry its registries.conf does not mark insecure; 5.4.2 and 6.0 honour it.
No other route of 4.3.1 reads a remote manifest without storing something. When the
server's answer shows it verified TLS although asked not to, the SDK raises
`UnsupportedServer` naming the server and quoting its answer instead of `NotFound`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, NotRequired, TypedDict, TypeVar

import httpx

from podman_sdk._core._answers import json_object
from podman_sdk._core._api_version import Version, format_version
from podman_sdk._core._calls import Call, perform, perform_async
from podman_sdk._core._registry_auth import encode_registry_auth
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound, UnsupportedServer
from podman_sdk.images._reference import parse_reference

if TYPE_CHECKING:
    from libpod_client.types import RequestArguments

    from podman_sdk._core._connection import AsyncConnection, Connection
    from podman_sdk.images._image import AsyncImage, Image

__all__ = [
    "AsyncRegistryData",
    "Descriptor",
    "Platform",
    "RegistryData",
    "RegistryDataAttrs",
    "RegistryDataBase",
    "attrs_from_list",
    "attrs_from_manifest",
    "fetch_registry_data",
    "fetch_registry_data_async",
    "ignored_tls_verify",
    "manifest_in_refusal",
    "registry_data_call",
    "registry_data_request",
    "registry_digest_call",
    "verified_anyway",
]

PullT = TypeVar("PullT")

# What containers/image says when it verified TLS: a plain-HTTP registry, or a
# certificate it does not trust. Neither can happen once verification is off.
_TLS_VERIFIED = ("server gave HTTP response to HTTPS client", "x509: ", "tls: failed to verify")

_REFUSAL = re.compile(
    r'parsing manifest blob "((?:[^"\\]|\\.)*)" as a "([^"]+)": '
    r"Treating single images as manifest lists is not implemented",
    re.DOTALL,
)


class Descriptor(TypedDict):
    """The manifest the reference points at. ``digest`` is None for a manifest list:
    the service re-encodes lists, so the registry's digest of one cannot be known."""

    mediaType: str
    digest: str | None
    size: int | None


class Platform(TypedDict, total=False):
    architecture: str
    os: str
    variant: str


class RegistryDataAttrs(TypedDict):
    """Docker's /distribution shape plus the manifest itself. ``Platforms`` is None
    for a single-image manifest (its platform is in the config blob, which the service
    does not return)."""

    Descriptor: Descriptor
    Platforms: list[Platform] | None
    Manifest: dict[str, object]
    Name: NotRequired[str]


def manifest_in_refusal(message: str) -> tuple[bytes, str] | None:
    """(manifest bytes, media type) quoted in the server's single-image refusal, or
    None when ``message`` is not that refusal or the quoting cannot be undone."""
    match = _REFUSAL.search(message)
    if match is None:
        return None
    try:
        # Go's %q of ASCII JSON uses only the escapes JSON shares (\" \\ \n \t \uXXXX).
        text = json.loads('"' + match.group(1) + '"')
    except json.JSONDecodeError:
        return None
    if not isinstance(text, str):
        return None
    return text.encode("utf-8"), match.group(2)


def ignored_tls_verify(error: NotFound) -> bool:
    """Whether the server's refusal shows it verified TLS (asked not to)."""
    text = f"{error.message} {error.explanation or ''}"
    return any(marker in text for marker in _TLS_VERIFIED)


def attrs_from_manifest(raw: bytes, media_type: str) -> RegistryDataAttrs:
    """Attrs for a single-image manifest given as the registry's exact bytes."""
    manifest = json.loads(raw)
    if not isinstance(manifest, dict):
        raise InvalidArgument("the manifest is not a JSON object")
    return {
        "Descriptor": {
            "mediaType": media_type,
            "digest": "sha256:" + hashlib.sha256(raw).hexdigest(),
            "size": len(raw),
        },
        "Platforms": None,
        "Manifest": manifest,
    }


def attrs_from_list(manifest: dict[str, object]) -> RegistryDataAttrs:
    """Attrs for a manifest list / image index as the service returns it."""
    platforms: list[Platform] = []
    entries = manifest.get("manifests")
    for entry in entries if isinstance(entries, list) else []:
        found = entry.get("platform") if isinstance(entry, dict) else None
        if isinstance(found, dict):
            platform: Platform = {}
            for key in ("architecture", "os", "variant"):
                value = found.get(key)
                if isinstance(value, str) and value:
                    platform[key] = value
            platforms.append(platform)
    media_type = manifest.get("mediaType")
    return {
        "Descriptor": {
            "mediaType": media_type if isinstance(media_type, str) else "",
            "digest": None,
            "size": None,
        },
        "Platforms": platforms,
        "Manifest": manifest,
    }


def _platform_matches(wanted: str, platform: Platform) -> bool:
    parts = wanted.split("/")
    keys = ("os", "architecture", "variant")
    return all(platform.get(key) == part for key, part in zip(keys, parts, strict=False))


class RegistryDataBase:
    """What `RegistryData` and `AsyncRegistryData` share: everything but ``pull`` and
    ``reload``."""

    #: The registry's answer, in the documented `RegistryDataAttrs` shape.
    attrs: RegistryDataAttrs

    def __init__(self, image_name: str, attrs: RegistryDataAttrs) -> None:
        self.image_name = image_name
        self.attrs = attrs

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.image_name} {self.id or '(manifest list)'}>"

    @property
    def id(self) -> str | None:
        """The manifest digest ("sha256:..."), None for a manifest list."""
        return self.attrs["Descriptor"]["digest"]

    @property
    def short_id(self) -> str | None:
        digest = self.id
        return None if digest is None else digest[:19]

    def has_platform(self, platform: str) -> bool:
        """Whether the manifest list offers ``platform`` ("os[/arch[/variant]]").

        Raises:
            InvalidArgument: a single-image manifest (its platform is not known here).
        """
        platforms = self.attrs["Platforms"]
        if platforms is None:
            raise InvalidArgument(
                f"{self.image_name} is a single-image manifest; its platform is in the "
                "image config, which the service does not return"
            )
        return any(_platform_matches(platform, found) for found in platforms)

    def _puller(self, pull: PullT | None) -> PullT:
        # The pull and the fetch of an attached object (detached: InvalidArgument).
        if pull is None:
            raise InvalidArgument(f"this {type(self).__name__} is not attached to a client")
        return pull


class RegistryData(RegistryDataBase):
    """Registry data for ``image_name`` (podman-py's names: ``id``, ``short_id``,
    ``attrs``, ``pull``, ``has_platform``)."""

    def __init__(
        self,
        image_name: str,
        attrs: RegistryDataAttrs,
        pull: Callable[[str | None], Image] | None = None,
        fetch: Callable[[], RegistryDataAttrs] | None = None,
    ) -> None:
        super().__init__(image_name, attrs)
        self._pull = pull
        self._fetch = fetch

    def pull(self, platform: str | None = None) -> Image:
        """Pull this reference (``images.pull(image_name, platform=...)``)."""
        return self._puller(self._pull)(platform)

    def reload(self) -> None:
        """Ask the registry again, through the service (as `get_registry_data` did,
        with the same credentials and TLS choice), and replace ``attrs``."""
        self.attrs = self._puller(self._fetch)()


class AsyncRegistryData(RegistryDataBase):
    """`RegistryData` from an `AsyncPodmanClient`: ``await data.pull()``."""

    def __init__(
        self,
        image_name: str,
        attrs: RegistryDataAttrs,
        pull: Callable[[str | None], Awaitable[AsyncImage]] | None = None,
        fetch: Callable[[], Awaitable[RegistryDataAttrs]] | None = None,
    ) -> None:
        super().__init__(image_name, attrs)
        self._pull = pull
        self._fetch = fetch

    async def pull(self, platform: str | None = None) -> AsyncImage:
        """Pull this reference (``await images.pull(image_name, platform=...)``)."""
        return await self._puller(self._pull)(platform)

    async def reload(self) -> None:
        """`RegistryData.reload`, awaited."""
        self.attrs = await self._puller(self._fetch)()


def registry_data_request(
    name: str, tls_verify: bool, auth_config: Mapping[str, str] | None
) -> RequestArguments:
    """GET /libpod/manifests/{name}/json for a ``name`` already checked. The spec has
    no auth header for it; the credentials go the way every registry route takes them."""
    from libpod_client.api.manifests import manifest_inspect_libpod

    request = manifest_inspect_libpod.request_kwargs(name, tls_verify=tls_verify)
    if auth_config is not None:
        auth = encode_registry_auth(auth_config)
        request["headers"] = {**request.get("headers", {}), "X-Registry-Auth": auth}
    return request


def registry_data_call(
    name: str, auth_config: Mapping[str, str] | None, tls_verify: bool
) -> Call[RegistryDataAttrs]:
    """GET /libpod/manifests/{name}/json: a manifest list's attrs, or a single-image
    manifest's recovered from the refusal (see the module docstring)."""
    parse_reference(name)
    return _manifest_call(name, registry_data_request(name, tls_verify, auth_config))


def registry_digest_call(name: str, tls_verify: bool) -> Call[str | None]:
    """What a push asks the registry when the server reports no digest (Podman 4): the
    manifest digest of ``name`` (a reference the push checked), None for a manifest
    list, whose digest cannot be known."""
    manifest = _manifest_call(name, registry_data_request(name, tls_verify, None))

    def digest(response: httpx.Response, endpoint: str) -> str | None:
        return manifest.decode(response, endpoint)["Descriptor"]["digest"]

    def recovered(error: APIError) -> str | None:
        return manifest.recovered(error)["Descriptor"]["digest"]

    return Call(manifest.request, digest, recovered)


def _manifest_call(name: str, request: RequestArguments) -> Call[RegistryDataAttrs]:
    def listed(response: httpx.Response, endpoint: str) -> RegistryDataAttrs:
        return attrs_from_list(json_object(response, f"manifest of {name}", endpoint))

    def refused(error: APIError) -> RegistryDataAttrs:
        found = manifest_in_refusal(error.message) if isinstance(error, NotFound) else None
        if found is None:
            raise error
        return attrs_from_manifest(*found)

    return Call(request, listed, refused)


def verified_anyway(
    error: NotFound, name: str, tls_verify: bool, endpoint: str, server: Version
) -> UnsupportedServer | None:
    """The error to raise instead of ``error`` when the server verified TLS although
    asked not to (Podman 4.3.1), else None."""
    if tls_verify or not ignored_tls_verify(error):
        return None
    return UnsupportedServer(
        f"get_registry_data({name!r}, tls_verify=False): the service at "
        f"{endpoint} (libpod API {format_version(server)}) verified TLS anyway: its "
        "GET /libpod/manifests/{name}/json reads no tlsVerify (Podman 4.3.1; 5.4.2 "
        f"and newer do). It answered {error.status_code}: {error.message}. Mark the "
        "registry insecure in the service's registries.conf, or use Podman 5."
    )


def fetch_registry_data(
    connection: Connection, name: str, auth_config: Mapping[str, str] | None, tls_verify: bool
) -> RegistryDataAttrs:
    """Ask the service for the registry's manifest of ``name``."""
    try:
        return perform(connection, registry_data_call(name, auth_config, tls_verify))
    except NotFound as exc:
        unsupported = verified_anyway(
            exc, name, tls_verify, connection.endpoint, connection.negotiate()
        )
        if unsupported is None:
            raise
        raise unsupported from exc


async def fetch_registry_data_async(
    connection: AsyncConnection,
    name: str,
    auth_config: Mapping[str, str] | None,
    tls_verify: bool,
) -> RegistryDataAttrs:
    """`fetch_registry_data`, awaited."""
    try:
        return await perform_async(connection, registry_data_call(name, auth_config, tls_verify))
    except NotFound as exc:
        unsupported = verified_anyway(
            exc, name, tls_verify, connection.endpoint, await connection.negotiate()
        )
        if unsupported is None:
            raise
        raise unsupported from exc
