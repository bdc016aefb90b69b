"""The httpx transport that reaches an endpoint: plain or TLS over TCP, or a Unix
socket read in large pieces, whose bulk downloads (``BULK_READ``) bypass h11."""

from __future__ import annotations

import select
import socket
import ssl
import time
import typing

import httpcore
import httpx

from podman_sdk._errors import InvalidArgument
from podman_sdk._transport.bulk_read import BULK_READ, BulkDownloads
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
    if retries < 0:
        raise InvalidArgument(f"retries must be >= 0, not {retries}")
    if isinstance(endpoint, SshEndpoint):
        raise InvalidArgument(
            f"{describe(endpoint)} needs a tunnel: open SshTunnel(endpoint) and build the "
            "transport for tunnel.local_endpoint"
        )
    if isinstance(endpoint, UnixEndpoint):
        _refuse_tls_options(endpoint, tls_verify, client_cert)
        if unix_read_size < 1:
            raise InvalidArgument(f"unix_read_size must be >= 1, not {unix_read_size}")
        return _UnixSocketTransport(endpoint.path, retries, unix_read_size), _UNIX_BASE_URL
    base = f"{endpoint.scheme}://{bracket(endpoint.host)}:{endpoint.port}"
    if endpoint.scheme == "http":
        _refuse_tls_options(endpoint, tls_verify, client_cert)
        return httpx.HTTPTransport(retries=retries), base
    context = _tls_context(tls_verify, client_cert)
    return httpx.HTTPTransport(verify=context, retries=retries), base


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


class _UnixSocketTransport(httpx.HTTPTransport):
    """httpx's transport for a Unix socket, reading ``read_size`` bytes at a time.

    A request marked with the `BULK_READ` extension takes ``_bulk_read``'s path."""

    def __init__(self, path: str, retries: int, read_size: int) -> None:
        super().__init__(uds=path, retries=retries, trust_env=False)
        # httpx 0.28 has no network_backend parameter, so the pool it built
        # (nothing opened yet) is replaced by an identical one with our backend.
        # The limits mirror httpx.Limits' defaults.
        self._bulk = BulkDownloads(path)
        self._pool = httpcore.ConnectionPool(
            uds=path,
            retries=retries,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_UnixSocketBackend(read_size),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(BULK_READ):
            return self._bulk.exchange(request)
        return super().handle_request(request)

    def close(self) -> None:
        try:
            self._bulk.abort_all()
        finally:
            super().close()


class _UnixSocketBackend(httpcore.NetworkBackend):
    """Connects to Unix sockets only; streams read at least ``read_size`` bytes.

    Written rather than wrapping httpcore.SyncBackend because that one leaks
    the socket when connect() fails (httpcore 1.0.9: a ResourceWarning for
    every refused connection).
    """

    def __init__(self, read_size: int) -> None:
        self._read_size = read_size

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.settimeout(timeout)
            sock.connect(path)
        except TimeoutError as exc:
            sock.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            sock.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return _UnixSocketStream(sock, self._read_size)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _UnixSocketStream(httpcore.NetworkStream):
    """A connected Unix socket that asks the kernel for ``read_size`` bytes per read.

    httpcore's HTTP/1.1 connection asks for 64 KiB; h11 buffers whatever a
    read returns, so returning more than asked is safe for responses.
    """

    def __init__(self, sock: socket.socket, read_size: int) -> None:
        self._sock = sock
        self._read_size = read_size

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            self._sock.settimeout(timeout)
            return self._sock.recv(max(max_bytes, self._read_size))
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._sock.settimeout(timeout)
            self._sock.sendall(buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("TLS over a Unix socket is not supported")

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "socket":
            return self._sock
        if info == "is_readable":
            # An idle keep-alive connection that is readable was closed by the
            # server (or sent junk): httpcore then drops it instead of reusing it.
            if self._sock.fileno() == -1:
                return True
            poller = select.poll()
            poller.register(self._sock, select.POLLIN)
            return bool(poller.poll(0))
        return None
