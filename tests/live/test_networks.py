"""NetworksManager and Network (both clients, through the `client` fixture's flavours)
against the real services of every selected major. Podman 6 cannot create networks on
this host (its netavark needs 2.0, which no Debian release has): there the create
tests skip, and list/get still run on the default network."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from podman_sdk import (
    InvalidArgument,
    NetworkAttrs,
    NotFound,
    PodmanClient,
    UnsupportedServer,
)

from tests.harness import PodmanService

REQUIRED = NetworkAttrs.__required_keys__
DEFAULT_NETWORK = "podman"


def major(service: PodmanService) -> int:
    return int(service.version.split(".")[0])


@pytest.fixture
def network_name(client: PodmanClient, podman_service: PodmanService) -> Iterator[str]:
    """A fresh name; skips where this host cannot create networks (Podman 6)."""
    if major(podman_service) >= 6:
        pytest.skip("Podman 6 cannot create networks on this host: netavark 2.0 is missing")
    name = f"sdk-net-{uuid.uuid4().hex[:10]}"
    yield name
    if client.networks.exists(name):
        client.networks.remove(name, force=True)


def test_list_and_get_the_default_network(client: PodmanClient) -> None:
    listed = client.networks.list()
    default = next(network for network in listed if network.name == DEFAULT_NETWORK)
    assert set(default.attrs) >= REQUIRED
    assert default.model.name == DEFAULT_NETWORK
    got = client.networks.get(DEFAULT_NETWORK)
    assert got == default
    assert got.id == default.id
    assert got.short_id == got.id[:10]
    assert got.model.driver == got.attrs["driver"]
    assert client.networks.exists(DEFAULT_NETWORK) is True
    assert [n.name for n in client.networks.list(names=[DEFAULT_NETWORK])] == [DEFAULT_NETWORK]
    assert [n.id for n in client.networks.list(ids=[default.id])] == [default.id]
    got.reload()
    assert got.name == DEFAULT_NETWORK


def test_a_missing_network_is_not_found(client: PodmanClient) -> None:
    assert client.networks.exists("sdk-net-none-such") is False
    with pytest.raises(NotFound):
        client.networks.get("sdk-net-none-such")
    with pytest.raises(NotFound):
        client.networks.remove("sdk-net-none-such")
    assert client.networks.list(names=["sdk-net-none-such"]) == []


def test_create_inspect_remove(
    client: PodmanClient, podman_service: PodmanService, network_name: str
) -> None:
    created = client.networks.create(
        network_name,
        dns_enabled=False,
        internal=True,
        labels={"sdk.test": "yes"},
        subnets=[{"subnet": "10.11.13.0/24", "gateway": "10.11.13.1"}],
    )
    assert created.name == network_name
    assert created.attrs["internal"] is True
    assert created.attrs.get("labels") == {"sdk.test": "yes"}
    subnets = created.attrs.get("subnets") or []
    assert [subnet["subnet"] for subnet in subnets] == ["10.11.13.0/24"]
    assert client.networks.exists(network_name)
    got = client.networks.get(network_name)
    assert got == created
    assert network_name in [n.name for n in client.networks.list(filters={"label": "sdk.test"})]
    with pytest.raises(NotFound):
        got.connect("sdk-no-such-container")
    got.remove()
    with pytest.raises(NotFound):
        client.networks.get(network_name)


def test_prune_and_remove_by_object(client: PodmanClient, network_name: str) -> None:
    client.networks.create(network_name, labels={"sdk.prune": network_name})
    report = client.networks.prune(filters={"label": {"sdk.prune": network_name}})
    assert report == {"NetworksDeleted": [network_name], "SpaceReclaimed": 0}
    again = client.networks.create(network_name)
    client.networks.remove(again)
    assert not client.networks.exists(network_name)


def test_dns_servers_refused_where_not_read(
    client: PodmanClient, podman_service: PodmanService, network_name: str
) -> None:
    if major(podman_service) == 4:
        with pytest.raises(UnsupportedServer, match="network_dns_servers"):
            client.networks.create(network_name, network_dns_servers=["10.0.0.53"])
        return
    created = client.networks.create(
        network_name, dns_enabled=True, network_dns_servers=["10.0.0.53"]
    )
    assert created.attrs.get("network_dns_servers") == ["10.0.0.53"]


def test_bad_input_is_refused(client: PodmanClient) -> None:
    with pytest.raises(InvalidArgument, match="subnet"):
        client.networks.create("x", subnets=[{"gateway": "10.0.0.1"}])  # type: ignore[typeddict-item]
    with pytest.raises(InvalidArgument, match="labels"):
        client.networks.create("x", labels={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument, match="names"):
        client.networks.list(names="podman")
    with pytest.raises(InvalidArgument, match="name"):
        client.networks.get("")
