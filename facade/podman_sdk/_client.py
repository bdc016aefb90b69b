"""What `PodmanClient` and `AsyncPodmanClient` decide alike, before and without any
I/O: where to connect (discovery, the ssh tunnel), with which timeouts and version, the
arguments of the connection, and the answers of the system calls. Each client only
builds its own transport and connection class (httpx's BaseClient under Client and
AsyncClient is the model).

`PodmanClient`: where to connect, how, and the managers on top.

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)

`AsyncPodmanClient`: `PodmanClient` for asyncio, the same decisions over awaited I/O.

async with AsyncPodmanClient("unix:///run/podman/podman.sock") as client:
    for image in await client.images.list():
        print(image.short_id, image.tags)
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, NotRequired, Self, TypedDict, TypeVar

import httpx

from podman_sdk._core._answers import json_object
from podman_sdk._core._api_version import Version, format_version, parse_version
from podman_sdk._core._async_closing import AsyncClosing
from podman_sdk._core._attached import Attached
from podman_sdk._core._connection import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_FIRST_BYTE_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    AsyncConnection,
    Connection,
    ConnectionBase,
    EventHooks,
    Timeouts,
)
from podman_sdk._core._requests import info_request, version_request
from podman_sdk._exceptions import InvalidArgument, MalformedAnswerError
from podman_sdk._transport import (
    Endpoint,
    SshEndpoint,
    TcpEndpoint,
    UnixEndpoint,
    build_transport,
    describe,
    parse_base_url,
    transport_options,
)
from podman_sdk.images._manager import AsyncImagesManager, ImagesManager

if TYPE_CHECKING:
    from libpod_client import AsyncSender, SyncSender

    from podman_sdk._core._discovery import DiscoveryResult
    from podman_sdk.containers._manager import AsyncContainersManager, ContainersManager
    from podman_sdk.images._rules import ManagerBase
    from podman_sdk.manifests._manager import AsyncManifestsManager, ManifestsManager
    from podman_sdk.networks._manager import AsyncNetworksManager, NetworksManager
    from podman_sdk.secrets._manager import AsyncSecretsManager, SecretsManager
    from podman_sdk.volumes._manager import AsyncVolumesManager, VolumesManager

__all__ = ["PodmanClient", "VersionInfo"]


MOCK_ROOT_URL = "http://podman.invalid"


UNIX_ROOT_URL = "http://d"


TransportT = TypeVar("TransportT")


ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")


ManagerT = TypeVar("ManagerT", bound="ManagerBase[Any, Any]")
AttachedT = TypeVar("AttachedT", bound=Attached[Any])


class VersionInfo(TypedDict):
    """``client.version()``: the server's /version answer (libpod flavour). The keys
    Docker's types.Version writes without omitempty are always there."""

    Version: str
    ApiVersion: str
    GitCommit: str
    GoVersion: str
    Os: str
    Arch: str
    # {"Name": "linux/amd64-..."}: Docker's types.Version writes it (podman-py's tests
    # read it); a Server-nested answer may not carry it.
    Platform: NotRequired[dict[str, str]]
    MinAPIVersion: NotRequired[str]
    KernelVersion: NotRequired[str]
    BuildTime: NotRequired[str]
    Components: NotRequired[list[dict[str, object]]]


_VERSION_ALWAYS = ("Version", "ApiVersion", "GitCommit", "GoVersion", "Os", "Arch")


def version_info(data: dict[str, Any], endpoint: str) -> VersionInfo:
    """The documented keys of a /libpod/version answer; one that lacks a key the server
    always writes, or has a non-string there, is malformed."""
    # /libpod/version nests the engine's details under "Server" in some releases.
    nested = data.get("Server")
    server: dict[str, Any] = nested if isinstance(nested, dict) else data
    for key in _VERSION_ALWAYS:
        if not isinstance(server.get(key), str):
            raise MalformedAnswerError(
                f"version from {endpoint}: expected a string at {key!r}, got {server.get(key)!r}"
            )
    info: dict[str, Any] = {
        key: server[key] for key in VersionInfo.__annotations__ if key in server
    }
    platform = data.get("Platform")
    if isinstance(platform, dict):
        info["Platform"] = platform
    return info  # type: ignore[return-value]


def ping_answered(response: httpx.Response) -> bool:
    """What a /_ping answer means: the service is up when it says OK."""
    return response.text.strip() == "OK"


class ClientSettings(NamedTuple):
    """A client's arguments, checked, with the endpoint discovery chose."""

    base_url: str
    timeouts: Timeouts
    version: Version | None
    discovery: DiscoveryResult | None
    identity: str | None
    tls_verify: bool | str
    client_cert: tuple[str, str] | str | None
    known_hosts_file: str | None
    event_hooks: EventHooks | None

    @property
    def hint(self) -> str | None:
        """For from_env: where else it looked, and how to start a service."""
        if self.discovery is None:
            return None
        from podman_sdk._core._discovery import start_service_hint

        trail = "\n".join(f"  - {line}" for line in self.discovery.trail)
        path = self.discovery.url.removeprefix("unix://")
        return (
            f"chosen from {self.discovery.source}, after looking at:\n{trail}\n"
            f"Start a service with: {start_service_hint(path, os.getuid())}"
        )


def checked_timeouts(call: float, connect: float, first_byte: float, idle: float) -> Timeouts:
    for name, value in (
        ("timeout", call),
        ("connect_timeout", connect),
        ("first_byte_timeout", first_byte),
        ("idle_timeout", idle),
    ):
        if not value > 0:
            raise InvalidArgument(f"{name} must be a positive number of seconds, not {value!r}")
    return Timeouts(call=call, connect=connect, first_byte=first_byte, idle=idle)


def given_transport_urls(base_url: str) -> tuple[str, str]:
    """The root URL and the endpoint's description when the caller brings a transport:
    ``base_url`` still says which service it reaches."""
    if urllib.parse.urlsplit(base_url).password is not None:
        # It would show in the client's repr and every request's URL.
        raise InvalidArgument("base_url: a password in the URL is not supported")
    if base_url.lower().startswith(("http://", "https://")):
        return base_url, base_url
    # unix:// and tcp:// are no URLs httpx can send to (http(s):// is used as is).
    given = parse_base_url(base_url)
    if isinstance(given, SshEndpoint):
        raise InvalidArgument("transport= cannot be combined with an ssh:// base_url")
    endpoint_text = describe(given)
    return (endpoint_text if isinstance(given, TcpEndpoint) else UNIX_ROOT_URL), endpoint_text


def open_connection(
    settings: ClientSettings,
    transport: TransportT | None,
    build: Callable[[Endpoint, bool | str, tuple[str, str] | str | None], tuple[TransportT, str]],
    factory: type[ConnectionT],
) -> ConnectionT:
    """The connection for ``settings``: on the caller's transport, or on the one
    ``build`` makes for the endpoint (through an ssh tunnel for ``ssh://``)."""
    if transport is not None:
        root_url, endpoint_text = given_transport_urls(settings.base_url)
        return factory(
            transport,
            root_url,
            endpoint_text,
            timeouts=settings.timeouts,
            trust_env=False,
            version=settings.version,
            event_hooks=settings.event_hooks,
        )
    endpoint = parse_base_url(settings.base_url, identity=settings.identity)
    with _tunnel_to(endpoint, settings) as (target, on_close):
        real_transport, root_url = build(target, settings.tls_verify, settings.client_cert)
        return factory(
            real_transport,
            root_url,
            describe(endpoint),
            timeouts=settings.timeouts,
            # Proxy variables are for TCP; honouring them on a unix socket breaks it.
            trust_env=target.uses_proxy_env,
            version=settings.version,
            on_close=on_close,
            connection_hint=settings.hint,
            event_hooks=settings.event_hooks,
        )


@contextmanager
def _tunnel_to(
    endpoint: Endpoint, settings: ClientSettings
) -> Iterator[tuple[Endpoint, Callable[[], None] | None]]:
    """The endpoint to build a transport for (an ssh endpoint's local tunnel socket),
    and what closes the tunnel; a failure before the connection exists closes it."""
    if not isinstance(endpoint, SshEndpoint):
        yield endpoint, None
        return
    from podman_sdk._transport.ssh_tunnel import SshTunnel

    tunnel = SshTunnel(
        endpoint,
        known_hosts_file=settings.known_hosts_file,
        connect_timeout=settings.timeouts.connect,
    )
    target = tunnel.open()
    try:
        yield target, tunnel.close
    except BaseException:
        tunnel.close()
        raise


class ClientBase(Generic[TransportT, ConnectionT, ManagerT]):
    """Arguments, discovery, `from_env`, `endpoint`, the managers and the generated
    client: everything of a client that does no I/O. A subclass says how it connects
    (`_connect`) and which manager it hands out (`_images_class`)."""

    _images_class: type[ManagerT]

    def __init__(
        self,
        base_url: str | None = None,
        *,
        version: str = "auto",
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        transport: TransportT | None = None,
        tls_verify: bool | str = True,
        client_cert: tuple[str, str] | str | None = None,
        identity: str | None = None,
        known_hosts_file: str | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        timeouts = checked_timeouts(timeout, connect_timeout, first_byte_timeout, idle_timeout)
        pinned = None if version == "auto" else parse_version(version)
        self.discovery: DiscoveryResult | None = None
        if base_url is None and transport is None:
            from podman_sdk._core._discovery import discover_from_os

            self.discovery = discover_from_os()
            base_url = self.discovery.url
            identity = identity or self.discovery.identity
        self.base_url = base_url or MOCK_ROOT_URL
        settings = ClientSettings(
            self.base_url,
            timeouts,
            pinned,
            self.discovery,
            identity,
            tls_verify,
            client_cert,
            known_hosts_file,
            event_hooks,
        )
        self._connection = self._connect(settings, transport)
        self._managers: dict[type[Attached[Any]], Attached[Any]] = {}

    def _connect(self, settings: ClientSettings, transport: TransportT | None) -> ConnectionT:
        raise NotImplementedError

    @classmethod
    def from_env(
        cls,
        *,
        version: str = "auto",
        timeout: float = DEFAULT_TIMEOUT,
        first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        known_hosts_file: str | None = None,
        event_hooks: EventHooks | None = None,
    ) -> Self:
        """Connect where the environment says: ``CONTAINER_HOST``, then
        ``CONTAINER_CONNECTION`` or the default connection (podman-connections.json,
        containers.conf), then ``DOCKER_HOST``, then the default socket. What is
        configured is used as is; a missing connection raises, it never falls back."""
        return cls(
            None,
            version=version,
            timeout=timeout,
            first_byte_timeout=first_byte_timeout,
            idle_timeout=idle_timeout,
            known_hosts_file=known_hosts_file,
            event_hooks=event_hooks,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._connection.endpoint!r})"

    @property
    def endpoint(self) -> str:
        """Where this client connects, for messages (``unix:///run/...``)."""
        return self._connection.endpoint

    @property
    def images(self) -> ManagerT:
        """Image operations: ``client.images.list()``, ``.get(name)``, ``.pull(...)``
        (awaited on an `AsyncPodmanClient`)."""
        return self._attached_once(self._images_class)

    def _attached_once(self, manager: type[AttachedT]) -> AttachedT:
        """The client's one ``manager`` on its connection, made on first use. Each domain
        property imports its manager class itself, so that start-up loads no domain a
        program does not use."""
        made = self._managers.get(manager)
        if not isinstance(made, manager):
            made = manager._attached(self._connection)
            self._managers[manager] = made
        return made


class PodmanClient(ClientBase[httpx.BaseTransport, Connection, ImagesManager]):
    """A connection to one Podman service. Use it as a context manager, or call
    `close()`: it owns a connection pool and, for ``ssh://``, an ssh process.

    Args:
        base_url: ``unix:///path``, ``http+unix://``, ``tcp://host:port``, ``http://``,
            ``https://`` or ``ssh://[user@]host[:port]/path/to/podman.sock``. ``None``
            searches like `from_env`.
        version: ``"auto"`` asks the server once (``/_ping``) and uses its libpod API
            version as the path prefix; or a version such as ``"4.3.1"``.
        timeout: seconds for ordinary calls.
        first_byte_timeout: how long a streaming call (save, load, pull, push, build)
            may wait for the server's first byte.
        idle_timeout: how long a stream may stall once data flows.
        transport: an httpx transport to use instead of connecting (tests pass
            ``httpx.MockTransport``); ``base_url`` may then be omitted.
        tls_verify: https only: True (system CAs), False, or a CA bundle path.
        client_cert: https only: ``(cert, key)`` paths, or one file with both.
        identity: ssh only: the private key file.
        known_hosts_file: ssh only: check the host key against this file.
    """

    _images_class = ImagesManager

    @property
    def containers(self) -> ContainersManager:
        """Container operations: ``client.containers.run(...)``, ``.get(name)``,
        ``.list()``."""
        from podman_sdk.containers._manager import ContainersManager

        return self._attached_once(ContainersManager)

    def _connect(
        self, settings: ClientSettings, transport: httpx.BaseTransport | None
    ) -> Connection:
        return open_connection(settings, transport, _build_transport, Connection)

    @property
    def networks(self) -> NetworksManager:
        """Network operations: ``client.networks.list()``, ``.get(name)``..."""
        from podman_sdk.networks._manager import NetworksManager

        return self._attached_once(NetworksManager)

    @property
    def manifests(self) -> ManifestsManager:
        """Manifest list operations: ``client.manifests.create(name, images)``..."""
        from podman_sdk.manifests._manager import ManifestsManager

        return self._attached_once(ManifestsManager)

    @property
    def secrets(self) -> SecretsManager:
        """Secret operations: ``client.secrets.create(name, data)``, ``.get(name)``..."""
        from podman_sdk.secrets._manager import SecretsManager

        return self._attached_once(SecretsManager)

    @property
    def volumes(self) -> VolumesManager:
        """Volume operations: ``client.volumes.create()``, ``.get(name)``, ``.list()``..."""
        from podman_sdk.volumes._manager import VolumesManager

        return self._attached_once(VolumesManager)

    # -- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool and stop any ssh tunnel. Safe from any thread:
        every call and stream still in flight (save, load, pull, push, build, calls
        through `api`) ends at once with `PodmanConnectionError` ("the client was
        closed"), and later calls raise it without connecting."""
        self._connection.close()

    def __enter__(self) -> PodmanClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- system -------------------------------------------------------------------------

    def negotiate(self) -> str:
        """The libpod API version in use: under ``version="auto"`` the server's own,
        asked once (GET /libpod/_ping); every request negotiates first if needed.
        Raises `UnsupportedServer` for a service that is not Podman or too old."""
        return format_version(self._connection.negotiate())

    @property
    def api_version(self) -> str:
        """The libpod API version in use; the same as `negotiate()`, which it calls."""
        return self.negotiate()

    @property
    def api(self) -> SyncSender:
        """The generated client, bound to this connection: pass it as ``client=`` to
        any generated function for the routes the facade does not wrap (containers,
        pods, volumes, networks, secrets...): ``sync``/``sync_detailed``/``stream``
        with a `PodmanClient` (a `libpod_client.SyncSender`),
        ``asyncio``/``asyncio_detailed``/``asyncio_stream`` with an `AsyncPodmanClient`
        (a `libpod_client.AsyncSender`). A type checker refuses the other flavour's
        functions, and at run time they raise `InvalidArgument` before any request.

        It shares this client's transport, negotiated API version, timeouts, hooks and
        error mapping: an error status raises the SDK's exception (`NotFound`,
        `Conflict`, `ServerError`...), a success body that is not the documented type
        `MalformedAnswerError`, a transport failure `PodmanConnectionError` or
        `PodmanTimeoutError`. Closing this client closes it."""
        return self._connection.api

    def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return ping_answered(self._connection.ping())

    def version(self) -> VersionInfo:
        """GET /libpod/version: server and API versions."""
        response = self._connection.call(version_request())
        return version_info(json_object(response, "version", self.endpoint), self.endpoint)

    def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details, as the server
        sent them."""
        response = self._connection.call(info_request())
        return json_object(response, "info", self.endpoint)


def _build_transport(
    endpoint: Endpoint, tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> tuple[httpx.BaseTransport, str]:
    return build_transport(endpoint, tls_verify=tls_verify, client_cert=client_cert)


class AsyncPodmanClient(
    AsyncClosing, ClientBase[httpx.AsyncBaseTransport, AsyncConnection, AsyncImagesManager]
):
    """A connection to one Podman service for asyncio: `PodmanClient`'s arguments,
    names and types, with every call awaited. Use it with ``async with``, or await
    `aclose()`.

    Constructing it does no I/O but for ``ssh://``, whose tunnel (an ssh process) is
    opened there, as `PodmanClient` does. ``transport`` is an
    ``httpx.AsyncBaseTransport`` (tests pass ``httpx.MockTransport`` with an async
    handler). Event hooks may be plain callables or coroutine functions.

    Cancelling a task in a call or a stream closes that exchange's connection; the
    client stays usable.
    """

    _images_class = AsyncImagesManager

    @property
    def containers(self) -> AsyncContainersManager:
        """Container operations: ``client.containers.run(...)``, ``.get(name)``,
        ``.list()`` (awaited)."""
        from podman_sdk.containers._manager import AsyncContainersManager

        return self._attached_once(AsyncContainersManager)

    def _connect(
        self, settings: ClientSettings, transport: httpx.AsyncBaseTransport | None
    ) -> AsyncConnection:
        return open_connection(settings, transport, _build_async_transport, AsyncConnection)

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def networks(self) -> AsyncNetworksManager:
        """Network operations, awaited: ``client.networks.list()``, ``.get(name)``..."""
        from podman_sdk.networks._manager import AsyncNetworksManager

        return self._attached_once(AsyncNetworksManager)

    @property
    def manifests(self) -> AsyncManifestsManager:
        """Manifest list operations, awaited: ``await client.manifests.get(name)``..."""
        from podman_sdk.manifests._manager import AsyncManifestsManager

        return self._attached_once(AsyncManifestsManager)

    @property
    def secrets(self) -> AsyncSecretsManager:
        """Secret operations, awaited: ``client.secrets.create(name, data)``, ``.get(name)``..."""
        from podman_sdk.secrets._manager import AsyncSecretsManager

        return self._attached_once(AsyncSecretsManager)

    @property
    def volumes(self) -> AsyncVolumesManager:
        """Volume operations, awaited: ``await client.volumes.list()``..."""
        from podman_sdk.volumes._manager import AsyncVolumesManager

        return self._attached_once(AsyncVolumesManager)

    async def aclose(self) -> None:
        """Release the connection pool and stop any ssh tunnel."""
        await self._connection.aclose()

    # -- system -------------------------------------------------------------------------

    async def negotiate(self) -> str:
        """`PodmanClient.negotiate`: the libpod API version in use (GET /libpod/_ping
        once under ``version="auto"``). Raises `UnsupportedServer`."""
        return format_version(await self._connection.negotiate())

    @property
    async def api_version(self) -> str:
        """``await client.api_version``: the same as `negotiate()`, which it calls."""
        return await self.negotiate()

    @property
    def api(self) -> AsyncSender:
        """The generated client, bound to this connection: pass it as ``client=`` to
        any generated function for the routes the facade does not wrap (containers,
        pods, volumes, networks, secrets...): ``sync``/``sync_detailed``/``stream``
        with a `PodmanClient` (a `libpod_client.SyncSender`),
        ``asyncio``/``asyncio_detailed``/``asyncio_stream`` with an `AsyncPodmanClient`
        (a `libpod_client.AsyncSender`). A type checker refuses the other flavour's
        functions, and at run time they raise `InvalidArgument` before any request.

        It shares this client's transport, negotiated API version, timeouts, hooks and
        error mapping: an error status raises the SDK's exception (`NotFound`,
        `Conflict`, `ServerError`...), a success body that is not the documented type
        `MalformedAnswerError`, a transport failure `PodmanConnectionError` or
        `PodmanTimeoutError`. Closing this client closes it."""
        return self._connection.api

    async def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return ping_answered(await self._connection.ping())

    async def version(self) -> VersionInfo:
        """GET /libpod/version: server and API versions."""
        response = await self._connection.call(version_request())
        return version_info(json_object(response, "version", self.endpoint), self.endpoint)

    async def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details."""
        response = await self._connection.call(info_request())
        return json_object(response, "info", self.endpoint)


def _build_async_transport(
    endpoint: Endpoint, tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> tuple[httpx.AsyncBaseTransport, str]:
    options, base = transport_options(endpoint, tls_verify, client_cert)
    if isinstance(endpoint, UnixEndpoint):
        # Loaded here, when an async client first connects to a socket: exports read
        # past h11 there, as the sync client's do.
        from podman_sdk._transport.async_bulk_read import AsyncUnixSocketTransport

        return AsyncUnixSocketTransport(endpoint.path, **options), base
    return httpx.AsyncHTTPTransport(**options), base
