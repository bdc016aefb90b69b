"""The documented dicts of the quadlets domain: a quadlet's ``attrs`` (an entry of
GET /libpod/quadlets/json, Podman's ``entities.ListQuadlet``) and ``install()``'s report."""

from typing import TypedDict


class QuadletAttrs(TypedDict):
    """A quadlet as libpod lists it. Podman's Go struct has no ``omitempty``: every key
    is always written."""

    Name: str
    UnitName: str
    Path: str
    Status: str
    App: str


class QuadletInstallReport(TypedDict):
    """``quadlets.install()``'s answer: each file's source path -> where it was
    installed, and the files that failed (the server answers 400 for those, so a
    returned report's ``QuadletErrors`` is empty)."""

    InstalledQuadlets: dict[str, str]
    QuadletErrors: dict[str, object]
