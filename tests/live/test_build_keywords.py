"""podman-py's build keywords against the real services of every selected major (both
clients, through the `client` fixture's flavours): a tar context (``custom_context``),
``manifest``, ``secrets``, and the log as podman-py gives it."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import PodmanClient

from tests.harness import PodmanService, busybox_image


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "build-keywords") as tag:
        yield tag


def tar_of(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return buffer


def files_in_image(client: PodmanClient, image_id: str) -> dict[str, bytes]:
    """Every regular file of the image's layers (a later layer's file wins)."""
    archive = io.BytesIO(b"".join(client.images.get(image_id).save()))
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=archive) as outer:
        manifest = json.loads(outer.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for layer in manifest[0]["Layers"]:
            member = outer.extractfile(layer)
            assert member is not None
            with tarfile.open(fileobj=io.BytesIO(member.read())) as inner:
                for item in inner.getmembers():
                    if item.isfile():
                        data = inner.extractfile(item)
                        assert data is not None
                        found[item.name.removeprefix("./")] = data.read()
    return found


def test_a_custom_context_is_built_as_sent(client: PodmanClient) -> None:
    context = tar_of(
        {
            "MyContainerfile": b"FROM scratch\nCOPY example.txt /example.txt\n",
            "example.txt": b"from the tar\n",
        }
    )
    tag = f"localhost/sdk/custom-context-{uuid.uuid4().hex[:8]}:v1"
    image, log = client.images.build(
        fileobj=context, custom_context=True, dockerfile="MyContainerfile", tag=tag
    )
    try:
        lines = [json.loads(line) for line in log]
        assert any("COPY example.txt" in line.get("stream", "") for line in lines)
        assert files_in_image(client, image.id)["example.txt"] == b"from the tar\n"
    finally:
        client.images.remove(image.id, force=True)


def test_manifest_adds_the_built_image_to_a_list(client: PodmanClient, busybox: str) -> None:
    name = f"localhost/sdk/built-list-{uuid.uuid4().hex[:8]}:v1"
    assert client.manifests.exists(name) is False
    # FROM an image: Podman 4.3.1 answers 500 (a nil pointer) to an OCI build FROM
    # scratch into a manifest list, podman-py's default format as well as ours.
    image, _ = client.images.build(fileobj=f"FROM {busybox}\nLABEL sdk=manifest\n", manifest=name)
    try:
        assert client.manifests.exists(name) is True
        listing = client.manifests.get(name)
        assert len(listing.attrs["manifests"]) == 1
        assert listing.attrs["manifests"][0]["digest"] == image.attrs["Digest"]
    finally:
        client.manifests.remove(name)
        client.images.remove(image.id, force=True)


def test_a_secret_is_mounted_and_not_kept(
    client: PodmanClient, busybox: str, tmp_path: Path
) -> None:
    (tmp_path / "Containerfile").write_text(
        f"FROM {busybox}\n"
        # Exec form and chroot isolation: the image has no /bin/sh, and a RUN in a
        # container cannot start on a host whose limits are below the default ulimits.
        'RUN --mount=type=secret,id=example ["/bin/busybox", "cp", "/run/secrets/example", '
        '"/output.txt"]\n'
    )
    (tmp_path / "build-secret.txt").write_text("secret123")
    image, _ = client.images.build(
        path=tmp_path, secrets=["id=example,src=build-secret.txt"], isolation="chroot"
    )
    try:
        files = files_in_image(client, image.id)
        assert files["output.txt"] == b"secret123"
        assert "build-secret.txt" not in files
        assert not any(name.startswith("run/secrets/") for name in files)
    finally:
        client.images.remove(image.id, force=True)
