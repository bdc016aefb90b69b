"""The documented dict shapes the image API returns, and the pure functions that build
them from what the server sends (Go's nil slices and maps arrive as null; list and
inspect disagree on key names and on the type of Created)."""

# No `from __future__ import annotations`: TypedDict reads NotRequired[...] only from
# evaluated annotations, and ImageAttrs.__required_keys__ must be right at run time.
import datetime
from collections.abc import Mapping
from typing import NotRequired, TypedDict

from podman_sdk._exceptions import APIError, PruneError, PruneReport
from podman_sdk.images._image_id import short_id

NONE_TAG = "<none>:<none>"


class ImageAttrs(TypedDict):
    """``Image.attrs``: the same keys whether the image came from ``list()`` or
    ``get()``. After ``get()`` or ``reload()`` the inspect-only keys are present too.

    Podman 4's list answer carries no architecture or OS: ``Architecture`` and ``Os``
    are ``""`` there until ``reload()``."""

    Id: str
    RepoTags: list[str]
    RepoDigests: list[str]
    Digest: str
    Labels: dict[str, str]
    Created: int  # Unix seconds
    Size: int
    VirtualSize: int
    Architecture: str
    Os: str
    # From inspect (get/reload) only:
    Config: NotRequired[dict[str, object]]
    Annotations: NotRequired[dict[str, str]]
    Author: NotRequired[str]
    Comment: NotRequired[str]
    User: NotRequired[str]
    Parent: NotRequired[str]
    NamesHistory: NotRequired[list[str]]
    RootFS: NotRequired[dict[str, object]]
    History: NotRequired[list[dict[str, object]]]
    # From list only:
    Containers: NotRequired[int]
    Dangling: NotRequired[bool]


class HistoryEntry(TypedDict):
    """One layer of ``Image.history()``, newest first."""

    Id: str
    Created: int  # Unix seconds
    CreatedBy: str
    Tags: list[str]
    Size: int
    Comment: str


class RemoveReportEntry(TypedDict, total=False):
    """One entry of ``remove()``'s report (podman-py's shape): exactly one key each."""

    Deleted: str
    Untagged: str
    Errors: str
    ExitCode: int


def _str_list(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(key): str(item) for key, item in value.items()}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def created_seconds(value: object) -> int:
    """Created as Unix seconds, from list's integer or inspect's RFC 3339 string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value:
        # Go writes nanoseconds; Python's parser takes at most microseconds.
        text = value.replace("Z", "+00:00")
        head, dot, rest = text.partition(".")
        if dot:
            # Only the leading digits are the fraction: "5+01:00" is ".5" then a zone.
            zone_at = next((i for i, ch in enumerate(rest) if not ch.isdigit()), len(rest))
            digits, zone = rest[:zone_at], rest[zone_at:]
            text = f"{head}.{digits[:6]}{zone}"
        try:
            return int(datetime.datetime.fromisoformat(text).timestamp())
        except ValueError:
            return 0
    return 0


def image_attrs(raw: Mapping[str, object]) -> ImageAttrs:
    """Normalise a list entry or an inspect answer into `ImageAttrs`."""
    attrs: dict[str, object] = dict(raw)
    attrs["Id"] = _str(raw.get("Id"))
    attrs["RepoTags"] = [tag for tag in _str_list(raw.get("RepoTags")) if tag != NONE_TAG]
    attrs["RepoDigests"] = _str_list(raw.get("RepoDigests"))
    attrs["Digest"] = _str(raw.get("Digest"))
    labels = raw.get("Labels")
    config = raw.get("Config")
    if not labels and isinstance(config, Mapping):
        # The Docker-compatible inspect (reload(compatible=True)) has them only here.
        labels = config.get("Labels")
    attrs["Labels"] = _str_map(labels)
    attrs["Created"] = created_seconds(raw.get("Created"))
    attrs["Size"] = _int(raw.get("Size"))
    attrs["VirtualSize"] = _int(raw.get("VirtualSize", raw.get("Size")))
    attrs["Architecture"] = _str(raw.get("Architecture", raw.get("Arch")))
    attrs["Os"] = _str(raw.get("Os"))
    for key in ("Arch", "SharedSize", "ParentId", "Names", "ReadOnly", "IsManifestList"):
        attrs.pop(key, None)  # list-only spellings of what the keys above already hold
    if "Annotations" in raw:
        attrs["Annotations"] = _str_map(raw.get("Annotations"))
    history = raw.get("History")
    if isinstance(history, list) and history and all(isinstance(item, str) for item in history):
        # list() sends the names history as "History" (a list of names); inspect calls
        # it NamesHistory and uses History for the layers: one name, one meaning.
        attrs.pop("History")
        attrs.setdefault("NamesHistory", history)
    if "NamesHistory" in attrs:
        attrs["NamesHistory"] = _str_list(attrs.get("NamesHistory"))
    result: ImageAttrs = attrs  # type: ignore[assignment]
    return result


def checked_attrs(raw: Mapping[str, object], endpoint: str) -> ImageAttrs:
    """`image_attrs` for an answer that must describe an image: one without a string
    ``Id`` is a spec gap and raises `APIError` (an Image with an empty id would send
    requests to ``/images//...``)."""
    image_id = raw.get("Id")
    if not isinstance(image_id, str) or not image_id:
        raise APIError(f"the image data from {endpoint} has no Id: {dict(raw)!r:.200}")
    return image_attrs(raw)


def history_entry(raw: Mapping[str, object]) -> HistoryEntry:
    return {
        "Id": _str(raw.get("id", raw.get("Id"))),
        "Created": created_seconds(raw.get("created", raw.get("Created"))),
        "CreatedBy": _str(raw.get("createdBy", raw.get("CreatedBy"))),
        "Tags": _str_list(raw.get("tags", raw.get("Tags"))),
        "Size": _int(raw.get("size", raw.get("Size"))),
        "Comment": _str(raw.get("comment", raw.get("Comment"))),
    }


def remove_report(
    deleted: list[str], untagged: list[str], errors: list[str], exit_code: int | None
) -> list[RemoveReportEntry]:
    """libpod's ``{Deleted, Untagged, Errors, ExitCode}`` as podman-py's list of
    one-key entries (untagged first, as the server acts)."""
    report: list[RemoveReportEntry] = [{"Untagged": tag} for tag in untagged]
    report += [{"Deleted": image} for image in deleted]
    report += [{"Errors": error} for error in errors]
    if exit_code is not None:
        report.append({"ExitCode": exit_code})
    return report


def prune_report(entries: list[dict[str, object]]) -> PruneReport:
    """podman-py's prune report from libpod's entries; raises `PruneError`, carrying
    what was deleted, when any entry reports a failure."""
    report: PruneReport = {"ImagesDeleted": [], "SpaceReclaimed": 0}
    errors: dict[str, str] = {}
    for entry in entries:
        image_id = str(entry.get("Id", ""))
        if entry.get("Err"):
            errors[image_id] = str(entry["Err"])
            continue
        report["ImagesDeleted"].append({"Deleted": image_id})
        size = entry.get("Size") or 0
        report["SpaceReclaimed"] += size if isinstance(size, int) else 0
    if errors:
        detail = "; ".join(f"{short_id(image_id)}: {reason}" for image_id, reason in errors.items())
        raise PruneError(f"prune could not remove {len(errors)} image(s): {detail}", report, errors)
    return report


class BuildPruneReport(TypedDict):
    """``images.prune_builds()``'s report, podman-py's shape."""

    CachesDeleted: list[str]
    SpaceReclaimed: int


class ScpReport(TypedDict):
    """``images.scp()``'s answer: the id of the image copied."""

    Id: str
