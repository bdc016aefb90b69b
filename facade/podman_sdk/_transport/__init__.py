"""How bytes reach the service: endpoints, the httpx transports, the ssh tunnel, and
the bulk read path for exports. Nothing here knows about images or the API."""

from podman_sdk._transport.bulk_read import BULK_READ
from podman_sdk._transport.endpoints import (
    ROOTFUL_SOCKET_PATH,
    Endpoint,
    SshEndpoint,
    TcpEndpoint,
    UnixEndpoint,
    describe,
    parse_base_url,
)
from podman_sdk._transport.ssh_tunnel import SshTunnel
from podman_sdk._transport.unix_socket import DEFAULT_UNIX_READ_SIZE, build_transport

__all__ = [
    "BULK_READ",
    "DEFAULT_UNIX_READ_SIZE",
    "ROOTFUL_SOCKET_PATH",
    "Endpoint",
    "SshEndpoint",
    "SshTunnel",
    "TcpEndpoint",
    "UnixEndpoint",
    "build_transport",
    "describe",
    "parse_base_url",
]
