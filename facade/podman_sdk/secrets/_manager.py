"""`SecretsManager` (``client.secrets``) and its asyncio twin `AsyncSecretsManager`: the
collection verbs, podman-py's names and parameters. Each verb's decisions are the
`Call` of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk.secrets import _calls as calls
from podman_sdk.secrets._secret import AsyncSecret, Secret, SecretBase
from podman_sdk.secrets._types import SecretAttrs

if TYPE_CHECKING:
    from libpod_client.models import SecretInfoReport

SecretT = TypeVar("SecretT", bound=SecretBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, SecretT]):
    """A secrets manager and the secrets it hands out, on its connection."""

    _secret_class: type[SecretT]

    def _wrap(self, attrs: SecretAttrs, model: SecretInfoReport | None = None) -> SecretT:
        secret = self._secret_class._attached(self._connection)
        secret._store(attrs, model)
        return secret


def _key_of(secret: Secret | AsyncSecret | str) -> str:
    return secret.id if isinstance(secret, SecretBase) else secret


class SecretsManager(_ManagerBase[Connection, Secret]):
    """``client.secrets``: create, get, list, exists, remove."""

    _secret_class = Secret

    def create(
        self,
        name: str,
        data: bytes,
        labels: Mapping[str, str] | None = None,
        driver: str | None = None,
    ) -> Secret:
        """POST /libpod/secrets/create, then the new secret's data (GET
        /libpod/secrets/{id}/json). ``labels`` are sent (podman-py ignores them);
        ``driver`` None lets the server choose (``file``). A name in use raises the
        server's error (`ServerError` on Podman 4 to 6)."""
        connection = self._api()
        created = perform(connection, calls.create_call(name, data, labels, driver))
        return self._wrap(*perform(connection, calls.get_call(created)))

    def exists(self, key: str) -> bool:
        """Whether a secret of this name or id exists (GET /libpod/secrets/{name}/json)."""
        return perform(self._api(), calls.exists_call(key))

    def get(self, secret_id: str) -> Secret:
        """GET /libpod/secrets/{name}/json, by name or id. Raises `NotFound`."""
        return self._wrap(*perform(self._api(), calls.get_call(secret_id)))

    def list(self, *, filters: Filters | None = None) -> list[Secret]:
        """GET /libpod/secrets/json; ``filters`` (name, id...) are sent, where podman-py
        ignores them."""
        return [self._wrap(attrs) for attrs in perform(self._api(), calls.list_call(filters))]

    def remove(
        self,
        secret_id: Secret | str,
        all: bool | None = None,
    ) -> None:
        """DELETE /libpod/secrets/{name}; ``all=True`` removes every secret. Raises
        `NotFound`."""
        perform(self._api(), calls.remove_call(_key_of(secret_id), all))


class AsyncSecretsManager(_ManagerBase[AsyncConnection, AsyncSecret]):
    """``client.secrets`` of an `AsyncPodmanClient`: `SecretsManager`'s verbs, awaited."""

    _secret_class = AsyncSecret

    async def create(
        self,
        name: str,
        data: bytes,
        labels: Mapping[str, str] | None = None,
        driver: str | None = None,
    ) -> AsyncSecret:
        """`SecretsManager.create`: POST /libpod/secrets/create, then its data."""
        connection = self._api()
        created = await perform_async(connection, calls.create_call(name, data, labels, driver))
        return self._wrap(*await perform_async(connection, calls.get_call(created)))

    async def exists(self, key: str) -> bool:
        """`SecretsManager.exists`."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get(self, secret_id: str) -> AsyncSecret:
        """`SecretsManager.get`: GET /libpod/secrets/{name}/json. Raises `NotFound`."""
        return self._wrap(*await perform_async(self._api(), calls.get_call(secret_id)))

    async def list(self, *, filters: Filters | None = None) -> list[AsyncSecret]:
        """`SecretsManager.list`: GET /libpod/secrets/json."""
        listed = await perform_async(self._api(), calls.list_call(filters))
        return [self._wrap(attrs) for attrs in listed]

    async def remove(
        self,
        secret_id: AsyncSecret | str,
        all: bool | None = None,
    ) -> None:
        """`SecretsManager.remove`: DELETE /libpod/secrets/{name}."""
        await perform_async(self._api(), calls.remove_call(_key_of(secret_id), all))
