"""``PodmanClient.api``: the generated client, bound to the PodmanClient's connection.

The generated `Client` can also make connections of its own (``with_headers``,
``with_timeout`` and ``with_cookies`` return copies that do; its ``asyncio`` functions
build an ``httpx.AsyncClient`` from the bare base URL), and leaving ``with client.api:``
closes its httpx client. Bound to a PodmanClient, each of those would either bypass the
send path (no version prefix, raw httpx errors) or close the PodmanClient's connection,
so the bound client refuses them with a clear error instead, and a ``with`` block on it
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
from libpod_client import Client as GeneratedClient

from podman_sdk._core._error_mapping import error_for_refusal
from podman_sdk._exceptions import InvalidArgument

if TYPE_CHECKING:
    from libpod_client.errors import LibpodError

_OWN_SETTINGS = (
    "client.api shares the PodmanClient's connection; give timeouts and hooks to "
    "PodmanClient(...) instead of {what} (a copy would bypass the SDK's send path)"
)


class SdkErrorsClient(GeneratedClient):
    """The generated client raising podman_sdk's exceptions for the answers it refuses,
    and for the transport failures of its streams (``translate``: the connection's)."""

    _translate: Callable[[Exception], Exception] | None = None

    def error_for_answer(self, problem: LibpodError, response: httpx.Response) -> Exception:
        return error_for_refusal(problem, response)

    def translating_with(self, translate: Callable[[Exception], Exception]) -> Self:
        self._translate = translate
        return self

    def error_for_transport(self, problem: httpx.TransportError) -> Exception:
        return problem if self._translate is None else self._translate(problem)


class AsyncBoundClient(SdkErrorsClient):
    """The generated client of one AsyncPodmanClient, for its ``asyncio`` functions."""


class BoundClient(SdkErrorsClient):
    """The generated client of one PodmanClient (see the module docstring)."""

    def bind(self, http: httpx.Client) -> Self:
        super().set_httpx_client(http)
        return self

    def set_httpx_client(self, client: httpx.Client) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="another httpx client"))

    def with_headers(self, headers: dict[str, str]) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_headers()"))

    def with_cookies(self, cookies: dict[str, str]) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_cookies()"))

    def with_timeout(self, timeout: httpx.Timeout) -> NoReturn:
        raise InvalidArgument(_OWN_SETTINGS.format(what="with_timeout()"))

    def get_async_httpx_client(self) -> NoReturn:
        raise InvalidArgument(
            "PodmanClient.api serves the generated sync and sync_detailed functions; "
            "their asyncio twins would open a connection of their own"
        )

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> NoReturn:
        self.get_async_httpx_client()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to close: the PodmanClient owns the connection."""
