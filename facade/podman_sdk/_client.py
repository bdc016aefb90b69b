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

__all__ = ["PodmanClient", "VersionInfo"]


if TYPE_CHECKING:
    from podman_sdk.containers import ContainersManager


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
    _containers: ContainersManager | None = None

    @property
    def containers(self) -> ContainersManager:
        """Container operations: ``client.containers.run(...)``, ``.get(name)``,
        ``.list()``."""
        if self._containers is None:
            # Loaded on first use: a program that only handles images does not pay for it.
            from podman_sdk.containers import ContainersManager

            self._containers = ContainersManager._attached(self._connection)
        return self._containers

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
