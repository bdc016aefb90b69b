"""What the system calls and the event stream return, as Podman's Go source writes it:
a key without ``omitempty`` is always there (Required), one with it may be left out
(NotRequired). Types only, no I/O."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class VersionPlatform(TypedDict):
    """``Platform`` of a version answer: ``{"Name": "linux/amd64/debian-12"}``."""

    Name: str


class VersionInfo(TypedDict):
    """``client.version()``: the server's /libpod/version answer (Docker's
    types.Version, which Podman fills). The keys it writes without omitempty are always
    there; podman-py's tests read ``Platform``, ``Version`` and ``ApiVersion``."""

    Platform: VersionPlatform
    Version: str
    ApiVersion: str
    GitCommit: str
    GoVersion: str
    Os: str
    Arch: str
    MinAPIVersion: NotRequired[str]
    KernelVersion: NotRequired[str]
    BuildTime: NotRequired[str]
    Components: NotRequired[list[dict[str, object]]]


class DiskUsage(TypedDict):
    """``client.df()``: GET /libpod/system/df (entities.SystemDfReport). Each list holds
    the server's report of one image, container or volume; a list the server writes as
    ``null`` (nothing of that kind) is ``[]``."""

    Images: list[dict[str, object]]
    Containers: list[dict[str, object]]
    Volumes: list[dict[str, object]]
    # Podman 5 and later; Podman 4.3.1 does not write it.
    ImagesSize: NotRequired[int]


class LoginReport(TypedDict):
    """``client.login()``: POST /auth's answer (entities.AuthReport)."""

    Status: str
    IdentityToken: str


class EventActor(TypedDict):
    """Who an event is about: ``ID`` (empty for system events) and ``Attributes``
    (``name``, ``image``, ``podId``, labels... always a map on the libpod route)."""

    ID: str
    Attributes: dict[str, str]


# "from" is a Python keyword, hence the functional form. The libpod route converts every
# event with entities.ConvertToEntitiesEvent (Podman 4.3 to 6.0): Type, Action, Actor,
# scope ("local"), time and timeNano are always set; status, id, from and HealthStatus
# are omitted when empty.
Event = TypedDict(
    "Event",
    {
        "Type": str,
        "Action": str,
        "Actor": EventActor,
        "scope": str,
        "time": int,
        "timeNano": int,
        "status": NotRequired[str],
        "id": NotRequired[str],
        "from": NotRequired[str],
        "HealthStatus": NotRequired[str],
    },
)
Event.__doc__ = """One decoded event of ``client.events(decode=True)``: the dict podman-py
yields, typed as Podman's Go source (entities.Event) writes it on /libpod/events."""
