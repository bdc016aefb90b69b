"""The httpx transport that reaches an endpoint: plain or TLS over TCP, or a Unix
socket (``unix_socket``)."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from podman_sdk._exceptions import InvalidArgument
from podman_sdk._transport.endpoints import (
    Endpoint,
    SshEndpoint,
    UnixEndpoint,
    bracket,
    describe,
)

# httpcore asks the socket for 64 KiB per read; each read costs a trip through
# h11 and httpx, so large downloads ran at half the rate of requests. Measured
# with tests/bench/bench_read_size.py (512 MiB, MiB/s, 2 cores, 512 KiB L2 per core;
# medians of noisy runs, compare only within a row):
#   read size          64K    256K   384K   512K   768K   1M
#   chunked 32 KiB     773-800 1252  1254   1267   1213   1251-1284
#   Content-Length     1045-1072 2430 2781  2589   2220   1033-1039
# Chunked bodies (podman's exports) gain about 1.6x from 256 KiB on; fixed-length
# ones fall off a cliff at 1 MiB (likely: a read no longer fits the L2 cache), so
# 256 KiB keeps nearly all the gain with room to spare on smaller caches.
DEFAULT_UNIX_READ_SIZE = 256 * 1024

# Any host will do: the transport ignores it and connects to the socket.
_UNIX_BASE_URL = "http://d"


def build_transport(
    endpoint: Endpoint,
    *,
    tls_verify: bool | str = True,
    client_cert: tuple[str, str] | str | None = None,
    retries: int = 0,
    unix_read_size: int = DEFAULT_UNIX_READ_SIZE,
) -> tuple[httpx.BaseTransport, str]:
    """Return the transport for ``endpoint`` and the base URL to give httpx.

    ``tls_verify`` is True (system CAs), False, or a CA bundle path;
    ``client_cert`` is ``(cert, key)`` paths or one file holding both. Both
    apply to https only. ``retries`` retries failed connects (not requests).
    Raises InvalidArgument for an ssh endpoint (tunnel it first) or TLS
    options on a plain endpoint.
    """
    options, base = transport_options(endpoint, tls_verify, client_cert, retries)
    if isinstance(endpoint, UnixEndpoint):
        if unix_read_size < 1:
            raise InvalidArgument(f"unix_read_size must be >= 1, not {unix_read_size}")
        # httpcore and h11 load here, when a client first connects to a socket.
        from podman_sdk._transport.unix_socket import UnixSocketTransport

        return UnixSocketTransport(endpoint.path, retries, unix_read_size), base
    # httpcore loads here too, when a client first connects; the transport tracks its
    # sockets so that close() can end the requests in flight.
    from podman_sdk._transport.open_sockets import ClosingTransport, TrackingTcpBackend

    return ClosingTransport(
        TrackingTcpBackend, ssl_context=options["verify"], retries=retries
    ), base


def transport_options(
    endpoint: Endpoint,
    tls_verify: bool | str = True,
    client_cert: tuple[str, str] | str | None = None,
    retries: int = 0,
) -> tuple[dict[str, Any], str]:
    """The arguments of httpx's transport for ``endpoint`` (``HTTPTransport`` and
    ``AsyncHTTPTransport`` take the same), and the base URL; see `build_transport`."""
    if retries < 0:
        raise InvalidArgument(f"retries must be >= 0, not {retries}")
    if isinstance(endpoint, SshEndpoint):
        raise InvalidArgument(
            f"{describe(endpoint)} needs a tunnel: open SshTunnel(endpoint) and build the "
            "transport for tunnel.local_endpoint"
        )
    if isinstance(endpoint, UnixEndpoint):
        _refuse_tls_options(endpoint, tls_verify, client_cert)
        # No TLS on a socket, so no CA bundle: httpx's default loads certifi's into an
        # SSL context, which costs more CPU than the rest of a client's start-up.
        verify = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return {"uds": endpoint.path, "retries": retries, "verify": verify}, _UNIX_BASE_URL
    base = f"{endpoint.scheme}://{bracket(endpoint.host)}:{endpoint.port}"
    if endpoint.scheme == "http":
        _refuse_tls_options(endpoint, tls_verify, client_cert)
        # Plain HTTP never uses the context: one that trusts nothing saves loading CAs.
        return {"retries": retries, "verify": ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)}, base
    return {"verify": _tls_context(tls_verify, client_cert), "retries": retries}, base


def _refuse_tls_options(
    endpoint: Endpoint, tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> None:
    if tls_verify is not True or client_cert is not None:
        raise InvalidArgument(
            f"tls_verify and client_cert apply to https:// only, not {describe(endpoint)}"
        )


def _tls_context(
    tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> ssl.SSLContext:
    """An SSL context verifying with system CAs, a CA bundle, or not at all."""
    try:
        if isinstance(tls_verify, str):
            context = ssl.create_default_context(cafile=tls_verify)
        else:
            context = ssl.create_default_context()
            if not tls_verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        if isinstance(client_cert, tuple):
            context.load_cert_chain(certfile=client_cert[0], keyfile=client_cert[1])
        elif client_cert is not None:
            context.load_cert_chain(certfile=client_cert)
    except (OSError, ssl.SSLError) as exc:
        raise InvalidArgument(f"cannot load TLS files: {exc}") from exc
    return context
