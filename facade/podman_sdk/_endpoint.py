"""Where the Podman service listens, and the httpx transport that reaches it.

`parse_base_url` turns a user's ``base_url`` into one of three frozen endpoint
types (together `Endpoint`); `build_transport` turns a unix or tcp endpoint
into an httpx transport plus the base URL httpx should use. An ssh endpoint
has no transport of its own: open an `SshTunnel` (``_ssh_tunnel``) and build
the transport for the unix endpoint it returns.

Accepted forms::

    unix:///run/podman/podman.sock          unix:/run/podman/podman.sock
    http+unix:///run/podman/podman.sock     http+unix://%2Frun%2Fpodman%2Fpodman.sock
    unix://%2Frun%2Fpodman%2Fpodman.sock
    tcp://host:port (plain HTTP; the port is required)
    http://host[:port]   https://host[:port]   (IPv6 hosts in brackets)
    ssh://[user@]host[:port][/remote/socket/path][?secure=...]

``unix://run/podman/podman.sock`` is refused: a URL parser reads ``run`` as a
host, so the path would silently lose its first component (podman-py connects
to a socket named ``run``). The error suggests ``unix:///run/...``.

The ssh remote path may be omitted only for ``root@``: the rootful socket is
``/run/podman/podman.sock``, whereas a rootless socket lives under
``/run/user/<uid>`` and the remote uid cannot be known from the URL.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
import typing
import urllib.parse
from dataclasses import dataclass
from typing import Literal

import httpcore
import httpx

from podman_sdk._bulk_read import BULK_READ, BulkDownloads
from podman_sdk._errors import InvalidArgument

__all__ = [
    "DEFAULT_UNIX_READ_SIZE",
    "ROOTFUL_SOCKET_PATH",
    "Endpoint",
    "SshEndpoint",
    "TcpEndpoint",
    "UnixEndpoint",
    "build_transport",
    "describe",
    "parse_base_url",
]

ROOTFUL_SOCKET_PATH = "/run/podman/podman.sock"

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


@dataclass(frozen=True)
class UnixEndpoint:
    """A service on a local Unix socket."""

    path: str
    kind: Literal["unix"] = "unix"

    @property
    def uses_proxy_env(self) -> bool:
        """False: the client must pass ``trust_env=False``.

        httpx applies HTTP_PROXY/ALL_PROXY to the placeholder host of a socket
        URL and would send socket traffic to the proxy instead.
        """
        return False


@dataclass(frozen=True)
class TcpEndpoint:
    """A service listening on TCP, plain or with TLS."""

    scheme: Literal["http", "https"]
    host: str
    port: int
    kind: Literal["tcp"] = "tcp"

    @property
    def uses_proxy_env(self) -> bool:
        """True: a real network host, so proxy variables apply as for any URL."""
        return True


@dataclass(frozen=True)
class SshEndpoint:
    """A remote service reached by forwarding its socket over ssh."""

    host: str
    path: str
    user: str | None = None
    port: int | None = None
    identity: str | None = None
    kind: Literal["ssh"] = "ssh"

    @property
    def uses_proxy_env(self) -> bool:
        """False: requests travel through a local tunnel socket."""
        return False


Endpoint = UnixEndpoint | TcpEndpoint | SshEndpoint


def parse_base_url(url: str, *, identity: str | None = None) -> Endpoint:
    """Parse ``url`` into an endpoint; ``identity`` is an ssh private key file.

    Raises InvalidArgument naming what is wrong with the URL.
    """
    if not url.strip():
        raise InvalidArgument("base_url is empty")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if identity is not None and scheme != "ssh":
        raise InvalidArgument(f"an identity file applies only to ssh:// URLs, not {url!r}")
    if scheme in ("unix", "http+unix"):
        return _parse_unix(url, parts)
    if scheme in ("tcp", "http", "https"):
        return _parse_tcp(url, parts)
    if scheme in ("ssh", "http+ssh"):
        return _parse_ssh(url, parts, identity)
    if not scheme:
        raise InvalidArgument(
            f"base_url {url!r} has no scheme; use unix://, tcp://, http(s):// or ssh://"
        )
    raise InvalidArgument(
        f"base_url {url!r} has unsupported scheme {parts.scheme!r}; "
        "use unix://, http+unix://, tcp://, http://, https:// or ssh://"
    )


def _parse_unix(url: str, parts: urllib.parse.SplitResult) -> UnixEndpoint:
    _refuse_query_and_fragment(url, parts)
    if parts.netloc:
        # docker-py style: the whole socket path percent-encoded as the host.
        path = urllib.parse.unquote(parts.netloc)
        if not path.startswith("/"):
            raise InvalidArgument(
                f"base_url {url!r} reads {parts.netloc!r} as a host; write the socket path "
                f"after three slashes: unix:///{parts.netloc}{parts.path}"
            )
        if parts.path not in ("", "/"):
            raise InvalidArgument(
                f"base_url {url!r} has a path {parts.path!r} after the encoded socket path"
            )
    else:
        path = urllib.parse.unquote(parts.path)
    if not path:
        raise InvalidArgument(f"base_url {url!r} names no socket path")
    if not path.startswith("/"):
        raise InvalidArgument(f"base_url {url!r}: the socket path {path!r} must be absolute")
    return UnixEndpoint(path=path)


def _parse_tcp(url: str, parts: urllib.parse.SplitResult) -> TcpEndpoint:
    _refuse_query_and_fragment(url, parts)
    if parts.username is not None or parts.password is not None:
        raise InvalidArgument(f"base_url {url!r}: credentials in the URL are not supported")
    host = parts.hostname
    if not host:
        raise InvalidArgument(f"base_url {url!r} names no host")
    if parts.path not in ("", "/"):
        raise InvalidArgument(
            f"base_url {url!r} has a path {parts.path!r}; only scheme://host:port is supported"
        )
    port = _port(url, parts)
    scheme: Literal["http", "https"] = "https" if parts.scheme.lower() == "https" else "http"
    if port is None:
        if parts.scheme.lower() == "tcp":
            raise InvalidArgument(f"base_url {url!r} needs a port: tcp://host:port")
        port = 443 if scheme == "https" else 80
    return TcpEndpoint(scheme=scheme, host=host, port=port)


def _parse_ssh(url: str, parts: urllib.parse.SplitResult, identity: str | None) -> SshEndpoint:
    if parts.fragment:
        raise InvalidArgument(f"base_url {url!r} has a fragment")
    # podman-py documents "?secure=True"; it only chose paramiko over ssh there.
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"secure"})
    if unknown:
        raise InvalidArgument(f"base_url {url!r} has unsupported query parameters {unknown}")
    if parts.password is not None:
        raise InvalidArgument(f"base_url {url!r}: ssh passwords in the URL are not supported")
    host = parts.hostname
    if not host:
        raise InvalidArgument(f"base_url {url!r} names no host")
    user = urllib.parse.unquote(parts.username) if parts.username else None
    if host.startswith("-") or (user or "").startswith("-"):
        raise InvalidArgument(f"base_url {url!r}: ssh host and user must not start with '-'")
    path = urllib.parse.unquote(parts.path)
    if path in ("", "/"):
        if user != "root":
            raise InvalidArgument(
                f"base_url {url!r} names no remote socket path; it can be left out only for "
                f"root@ ({ROOTFUL_SOCKET_PATH}), a rootless one is like "
                "/run/user/<uid>/podman/podman.sock"
            )
        path = ROOTFUL_SOCKET_PATH
    return SshEndpoint(host=host, path=path, user=user, port=_port(url, parts), identity=identity)


def _port(url: str, parts: urllib.parse.SplitResult) -> int | None:
    try:
        port = parts.port
    except ValueError:
        raise InvalidArgument(f"base_url {url!r} has an invalid port") from None
    if port == 0:
        raise InvalidArgument(f"base_url {url!r} has port 0")
    return port


def _refuse_query_and_fragment(url: str, parts: urllib.parse.SplitResult) -> None:
    if parts.query or parts.fragment:
        raise InvalidArgument(f"base_url {url!r} has a query or fragment, which means nothing here")


def describe(endpoint: Endpoint) -> str:
    """The endpoint as a URL for messages, e.g. ``unix:///run/podman/podman.sock``."""
    if isinstance(endpoint, UnixEndpoint):
        return f"unix://{endpoint.path}"
    if isinstance(endpoint, TcpEndpoint):
        return f"{endpoint.scheme}://{_bracket(endpoint.host)}:{endpoint.port}"
    user = f"{endpoint.user}@" if endpoint.user else ""
    port = f":{endpoint.port}" if endpoint.port is not None else ""
    return f"ssh://{user}{_bracket(endpoint.host)}{port}{endpoint.path}"


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


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
    base = f"{endpoint.scheme}://{_bracket(endpoint.host)}:{endpoint.port}"
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
