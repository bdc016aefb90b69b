"""``PodmanClient.api``: the generated client, bound to the PodmanClient's connection.

The generated `Client` can also make connections of its own (``with_headers``,
``with_timeout`` and ``with_cookies`` return copies that do; its ``asyncio`` functions
build an ``httpx.AsyncClient`` from the bare base URL), and leaving ``with client.api:``
closes its httpx client. Bound to a PodmanClient, each of those would either bypass the
send path (no version prefix, raw httpx errors) or close the PodmanClient's connection,
so the bound client refuses them with a clear error instead, and a ``with`` block on it
closes nothing: the PodmanClient owns the connection.
"""

from __future__ import annotations

from typing import Any, NoReturn, Self

import httpx
from libpod_client import Client as GeneratedClient

from podman_sdk._errors import InvalidArgument

_OWN_SETTINGS = (
    "client.api shares the PodmanClient's connection; give timeouts and hooks to "
    "PodmanClient(...) instead of {what} (a copy would bypass the SDK's send path)"
)


class BoundClient(GeneratedClient):
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
