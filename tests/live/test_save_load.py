"""Image.save / save_to and ImagesManager.load against real services."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import tarfile
import warnings
from pathlib import Path

import pytest
from podman_sdk import APIError, Image, ImageNotFound, PodmanClient

from tests.harness import ImageFactory, PodmanService, image_exists

SIZE = 300_000  # several HTTP chunks (podman sends 32 KiB each)


@pytest.fixture
def image(
    podman_service: PodmanService, image_factory: ImageFactory, client: PodmanClient
) -> Image:
    image_factory(podman_service, "localhost/sdk-save-load:one", size_bytes=SIZE)
    return client.images.get("localhost/sdk-save-load:one")


def manifest_of(archive: bytes) -> list[dict[str, object]]:
    """manifest.json of a docker-archive (an OCI archive has index.json instead)."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        names = tar.getnames()
        assert "manifest.json" in names, names
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest: list[dict[str, object]] = json.loads(member.read())
    return manifest


def forget(client: PodmanClient, image: Image) -> None:
    client.images.remove(image.id, force=True)
    assert not client.images.exists(image.id)


def test_save_by_id_is_a_docker_archive_without_names(image: Image) -> None:
    chunks = list(image.save(chunk_size=50_000))
    assert all(0 < len(chunk) <= 50_000 for chunk in chunks)
    assert len(chunks) > 1
    (entry,) = manifest_of(b"".join(chunks))
    assert not entry.get("RepoTags")
    assert str(entry["Config"]).removesuffix(".json").endswith(image.id[-12:])


def test_save_named_true_records_the_first_tag(image: Image) -> None:
    (entry,) = manifest_of(b"".join(image.save(named=True)))
    assert entry["RepoTags"] == ["localhost/sdk-save-load:one"]


def test_save_named_with_a_tag_records_that_tag(image: Image, client: PodmanClient) -> None:
    assert image.tag("localhost/sdk-save-load", "two")
    image.reload()
    (entry,) = manifest_of(b"".join(image.save(named="localhost/sdk-save-load:two")))
    assert entry["RepoTags"] == ["localhost/sdk-save-load:two"]


def test_leaving_a_save_early_releases_the_connection(image: Image, client: PodmanClient) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            with image.save(chunk_size=4096) as stream:
                assert 0 < len(next(stream)) <= 4096  # pieces are cut, never joined
        abandoned = image.save(chunk_size=4096)
        next(abandoned)
        abandoned.close()
        assert client.images.get(image.id).id == image.id  # the client still works
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_save_to_then_load_gives_the_same_image(
    image: Image, client: PodmanClient, tmp_path: Path
) -> None:
    target = tmp_path / "image.tar"
    saved = image.save_to(target, named=True)
    data = target.read_bytes()
    assert saved.path == target
    assert saved.size == len(data)
    assert saved.sha256 == hashlib.sha256(data).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image.tar"]
    forget(client, image)
    loaded = client.images.load(file_path=target)
    assert [item.id for item in loaded] == [image.id]
    assert loaded[0].tags == ["localhost/sdk-save-load:one"]


@pytest.mark.parametrize("kind", ["bytes", "path", "file", "iterable"])
def test_load_from_each_kind_of_source(
    kind: str, image: Image, client: PodmanClient, tmp_path: Path
) -> None:
    archive = b"".join(image.save(named=True))
    path = tmp_path / "image.tar"
    path.write_bytes(archive)
    forget(client, image)
    if kind == "bytes":
        loaded = client.images.load(archive)
    elif kind == "path":
        loaded = client.images.load(file_path=str(path))
    elif kind == "file":
        with path.open("rb") as file:
            loaded = client.images.load(file)
    else:
        pieces = (archive[i : i + 10_000] for i in range(0, len(archive), 10_000))
        loaded = client.images.load(pieces)
    assert [item.id for item in loaded] == [image.id]


def test_an_archive_saved_by_id_loads_back_untagged(
    image: Image, client: PodmanClient, podman_service: PodmanService
) -> None:
    archive = b"".join(image.save())
    forget(client, image)
    (loaded,) = client.images.load(archive)
    assert loaded.id == image.id
    assert loaded.tags == []
    assert not image_exists(podman_service, "localhost/sdk-save-load:one")


def test_load_of_garbage_raises_api_error_with_the_server_message(client: PodmanClient) -> None:
    with pytest.raises(APIError) as info:
        client.images.load(b"this is not an image archive\n" * 1000)
    assert info.value.status_code is not None
    assert info.value.status_code >= 400
    assert "payload does not match any of the supported image formats" in str(info.value)


def test_save_of_a_removed_image_raises_image_not_found(
    image: Image, client: PodmanClient, tmp_path: Path
) -> None:
    forget(client, image)
    with pytest.raises(ImageNotFound):
        next(image.save())
    with pytest.raises(ImageNotFound):
        image.save_to(tmp_path / "image.tar")
    assert list(tmp_path.iterdir()) == []
