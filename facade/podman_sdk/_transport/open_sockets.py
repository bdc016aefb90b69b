"""Closing a transport wakes every thread blocked on one of its sockets.

Closing a socket does not wake a thread blocked in ``recv`` or ``send`` on it (Linux
keeps the call waiting until the peer sends, which a paused registry behind a pull may
never do), and httpcore's pool only closes its sockets. `OpenSockets` is the set of
sockets a transport has open: its network backends add each socket they connect and
remove it when httpcore closes it, and `OpenSockets.shutdown_all` shuts every one of
them down (``SHUT_RDWR``), which makes a blocked ``recv`` return at once and a blocked
``send`` fail. After that, new sockets are refused. The SDK's connection then reads
the resulting transport error as "the client was closed" (``_core._connection``).

`TrackingTcpBackend` is httpcore's own TCP backend with each connection tracked; the
Unix-socket backend (``unix_socket``) tracks its sockets itself.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import typing

import httpcore
import httpx

__all__ = ["ClosingTransport", "OpenSockets", "TrackingTcpBackend", "closed_client_error"]


def closed_client_error() -> httpcore.ConnectError:
    return httpcore.ConnectError("the client was closed")


class OpenSockets:
    """The sockets one transport has open. Thread-safe: ``shutdown_all`` runs on the
    closing thread while others read, connect and close."""

    def __init__(self) -> None:
        # Held while a socket is shut down or closed, so that a shutdown never reaches a
        # descriptor number the kernel already handed to another file.
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def add(self, sock: socket.socket) -> None:
        """Track ``sock``; once the transport is closed, close it and raise httpcore's
        ConnectError instead."""
        with self._lock:
            if not self._closed:
                self._open.add(sock)
                return
            sock.close()
        raise closed_client_error()

    def close(self, sock: socket.socket, close: typing.Callable[[], None] | None = None) -> None:
        """Stop tracking ``sock`` and close it (with ``close`` when given: a stream's own
        close, which closes the socket)."""
        with self._lock:
            self._open.discard(sock)
            if close is None:
                sock.close()
            else:
                close()

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def shutdown_all(self) -> None:
        """Refuse new sockets and shut down every open one: readers and writers blocked
        on them return or fail now. The sockets stay open for their owners to close."""
        with self._lock:
            self._closed = True
            for sock in self._open:
                with contextlib.suppress(OSError):  # already disconnected
                    # socket.socket's own shutdown, also for an SSLSocket: SSLSocket's
                    # override drops its TLS state under a thread still reading it.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


class TrackingTcpBackend(httpcore.SyncBackend):
    """httpcore's TCP backend, each connection (and its TLS upgrade) in ``sockets``."""

    def __init__(self, sockets: OpenSockets) -> None:
        self._sockets = sockets

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self._sockets.closed:
            raise closed_client_error()
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        return TrackedStream.track(stream, self._sockets)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - Unix sockets have their own backend
        raise httpcore.ConnectError("this backend connects over TCP only")


class TrackedStream(httpcore.NetworkStream):
    """An httpcore stream whose socket is in ``sockets`` until it is closed."""

    def __init__(
        self, inner: httpcore.NetworkStream, sock: socket.socket, sockets: OpenSockets
    ) -> None:
        self._inner = inner
        self._sock = sock
        self._sockets = sockets

    @classmethod
    def track(cls, inner: httpcore.NetworkStream, sockets: OpenSockets) -> TrackedStream:
        sock = inner.get_extra_info("socket")
        assert isinstance(sock, socket.socket), "httpcore's sync streams expose their socket"
        try:
            sockets.add(sock)
        except httpcore.ConnectError:
            inner.close()
            raise
        return cls(inner, sock, sockets)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._sockets.close(self._sock, self._inner.close)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # Wrapping hands the descriptor to a new SSLSocket and detaches the old object:
        # track the new one from here on (a close meanwhile refuses it in `track`).
        try:
            upgraded = self._inner.start_tls(ssl_context, server_hostname, timeout)
        finally:
            self._sockets.discard(self._sock)
        return TrackedStream.track(upgraded, self._sockets)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class ClosingTransport(httpx.HTTPTransport):
    """httpx's transport over a pool whose backend (``backend_for(sockets)``) tracks
    its sockets: `close` shuts them down before the pool closes them, so a request
    or stream in progress on another thread ends now instead of at its timeout."""

    def __init__(
        self,
        backend_for: typing.Callable[[OpenSockets], httpcore.NetworkBackend],
        *,
        ssl_context: ssl.SSLContext,
        retries: int,
        uds: str | None = None,
    ) -> None:
        super().__init__(uds=uds, retries=retries, trust_env=False, verify=ssl_context)
        self.sockets = OpenSockets()
        # httpx 0.28 has no network_backend parameter, so the pool it built (nothing
        # opened yet) is replaced by an identical one with our backend. The limits
        # mirror httpx.Limits' defaults.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            uds=uds,
            retries=retries,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend_for(self.sockets),
        )

    def close(self) -> None:
        try:
            self.sockets.shutdown_all()
        finally:
            super().close()
