"""How bytes reach the service: endpoints, the httpx transports, the ssh tunnel
(``ssh_tunnel``, loaded for ssh:// only), and the bulk read path for exports. Nothing
here knows about images or the API."""

from podman_sdk._transport.build import DEFAULT_UNIX_READ_SIZE, build_transport, transport_options
from podman_sdk._transport.endpoints import (
    ROOTFUL_SOCKET_PATH,
    Endpoint,
    SshEndpoint,
    TcpEndpoint,
    UnixEndpoint,
    describe,
    parse_base_url,
)
from podman_sdk._transport.extensions import BULK_READ

__all__ = [
    "BULK_READ",
    "DEFAULT_UNIX_READ_SIZE",
    "ROOTFUL_SOCKET_PATH",
    "Endpoint",
    "SshEndpoint",
    "TcpEndpoint",
    "UnixEndpoint",
    "build_transport",
    "describe",
    "parse_base_url",
    "transport_options",
]
