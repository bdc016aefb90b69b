"""The documented dicts of the networks domain: a network's ``attrs`` (libpod's
inspect and list entries, netavark's lower-case keys) and ``prune()``'s report."""

from typing import NotRequired, TypedDict


class NetworkLeaseRange(TypedDict, total=False):
    start_ip: str
    end_ip: str


class NetworkSubnet(TypedDict):
    """One subnet of a network; as `create(subnets=...)` takes it too."""

    subnet: str
    gateway: NotRequired[str]
    lease_range: NotRequired[NetworkLeaseRange | None]


class NetworkAttrs(TypedDict):
    """A network as libpod describes it (GET /libpod/networks/{name}/json). The keys
    without ``NotRequired`` are written by every Podman release."""

    name: str
    id: str
    driver: str
    internal: bool
    ipv6_enabled: bool
    dns_enabled: bool
    network_interface: NotRequired[str]
    created: NotRequired[str]
    subnets: NotRequired[list[NetworkSubnet] | None]
    labels: NotRequired[dict[str, str] | None]
    options: NotRequired[dict[str, str] | None]
    ipam_options: NotRequired[dict[str, str] | None]
    network_dns_servers: NotRequired[list[str] | None]
    routes: NotRequired[list[dict[str, object]] | None]
    containers: NotRequired[dict[str, dict[str, object]] | None]


class NetworkPruneReport(TypedDict):
    """``networks.prune()`` as podman-py reports it (libpod reports no space)."""

    NetworksDeleted: list[str]
    SpaceReclaimed: int
