"""`Secret` and `AsyncSecret`: one secret and its instance verbs (podman-py's names).
Their data (`SecretBase`) and the verbs' calls (``_calls``) are shared; the twins differ
only in awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.secrets._calls import get_call, remove_call, secret_model
from podman_sdk.secrets._types import SecretAttrs

if TYPE_CHECKING:
    from libpod_client.models import SecretInfoReport


class SecretBase(Attached[ConnectionT]):
    """A secret's data, as both clients hand it out (never the secret itself). A
    ``Secret(attrs)`` made alone is detached: its data reads, its verbs raise
    `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: SecretAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(SecretAttrs, dict(attrs or {}))
        self._model: SecretInfoReport | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Secret", self.id))

    @property
    def id(self) -> str:
        return self.attrs["ID"]

    @property
    def short_id(self) -> str:
        """The first 10 characters of the id, as podman-py gives them."""
        return self.id[:10]

    @property
    def name(self) -> str:
        return self.attrs["Spec"]["Name"]

    @property
    def model(self) -> SecretInfoReport:
        """``attrs`` as the generated typed model, checked field by field on first use
        (`MalformedAnswerError` when the data is not what the spec says). List and
        inspect answers have the same shape, so this never sends a request."""
        if self._model is None:
            self._model = secret_model(self.attrs, f"secret {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: SecretAttrs, model: SecretInfoReport | None) -> None:
        self.attrs = attrs
        self._model = model


class Secret(SecretBase[Connection]):
    """A secret registered with the service. ``attrs`` holds its metadata in the
    documented `SecretAttrs` shape; `model` the generated typed model behind it."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/secrets/{id}/json. Raises `NotFound`."""
        self._store(*perform(self._api(), get_call(self.id)))

    def remove(self, all: bool | None = None) -> None:
        """DELETE /libpod/secrets/{id}; ``all=True`` removes every secret. Raises
        `NotFound`."""
        perform(self._api(), remove_call(self.id, all))


class AsyncSecret(SecretBase[AsyncConnection]):
    """A secret from an `AsyncPodmanClient`: `Secret`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Secret.reload`: GET /libpod/secrets/{id}/json. Raises `NotFound`."""
        self._store(*await perform_async(self._api(), get_call(self.id)))

    async def remove(self, all: bool | None = None) -> None:
        """`Secret.remove`: DELETE /libpod/secrets/{id}."""
        await perform_async(self._api(), remove_call(self.id, all))
