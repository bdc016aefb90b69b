"""What `PodmanClient` and `AsyncPodmanClient` decide alike, before and without any
I/O: where to connect (discovery, the ssh tunnel), with which timeouts and version, the
arguments of the connection, and the answers of the system calls. Each client only
builds its own transport and connection class (httpx's BaseClient under Client and
AsyncClient is the model)."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, NotRequired, Self, TypedDict, TypeVar

import httpx

from podman_sdk._api_version import Version, parse_version
from podman_sdk._connection import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_FIRST_BYTE_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    ConnectionBase,
    EventHooks,
    Timeouts,
)
from podman_sdk._errors import InvalidArgument, MalformedAnswerError
from podman_sdk._transport import (
    Endpoint,
    SshEndpoint,
    TcpEndpoint,
    describe,
    parse_base_url,
)

# Discovery (config files) and the ssh tunnel (subprocess) load only when used.
if TYPE_CHECKING:
    from podman_sdk._discovery import DiscoveryResult
    from podman_sdk._images_rules import ManagerBase

MOCK_ROOT_URL = "http://podman.invalid"
UNIX_ROOT_URL = "http://d"

TransportT = TypeVar("TransportT")
ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")
ManagerT = TypeVar("ManagerT", bound="ManagerBase[Any, Any]")


class VersionInfo(TypedDict):
    """``client.version()``: the server's /version answer (libpod flavour). The keys
    Docker's types.Version writes without omitempty are always there."""

    Version: str
    ApiVersion: str
    GitCommit: str
    GoVersion: str
    Os: str
    Arch: str
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
    return info  # type: ignore[return-value]


def ping_answered(response: httpx.Response) -> bool:
    """What a /_ping answer means: the service is up when it says OK."""
    return response.text.strip() == "OK"


# -- settings ---------------------------------------------------------------------------


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
        from podman_sdk._discovery import start_service_hint

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


# -- connecting -------------------------------------------------------------------------


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


# -- the clients' shared part -----------------------------------------------------------


class ClientBase(Generic[TransportT, ConnectionT, ManagerT]):
    """Arguments, discovery, `from_env`, `endpoint`, the managers and the generated
    client: everything of a client that does no I/O. A subclass says how it connects
    (`_connect`) and which manager it hands out (`_images_class`)."""

    _images_class: type[ManagerT]
    _images: ManagerT | None = None

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
            from podman_sdk._discovery import discover_from_os

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
        if self._images is None:
            self._images = self._images_class._attached(self._connection)
        return self._images
