"""API version negotiation as pure functions over what /_ping answered."""

from __future__ import annotations

import httpx
import pytest
from podman_sdk._core._api_version import (
    MINIMUM_LIBPOD_API,
    Version,
    compat_version_from_ping,
    format_version,
    parse_version,
    path_prefix,
    require,
    version_from_ping,
)
from podman_sdk._exceptions import InvalidArgument, PodmanError, UnsupportedServer


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("4.3.1", Version(4, 3, 1)),
        ("v5.4.2", Version(5, 4, 2)),
        (" 5.0.0-dev ", Version(5, 0, 0, "-dev")),
        ("6.0.0-rc1", Version(6, 0, 0, "-rc1")),
        ("10.20.30", Version(10, 20, 30)),
    ],
)
def test_parse_version(text: str, version: Version) -> None:
    assert parse_version(text) == version
    assert format_version(version) == text.strip().removeprefix("v")


@pytest.mark.parametrize(
    "text", ["", "latest", "4", "4.3", "1.41", "v", "x4.3.1", "4.x.1", "4.3.1 x", "4.3.1-"]
)
def test_parse_version_refuses(text: str) -> None:
    with pytest.raises(InvalidArgument, match=r"MAJOR\.MINOR\.PATCH"):
        parse_version(text)


def test_format_and_prefix() -> None:
    assert format_version(Version(4, 3, 1)) == "4.3.1"
    assert path_prefix(Version(5, 4, 2)) == "/v5.4.2"
    assert path_prefix(Version(6, 0, 0, "-rc1")) == "/v6.0.0-rc1"


def test_version_from_ping_reads_the_libpod_header() -> None:
    headers = httpx.Headers({"libpod-api-version": "4.3.1", "api-version": "1.41"})
    assert version_from_ping(headers, "unix:///x") == Version(4, 3, 1)
    headers = httpx.Headers({"libpod-api-version": "6.0.0-rc1"})
    assert version_from_ping(headers, "unix:///x") == Version(6, 0, 0, "-rc1")


def test_docker_daemon_is_unsupported() -> None:
    headers = httpx.Headers({"Api-Version": "1.43", "Server": "Docker/24.0.7 (linux)"})
    with pytest.raises(UnsupportedServer) as info:
        version_from_ping(headers, "unix:///var/run/docker.sock")
    message = str(info.value)
    assert "unix:///var/run/docker.sock" in message
    assert "Docker/24.0.7" in message
    assert "Libpod-Api-Version" in message
    assert isinstance(info.value, PodmanError)


def test_empty_header_is_unsupported() -> None:
    with pytest.raises(UnsupportedServer, match="an unknown server"):
        version_from_ping(httpx.Headers({"Libpod-Api-Version": ""}), "tcp://h:1")


def test_too_old_is_unsupported_and_says_what_is_needed() -> None:
    with pytest.raises(UnsupportedServer) as info:
        version_from_ping(httpx.Headers({"Libpod-Api-Version": "3.4.4"}), "unix:///x")
    assert "3.4.4" in str(info.value)
    assert format_version(MINIMUM_LIBPOD_API) in str(info.value)


def test_minimum_is_accepted() -> None:
    headers = httpx.Headers({"Libpod-Api-Version": format_version(MINIMUM_LIBPOD_API)})
    assert version_from_ping(headers, "unix:///x") == MINIMUM_LIBPOD_API


def test_garbage_header_is_unsupported_not_invalid_argument() -> None:
    with pytest.raises(UnsupportedServer, match="banana"):
        version_from_ping(httpx.Headers({"Libpod-Api-Version": "banana"}), "unix:///x")


def test_require() -> None:
    require(Version(5, 0, 0), Version(4, 4, 0), "feature")
    require(Version(4, 4, 0), Version(4, 4, 0), "feature")
    require(Version(5, 0, 0, "-rc1"), Version(5, 0, 0), "feature")
    with pytest.raises(UnsupportedServer, match=r"manifest push needs Podman API 5\.0\.0"):
        require(Version(4, 3, 1), Version(5, 0, 0), "manifest push")


@pytest.mark.parametrize(
    ("announced", "expected"),
    [("1.41", "1.41"), ("1.44", "1.44"), (" 1.44 ", "1.44"), ("", None), ("2.0", None)],
)
def test_compat_version_from_ping(announced: str, expected: str | None) -> None:
    headers = httpx.Headers({"Api-Version": announced}) if announced else httpx.Headers()
    assert compat_version_from_ping(headers) == expected


def test_compat_version_refuses_what_a_path_cannot_carry() -> None:
    assert compat_version_from_ping(httpx.Headers({"Api-Version": "1.44/../x"})) is None
