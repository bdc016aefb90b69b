"""libpod_client.releases: which pinned release has which operation and parameter, as
data the facade can gate calls on (issue #28), and the script that writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import release_table
import spec_source
from libpod_client import PODMAN_RELEASE, releases

ROOT = Path(__file__).resolve().parents[2]


def test_every_pinned_release_is_listed_oldest_first() -> None:
    assert set(releases.RELEASES) == set(spec_source.load_pins()[1])
    assert list(releases.RELEASES) == sorted(releases.RELEASES, key=releases.release_key)
    assert releases.RELEASES[0] == "v4.3.1"
    assert PODMAN_RELEASE in releases.RELEASES


def test_parameters_the_facade_passes_are_dated_as_check_releases_finds_them() -> None:
    """The API differences `make check-releases` reports against v4.3.1 and v5.4.2 (README),
    read from the table instead."""
    assert releases.first_release_with("ImagePullLibpod") == "v4.3.1"
    assert releases.first_release_with_parameter("ImagePullLibpod", "compatMode") == "v5.4.2"
    assert releases.first_release_with_parameter("ManifestInspectLibpod", "tlsVerify") == "v5.4.2"
    assert releases.first_release_with_parameter("ImageBuildLibpod", "compatvolumes") == "v5.4.2"
    for name in ("createdannotation", "rewritetimestamp", "inheritlabels", "inheritannotations"):
        assert releases.first_release_with_parameter("ImageBuildLibpod", name) == "v5.8.2"
    assert releases.first_release_with_parameter("ImagePullLibpod", "reference") == "v4.3.1"
    assert "compatMode" not in releases.parameters_of("v4.3.1", "ImagePullLibpod")
    assert "compatMode" in releases.parameters_of("v5.8.2", "ImagePullLibpod")


def test_operation_counts_are_the_specs() -> None:
    assert len(releases.operations_of("v4.3.1")) == 167
    assert len(releases.operations_of("v5.4.2")) == 173
    assert len(releases.operations_of("v5.8.2")) == 192
    assert len(releases.operations_of("v6.0.0-rc1")) == 193


def test_an_operation_of_the_newest_releases_only() -> None:
    newer = releases.operations_of("v5.8.2") - releases.operations_of("v4.3.1")
    assert newer
    for operation in newer:
        first = releases.first_release_with(operation)
        assert first is not None
        assert releases.release_key(first) > releases.release_key("v4.3.1")
        assert releases.releases_with(operation)[0] == first


def test_unknown_names_have_no_release_and_an_unpinned_release_is_refused() -> None:
    assert releases.first_release_with("NoSuchOperation") is None
    assert releases.releases_with("NoSuchOperation") == ()
    assert releases.first_release_with_parameter("ImagePullLibpod", "noSuchParameter") is None
    assert releases.parameters_of("v4.3.1", "NoSuchOperation") == frozenset()
    with pytest.raises(ValueError, match=r"'v5\.0\.0' is not a pinned release; pinned: v4\.3\.1"):
        releases.operations_of("v5.0.0")


def test_release_key_orders_tags_and_versions() -> None:
    key = releases.release_key
    assert key("v6.0.0-rc1") < key("v6.0.0") < key("6.0.1")
    assert key("5.10.0") > key("v5.9.9")
    assert key("v5.8.2") == key("5.8.2")
    with pytest.raises(ValueError, match=r"'latest' is not a Podman release"):
        key("latest")
    assert sorted(["v6.0.0", "v6.0.0-rc1", "v5.10.0", "v5.9.0"], key=release_table.release_key) == [
        "v5.9.0", "v5.10.0", "v6.0.0-rc1", "v6.0.0",
    ]  # fmt: skip


SMALL_RELEASE: dict[str, Any] = {
    "parameters": {"shared": {"in": "query", "name": "tlsVerify", "type": "boolean"}},
    "paths": {
        "/libpod/images/{name}/json": {
            "parameters": [{"in": "path", "name": "name", "type": "string"}],
            "get": {
                "operationId": "ImageInspectLibpod",
                "parameters": [
                    {"$ref": "#/parameters/shared"},
                    {"in": "header", "name": "X-Registry-Auth", "type": "string"},
                    {"in": "body", "name": "request", "schema": {"type": "object"}},
                ],
            },
        }
    },
}


def test_the_table_has_path_query_and_header_parameters_each_dated() -> None:
    paths = SMALL_RELEASE["paths"]
    newer: dict[str, Any] = {
        "paths": {"/x": {"post": {"operationId": "New", "parameters": []}}, **paths},
        "parameters": {},
    }
    names, table = release_table.release_table({"v6.0.0": newer, "v5.0.0": SMALL_RELEASE})
    assert names == ("v5.0.0", "v6.0.0")
    # bit 0: v5.0.0, bit 1: v6.0.0; the shared parameter exists in v5.0.0 only
    assert table == {
        "ImageInspectLibpod": (0b11, {"X-Registry-Auth": 0b11, "name": 0b11, "tlsVerify": 0b01}),
        "New": (0b10, {}),
    }


def test_each_operation_has_its_route_the_newest_release_wins() -> None:
    older: dict[str, Any] = {"paths": {"/old": {"get": {"operationId": "Moved"}}}}
    newer: dict[str, Any] = {
        "paths": {
            "/new/{name}": {"delete": {"operationId": "Moved"}},
            **SMALL_RELEASE["paths"],
        }
    }
    routes = release_table.route_table({"v6.0.0": newer, "v5.0.0": older})
    assert routes == {
        "ImageInspectLibpod": ("GET", "/libpod/images/{name}/json"),
        "Moved": ("DELETE", "/new/{name}"),
    }


def test_the_generated_routes_are_the_specs() -> None:
    assert releases.route_of("QuadletListLibpod") == ("GET", "/libpod/quadlets/json")
    assert releases.route_of("ImageDeleteLibpod") == ("DELETE", "/libpod/images/{name}")
    assert releases.route_of("ContainerStop") == ("POST", "/containers/{name}/stop")
    assert releases.route_of("NoSuchOperation") is None
    every = set().union(*(releases.operations_of(release) for release in releases.RELEASES))
    assert set(releases.ROUTES) == every


def test_query_defaults_are_written_as_sent_each_release_s() -> None:
    def release(default: object) -> dict[str, Any]:
        parameter = {"in": "query", "name": "flag", "type": "boolean", "default": default}
        header = {"in": "header", "name": "H", "type": "string", "default": "x"}
        return {"paths": {"/x": {"get": {"operationId": "X", "parameters": [parameter, header]}}}}

    defaults = release_table.query_defaults({"v6.0.0": release(True), "v5.0.0": release(False)})
    assert defaults == {"X": {"flag": ("false", "true")}}  # a header parameter has none
    assert releases.defaults_of("ImagePullLibpod", "compatMode") == ("false",)
    assert releases.defaults_of("ContainerRestartLibpod", "t") == ("10",)
    assert releases.defaults_of("ImagePullLibpod", "reference") == ()
