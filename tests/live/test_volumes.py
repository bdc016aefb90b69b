"""VolumesManager and Volume (and their async twins, through the `client` fixture's
flavours) against the real services of every selected major."""

from __future__ import annotations

import io
import tarfile
import typing
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import (
    InvalidArgument,
    NotFound,
    PodmanClient,
    UnsupportedServer,
    VolumeAttrs,
)

from tests.harness import PodmanService

REQUIRED = VolumeAttrs.__required_keys__
ATTR_TYPES = typing.get_type_hints(VolumeAttrs)


@pytest.fixture
def volume_name(client: PodmanClient) -> Iterator[str]:
    """A fresh name; the volume, if a test made it, is removed afterwards."""
    name = f"sdk-vol-{uuid.uuid4().hex[:10]}"
    yield name
    if client.volumes.exists(name):
        client.volumes.remove(name, force=True)


def one_file_tar(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_create_get_list_remove(client: PodmanClient, volume_name: str) -> None:
    created = client.volumes.create(
        volume_name, labels={"sdk.test": "yes"}, driver_opts={"o": "nodev"}, driver="local"
    )
    assert created.name == created.id == volume_name
    # The labels are read on every major (Podman 4.3.1 as well as 5 and 6).
    assert created.attrs["Labels"] == {"sdk.test": "yes"}
    assert created.model.name == volume_name
    assert created.model.driver == "local"

    got = client.volumes.get(volume_name)
    assert got == created
    assert set(got.attrs) >= REQUIRED
    assert isinstance(got.attrs["MountCount"], int)
    assert client.volumes.exists(volume_name) is True

    listed = client.volumes.list(filters={"label": {"sdk.test": "yes"}})
    assert volume_name in [volume.name for volume in listed]
    mine = next(volume for volume in listed if volume.name == volume_name)
    # A listed volume's model is made from its list entry, field by field.
    assert mine.model.mountpoint == got.attrs["Mountpoint"]
    assert client.volumes.list(filters={"name": "sdk-vol-none-such"}) == []

    got.reload()
    assert got.inspect()["Name"] == volume_name
    got.remove()
    assert client.volumes.exists(volume_name) is False
    with pytest.raises(NotFound):
        client.volumes.get(volume_name)
    with pytest.raises(NotFound):
        client.volumes.remove(volume_name)
    with pytest.raises(NotFound):
        got.reload()


def test_remove_by_object_and_prune(client: PodmanClient, volume_name: str) -> None:
    volume = client.volumes.create(volume_name, labels={"sdk.prune": volume_name})
    report = client.volumes.prune(filters={"label": {"sdk.prune": volume_name}})
    assert report["VolumesDeleted"] == [volume_name]
    assert report["SpaceReclaimed"] >= 0
    assert client.volumes.exists(volume_name) is False
    again = client.volumes.create(volume_name)
    client.volumes.remove(again)
    assert not client.volumes.exists(volume.name)


def archives_or_refusal(client: PodmanClient, podman_service: PodmanService) -> bool:
    """Whether the server has volume export/import; on Podman 4.3 and 5.4 (whose API
    has neither: measured, both answer a bare 404) both verbs raise `UnsupportedServer`
    before sending anything."""
    major, minor = (int(part) for part in podman_service.version.split(".")[:2])
    if (major, minor) > (5, 4):
        return True
    with pytest.raises(UnsupportedServer, match=r"VolumeExportLibpod\): added by Podman 5\.8\.2"):
        client.volumes.export_archive("any")
    with pytest.raises(UnsupportedServer, match=r"VolumeImportLibpod\): added by Podman 5\.8\.2"):
        client.volumes.import_archive("any", data=b"")
    return False


def test_export_import_round_trip(
    client: PodmanClient, podman_service: PodmanService, volume_name: str
) -> None:
    volume = client.volumes.create(volume_name)
    if not archives_or_refusal(client, podman_service):
        return
    client.volumes.import_archive(volume, data=one_file_tar("hello.txt", b"hello volume"))
    exported = client.volumes.export_archive(volume_name)
    with tarfile.open(fileobj=io.BytesIO(exported)) as archive:
        member = archive.extractfile("hello.txt")
        assert member is not None
        assert member.read() == b"hello volume"


def test_import_from_path(
    client: PodmanClient, podman_service: PodmanService, volume_name: str, tmp_path: Path
) -> None:
    client.volumes.create(volume_name)
    if not archives_or_refusal(client, podman_service):
        return
    archive_path = tmp_path / "in.tar"
    archive_path.write_bytes(one_file_tar("from-path.txt", b"by path"))
    client.volumes.import_archive(volume_name, path=str(archive_path))
    exported = client.volumes.export_archive(volume_name)
    with tarfile.open(fileobj=io.BytesIO(exported)) as archive:
        assert "from-path.txt" in archive.getnames()


def test_bad_input_is_refused_before_a_request(client: PodmanClient) -> None:
    with pytest.raises(InvalidArgument, match="labels"):
        client.volumes.create("x", labels={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument, match="exactly one"):
        client.volumes.import_archive("x")
    with pytest.raises(InvalidArgument, match="does not exist"):
        client.volumes.import_archive("x", path="/nonexistent/archive.tar")
    with pytest.raises(InvalidArgument):
        client.volumes.get("")


def test_attrs_types_match_the_answer(client: PodmanClient, volume_name: str) -> None:
    attrs = client.volumes.create(volume_name).attrs
    for key in REQUIRED:
        assert key in attrs, key
    assert isinstance(attrs["Name"], str)
    assert attrs["Labels"] is None or isinstance(attrs["Labels"], dict)
    assert set(attrs) <= set(ATTR_TYPES), set(attrs) - set(ATTR_TYPES)
