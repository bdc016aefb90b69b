"""Version gating: the rule that refuses a route or query parameter a server's API lacks,
read from the pinned releases' specs (libpod_client.releases), and that both send paths
apply it before anything goes out, to the facade's calls and ``client.api``'s alike."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from libpod_client import releases
from libpod_client.api.quadlets import quadlet_list_libpod
from podman_sdk import AsyncPodmanClient, PodmanClient, UnsupportedServer
from podman_sdk._core._api_version import Version, parse_version
from podman_sdk._core._server_support import (
    presence,
    refusal,
    release_order,
    route_of_request,
)

QUADLETS = releases.releases_with("QuadletListLibpod")


def test_the_pinned_specs_date_quadlets_from_5_8_2() -> None:
    # The data the rule reads: a wrong table would make every gate below wrong.
    assert QUADLETS[0] == "v5.8.2"
    assert "v5.4.2" not in QUADLETS


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("4.0.0", False),  # older than every pinned release: the oldest lacks it
        ("4.3.1", False),
        ("5.4.2", False),
        ("5.7.0", None),  # between 5.4.2 (lacks) and 5.8.2 (has): the specs do not tell
        ("5.8.2", True),
        ("5.8.6", True),
        ("6.0.0-rc1", True),
        ("6.0.0-dev", True),  # before 6.0.0-rc1, after 5.8.3: both have it
        ("6.1.0", True),  # newer than every pinned release: the newest has it
    ],
)
def test_presence_follows_the_pinned_releases_around_the_server(
    server: str, expected: bool | None
) -> None:
    assert presence(QUADLETS, parse_version(server)) is expected


def test_presence_of_what_was_dropped() -> None:
    # Pull's `credentials` is documented by 4.3.1's spec only.
    dropped = releases.releases_with_parameter("ImagePullLibpod", "credentials")
    assert dropped == ("v4.3.1",)
    assert presence(dropped, Version(4, 3, 1)) is True
    assert presence(dropped, Version(5, 0, 0)) is None
    assert presence(dropped, Version(5, 4, 2)) is False
    assert presence(dropped, Version(6, 2, 0)) is False


def test_release_order_places_candidates_and_other_pre_releases() -> None:
    assert release_order(Version(6, 0, 0, "-rc1")) == releases.release_key("v6.0.0-rc1")
    assert release_order(Version(6, 0, 0, "-dev")) < release_order(Version(6, 0, 0, "-rc1"))
    assert release_order(Version(6, 0, 0, "-rc2")) < release_order(Version(6, 0, 0))
    assert release_order(Version(5, 8, 2)) == releases.release_key("v5.8.2")


def test_a_request_is_told_by_its_route_a_literal_winning_over_a_name() -> None:
    remove_all = route_of_request("DELETE", "/v4.3.1/libpod/images/remove")
    remove_one = route_of_request("DELETE", "/libpod/images/docker.io%2Flibrary%2Fbusybox")
    assert remove_all is not None
    assert remove_all.operation == "ImageDeleteAllLibpod"
    assert remove_one is not None
    assert remove_one.operation == "ImageDeleteLibpod"
    compat = route_of_request("POST", "/v1.41/containers/abc/stop")
    assert compat is not None
    assert compat.operation == "ContainerStop"
    assert route_of_request("GET", "/libpod/no/such/route") is None
    assert route_of_request("PATCH", "/libpod/images/json") is None


def test_a_route_the_server_lacks_is_refused_naming_the_release() -> None:
    why = refusal("GET", "/libpod/quadlets/json", (), Version(4, 3, 1))
    assert why == (
        "the service runs Podman 4.3.1, whose API has no GET /libpod/quadlets/json "
        "(QuadletListLibpod): added by Podman 5.8.2, not in 5.4.2 (per the pinned API specs)"
    )
    assert refusal("GET", "/libpod/quadlets/json", (), Version(5, 8, 2)) is None
    assert refusal("GET", "/libpod/quadlets/json", (), Version(5, 7, 0)) is None
    assert refusal("GET", "/libpod/no/such/route", (), Version(4, 0, 0)) is None


def test_a_query_parameter_the_server_does_not_read_is_refused() -> None:
    why = refusal(
        "POST",
        "/libpod/images/pull",
        (("reference", "busybox"), ("compatMode", "true")),
        Version(4, 3, 1),
    )
    assert why is not None
    assert "does not read the query parameter 'compatMode' of POST /libpod/images/pull" in why
    assert "added by Podman 5.4.2, not in 4.3.1" in why
    assert (
        refusal("POST", "/libpod/images/pull", (("reference", "busybox"),), Version(4, 3, 1))
        is None
    )
    assert (
        refusal("POST", "/libpod/images/pull", (("compatMode", "true"),), Version(5, 4, 2)) is None
    )
    dropped = refusal(
        "POST", "/libpod/images/pull", (("credentials", "user:secret"),), Version(5, 8, 2)
    )
    assert dropped is not None
    assert "last in Podman 4.3.1" in dropped


def test_parameter_names_compare_without_case_as_podman_decodes_them() -> None:
    # Stop's "ignore" is spelled "Ignore" up to 5.8.3's spec and "ignore" in 6.0's.
    for name in ("Ignore", "ignore"):
        for server in (Version(4, 3, 1), Version(6, 0, 0, "-rc1")):
            assert refusal("POST", "/libpod/containers/c/stop", ((name, "true"),), server) is None


def test_a_documented_default_is_not_judged() -> None:
    """The generated builders send defaults: 4.3.1 acts on compatMode=false anyway."""
    assert releases.defaults_of("ImagePullLibpod", "compatMode") == ("false",)
    pull = "/libpod/images/pull"
    assert refusal("POST", pull, (("compatMode", "false"),), Version(4, 3, 1)) is None
    assert refusal("POST", pull, (("compatmode", "false"),), Version(4, 3, 1)) is None
    assert refusal("POST", pull, (("compatMode", "true"),), Version(4, 3, 1)) is not None


def test_defaults_are_the_fixed_specs() -> None:
    # generate kube's replicas: 0 in the specs, 1 in the handler and in spec/overrides.yaml,
    # which the generated builder sends.
    assert releases.defaults_of("GenerateKubeLibpod", "replicas") == ("1",)
    kube = "/libpod/generate/kube"
    assert refusal("GET", kube, (("replicas", "1"),), Version(4, 3, 1)) is None
    assert refusal("GET", kube, (("replicas", "3"),), Version(4, 3, 1)) is not None


def test_a_name_no_pinned_spec_documents_is_not_judged() -> None:
    assert (
        refusal("POST", "/libpod/images/pull", (("noSuchParameter", "1"),), Version(4, 3, 1))
        is None
    )


def counting(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    return httpx.MockTransport(handler)


def test_the_send_path_refuses_before_sending_for_client_api() -> None:
    """``client.api`` goes through the same send path: nothing is sent."""
    seen: list[httpx.Request] = []
    with (
        PodmanClient(transport=counting(seen), version="4.3.1") as client,
        pytest.raises(UnsupportedServer, match=r"added by Podman 5\.8\.2"),
    ):
        quadlet_list_libpod.sync(client=client.api)
    assert seen == []


def test_the_async_send_path_refuses_before_sending() -> None:
    seen: list[httpx.Request] = []

    async def main() -> None:
        async with AsyncPodmanClient(transport=counting(seen), version="5.4.2") as client:
            with pytest.raises(UnsupportedServer, match=r"runs Podman 5\.4\.2"):
                await quadlet_list_libpod.asyncio(client=client.api)

    asyncio.run(main())
    assert seen == []


def test_a_negotiated_version_is_gated_too() -> None:
    """Only the ping goes out when the server announced a version without the route."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"Libpod-Api-Version": "4.3.1", "Api-Version": "1.41"}
        return httpx.Response(200, text="OK", headers=headers)

    with (
        PodmanClient(transport=httpx.MockTransport(handler)) as client,
        pytest.raises(UnsupportedServer, match="QuadletListLibpod"),
    ):
        quadlet_list_libpod.sync(client=client.api)
    assert [request.url.path for request in seen] == ["/libpod/_ping"]
