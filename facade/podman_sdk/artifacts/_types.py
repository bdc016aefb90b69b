"""The documented dicts of the artifacts domain: an artifact's ``attrs`` (libpod's list
entries and inspect answers: Podman's ``libartifact.Artifact``, with the digest inspect
adds)."""

from typing import NotRequired, TypedDict


class ArtifactAttrs(TypedDict):
    """An artifact as libpod describes it. ``Manifest`` is the OCI image manifest (its
    ``layers`` are the artifact's files, each titled by the
    ``org.opencontainers.image.title`` annotation); ``Digest`` comes with inspect
    (GET /libpod/artifacts/{name}/json), not with list entries."""

    Name: str
    Manifest: dict[str, object] | None
    Digest: NotRequired[str]
