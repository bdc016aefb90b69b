"""The calls of the network verbs, both clients' (`Call`: the request from its
generated builder, the answer decoded here), and the argument checks before them:
everything a network verb decides, none of its I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._api_version import Version, format_version
from podman_sdk._core._arguments import optional_bool, optional_name, required_name, string_map
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound, UnsupportedServer
from podman_sdk.networks._types import NetworkAttrs, NetworkPruneReport

if TYPE_CHECKING:
    from libpod_client.models import NetworkInspectReport
    from libpod_client.types import Unset

    from podman_sdk._core._requests import RequestKwargs

T = TypeVar("T")

Inspected = tuple[NetworkAttrs, "NetworkInspectReport"]

#: The pinned API specs bound where ``network_dns_servers`` appeared: absent from
#: 4.3.1's network create, present in 5.4.2's.
DNS_SERVERS_ABSENT_UNTIL = Version(4, 3, 1)


def network_name(name: object) -> str:
    return required_name(name, "network name or id")


def network_model(attrs: NetworkAttrs, what: str, endpoint: str) -> NetworkInspectReport:
    from libpod_client.models import NetworkInspectReport

    return model_answer(NetworkInspectReport, cast("dict[str, object]", attrs), what, endpoint)


def _inspected(response: httpx.Response, what: str, endpoint: str) -> Inspected:
    attrs = cast(NetworkAttrs, json_object(response, what, endpoint))
    return attrs, network_model(attrs, what, endpoint)


def _listed(response: httpx.Response, endpoint: str) -> list[NetworkAttrs]:
    # JSON only (each model is made on first use of ``model``); name and id checked.
    entries = json_array(response, "networks", endpoint, null_is_empty=True)
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and isinstance(entry.get("id"), str)
        ):
            raise unexpected("networks", endpoint, "a JSON array of networks with name and id")
    return cast("list[NetworkAttrs]", entries)


def _report_failures(entries: list[object], what: str, endpoint: str, error_key: str) -> list[str]:
    """The names in a prune or removal report; `APIError` naming each failure."""
    names: list[str] = []
    failures: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str):
            raise unexpected(what, endpoint, "entries with a Name")
        if entry.get(error_key):
            failures.append(f"{entry['Name']}: {entry[error_key]}")
        else:
            names.append(entry["Name"])
    if failures:
        raise APIError(f"{what} failed for {'; '.join(failures)}")
    return names


def _pruned(response: httpx.Response, endpoint: str) -> NetworkPruneReport:
    entries = json_array(response, "network prune report", endpoint, null_is_empty=True)
    deleted = _report_failures(entries, "network prune", endpoint, "Error")
    return {"NetworksDeleted": deleted, "SpaceReclaimed": 0}


def _removed(response: httpx.Response, endpoint: str) -> None:
    entries = json_array(response, "network removal report", endpoint, null_is_empty=True)
    _report_failures(entries, "network removal", endpoint, "Err")


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def _found(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _strings(value: object, what: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{what} must be a list of str, not {value!r}")
    if not all(isinstance(item, str) for item in value):
        raise InvalidArgument(f"{what} must be a list of str, not {value!r}")
    return list(value)


class CreateArguments:
    """``create()``'s checked keywords (podman-py's names), before the request."""

    def __init__(
        self,
        *,
        name: object,
        driver: object,
        dns_enabled: object,
        network_dns_servers: object,
        enable_ipv6: object,
        internal: object,
        labels: object,
        options: object,
        subnets: object,
    ) -> None:
        self.name = network_name(name)
        self.driver = optional_name(driver, "driver")
        self.dns_enabled = optional_bool(dns_enabled, "dns_enabled")
        self.dns_servers = _strings(network_dns_servers, "network_dns_servers")
        self.ipv6 = optional_bool(enable_ipv6, "enable_ipv6")
        self.internal = optional_bool(internal, "internal")
        self.labels = string_map(labels, "labels")
        self.options = string_map(options, "options")
        self.subnets = _subnets(subnets)


def _subnets(value: object) -> list[dict[str, object]] | None:
    if value is None:
        return None
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise InvalidArgument(f"subnets must be a list of subnet dicts, not {value!r}")
    checked = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("subnet"), str):
            raise InvalidArgument(f"each subnet needs a 'subnet' str, not {item!r}")
        checked.append(dict(item))
    return checked


def require_create_fields(server: Version, arguments: CreateArguments) -> None:
    """`UnsupportedServer` before sending a field the server would not read."""
    if arguments.dns_servers is not None and server[:3] <= DNS_SERVERS_ABSENT_UNTIL[:3]:
        raise UnsupportedServer(
            "network_dns_servers is not read by Podman "
            f"{format_version(server)} (absent from the {format_version(DNS_SERVERS_ABSENT_UNTIL)}"
            " API; 5.4.2's has it)"
        )


def _given(value: T | None) -> T | Unset:
    from libpod_client.types import UNSET

    return UNSET if value is None else value


def _create_request(arguments: CreateArguments) -> RequestKwargs:
    from libpod_client.api.networks import network_create_libpod
    from libpod_client.errors import ShapeError
    from libpod_client.models import NetworkCreateLibpod, SubnetInput
    from libpod_client.types import UNSET

    try:
        subnets = (
            UNSET
            if arguments.subnets is None
            else [SubnetInput.from_dict(subnet) for subnet in arguments.subnets]
        )
    except ShapeError as exc:
        raise InvalidArgument(f"subnets: {exc}") from None
    body = NetworkCreateLibpod(
        name=arguments.name,
        driver=_given(arguments.driver),
        dns_enabled=_given(arguments.dns_enabled),
        network_dns_servers=_given(arguments.dns_servers),
        ipv6_enabled=_given(arguments.ipv6),
        internal=_given(arguments.internal),
        labels=UNSET if arguments.labels is None else dict(arguments.labels),
        options=UNSET if arguments.options is None else dict(arguments.options),
        subnets=subnets,
    )
    return network_create_libpod.request_kwargs(body=body)


def create_call(arguments: CreateArguments) -> Call[Inspected]:
    """POST /libpod/networks/create: the new network (as inspect describes it)."""
    what = f"new network {arguments.name}"
    return Call(
        _create_request(arguments), lambda answer, endpoint: _inspected(answer, what, endpoint)
    )


def get_call(name: object) -> Call[Inspected]:
    """GET /libpod/networks/{name}/json; a missing network raises `NotFound`."""
    from libpod_client.api.networks import network_inspect_libpod

    checked = network_name(name)
    what = f"network {checked}"
    return Call(
        network_inspect_libpod.request_kwargs(checked),
        lambda answer, endpoint: _inspected(answer, what, endpoint),
    )


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/networks/{name}/exists: False on 404."""
    from libpod_client.api.networks import network_exists_libpod

    return Call(network_exists_libpod.request_kwargs(network_name(name)), _found, _absent_is_false)


def list_call(filters: Filters | None, names: object, ids: object) -> Call[list[NetworkAttrs]]:
    """GET /libpod/networks/json; ``names`` and ``ids`` become name and id filters."""
    from libpod_client.api.networks import network_list_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters) or {}
    for key, values in (("name", _strings(names, "names")), ("id", _strings(ids, "ids"))):
        if values:
            encoded.setdefault(key, []).extend(values)
    request = network_list_libpod.request_kwargs(filters=encoded or UNSET)
    return Call(request, _listed)


def prune_call(filters: Filters | None) -> Call[NetworkPruneReport]:
    """POST /libpod/networks/prune; raises `APIError` naming each network that failed."""
    from libpod_client.api.networks import network_prune_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = network_prune_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _pruned)


def remove_call(name: object, force: object) -> Call[None]:
    """DELETE /libpod/networks/{name}; ``force`` removes the containers using it."""
    from libpod_client.api.networks import network_delete_libpod
    from libpod_client.types import UNSET

    checked_force = optional_bool(force, "force")
    request = network_delete_libpod.request_kwargs(
        network_name(name), force=UNSET if checked_force is None else checked_force
    )
    return Call(request, _removed)


def connect_call(
    network: str,
    *,
    container: object,
    aliases: object,
    driver_opt: object,
    ipv4_address: object,
    ipv6_address: object,
) -> Call[None]:
    """POST /libpod/networks/{name}/connect: podman-py's keywords as libpod reads them
    (``ipv4_address``/``ipv6_address`` are static IPs, ``driver_opt`` the options)."""
    from libpod_client.api.networks import network_connect_libpod
    from libpod_client.models import NetworkConnectRequestLibpod
    from libpod_client.types import UNSET

    checked_aliases = _strings(aliases, "aliases")
    options = string_map(driver_opt, "driver_opt")
    static_ips = [
        required_name(address, what)
        for address, what in ((ipv4_address, "ipv4_address"), (ipv6_address, "ipv6_address"))
        if address is not None
    ]
    body = NetworkConnectRequestLibpod(
        container=required_name(container, "container"),
        aliases=UNSET if checked_aliases is None else checked_aliases,
        options=UNSET if options is None else dict(options),
        static_ips=static_ips or UNSET,
    )
    return Call(network_connect_libpod.request_kwargs(network, body=body), _done)


def disconnect_call(network: str, container: object, force: object) -> Call[None]:
    """POST /libpod/networks/{name}/disconnect."""
    from libpod_client.api.networks import network_disconnect_libpod
    from libpod_client.models import NetworkDisconnectRequest
    from libpod_client.types import UNSET

    checked_force = optional_bool(force, "force")
    body = NetworkDisconnectRequest(
        container=required_name(container, "container"),
        force=UNSET if checked_force is None else checked_force,
    )
    return Call(network_disconnect_libpod.request_kwargs(network, body=body), _done)
