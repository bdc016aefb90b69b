"""Where the Podman service listens, and the httpx transport that reaches it.

`parse_base_url` turns a user's ``base_url`` into one of three frozen endpoint
types (together `Endpoint`); `build_transport` (``unix_socket``) turns a unix
or tcp endpoint into an httpx transport plus the base URL httpx should use. An ssh endpoint
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

import urllib.parse
from typing import Literal, NamedTuple

from podman_sdk._exceptions import InvalidArgument

__all__ = [
    "ROOTFUL_SOCKET_PATH",
    "Endpoint",
    "SshEndpoint",
    "TcpEndpoint",
    "UnixEndpoint",
    "describe",
    "parse_base_url",
]

ROOTFUL_SOCKET_PATH = "/run/podman/podman.sock"


# NamedTuples, as _calls.Call explains.
class UnixEndpoint(NamedTuple):
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


class TcpEndpoint(NamedTuple):
    """A service listening on TCP, plain or with TLS."""

    scheme: Literal["http", "https"]
    host: str
    port: int
    kind: Literal["tcp"] = "tcp"

    @property
    def uses_proxy_env(self) -> bool:
        """True: a real network host, so proxy variables apply as for any URL."""
        return True


class SshEndpoint(NamedTuple):
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
    if scheme == "tcp" and not parts.netloc and parts.path and not parts.path.startswith("/"):
        # "tcp:host:port" is how Podman spells a listen address (podman system service
        # tcp:localhost:8889), and podman-py accepts it as a base_url.
        parts = urllib.parse.urlsplit(f"tcp://{url[len('tcp:') :]}")
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
        # Never echo the URL: it holds a password.
        raise InvalidArgument(
            f"base_url for {parts.hostname!r}: credentials in the URL are not supported"
        )
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
        # Never echo the URL: it holds a password.
        raise InvalidArgument(
            f"base_url for {parts.hostname!r}: ssh passwords in the URL are not supported"
        )
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
        return f"{endpoint.scheme}://{bracket(endpoint.host)}:{endpoint.port}"
    user = f"{endpoint.user}@" if endpoint.user else ""
    port = f":{endpoint.port}" if endpoint.port is not None else ""
    return f"ssh://{user}{bracket(endpoint.host)}{port}{endpoint.path}"


def bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host
