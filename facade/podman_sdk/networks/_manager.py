"""`NetworksManager` (``client.networks``) and its asyncio twin `AsyncNetworksManager`:
the collection verbs, podman-py's names and parameters. Each verb's decisions are the
`Call` of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk.networks import _calls as calls
from podman_sdk.networks._network import AsyncNetwork, Network, NetworkBase
from podman_sdk.networks._types import NetworkAttrs, NetworkPruneReport, NetworkSubnet

if TYPE_CHECKING:
    from libpod_client.models import NetworkInspectReport

NetworkT = TypeVar("NetworkT", bound=NetworkBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, NetworkT]):
    """A networks manager and the networks it hands out, on its connection."""

    _network_class: type[NetworkT]

    def _wrap(self, attrs: NetworkAttrs, model: NetworkInspectReport | None = None) -> NetworkT:
        network = self._network_class._attached(self._connection)
        network._store(attrs, model)
        return network


def _name_of(network: Network | AsyncNetwork | str) -> str:
    return network.name if isinstance(network, NetworkBase) else network


class NetworksManager(_ManagerBase[Connection, Network]):
    """``client.networks``: create, get, list, exists, prune, remove."""

    _network_class = Network

    def create(
        self,
        name: str,
        *,
        driver: str | None = None,
        dns_enabled: bool | None = None,
        network_dns_servers: Sequence[str] | None = None,
        enable_ipv6: bool | None = None,
        internal: bool | None = None,
        labels: Mapping[str, str] | None = None,
        options: Mapping[str, str] | None = None,
        subnets: Sequence[NetworkSubnet] | None = None,
    ) -> Network:
        """POST /libpod/networks/create. ``network_dns_servers`` raises
        `UnsupportedServer` on Podman 4.3, which does not read it."""
        arguments = calls.CreateArguments(
            name=name,
            driver=driver,
            dns_enabled=dns_enabled,
            network_dns_servers=network_dns_servers,
            enable_ipv6=enable_ipv6,
            internal=internal,
            labels=labels,
            options=options,
            subnets=subnets,
        )
        connection = self._api()
        calls.require_create_fields(connection.negotiate(), arguments)
        return self._wrap(*perform(connection, calls.create_call(arguments)))

    def exists(self, key: str) -> bool:
        """GET /libpod/networks/{name}/exists."""
        return perform(self._api(), calls.exists_call(key))

    def get(self, key: str) -> Network:
        """GET /libpod/networks/{name}/json, by name or id. Raises `NotFound`."""
        return self._wrap(*perform(self._api(), calls.get_call(key)))

    def list(
        self,
        *,
        names: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        filters: Filters | None = None,
    ) -> list[Network]:
        """GET /libpod/networks/json; ``names`` and ``ids`` add name and id filters."""
        call = calls.list_call(filters, names, ids)
        return [self._wrap(attrs) for attrs in perform(self._api(), call)]

    def prune(self, filters: Filters | None = None) -> NetworkPruneReport:
        """POST /libpod/networks/prune: remove unused networks (``filters`` are sent;
        podman-py documents them as ignored)."""
        return perform(self._api(), calls.prune_call(filters))

    def remove(self, name: Network | str, force: bool | None = None) -> None:
        """DELETE /libpod/networks/{name}. Raises `NotFound`."""
        perform(self._api(), calls.remove_call(_name_of(name), force))


class AsyncNetworksManager(_ManagerBase[AsyncConnection, AsyncNetwork]):
    """``client.networks`` of an `AsyncPodmanClient`: `NetworksManager`'s verbs, awaited."""

    _network_class = AsyncNetwork

    async def create(
        self,
        name: str,
        *,
        driver: str | None = None,
        dns_enabled: bool | None = None,
        network_dns_servers: Sequence[str] | None = None,
        enable_ipv6: bool | None = None,
        internal: bool | None = None,
        labels: Mapping[str, str] | None = None,
        options: Mapping[str, str] | None = None,
        subnets: Sequence[NetworkSubnet] | None = None,
    ) -> AsyncNetwork:
        """`NetworksManager.create`: POST /libpod/networks/create."""
        arguments = calls.CreateArguments(
            name=name,
            driver=driver,
            dns_enabled=dns_enabled,
            network_dns_servers=network_dns_servers,
            enable_ipv6=enable_ipv6,
            internal=internal,
            labels=labels,
            options=options,
            subnets=subnets,
        )
        connection = self._api()
        calls.require_create_fields(await connection.negotiate(), arguments)
        return self._wrap(*await perform_async(connection, calls.create_call(arguments)))

    async def exists(self, key: str) -> bool:
        """`NetworksManager.exists`."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get(self, key: str) -> AsyncNetwork:
        """`NetworksManager.get`. Raises `NotFound`."""
        return self._wrap(*await perform_async(self._api(), calls.get_call(key)))

    async def list(
        self,
        *,
        names: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        filters: Filters | None = None,
    ) -> list[AsyncNetwork]:
        """`NetworksManager.list`: GET /libpod/networks/json."""
        listed = await perform_async(self._api(), calls.list_call(filters, names, ids))
        return [self._wrap(attrs) for attrs in listed]

    async def prune(self, filters: Filters | None = None) -> NetworkPruneReport:
        """`NetworksManager.prune`: POST /libpod/networks/prune."""
        return await perform_async(self._api(), calls.prune_call(filters))

    async def remove(self, name: AsyncNetwork | str, force: bool | None = None) -> None:
        """`NetworksManager.remove`: DELETE /libpod/networks/{name}."""
        await perform_async(self._api(), calls.remove_call(_name_of(name), force))
