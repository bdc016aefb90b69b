"""`PodmanClient`: where to connect, how, and the managers on top.

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from podman_sdk._answers import json_object
from podman_sdk._api_version import format_version
from podman_sdk._client_base import (
    ClientBase,
    ClientSettings,
    VersionInfo,
    open_connection,
    ping_answered,
    version_info,
)
from podman_sdk._connection import Connection
from podman_sdk._image_requests import info_request, version_request
from podman_sdk._images import ImagesManager
from podman_sdk._transport import Endpoint, build_transport

if TYPE_CHECKING:
    from libpod_client import SyncSender

__all__ = ["PodmanClient", "VersionInfo"]


class PodmanClient(ClientBase[httpx.BaseTransport, Connection, ImagesManager]):
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

    _images_class = ImagesManager

    def _connect(
        self, settings: ClientSettings, transport: httpx.BaseTransport | None
    ) -> Connection:
        return open_connection(settings, transport, _build_transport, Connection)

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

    # -- system -------------------------------------------------------------------------

    def negotiate(self) -> str:
        """The libpod API version in use: under ``version="auto"`` the server's own,
        asked once (GET /libpod/_ping); every request negotiates first if needed.
        Raises `UnsupportedServer` for a service that is not Podman or too old."""
        return format_version(self._connection.negotiate())

    @property
    def api_version(self) -> str:
        """The libpod API version in use; the same as `negotiate()`, which it calls."""
        return self.negotiate()

    @property
    def api(self) -> SyncSender:
        """The generated client, bound to this connection: pass it as ``client=`` to
        any generated function for the routes the facade does not wrap (containers,
        pods, volumes, networks, secrets...): ``sync``/``sync_detailed``/``stream``
        with a `PodmanClient` (a `libpod_client.SyncSender`),
        ``asyncio``/``asyncio_detailed``/``asyncio_stream`` with an `AsyncPodmanClient`
        (a `libpod_client.AsyncSender`). A type checker refuses the other flavour's
        functions, and at run time they raise `InvalidArgument` before any request.

        It shares this client's transport, negotiated API version, timeouts, hooks and
        error mapping: an error status raises the SDK's exception (`NotFound`,
        `Conflict`, `ServerError`...), a success body that is not the documented type
        `MalformedAnswerError`, a transport failure `PodmanConnectionError` or
        `PodmanTimeoutError`. Closing this client closes it."""
        return self._connection.api

    def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return ping_answered(self._connection.ping())

    def version(self) -> VersionInfo:
        """GET /libpod/version: server and API versions."""
        response = self._connection.call(version_request())
        return version_info(json_object(response, "version", self.endpoint), self.endpoint)

    def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details, as the server
        sent them."""
        response = self._connection.call(info_request())
        return json_object(response, "info", self.endpoint)


def _build_transport(
    endpoint: Endpoint, tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> tuple[httpx.BaseTransport, str]:
    return build_transport(endpoint, tls_verify=tls_verify, client_cert=client_cert)
