"""``PodmanClient.api`` and ``AsyncPodmanClient.api``: the generated client's senders,
bound to a client's connection.

The generated functions take a sender of their flavour: ``sync``, ``sync_detailed`` and
``stream`` a `libpod_client.SyncSender` (an httpx ``Client`` and the two hooks),
``asyncio``, ``asyncio_detailed`` and ``asyncio_stream`` an `AsyncSender`. `BoundClient`
is only the first and `AsyncBoundClient` only the second, so a type checker refuses
``volume_list_libpod.sync(client=async_client.api)``; at run time the other flavour's
method raises `InvalidArgument` before any request (it is hidden from type checkers so
that they can refuse the call).

The generated `Client` could also make connections of its own (``with_headers``,
``with_timeout`` and ``with_cookies`` return copies that do), and leaving ``with
client.api:`` would close its httpx client. Bound to a PodmanClient, each of those would
either bypass the send path (no version prefix, raw httpx errors) or close the
PodmanClient's connection, so the bound clients refuse them with a clear error instead
(a call takes ``call_timeout=`` for a timeout of its own), and a ``with`` block on them
closes nothing: the PodmanClient owns the connection.

Both bound clients (`BoundClient`, and `AsyncBoundClient` for an AsyncPodmanClient's
``asyncio`` functions) answer the generated client's ``error_for_answer`` hook with
`error_for_refusal`, in the SDK's one mapping module: an answer the generated functions refuse
raises podman_sdk's `APIError` subclass, never a ``libpod_client.errors`` exception (a
failure the server reports inside a stream is podman_sdk's `StreamError`). A stream's
transport failure goes through the connection's translation, as every call's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, Self

import httpx

from podman_sdk._core._error_mapping import error_for_refusal
from podman_sdk._exceptions import InvalidArgument

if TYPE_CHECKING:
    from libpod_client.errors import LibpodError

_OWN_SETTINGS = (
    "client.api shares the PodmanClient's connection; give timeouts and hooks to "
    "PodmanClient(...) instead of {what} (a copy would bypass the SDK's send path; "
    "a call takes call_timeout= for a timeout of its own)"
)
_OTHER_FLAVOUR = (
    "{client}.api serves the generated {served} functions; {refused} need "
    "{other}.api (this client has no {kind} connection)"
)


class _SdkErrors:
    """The hooks of a bound client: podman_sdk's exceptions for the answers the
    generated functions refuse, and for their streams' transport failures."""

    def __init__(self, translate: Callable[[Exception], Exception]) -> None:
        self._translate = translate

    def error_for_answer(self, problem: LibpodError, response: httpx.Response) -> Exception:
        return error_for_refusal(problem, response)

    def error_for_transport(self, problem: httpx.TransportError) -> Exception:
        return self._translate(problem)

    def with_headers(self, headers: dict[str, str]) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_headers()"))

    def with_cookies(self, cookies: dict[str, str]) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_cookies()"))

    def with_timeout(self, timeout: httpx.Timeout) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_timeout()"))


class BoundClient(_SdkErrors):
    """The generated functions' `SyncSender` of one PodmanClient (see the module
    docstring)."""

    def __init__(self, http: httpx.Client, translate: Callable[[Exception], Exception]) -> None:
        super().__init__(translate)
        self._http = http

    def get_httpx_client(self) -> httpx.Client:
        return self._http

    def set_httpx_client(self, client: httpx.Client) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="another httpx client"))

    if not TYPE_CHECKING:  # so that type checkers refuse it where an AsyncSender goes

        def get_async_httpx_client(self) -> NoReturn:
            raise InvalidArgument(
                _OTHER_FLAVOUR.format(
                    client="PodmanClient",
                    served="sync, sync_detailed and stream",
                    refused="asyncio, asyncio_detailed and asyncio_stream",
                    other="AsyncPodmanClient",
                    kind="asyncio",
                )
            )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to close: the PodmanClient owns the connection."""


class AsyncBoundClient(_SdkErrors):
    """The generated functions' `AsyncSender` of one AsyncPodmanClient."""

    def __init__(
        self, http: httpx.AsyncClient, translate: Callable[[Exception], Exception]
    ) -> None:
        super().__init__(translate)
        self._http = http

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        return self._http

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="another httpx client"))

    if not TYPE_CHECKING:  # so that type checkers refuse it where a SyncSender goes

        def get_httpx_client(self) -> NoReturn:
            raise InvalidArgument(
                _OTHER_FLAVOUR.format(
                    client="AsyncPodmanClient",
                    served="asyncio, asyncio_detailed and asyncio_stream",
                    refused="sync, sync_detailed and stream",
                    other="PodmanClient",
                    kind="blocking",
                )
            )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to close: the AsyncPodmanClient owns the connection."""
