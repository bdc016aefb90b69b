"""`PodmanClient`: where to connect, how, and the managers on top.

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

from __future__ import annotations

import os
import urllib.parse
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict

import httpx
from libpod_client import Client as GeneratedClient

from podman_sdk._answers import json_object
from podman_sdk._api_version import Version, format_version, parse_version
from podman_sdk._connection import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_FIRST_BYTE_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    Connection,
    EventHooks,
    Timeouts,
)
from podman_sdk._errors import InvalidArgument
from podman_sdk._image_requests import info_request, version_request
from podman_sdk._images import ImagesManager, attached_images_manager
from podman_sdk._transport import (
    SshEndpoint,
    TcpEndpoint,
    build_transport,
    describe,
    parse_base_url,
)

# Discovery (config files) and the ssh tunnel (subprocess) load only when used.
if TYPE_CHECKING:
    from podman_sdk._discovery import DiscoveryResult
    from podman_sdk._transport.ssh_tunnel import SshTunnel

_MOCK_ROOT_URL = "http://podman.invalid"
_UNIX_ROOT_URL = "http://d"


class VersionInfo(TypedDict, total=False):
    """``client.version()``: the server's /version answer (libpod flavour)."""

    Version: str
    ApiVersion: str
    MinAPIVersion: str
    GitCommit: str
    GoVersion: str
    Os: str
    Arch: str
    KernelVersion: str
    BuildTime: str
    Components: list[dict[str, object]]


class PodmanClient:
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

    def __init__(
        self,
        base_url: str | None = None,
        *,
        version: str = "auto",
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        tls_verify: bool | str = True,
        client_cert: tuple[str, str] | str | None = None,
        identity: str | None = None,
        known_hosts_file: str | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        timeouts = _timeouts(timeout, connect_timeout, first_byte_timeout, idle_timeout)
        pinned = None if version == "auto" else parse_version(version)
        self.discovery: DiscoveryResult | None = None
        if base_url is None and transport is None:
            from podman_sdk._discovery import discover_from_os

            self.discovery = discover_from_os()
            base_url = self.discovery.url
            identity = identity or self.discovery.identity
        self.base_url = base_url or _MOCK_ROOT_URL
        self._connection = _open_connection(
            self.base_url,
            transport,
            timeouts=timeouts,
            version=pinned,
            tls_verify=tls_verify,
            client_cert=client_cert,
            identity=identity,
            known_hosts_file=known_hosts_file,
            connection_hint=_discovery_hint(self.discovery),
            event_hooks=event_hooks,
        )
        self._images = attached_images_manager(self._connection)

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
    ) -> PodmanClient:
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

    def __repr__(self) -> str:
        return f"PodmanClient({self._connection.endpoint!r})"

    # -- managers -----------------------------------------------------------------------

    @property
    def images(self) -> ImagesManager:
        """Image operations: ``client.images.list()``, ``.get(name)``, ``.pull(...)``."""
        return self._images

    @property
    def api(self) -> GeneratedClient:
        """The generated `libpod_client.Client`, bound to this connection: pass it as
        ``client=`` to any generated ``sync``/``sync_detailed`` function for the routes
        the facade does not wrap (containers, pods, volumes, networks, secrets...).

        It shares this client's transport, negotiated API version, timeouts, hooks and
        error mapping: an error status raises the SDK's exception (`NotFound`,
        `Conflict`, `ServerError`...), a transport failure `PodmanConnectionError` or
        `PodmanTimeoutError`. Closing this client closes it."""
        return self._connection.api

    # -- system -------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """Where this client connects, for messages (``unix:///run/...``)."""
        return self._connection.endpoint

    def negotiate(self) -> str:
        """The libpod API version in use: under ``version="auto"`` the server's own,
        asked once (GET /libpod/_ping); every request negotiates first if needed.
        Raises `UnsupportedServer` for a service that is not Podman or too old."""
        return format_version(self._connection.negotiate())

    @property
    def api_version(self) -> str:
        """The libpod API version in use; the same as `negotiate()`, which it calls."""
        return self.negotiate()

    def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return self._connection.ping().text.strip() == "OK"

    def version(self) -> VersionInfo:
        """GET /libpod/version: server and API versions."""
        response = self._connection.call(version_request())
        return _version_info(json_object(response, "version", self.endpoint))

    def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details, as the server
        sent them."""
        response = self._connection.call(info_request())
        return json_object(response, "info", self.endpoint)


def _discovery_hint(discovery: DiscoveryResult | None) -> str | None:
    """For from_env: where else it looked, and how to start a service."""
    if discovery is None:
        return None
    from podman_sdk._discovery import start_service_hint

    trail = "\n".join(f"  - {line}" for line in discovery.trail)
    path = discovery.url.removeprefix("unix://")
    return (
        f"chosen from {discovery.source}, after looking at:\n{trail}\n"
        f"Start a service with: {start_service_hint(path, os.getuid())}"
    )


def _version_info(data: dict[str, Any]) -> VersionInfo:
    # /libpod/version nests the engine's details under "Server" in some releases.
    nested = data.get("Server")
    server: dict[str, Any] = nested if isinstance(nested, dict) else data
    info: dict[str, Any] = {
        key: server[key] for key in VersionInfo.__annotations__ if key in server
    }
    return info  # type: ignore[return-value]


def _timeouts(call: float, connect: float, first_byte: float, idle: float) -> Timeouts:
    for name, value in (
        ("timeout", call),
        ("connect_timeout", connect),
        ("first_byte_timeout", first_byte),
        ("idle_timeout", idle),
    ):
        if not value > 0:
            raise InvalidArgument(f"{name} must be a positive number of seconds, not {value!r}")
    return Timeouts(call=call, connect=connect, first_byte=first_byte, idle=idle)


def _open_connection(
    base_url: str,
    transport: httpx.BaseTransport | None,
    *,
    timeouts: Timeouts,
    version: Version | None,
    tls_verify: bool | str,
    client_cert: tuple[str, str] | str | None,
    identity: str | None,
    known_hosts_file: str | None,
    connection_hint: str | None,
    event_hooks: EventHooks | None,
) -> Connection:
    if transport is not None:
        if urllib.parse.urlsplit(base_url).password is not None:
            # It would show in the client's repr and every request's URL.
            raise InvalidArgument("base_url: a password in the URL is not supported")
        root_url = endpoint_text = base_url
        if not base_url.lower().startswith(("http://", "https://")):
            # The caller's transport reaches the service; base_url still says which one.
            # unix:// and tcp:// are no URLs httpx can send to (http(s):// is used as is).
            given = parse_base_url(base_url)
            if isinstance(given, SshEndpoint):
                raise InvalidArgument("transport= cannot be combined with an ssh:// base_url")
            endpoint_text = describe(given)
            root_url = endpoint_text if isinstance(given, TcpEndpoint) else _UNIX_ROOT_URL
        return Connection(
            transport,
            root_url,
            endpoint_text,
            timeouts=timeouts,
            trust_env=False,
            version=version,
            event_hooks=event_hooks,
        )
    endpoint = parse_base_url(base_url, identity=identity)
    tunnel: SshTunnel | None = None
    target = endpoint
    if isinstance(endpoint, SshEndpoint):
        from podman_sdk._transport.ssh_tunnel import SshTunnel

        tunnel = SshTunnel(
            endpoint, known_hosts_file=known_hosts_file, connect_timeout=timeouts.connect
        )
        target = tunnel.open()
    try:
        real_transport, root_url = build_transport(
            target, tls_verify=tls_verify, client_cert=client_cert
        )
    except BaseException:
        if tunnel is not None:
            tunnel.close()
        raise
    return Connection(
        real_transport,
        root_url,
        describe(endpoint),
        timeouts=timeouts,
        # Proxy variables are for TCP; honouring them on a unix socket breaks it.
        trust_env=target.uses_proxy_env,
        version=version,
        on_close=tunnel.close if tunnel is not None else None,
        connection_hint=connection_hint,
        event_hooks=event_hooks,
    )
