"""One connection to one service, and the one path every request takes.

Every request, the facade's and those a user sends through ``client.api`` with the
generated functions, goes through `ServiceHttpClient.send`. That method:

1. refuses to send on a closed client, and reports whatever fails after a `close()`
   from another thread as that close's doing ("the client was closed");
2. negotiates the API version once (an explicit step: `Connection.negotiate`), refuses
   a route or query parameter that version's API lacks (`refuse_unsupported`: the
   pinned releases' specs say, `_server_support`), and puts the version in the path
   (``/libpod/...`` -> ``/v4.3.1/libpod/...``);
3. sends with the timeouts the request carries (the client's call timeout unless a
   stream asked for its own);
4. once the request is sent (answered or failed), replaces its credential headers
   (`redact_credentials`): the request stays reachable from responses and errors;
5. turns any error status into the SDK's exception (`raise_for_response`), and any
   httpx failure into `PodmanConnectionError` / `PodmanTimeoutError`.

Requests are built by the generated layer (each endpoint module's ``request_kwargs``);
bodies are decoded in `_answers`. `ConnectionBase` and the pure functions here are
shared with `AsyncConnection` (below), whose send path is this one, awaited.

`AsyncConnection`, the async twin: one connection to one service, and the one path
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

import inspect
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypedDict, TypeVar

import httpx

from podman_sdk._core._api_version import Version, compat_version_from_ping, version_from_ping
from podman_sdk._core._error_mapping import raise_for_response
from podman_sdk._core._registry_auth import redact_credentials
from podman_sdk._core._requests import ping_request
from podman_sdk._core._send_rules import (
    CLOSED_BEFORE,
    CLOSED_DURING,
    not_found_class,
    redact_sent,
    stream_arguments,
    translated_errors,
    versioned_path,
    versioned_url,
)
from podman_sdk._core._server_support import refuse_unsupported
from podman_sdk._exceptions import InvalidArgument, PodmanConnectionError, UnsupportedServer

if TYPE_CHECKING:
    from libpod_client import AsyncSender, SyncSender
    from libpod_client.types import RequestArguments, RequestContent


DEFAULT_TIMEOUT = 60.0


DEFAULT_CONNECT_TIMEOUT = 10.0


# The server writes a whole export to a temporary file before it sends headers (6-7 s
# per GiB measured), and a push answers only after the whole attempt: wait long for the
# first byte, then expect data to keep flowing.
DEFAULT_FIRST_BYTE_TIMEOUT = 3600.0


DEFAULT_IDLE_TIMEOUT = 300.0


class EventHooks(TypedDict, total=False):
    """Callables run for every exchange, as httpx runs its event hooks: ``request``
    before it is sent, ``response`` once its head arrived (before the SDK checks the
    status, so an error answer is seen too; a streamed body is not read yet)."""

    request: Sequence[Callable[[httpx.Request], object]]
    response: Sequence[Callable[[httpx.Response], object]]


class Timeouts(NamedTuple):
    call: float = DEFAULT_TIMEOUT
    connect: float = DEFAULT_CONNECT_TIMEOUT
    first_byte: float = DEFAULT_FIRST_BYTE_TIMEOUT
    idle: float = DEFAULT_IDLE_TIMEOUT

    def for_calls(self) -> httpx.Timeout:
        return httpx.Timeout(self.call, connect=self.connect)

    def for_stream_headers(self) -> httpx.Timeout:
        return httpx.Timeout(self.idle, connect=self.connect, read=self.first_byte)

    def for_stream_body(self) -> dict[str, float]:
        # httpcore's own shape for request.extensions["timeout"].
        return {"connect": self.connect, "read": self.idle, "write": self.idle, "pool": self.idle}


class ServiceHttpClient(httpx.Client):
    """The httpx client of one connection; its `send` is the SDK's one send path (see
    the module docstring). The generated client sends through it as well."""

    def __init__(self, connection: Connection, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection = connection

    def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        connection = self._connection
        version = connection.negotiate()
        refuse_unsupported(request, connection.root_path, version)
        request.url = versioned_url(
            request.url, connection.root_path, version, connection.compat_version
        )
        with connection.translating():
            try:
                response = super().send(
                    request, stream=stream, auth=auth, follow_redirects=follow_redirects
                )
            finally:
                redact_credentials(request)  # sent: from here on only errors read it
        # The body of an error answer is read (and the response closed) here.
        try:
            with connection.translating():
                raise_for_response(
                    response, not_found=not_found_class(request.url.path, connection.root_path)
                )
        except BaseException:
            response.close()  # a close() may have landed in between: nothing read it
            raise
        return response

    def send_unversioned(self, request: httpx.Request) -> httpx.Response:
        """For negotiation itself: the request as built, no version, no status check."""
        with self._connection.translating():
            return super().send(request)


# The generated client a connection binds (`SyncSender` or `AsyncSender`).
ApiT = TypeVar("ApiT")


class ConnectionBase(Generic[ApiT]):
    """What a connection is and decides without I/O, for `Connection` and
    `AsyncConnection` alike: where it goes, its timeouts, the negotiated versions, how
    a ping answer reads, and how errors are translated."""

    def __init__(
        self,
        transport: Any,
        root_url: str,
        endpoint: str,
        *,
        timeouts: Timeouts,
        trust_env: bool,
        version: Version | None,
        event_hooks: EventHooks | None = None,
        on_close: Callable[[], None] | None = None,
        connection_hint: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.timeouts = timeouts
        self.root_url = root_url.rstrip("/")
        self.root_path = httpx.URL(self.root_url).path.rstrip("/")
        self._version = version
        # The Docker API version for compat routes; only a ping tells it.
        self.compat_version: str | None = None
        self._on_close = on_close
        # Appended to connection errors: how this endpoint was chosen (from_env's trail)
        # and how to start a service.
        self._connection_hint = connection_hint
        hooks = event_hooks or {}
        self._open_http(
            transport=transport,
            base_url=self.root_url,
            timeout=timeouts.for_calls(),
            trust_env=trust_env,
            follow_redirects=False,
            event_hooks={
                "request": self._hooks(hooks.get("request", ())),
                # A response hook is handed response.request: sent, so redacted first.
                "response": self._hooks([redact_sent, *hooks.get("response", ())]),
            },
        )
        self._api: ApiT | None = None
        self._api_lock = threading.Lock()

    def _open_http(self, **arguments: Any) -> None:
        """Make this connection's httpx client from httpx's ``arguments``."""
        raise NotImplementedError

    def _hooks(self, hooks: Sequence[Callable[[Any], object]]) -> list[Callable[[Any], Any]]:
        """`EventHooks` as this connection's httpx client runs them."""
        return list(hooks)

    @property
    def api(self) -> ApiT:
        """The generated client, sending through this connection. Made on first use:
        the generated Client is an attrs class, and importing attrs is a tenth of the
        start-up of a program that never asks for it."""
        with self._api_lock:
            if self._api is None:
                self._api = self._bound_api()
            return self._api

    def _bound_api(self) -> ApiT:
        """The generated client, sending through this connection."""
        raise NotImplementedError

    @property
    def is_closed(self) -> bool:
        raise NotImplementedError

    def _run_on_close(self) -> None:
        if self._on_close is not None:
            on_close, self._on_close = self._on_close, None
            on_close()

    def _learn_versions(self, ping_headers: httpx.Headers) -> Version:
        """Record the versions a ping announced (unless the client was given one)."""
        if self._version is None:
            self._version = version_from_ping(ping_headers, self.endpoint)
            self.compat_version = compat_version_from_ping(ping_headers)
        return self._version

    def _checked_ping(self, response: httpx.Response) -> httpx.Response:
        """A ping answer, or the error it means. A server without the route is no
        Podman service."""
        if response.status_code == 404:
            server = response.headers.get("Server") or "an unknown server"
            raise UnsupportedServer(
                f"{self.endpoint} has no /libpod/_ping ({server}): it is not a Podman "
                "service (a Docker daemon?), so libpod routes are unavailable"
            )
        with self.translating():
            raise_for_response(response)
        return response

    def versioned(self, request_kwargs: RequestArguments, version: Version) -> RequestArguments:
        """``request_kwargs`` with the API version in the route, so the request is built
        once: rewriting a built request's URL (as `send` does for the generated
        client's requests) makes httpx parse it again, a fifth of a call's overhead."""
        url = versioned_path(request_kwargs["url"], version, self.compat_version)
        return {**request_kwargs, "url": url}

    def _refuse_if_closed(self) -> None:
        if self.is_closed:
            # httpx would raise a bare RuntimeError.
            raise PodmanConnectionError(self.endpoint, CLOSED_BEFORE)

    def translated(self, problem: Exception) -> Exception:
        """The podman_sdk exception `translating` raises for ``problem`` (a stream's
        transport failure), caused by it."""
        try:
            with translated_errors(self.endpoint, self._connection_hint, lambda: self.is_closed):
                raise problem
        except Exception as mapped:  # returned, for the caller to raise
            return mapped

    @contextmanager
    def translating(self) -> Iterator[None]:
        """Turn httpx exceptions into podman_sdk ones; ours pass through."""
        self._refuse_if_closed()
        with translated_errors(self.endpoint, self._connection_hint, lambda: self.is_closed):
            yield


class Connection(ConnectionBase["SyncSender"]):
    """The private handle a `PodmanClient` gives its managers and images: the
    connection, its timeouts, the negotiated version, and the generated client bound
    to it."""

    def _open_http(self, **arguments: Any) -> None:
        self._lock = threading.Lock()
        self.http = ServiceHttpClient(self, **arguments)

    def _bound_api(self) -> SyncSender:
        from podman_sdk._core._bound_api import BoundClient

        return BoundClient(self.http, self.translated)

    # -- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the client from any thread: httpx marks it closed first (new requests
        are refused), then the transport shuts down the sockets of the requests and
        streams in flight (``_transport.open_sockets``), which end with "the client was
        closed" (`translating`)."""
        try:
            self.http.close()
        finally:
            self._run_on_close()

    @property
    def is_closed(self) -> bool:
        return self.http.is_closed

    # -- negotiation --------------------------------------------------------------------

    def negotiate(self) -> Version:
        """The libpod API version in use: the server's own, asked once with
        GET /libpod/_ping (unversioned), unless the client was given one. The same
        answer gives the Docker API version for compat routes (a client given a
        version sends those unversioned)."""
        with self._lock:
            if self._version is None:
                return self._learn_versions(self.ping().headers)
            return self._version

    def ping(self) -> httpx.Response:
        """GET /libpod/_ping, unversioned, so it works before negotiation."""
        request = self.http.build_request(**ping_request())
        return self._checked_ping(self.send_unversioned(request))

    def send_unversioned(self, request: httpx.Request) -> httpx.Response:
        self._refuse_if_closed()
        return self.http.send_unversioned(request)

    # -- calls --------------------------------------------------------------------------

    def call(self, request_kwargs: RequestArguments) -> httpx.Response:
        """Send a request built by a generated ``request_kwargs`` and return the answer,
        read (an error status has raised)."""
        request = self.http.build_request(**self.versioned(request_kwargs, self.negotiate()))
        return self.http.send(request)

    @contextmanager
    def stream(
        self,
        request_kwargs: RequestArguments,
        *,
        content: RequestContent | None = None,
        headers: Mapping[str, str] | None = None,
        bulk: bool = False,
    ) -> Iterator[httpx.Response]:
        """Send a request built by a generated ``request_kwargs`` and yield the response
        once its head is in (an error status has raised). ``content`` replaces the
        body, ``headers`` are added. Long wait for the first byte, idle timeout after.
        Always closed on exit. ``bulk`` marks a large download without a request
        body: a Unix-socket transport then reads it on a connection of its own."""
        arguments = stream_arguments(
            self.versioned(request_kwargs, self.negotiate()),
            self.timeouts.for_stream_headers(),
            content,
            headers,
            bulk,
        )
        request = self.http.build_request(**arguments)
        response = self.http.send(request, stream=True)
        try:
            # httpcore reads the read timeout from the request when body iteration
            # starts: from here on, a stall longer than the idle timeout fails.
            response.request.extensions["timeout"] = self.timeouts.for_stream_body()
            yield response
        finally:
            response.close()

    def iter_body(self, response: httpx.Response, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body as it arrives, with transport errors translated."""
        with self.translating():
            yield from response.iter_bytes(chunk_size)
            if self.is_closed:
                # Maybe cut by the close: without framing, a socket the close shut down
                # reads as the end of the body.
                raise PodmanConnectionError(self.endpoint, CLOSED_DURING)


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
        refuse_unsupported(request, connection.root_path, version)
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
    import sniffio

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
        import asyncio  # here: a program on the sync client never loads asyncio

        self._lock = asyncio.Lock()
        self.http = AsyncServiceHttpClient(self, **arguments)

    def _hooks(self, hooks: Sequence[Callable[[Any], object]]) -> list[Callable[[Any], Any]]:
        return awaitable_hooks(hooks)

    def _bound_api(self) -> AsyncSender:
        from podman_sdk._core._bound_api import AsyncBoundClient

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
