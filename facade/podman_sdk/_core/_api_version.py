"""API version negotiation, as pure functions over what the server said.

libpod routes exist only under a version prefix (``/v4.3.1/libpod/images/json``; the
bare ``/libpod/...`` path is a 404), and the server tells its own version in the
``Libpod-Api-Version`` header of the unversioned ``/libpod/_ping``. The SDK uses exactly
that version as its prefix, pre-release suffix included (``6.0.0-rc1``), so the same
code serves Podman 4, 5 and 6. Docker-compatible routes go under the Docker API version
the same answer announces (``Api-Version``): Podman reads a version there as a Docker
API version, and both ``/v6.0.0/images/...`` and an unversioned path ask Podman 6 for
a Docker API newer than 1.44 (image inspect then drops ``ContainerConfig``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from podman_sdk._exceptions import InvalidArgument, UnsupportedServer

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?")
_DOCKER_API = re.compile(r"1\.[0-9]{1,3}")


class Version(NamedTuple):
    """A libpod API version; ``pre`` is a pre-release suffix such as ``"-rc1"``."""

    major: int
    minor: int
    patch: int
    pre: str = ""


MINIMUM_LIBPOD_API = Version(4, 0, 0)


def parse_version(text: str) -> Version:
    """``"4.3.1"`` (also ``"v4.3.1"``) -> ``Version(4, 3, 1)``; ``"6.0.0-rc1"`` keeps
    its suffix."""
    match = _VERSION.fullmatch(text.strip().removeprefix("v"))
    if match is None:
        raise InvalidArgument(
            f"not an API version: {text!r} (expected MAJOR.MINOR.PATCH[-PRERELEASE])"
        )
    major, minor, patch, pre = match.groups()
    return Version(int(major), int(minor), int(patch), pre or "")


def format_version(version: Version) -> str:
    return f"{version.major}.{version.minor}.{version.patch}{version.pre}"


def version_from_ping(headers: Mapping[str, str], endpoint: str) -> Version:
    """The libpod API version a ``/_ping`` answer announces."""
    announced = headers.get("Libpod-Api-Version")
    if not announced:
        server = headers.get("Server") or "an unknown server"
        raise UnsupportedServer(
            f"{endpoint} answered /_ping without a Libpod-Api-Version header ({server}): "
            "it is not a Podman service (a Docker daemon?), so libpod routes are unavailable"
        )
    try:
        version = parse_version(announced)
    except InvalidArgument:
        # The server's answer, not the caller's input: not an InvalidArgument.
        raise UnsupportedServer(
            f"{endpoint} announced Libpod-Api-Version {announced!r}, not a version"
        ) from None
    if version[:3] < MINIMUM_LIBPOD_API[:3]:
        raise UnsupportedServer(
            f"{endpoint} runs libpod API {format_version(version)}; podman-sdk needs "
            f"{format_version(MINIMUM_LIBPOD_API)} or newer"
        )
    return version


def compat_version_from_ping(headers: Mapping[str, str]) -> str | None:
    """The Docker API version a ping announces (``Api-Version: 1.44``), or None when it
    announces none a path can carry."""
    announced = headers.get("Api-Version", "").strip()
    return announced if _DOCKER_API.fullmatch(announced) else None


def path_prefix(version: Version) -> str:
    return f"/v{format_version(version)}"


def require(server: Version, needed: Version, feature: str) -> None:
    """Raise a clear error when ``server`` is older than a feature needs."""
    if server[:3] < needed[:3]:
        raise UnsupportedServer(
            f"{feature} needs Podman API {format_version(needed)} or newer; "
            f"this service runs {format_version(server)}"
        )
