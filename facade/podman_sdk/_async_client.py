"""`AsyncPodmanClient`: `PodmanClient` for asyncio, the same decisions over awaited I/O.

async with AsyncPodmanClient("unix:///run/podman/podman.sock") as client:
    for image in await client.images.list():
        print(image.short_id, image.tags)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

import podman_sdk._client_base as base
from podman_sdk._answers import json_object
from podman_sdk._api_version import format_version
from podman_sdk._async_closing import AsyncClosing
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._async_images import AsyncImagesManager
from podman_sdk._image_requests import info_request, version_request
from podman_sdk._transport import Endpoint, UnixEndpoint, transport_options

if TYPE_CHECKING:
    from libpod_client import AsyncSender


class AsyncPodmanClient(
    AsyncClosing, base.ClientBase[httpx.AsyncBaseTransport, AsyncConnection, AsyncImagesManager]
):
    """A connection to one Podman service for asyncio: `PodmanClient`'s arguments,
    names and types, with every call awaited. Use it with ``async with``, or await
    `aclose()`.

    Constructing it does no I/O but for ``ssh://``, whose tunnel (an ssh process) is
    opened there, as `PodmanClient` does. ``transport`` is an
    ``httpx.AsyncBaseTransport`` (tests pass ``httpx.MockTransport`` with an async
    handler). Event hooks may be plain callables or coroutine functions.

    Cancelling a task in a call or a stream closes that exchange's connection; the
    client stays usable.
    """

    _images_class = AsyncImagesManager

    def _connect(
        self, settings: base.ClientSettings, transport: httpx.AsyncBaseTransport | None
    ) -> AsyncConnection:
        return base.open_connection(settings, transport, _build_transport, AsyncConnection)

    # -- lifecycle ----------------------------------------------------------------------

    async def aclose(self) -> None:
        """Release the connection pool and stop any ssh tunnel."""
        await self._connection.aclose()

    # -- system -------------------------------------------------------------------------

    async def negotiate(self) -> str:
        """`PodmanClient.negotiate`: the libpod API version in use (GET /libpod/_ping
        once under ``version="auto"``). Raises `UnsupportedServer`."""
        return format_version(await self._connection.negotiate())

    @property
    async def api_version(self) -> str:
        """``await client.api_version``: the same as `negotiate()`, which it calls."""
        return await self.negotiate()

    @property
    def api(self) -> AsyncSender:
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

    async def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return base.ping_answered(await self._connection.ping())

    async def version(self) -> base.VersionInfo:
        """GET /libpod/version: server and API versions."""
        response = await self._connection.call(version_request())
        return base.version_info(json_object(response, "version", self.endpoint), self.endpoint)

    async def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details."""
        response = await self._connection.call(info_request())
        return json_object(response, "info", self.endpoint)


def _build_transport(
    endpoint: Endpoint, tls_verify: bool | str, client_cert: tuple[str, str] | str | None
) -> tuple[httpx.AsyncBaseTransport, str]:
    options, base = transport_options(endpoint, tls_verify, client_cert)
    if isinstance(endpoint, UnixEndpoint):
        # Loaded here, when an async client first connects to a socket: exports read
        # past h11 there, as the sync client's do.
        from podman_sdk._transport.async_bulk_read import AsyncUnixSocketTransport

        return AsyncUnixSocketTransport(endpoint.path, **options), base
    return httpx.AsyncHTTPTransport(**options), base
