"""The documented dicts of the manifests domain: a manifest list's ``attrs`` (libpod's
inspect answer, with podman-py's ``names``) and ``remove()``'s report."""

from typing import NotRequired, TypedDict

# The platform keys have dots ("os.version"): the functional form is the only one.
ManifestPlatform = TypedDict(
    "ManifestPlatform",
    {
        "architecture": str,
        "os": str,
        "os.version": NotRequired[str],
        "os.features": NotRequired[list[str]],
        "variant": NotRequired[str],
        "features": NotRequired[list[str]],
    },
)
ManifestPlatform.__doc__ = """The platform an entry of a manifest list runs on."""


class ManifestDescriptor(TypedDict):
    """One entry of a manifest list: an image manifest and its platform."""

    mediaType: str
    size: int
    digest: str
    platform: ManifestPlatform
    urls: NotRequired[list[str] | None]
    annotations: NotRequired[dict[str, str] | None]
    artifactType: NotRequired[str]


class ManifestAttrs(TypedDict):
    """A manifest list as libpod describes it (GET /libpod/manifests/{name}/json).
    ``manifests`` is a list also where the server writes ``null`` for an empty one
    (Podman 4), so an empty list reads the same on every release. ``names`` is the
    name the list was asked for, as podman-py adds it (a str, as podman-py's is)."""

    schemaVersion: int
    mediaType: str
    manifests: list[ManifestDescriptor]
    names: str
    annotations: NotRequired[dict[str, str] | None]
    artifactType: NotRequired[str]
    subject: NotRequired[dict[str, object] | None]


class ManifestRemoveReport(TypedDict):
    """``manifests.remove()``'s report as podman-py returns it: libpod's report, whose
    ``ExitCode`` podman-py replaces by the HTTP status (200). ``Deleted`` and
    ``Untagged`` are left out when empty (``omitempty``)."""

    Deleted: NotRequired[list[str]]
    Untagged: NotRequired[list[str]]
    Errors: list[str] | None
    ExitCode: int
