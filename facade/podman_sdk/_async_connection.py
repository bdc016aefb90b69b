"""The async twin of `_connection`: one connection to one service, and the one path
every request of an `AsyncPodmanClient` takes.

`AsyncServiceHttpClient.send` makes the same decisions as `ServiceHttpClient.send`,
with the same pure functions (`versioned_url`, `not_found_class`, `raise_for_response`,
`translated_errors`): only the I/O is awaited. The generated ``asyncio`` functions send
through it as well.

Cancelling a task while it waits in `send` or reads a stream closes that exchange's
connection (httpcore drops a connection whose exchange was interrupted; an export read
past h11 closes its own socket, ``_transport.async_bulk_read``), and the client stays
usable.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx
import sniffio

from podman_sdk._api_version import Version
from podman_sdk._connection import ConnectionBase
from podman_sdk._errors import InvalidArgument, PodmanConnectionError, raise_for_response
from podman_sdk._image_requests import ping_request
from podman_sdk._registry_auth import redact_credentials
from podman_sdk._send_rules import (
    CLOSED_DURING,
    not_found_class,
    stream_arguments,
    versioned_url,
)

if TYPE_CHECKING:
    from libpod_client import AsyncSender
    from libpod_client.types import RequestArguments, RequestContent


def awaitable_hooks(hooks: Sequence[Callable[[Any], object]]) -> list[Callable[[Any], Any]]:
    """`EventHooks` as httpx's AsyncClient runs them (it awaits each): a plain callable
    is called, and its result awaited if it is awaitable, so both kinds work."""

    def wrap(hook: Callable[[Any], object]) -> Callable[[Any], Any]:
        async def run(message: Any) -> None:
            result = hook(message)
            if inspect.isawaitable(result):
                await result

        return run

    return [wrap(hook) for hook in hooks]


class AsyncServiceHttpClient(httpx.AsyncClient):
    """The httpx client of one async connection; its `send` is the async client's one
    send path (see the module docstring)."""

    def __init__(self, connection: AsyncConnection, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection = connection

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        # httpx's own options (stream, auth, follow_redirects) pass through.
        connection = self._connection
        version = await connection.negotiate()
        request.url = versioned_url(
            request.url, connection.root_path, version, connection.compat_version
        )
        with connection.translating():
            try:
                response = await super().send(request, **options)
            finally:
                redact_credentials(request)  # sent: from here on only errors read it
        try:
            with connection.translating():
                await read_error_body(response)
                raise_for_response(
                    response, not_found=not_found_class(request.url.path, connection.root_path)
                )
        except BaseException:
            await response.aclose()  # nothing else will read it
            raise
        return response

    async def send_unversioned(self, request: httpx.Request) -> httpx.Response:
        """For negotiation itself: the request as built, no version, no status check."""
        with self._connection.translating():
            return await super().send(request)


def refuse_other_event_loops() -> None:
    """Every request starts here (through `AsyncConnection.negotiate` or `ping`): under
    trio, httpx would work but the SDK's locks, worker threads and socket reads are
    asyncio's, and would fail at random places; better one clear error first."""
    library = sniffio.current_async_library()
    if library != "asyncio":
        raise InvalidArgument(
            f"AsyncPodmanClient runs on asyncio, not {library}: use PodmanClient from a "
            "worker thread (trio.to_thread.run_sync) instead"
        )


async def read_error_body(response: httpx.Response) -> None:
    """Read (and so close) the body of an error answer that was streamed, so that
    `raise_for_response` can quote the server's message, as the sync path does. A body
    that breaks off leaves the status to speak."""
    if response.is_success or response.is_stream_consumed:
        return
    try:
        await response.aread()
    except (httpx.StreamError, httpx.TransportError):
        await response.aclose()


class AsyncConnection(ConnectionBase["AsyncSender"]):
    """The private handle an `AsyncPodmanClient` gives its managers and images: the
    connection, its timeouts, the negotiated version, and the generated client bound
    to it (for its ``asyncio`` functions)."""

    def _open_http(self, **arguments: Any) -> None:
        # One negotiation at a time, whichever task asks first.
        self._lock = asyncio.Lock()
        self.http = AsyncServiceHttpClient(self, **arguments)

    def _hooks(self, hooks: Sequence[Callable[[Any], object]]) -> list[Callable[[Any], Any]]:
        return awaitable_hooks(hooks)

    def _bound_api(self) -> AsyncSender:
        from podman_sdk._bound_api import AsyncBoundClient

        return AsyncBoundClient(self.http, self.translated)

    # -- lifecycle ----------------------------------------------------------------------

    async def aclose(self) -> None:
        try:
            await self.http.aclose()
        finally:
            self._run_on_close()

    @property
    def is_closed(self) -> bool:
        return self.http.is_closed

    # -- negotiation --------------------------------------------------------------------

    async def negotiate(self) -> Version:
        """`Connection.negotiate`, awaited: the libpod API version in use."""
        refuse_other_event_loops()
        async with self._lock:
            if self._version is None:
                return self._learn_versions((await self.ping()).headers)
            return self._version

    async def ping(self) -> httpx.Response:
        """GET /libpod/_ping, unversioned, so it works before negotiation."""
        request = self.http.build_request(**ping_request())
        refuse_other_event_loops()
        self._refuse_if_closed()
        return self._checked_ping(await self.http.send_unversioned(request))

    # -- calls --------------------------------------------------------------------------

    async def call(self, request_kwargs: RequestArguments) -> httpx.Response:
        """Send a request built by a generated ``request_kwargs`` and return the answer,
        read (an error status has raised)."""
        arguments = self.versioned(request_kwargs, await self.negotiate())
        return await self.http.send(self.http.build_request(**arguments))

    @asynccontextmanager
    async def stream(
        self,
        request_kwargs: RequestArguments,
        *,
        content: RequestContent | None = None,
        headers: Mapping[str, str] | None = None,
        bulk: bool = False,
    ) -> AsyncIterator[httpx.Response]:
        """`Connection.stream`, awaited: the response once its head is in (an error
        status has raised), closed on exit, whatever ends the block (a cancelled task
        included). ``bulk``: a large download without a request body, which a
        Unix-socket transport reads past h11 on a connection of its own."""
        arguments = stream_arguments(
            self.versioned(request_kwargs, await self.negotiate()),
            self.timeouts.for_stream_headers(),
            content,
            headers,
            bulk,
        )
        response = await self.http.send(self.http.build_request(**arguments), stream=True)
        try:
            response.request.extensions["timeout"] = self.timeouts.for_stream_body()
            yield response
        finally:
            await response.aclose()

    async def iter_body(
        self, response: httpx.Response, chunk_size: int | None = None
    ) -> AsyncIterator[bytes]:
        """The body as it arrives, with transport errors translated."""
        with self.translating():
            async for chunk in response.aiter_bytes(chunk_size):
                yield chunk
            if self.is_closed:
                # Maybe cut by the close: without framing, a socket the close shut down
                # reads as the end of the body.
                raise PodmanConnectionError(self.endpoint, CLOSED_DURING)
