"""The documented image dict shapes and the pure functions that build them."""

from __future__ import annotations

import pytest
from podman_sdk import APIError
from podman_sdk.images._image_id import short_id
from podman_sdk.images._types import (
    ImageAttrs,
    checked_attrs,
    created_seconds,
    history_entry,
    image_attrs,
    remove_report,
)

HEX = "72df5decc548107e02726a4466419e9230251b247eee6a2f1029ef0cb075029e"
REQUIRED = frozenset(ImageAttrs.__required_keys__)


def test_required_keys_are_documented() -> None:
    assert {
        "Id",
        "RepoTags",
        "RepoDigests",
        "Digest",
        "Labels",
        "Created",
        "Size",
        "VirtualSize",
        "Architecture",
        "Os",
    } == REQUIRED


def test_empty_input_still_has_every_required_key() -> None:
    attrs = image_attrs({})
    assert set(attrs) == REQUIRED
    assert attrs["RepoTags"] == []
    assert attrs["Labels"] == {}
    assert attrs["Created"] == 0
    assert attrs["Id"] == ""


def test_go_nulls_become_empty_values() -> None:
    attrs = image_attrs(
        {"Id": HEX, "RepoTags": None, "RepoDigests": None, "Labels": None, "Size": None}
    )
    assert attrs["RepoTags"] == []
    assert attrs["RepoDigests"] == []
    assert attrs["Labels"] == {}
    assert attrs["Size"] == 0


def test_none_tag_is_dropped() -> None:
    attrs = image_attrs({"RepoTags": ["<none>:<none>", "localhost/a:1", "<none>:<none>"]})
    assert attrs["RepoTags"] == ["localhost/a:1"]


def test_list_spellings_are_normalised() -> None:
    attrs = image_attrs(
        {
            "Id": HEX,
            "Arch": "arm64",
            "Names": ["a"],
            "ParentId": "",
            "SharedSize": 0,
            "ReadOnly": False,
            "IsManifestList": False,
            "History": ["localhost/a:1", "localhost/a:0"],
            "Containers": 2,
        }
    )
    assert attrs["Architecture"] == "arm64"
    for key in ("Arch", "Names", "ParentId", "SharedSize", "ReadOnly", "IsManifestList"):
        assert key not in attrs
    assert "History" not in attrs
    assert attrs["NamesHistory"] == ["localhost/a:1", "localhost/a:0"]
    assert attrs["Containers"] == 2


def test_inspect_history_stays_history() -> None:
    layers = [{"created": "2026-01-01T00:00:00Z", "created_by": "COPY"}]
    attrs = image_attrs({"Id": HEX, "History": layers, "NamesHistory": None})
    assert attrs["History"] == layers
    assert attrs["NamesHistory"] == []


def test_labels_are_strings() -> None:
    attrs = image_attrs({"Labels": {"a": "1", "b": 2}})
    assert attrs["Labels"] == {"a": "1", "b": "2"}


def test_virtual_size_defaults_to_size() -> None:
    assert image_attrs({"Size": 10})["VirtualSize"] == 10
    assert image_attrs({"Size": 10, "VirtualSize": 12})["VirtualSize"] == 12


def test_bool_is_not_an_int() -> None:
    assert image_attrs({"Size": True})["Size"] == 0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (1795805911, 1795805911),
        ("2026-11-27T15:38:31Z", 1795793911),
        ("2026-11-27T15:38:31.123456789Z", 1795793911),
        ("2026-11-27T16:38:31.5+01:00", 1795793911),
        ("2026-11-27T15:38:31.000000001-00:00", 1795793911),
        ("", 0),
        ("not a date", 0),
        (None, 0),
        (True, 0),
        (1.5, 0),
    ],
)
def test_created_seconds(value: object, seconds: int) -> None:
    assert created_seconds(value) == seconds


@pytest.mark.parametrize(
    ("image_id", "expected"),
    [
        (HEX, HEX[:12]),
        ("sha256:" + HEX, "sha256:" + HEX[:12]),
        ("abc", "abc"),
    ],
)
def test_short_id(image_id: str, expected: str) -> None:
    assert short_id(image_id) == expected


@pytest.mark.parametrize("raw", [{}, {"Id": ""}, {"Id": 5}, {"Id": None}, {"RepoTags": []}])
def test_checked_attrs_needs_an_id(raw: dict[str, object]) -> None:
    with pytest.raises(APIError, match="unix:///x"):
        checked_attrs(raw, "unix:///x")


def test_checked_attrs_passes_a_good_answer() -> None:
    assert checked_attrs({"Id": HEX}, "unix:///x")["Id"] == HEX


def test_history_entry_reads_libpod_and_docker_spellings() -> None:
    libpod = {
        "id": HEX,
        "created": "2026-11-27T15:38:31Z",
        "createdBy": "COPY a /a",
        "tags": ["localhost/a:1"],
        "size": 5,
        "comment": "c",
    }
    docker = {
        "Id": HEX,
        "Created": 1795793911,
        "CreatedBy": "COPY a /a",
        "Tags": ["localhost/a:1"],
        "Size": 5,
        "Comment": "c",
    }
    assert history_entry(libpod) == docker
    assert history_entry(docker) == docker


def test_history_entry_missing_fields() -> None:
    assert history_entry({"tags": None}) == {
        "Id": "",
        "Created": 0,
        "CreatedBy": "",
        "Tags": [],
        "Size": 0,
        "Comment": "",
    }


def test_remove_report_order_and_exit_code() -> None:
    assert remove_report(["d1"], ["u1", "u2"], ["e1"], 1) == [
        {"Untagged": "u1"},
        {"Untagged": "u2"},
        {"Deleted": "d1"},
        {"Errors": "e1"},
        {"ExitCode": 1},
    ]
    assert remove_report([], [], [], None) == []
    assert remove_report([], [], [], 0) == [{"ExitCode": 0}]


def test_labels_from_config_when_the_top_level_has_none() -> None:
    # The Docker-compatible inspect sends "Labels": null and the labels in Config.
    compat = {"Id": "sha256:" + HEX, "Labels": None, "Config": {"Labels": {"a": "1"}}}
    assert image_attrs(compat)["Labels"] == {"a": "1"}
    both = {"Labels": {"b": "2"}, "Config": {"Labels": {"a": "1"}}}
    assert image_attrs(both)["Labels"] == {"b": "2"}
    assert image_attrs({"Config": {"Labels": None}})["Labels"] == {}
    assert image_attrs({"Config": None})["Labels"] == {}
