"""`Network` and `AsyncNetwork`: one network and its instance verbs (podman-py's
names). Their data (`NetworkBase`) and the verbs' calls (``_calls``) are shared; the
twins differ only in awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.networks._calls import (
    connect_call,
    disconnect_call,
    get_call,
    network_model,
    remove_call,
)
from podman_sdk.networks._types import NetworkAttrs

if TYPE_CHECKING:
    from libpod_client.models import NetworkInspectReport


class NetworkBase(Attached[ConnectionT]):
    """A network's data, as both clients hand it out. ``Network(attrs)`` made alone is
    detached: its data reads, its verbs raise `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: NetworkAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(NetworkAttrs, dict(attrs or {}))
        self._model: NetworkInspectReport | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Network", self.id))

    @property
    def id(self) -> str:
        return self.attrs["id"]

    @property
    def short_id(self) -> str:
        """The first 10 characters of the id, as podman-py gives them."""
        return self.id[:10]

    @property
    def name(self) -> str:
        return self.attrs["name"]

    @property
    def model(self) -> NetworkInspectReport:
        """``attrs`` as the generated typed model, checked field by field on first use
        (`MalformedAnswerError` when the data is not what the spec says)."""
        if self._model is None:
            self._model = network_model(self.attrs, f"network {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: NetworkAttrs, model: NetworkInspectReport | None) -> None:
        self.attrs = attrs
        self._model = model


class Network(NetworkBase[Connection]):
    """A network. ``attrs`` holds the server's data in the documented `NetworkAttrs`
    shape; `model` the generated typed model behind it."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/networks/{name}/json. Raises `NotFound`."""
        self._store(*perform(self._api(), get_call(self.name)))

    def remove(self, force: bool | None = None) -> None:
        """DELETE /libpod/networks/{name}; ``force`` removes the containers using it."""
        perform(self._api(), remove_call(self.name, force))

    def connect(
        self,
        container: str,
        *,
        aliases: Sequence[str] | None = None,
        driver_opt: Mapping[str, str] | None = None,
        ipv4_address: str | None = None,
        ipv6_address: str | None = None,
    ) -> None:
        """POST /libpod/networks/{name}/connect: attach a container (name or id), with
        ``aliases``, driver options and static addresses. Raises `NotFound`."""
        call = connect_call(
            self.name,
            container=container,
            aliases=aliases,
            driver_opt=driver_opt,
            ipv4_address=ipv4_address,
            ipv6_address=ipv6_address,
        )
        perform(self._api(), call)

    def disconnect(self, container: str, *, force: bool | None = None) -> None:
        """POST /libpod/networks/{name}/disconnect. Raises `NotFound`."""
        perform(self._api(), disconnect_call(self.name, container, force))


class AsyncNetwork(NetworkBase[AsyncConnection]):
    """A network from an `AsyncPodmanClient`: `Network`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Network.reload`: GET /libpod/networks/{name}/json. Raises `NotFound`."""
        self._store(*await perform_async(self._api(), get_call(self.name)))

    async def remove(self, force: bool | None = None) -> None:
        """`Network.remove`: DELETE /libpod/networks/{name}."""
        await perform_async(self._api(), remove_call(self.name, force))

    async def connect(
        self,
        container: str,
        *,
        aliases: Sequence[str] | None = None,
        driver_opt: Mapping[str, str] | None = None,
        ipv4_address: str | None = None,
        ipv6_address: str | None = None,
    ) -> None:
        """`Network.connect`: POST /libpod/networks/{name}/connect."""
        call = connect_call(
            self.name,
            container=container,
            aliases=aliases,
            driver_opt=driver_opt,
            ipv4_address=ipv4_address,
            ipv6_address=ipv6_address,
        )
        await perform_async(self._api(), call)

    async def disconnect(self, container: str, *, force: bool | None = None) -> None:
        """`Network.disconnect`: POST /libpod/networks/{name}/disconnect."""
        await perform_async(self._api(), disconnect_call(self.name, container, force))
