"""A client's arguments, checked, and the connection they open: what `PodmanClient` and
`AsyncPodmanClient` decide alike before any request (timeouts, the URL a given
transport is sent to, the ssh tunnel). Each client passes its own transport builder and
connection class."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from podman_sdk._core._api_version import Version
from podman_sdk._core._connection import ConnectionBase, EventHooks, Timeouts
from podman_sdk._exceptions import InvalidArgument
from podman_sdk._transport import (
    Endpoint,
    SshEndpoint,
    TcpEndpoint,
    describe,
    parse_base_url,
)

if TYPE_CHECKING:
    from podman_sdk._core._discovery import DiscoveryResult

TransportT = TypeVar("TransportT")
ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")

UNIX_ROOT_URL = "http://d"


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
