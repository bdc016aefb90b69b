"""NetworksManager and Network (both clients) on a mock transport: malformed answers,
failure reports inside a 200, the requests sent, and what is refused before any
request."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from podman_sdk import (
    APIError,
    InvalidArgument,
    MalformedAnswerError,
    Network,
    PodmanClient,
    UnsupportedServer,
)

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]

NETWORK = {
    "name": "podman",
    "id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
    "driver": "bridge",
    "network_interface": "podman0",
    "created": "2026-12-07T20:00:00Z",
    "subnets": [{"subnet": "10.88.0.0/16", "gateway": "10.88.0.1"}],
    "ipv6_enabled": False,
    "internal": False,
    "dns_enabled": False,
    "ipam_options": {"driver": "host-local"},
}


@contextmanager
def mocked(flavour: str, handler: Handler, version: str = "5.4.2") -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version=version)
    ) as client:
        yield client


def answering(status: int, body: object, seen: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_create_sends_podman_py_keywords_as_libpod_reads_them(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, answering(200, {**NETWORK, "name": "n"}, seen)) as client:
        network = client.networks.create(
            "n",
            enable_ipv6=False,
            dns_enabled=True,
            network_dns_servers=["10.0.0.53"],
            labels={"a": "b"},
            subnets=[{"subnet": "10.11.13.0/24", "lease_range": {"start_ip": "10.11.13.2"}}],
        )
    assert network.name == "n"
    assert json.loads(seen[0].content) == {
        "name": "n",
        "ipv6_enabled": False,
        "dns_enabled": True,
        "network_dns_servers": ["10.0.0.53"],
        "labels": {"a": "b"},
        "subnets": [{"subnet": "10.11.13.0/24", "lease_range": {"start_ip": "10.11.13.2"}}],
    }


def test_connect_maps_addresses_to_static_ips(flavour: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=NETWORK)
        seen.append(request)
        return httpx.Response(200, json="OK")

    with mocked(flavour, handler) as client:
        network = client.networks.get("podman")
        network.connect("web", aliases=["w"], ipv4_address="10.88.0.5", driver_opt={"k": "v"})
        network.disconnect("web", force=True)
    assert [request.url.path for request in seen] == [
        "/v5.4.2/libpod/networks/podman/connect",
        "/v5.4.2/libpod/networks/podman/disconnect",
    ]
    assert json.loads(seen[0].content) == {
        "container": "web",
        "aliases": ["w"],
        "options": {"k": "v"},
        "static_ips": ["10.88.0.5"],
    }
    assert json.loads(seen[1].content) == {"Container": "web", "Force": True}


def test_a_get_answer_of_the_wrong_shape_raises(flavour: str) -> None:
    with (
        mocked(flavour, answering(200, {**NETWORK, "internal": "no"})) as client,
        pytest.raises(MalformedAnswerError, match="internal"),
    ):
        client.networks.get("podman")


def test_a_list_entry_without_an_id_raises(flavour: str) -> None:
    with (
        mocked(flavour, answering(200, [{"name": "x"}])) as client,
        pytest.raises(MalformedAnswerError, match="id"),
    ):
        client.networks.list()


def test_failures_reported_inside_a_200_raise(flavour: str) -> None:
    pruned = [{"Name": "a", "Error": None}, {"Name": "b", "Error": "in use"}]
    with (
        mocked(flavour, answering(200, pruned)) as client,
        pytest.raises(APIError, match="b: in use"),
    ):
        client.networks.prune()
    removed = [{"Name": "a", "Err": "network is being used"}]
    with (
        mocked(flavour, answering(200, removed)) as client,
        pytest.raises(APIError, match="a: network is being used"),
    ):
        client.networks.remove("a")


def test_prune_reports_the_names(flavour: str) -> None:
    pruned = [{"Name": "a", "Error": None}, {"Name": "b"}]
    with mocked(flavour, answering(200, pruned)) as client:
        assert client.networks.prune() == {"NetworksDeleted": ["a", "b"], "SpaceReclaimed": 0}


def test_dns_servers_are_refused_by_podman_4_before_sending(flavour: str) -> None:
    with (
        mocked(flavour, no_request, version="4.3.1") as client,
        pytest.raises(UnsupportedServer, match="network_dns_servers"),
    ):
        client.networks.create("n", network_dns_servers=["10.0.0.53"])


@pytest.mark.parametrize(
    ("verb", "match"),
    [
        (lambda c: c.networks.create("n", subnets=[{"gateway": "10.0.0.1"}]), "subnet"),
        (lambda c: c.networks.create("n", subnets={"subnet": "10.0.0.0/8"}), "subnets"),
        (lambda c: c.networks.create("n", subnets=[{"subnet": "x", "gateway": 1}]), "subnets"),
        (lambda c: c.networks.create("n", internal="yes"), "internal"),
        (lambda c: c.networks.create("n", labels={"a": 1}), "labels"),
        (lambda c: c.networks.create(""), "name"),
        (lambda c: c.networks.list(names="podman"), "names"),
        (lambda c: c.networks.list(ids=[1]), "ids"),
        (lambda c: c.networks.remove("n", force=1), "force"),
        (lambda c: Network(NETWORK).reload(), "not attached"),
    ],
)
def test_bad_input_is_refused_before_a_request(
    flavour: str, verb: Callable[[PodmanClient], object], match: str
) -> None:
    with mocked(flavour, no_request) as client, pytest.raises(InvalidArgument, match=match):
        verb(client)
