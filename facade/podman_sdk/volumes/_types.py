"""The documented dicts of the volumes domain: a volume's ``attrs`` (libpod's inspect
and list entries, one shape) and ``prune()``'s report."""

from typing import NotRequired, TypedDict


class VolumeAttrs(TypedDict):
    """A volume as libpod describes it (GET /libpod/volumes/{name}/json). The keys
    without ``NotRequired`` are written by every Podman release; the others are left
    out when empty (``omitempty`` in Podman's Go source) or by older releases."""

    Name: str
    Driver: str
    Mountpoint: str
    Scope: str
    MountCount: int
    Labels: dict[str, str] | None
    Options: dict[str, str] | None
    CreatedAt: NotRequired[str]
    Status: NotRequired[dict[str, object] | None]
    UID: NotRequired[int]
    GID: NotRequired[int]
    Anonymous: NotRequired[bool]
    NeedsCopyUp: NotRequired[bool]
    NeedsChown: NotRequired[bool]
    Timeout: NotRequired[int]
    LockNumber: NotRequired[int]
    StorageID: NotRequired[str]


class VolumePruneReport(TypedDict):
    """``volumes.prune()`` as podman-py reports it: the names removed and the bytes
    reclaimed."""

    VolumesDeleted: list[str]
    SpaceReclaimed: int
