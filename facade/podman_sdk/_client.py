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

from datetime import datetime  # already loaded by httpx; the hints of events() need it
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

import httpx

from podman_sdk._core._api_version import format_version, parse_version
from podman_sdk._core._async_closing import AsyncClosing
from podman_sdk._core._attached import Attached
from podman_sdk._core._client_settings import ClientSettings, checked_timeouts, open_connection
from podman_sdk._core._connection import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_FIRST_BYTE_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    AsyncConnection,
    Connection,
    ConnectionBase,
    EventHooks,
)
from podman_sdk._transport import (
    Endpoint,
    UnixEndpoint,
    build_transport,
    transport_options,
)
from podman_sdk.images._manager import AsyncImagesManager, ImagesManager

if TYPE_CHECKING:
    from libpod_client import AsyncSender, SyncSender

    from podman_sdk._core._discovery import DiscoveryResult
    from podman_sdk._core._filters import Filters
    from podman_sdk._core._output_stream import AsyncOutputStream, OutputStream
    from podman_sdk.artifacts._manager import ArtifactsManager, AsyncArtifactsManager
    from podman_sdk.containers._manager import AsyncContainersManager, ContainersManager
    from podman_sdk.images._rules import ManagerBase
    from podman_sdk.manifests._manager import AsyncManifestsManager, ManifestsManager
    from podman_sdk.networks._manager import AsyncNetworksManager, NetworksManager
    from podman_sdk.pods._manager import AsyncPodsManager, PodsManager
    from podman_sdk.quadlets._manager import AsyncQuadletsManager, QuadletsManager
    from podman_sdk.secrets._manager import AsyncSecretsManager, SecretsManager
    from podman_sdk.system._manager import AsyncSystemManager, SystemManager
    from podman_sdk.system._types import DiskUsage, Event, LoginReport, VersionInfo
    from podman_sdk.volumes._manager import AsyncVolumesManager, VolumesManager

__all__ = ["AsyncPodmanClient", "PodmanClient"]


MOCK_ROOT_URL = "http://podman.invalid"


TransportT = TypeVar("TransportT")


ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")


ManagerT = TypeVar("ManagerT", bound="ManagerBase[Any, Any]")
AttachedT = TypeVar("AttachedT", bound=Attached[Any])


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

            # Lazily, as podman-py: a missing default socket is found on the first call,
            # whose error carries this trail (and `podman-sdk doctor` shows it).
            self.discovery = discover_from_os(socket_required=False)
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
        configured is used as is; a missing named connection raises `DiscoveryError`,
        it never falls back. No service is asked here: with nothing configured and no
        socket at the default path, the first call raises `PodmanConnectionError`
        listing every place looked at and how to start a service."""
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
        base_url: ``unix:///path``, ``http+unix://``, ``tcp://host:port`` (or Podman's
            ``tcp:host:port``), ``http://``,
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
    def pods(self) -> PodsManager:
        """Pod operations: ``client.pods.create(name)``, ``.get(name)``, ``.list()``..."""
        from podman_sdk.pods._manager import PodsManager

        return self._attached_once(PodsManager)

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
    def artifacts(self) -> ArtifactsManager:
        """OCI artifacts (Podman 5.8+): ``client.artifacts.add(name, path=...)``..."""
        from podman_sdk.artifacts._manager import ArtifactsManager

        return self._attached_once(ArtifactsManager)

    @property
    def quadlets(self) -> QuadletsManager:
        """Quadlet files (Podman 5.8+): ``client.quadlets.list()``, ``.install(files)``..."""
        from podman_sdk.quadlets._manager import QuadletsManager

        return self._attached_once(QuadletsManager)

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

    @property
    def system(self) -> SystemManager:
        """System calls: ``client.system.df()``, ``.info()``, ``.login(...)``,
        ``.ping()``, ``.version()`` (each also a method of the client)."""
        from podman_sdk.system._manager import SystemManager

        return self._attached_once(SystemManager)

    def df(self) -> DiskUsage:
        """`SystemManager.df`: GET /libpod/system/df, disk usage by images, containers
        and volumes."""
        return self.system.df()

    def info(self) -> dict[str, object]:
        """`SystemManager.info`: GET /libpod/info, host, store, registries and version
        details, as the server sent them."""
        return self.system.info()

    def login(
        self,
        username: str,
        password: str | None = None,
        email: str | None = None,
        registry: str | None = None,
        *,
        reauth: bool | None = False,
        dockercfg_path: str | None = None,
        auth: str | None = None,
        identitytoken: str | None = None,
        registrytoken: str | None = None,
        tls_verify: bool | str | None = None,
    ) -> LoginReport:
        """`SystemManager.login`: POST /auth."""
        return self.system.login(
            username,
            password,
            email,
            registry,
            reauth=reauth,
            dockercfg_path=dockercfg_path,
            auth=auth,
            identitytoken=identitytoken,
            registrytoken=registrytoken,
            tls_verify=tls_verify,
        )

    def ping(self) -> bool:
        """`SystemManager.ping`: GET /libpod/_ping, True when the service answers.
        Connection errors raise."""
        return self.system.ping()

    def version(self, *, api_version: bool = True) -> VersionInfo:
        """`SystemManager.version`: GET /libpod/version, server and API versions."""
        return self.system.version(api_version=api_version)

    @overload
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        decode: Literal[False] = False,
    ) -> OutputStream[bytes]: ...
    @overload
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        *,
        decode: Literal[True],
    ) -> OutputStream[Event]: ...
    @overload
    def events(
        self,
        since: datetime | int | None,
        until: datetime | int | None,
        filters: Filters | None,
        decode: Literal[True],
    ) -> OutputStream[Event]: ...
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        decode: bool = False,
    ) -> OutputStream[bytes] | OutputStream[Event]:
        """GET /libpod/events: the service's events as they happen, one a line of JSON
        (``decode``: the typed dict `Event`). ``since``/``until`` (a datetime, or
        seconds since the epoch) read past events too; without ``until`` the stream
        goes on until closed. ``filters``: ``type``, ``event``, ``container``,
        ``label``... The request goes out on the first read; ``close()`` (from any
        thread) or leaving a ``with`` ends it. An error the service reports in the
        stream raises."""
        from podman_sdk.system._calls import events_query
        from podman_sdk.system._events import event_converter, open_events

        query = events_query(since, until, filters)
        convert = event_converter(decode, self.endpoint)
        return open_events(self._connection, query, convert)


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
    def pods(self) -> AsyncPodsManager:
        """Pod operations, awaited: ``await client.pods.list()``..."""
        from podman_sdk.pods._manager import AsyncPodsManager

        return self._attached_once(AsyncPodsManager)

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
    def artifacts(self) -> AsyncArtifactsManager:
        """OCI artifacts (Podman 5.8+), awaited: ``await client.artifacts.list()``..."""
        from podman_sdk.artifacts._manager import AsyncArtifactsManager

        return self._attached_once(AsyncArtifactsManager)

    @property
    def quadlets(self) -> AsyncQuadletsManager:
        """Quadlet files (Podman 5.8+), awaited: ``await client.quadlets.list()``..."""
        from podman_sdk.quadlets._manager import AsyncQuadletsManager

        return self._attached_once(AsyncQuadletsManager)

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

    @property
    def system(self) -> AsyncSystemManager:
        """`PodmanClient.system`, awaited: ``await client.system.df()``..."""
        from podman_sdk.system._manager import AsyncSystemManager

        return self._attached_once(AsyncSystemManager)

    async def df(self) -> DiskUsage:
        """`SystemManager.df`: GET /libpod/system/df."""
        return await self.system.df()

    async def info(self) -> dict[str, object]:
        """`SystemManager.info`: GET /libpod/info."""
        return await self.system.info()

    async def login(
        self,
        username: str,
        password: str | None = None,
        email: str | None = None,
        registry: str | None = None,
        *,
        reauth: bool | None = False,
        dockercfg_path: str | None = None,
        auth: str | None = None,
        identitytoken: str | None = None,
        registrytoken: str | None = None,
        tls_verify: bool | str | None = None,
    ) -> LoginReport:
        """`SystemManager.login`: POST /auth."""
        return await self.system.login(
            username,
            password,
            email,
            registry,
            reauth=reauth,
            dockercfg_path=dockercfg_path,
            auth=auth,
            identitytoken=identitytoken,
            registrytoken=registrytoken,
            tls_verify=tls_verify,
        )

    async def ping(self) -> bool:
        """`SystemManager.ping`: GET /libpod/_ping. Connection errors raise."""
        return await self.system.ping()

    async def version(self, *, api_version: bool = True) -> VersionInfo:
        """`SystemManager.version`: GET /libpod/version."""
        return await self.system.version(api_version=api_version)

    @overload
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        decode: Literal[False] = False,
    ) -> AsyncOutputStream[bytes]: ...
    @overload
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        *,
        decode: Literal[True],
    ) -> AsyncOutputStream[Event]: ...
    @overload
    def events(
        self,
        since: datetime | int | None,
        until: datetime | int | None,
        filters: Filters | None,
        decode: Literal[True],
    ) -> AsyncOutputStream[Event]: ...
    def events(
        self,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        filters: Filters | None = None,
        decode: bool = False,
    ) -> AsyncOutputStream[bytes] | AsyncOutputStream[Event]:
        """`PodmanClient.events`: ``async for event in client.events(...)``; not
        awaited (the stream opens on the first read). ``aclose()``, ``close()`` from
        any thread, or cancelling the reading task ends it."""
        from podman_sdk.system._calls import events_query
        from podman_sdk.system._events import event_converter, open_events_async

        query = events_query(since, until, filters)
        convert = event_converter(decode, self.endpoint)
        return open_events_async(self._connection, query, convert)


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
