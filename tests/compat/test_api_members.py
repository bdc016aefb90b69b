"""podman-py 5.8.0's public members of the container classes, as its api-5.8.0.txt
lists them (beside its source tarball), all exist on both clients' classes: a podman-py
user's ``container.<member>`` finds a podman_sdk member of the same name."""

from __future__ import annotations

import pytest
from podman_sdk import AsyncContainer, AsyncContainersManager, Container, ContainersManager

from tests.compat.podman_py_suite import TARBALL

API_LIST = TARBALL.parent / "api-5.8.0.txt"
#: podman-py's class name and our classes that answer for it.
OURS: dict[str, tuple[type, type]] = {
    "Container": (Container, AsyncContainer),
    "ContainersManager": (ContainersManager, AsyncContainersManager),
}
#: Members set on each instance rather than on the class.
INSTANCE_ATTRIBUTES = {"attrs"}


def listed_members(cls: str) -> list[str]:
    """``cls``'s members in api-5.8.0.txt (one ``Class member`` a line, ``#`` comments)."""
    members = []
    for line in API_LIST.read_text().splitlines():
        fields = line.split()
        if len(fields) == 2 and not line.startswith("#") and fields[0] == cls:
            members.append(fields[1])
    return members


def test_the_list_names_the_container_classes_members() -> None:
    assert len(listed_members("ContainersManager")) == 7
    assert len(listed_members("Container")) == 33


@pytest.mark.parametrize(
    ("cls", "member"),
    [(cls, member) for cls in OURS for member in listed_members(cls)],
)
def test_every_listed_member_exists(cls: str, member: str) -> None:
    for ours in OURS[cls]:
        if member in INSTANCE_ATTRIBUTES:
            assert member in ours.__annotations__ or any(
                member in getattr(base, "__annotations__", {}) for base in ours.__mro__
            ), f"{ours.__name__}.{member}"
        else:
            assert hasattr(ours, member), f"{ours.__name__} lacks {member}"
