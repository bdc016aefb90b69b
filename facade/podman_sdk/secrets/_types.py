"""The documented dicts of the secrets domain: a secret's ``attrs`` (libpod's inspect
and list entries, one shape; the secret's data itself only on request)."""

from typing import NotRequired, TypedDict


class SecretDriverAttrs(TypedDict):
    """The driver that stores a secret (``file`` unless chosen) and its options."""

    Name: str
    Options: dict[str, str] | None


class SecretSpecAttrs(TypedDict):
    """A secret's name, driver and labels (Podman 4.3's list answers ``null`` labels
    even for a labelled secret; its inspect has them)."""

    Name: str
    Driver: SecretDriverAttrs
    Labels: dict[str, str] | None


class SecretAttrs(TypedDict):
    """A secret as libpod describes it (GET /libpod/secrets/{name}/json)."""

    ID: str
    CreatedAt: str
    UpdatedAt: str
    Spec: SecretSpecAttrs
    SecretData: NotRequired[str]
