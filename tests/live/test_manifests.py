"""ManifestsManager and Manifest (and their async twins, through the `client` fixture's
flavours) against the real services of every selected major and the local registry:
lists made of an image the registry serves, pushed back to it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import (
    APIError,
    ImageNotFound,
    ManifestAttrs,
    PodmanClient,
    PushError,
    UnsupportedServer,
)

from tests.harness import ImageFactory, PodmanService, Registry, push_image
from tests.harness.docs import blocks
from tests.live.test_readme_api import run_program, type_check, with_settings

REQUIRED = ManifestAttrs.__required_keys__
IMAGE_TYPES = ", ".join(
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
LIST_TYPES = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ]
)


def registry_manifest(registry: Registry, name: str, tag: str, accept: str) -> tuple[str, dict]:
    """The registry's own digest and body of ``name:tag``."""
    with registry.client() as http:
        response = http.get(f"/v2/{name}/manifests/{tag}", headers={"Accept": accept})
    response.raise_for_status()
    return response.headers["Docker-Content-Digest"], json.loads(response.content)


@pytest.fixture
def served(
    podman_service: PodmanService, registry: Registry, image_factory: ImageFactory
) -> tuple[str, str]:
    """An image the plain registry serves: (reference, the registry's digest of it)."""
    name = f"sdk/manifest-src-{podman_service.name}-{time.monotonic_ns()}"
    local = f"localhost/{name}:v1"
    image_factory(podman_service, local)
    push_image(podman_service, local, f"{registry.host}/{name}:v1")
    digest, _ = registry_manifest(registry, name, "v1", IMAGE_TYPES)
    return f"{registry.host}/{name}:v1", digest


@pytest.fixture
def list_name(client: PodmanClient) -> Iterator[str]:
    """A fresh list name; the list, if a test made it, is removed afterwards."""
    name = f"localhost/sdk/list-{uuid.uuid4().hex[:10]}:v1"
    yield name
    if client.manifests.exists(name):
        client.manifests.remove(name)


def test_create_exists_get_remove(
    client: PodmanClient, list_name: str, served: tuple[str, str]
) -> None:
    reference, digest = served
    assert client.manifests.exists(list_name) is False
    created = client.manifests.create(list_name, [reference])
    assert created.name == created.names == list_name
    assert set(created.attrs) >= REQUIRED
    [entry] = created.attrs["manifests"]
    # The entry is the registry's own manifest: the same digest.
    assert entry["digest"] == digest
    assert created.id == digest.removeprefix("sha256:")
    assert created.version == 2 == created.model.schema_version
    assert created.media_type == created.model.media_type
    assert entry["platform"]["os"] == "linux"
    assert client.manifests.exists(list_name) is True

    got = client.manifests.get(list_name)
    assert got == created
    assert got.attrs["manifests"] == created.attrs["manifests"]

    created.remove(f"{reference.rsplit(':', 1)[0]}@{digest}")
    assert created.attrs["manifests"] == []
    assert created.id == list_name  # an empty list is known by its name (podman-py)
    created.add([reference], annotation={"sdk.test": "yes"})
    assert [e["digest"] for e in created.attrs["manifests"]] == [digest]

    report = client.manifests.remove(list_name)
    assert report["ExitCode"] == 200
    assert not report["Errors"]
    assert client.manifests.exists(list_name) is False
    with pytest.raises(ImageNotFound):
        client.manifests.remove(list_name)
    with pytest.raises(APIError):
        client.manifests.get(list_name)


def test_an_empty_list_and_a_refused_name(client: PodmanClient, list_name: str) -> None:
    created = client.manifests.create(list_name)
    assert created.attrs["manifests"] == []
    assert created.id == list_name
    with pytest.raises(APIError) as refused:
        client.manifests.create("123456!@#$%^")
    assert refused.value.status_code == 400


def test_a_missing_image_raises(client: PodmanClient, list_name: str) -> None:
    created = client.manifests.create(list_name)
    with pytest.raises(APIError):
        created.add(["containers-storage:localhost/sdk/no-such-image:v1"])
    created.reload()
    assert created.attrs["manifests"] == []


def test_push_sends_the_list_to_the_registry(
    client: PodmanClient, list_name: str, served: tuple[str, str], registry: Registry
) -> None:
    reference, digest = served
    created = client.manifests.create(list_name, [reference])
    target = f"sdk/pushed-list-{uuid.uuid4().hex[:10]}"
    created.push(f"{registry.host}/{target}:v1", all=True)
    _, index = registry_manifest(registry, target, "v1", LIST_TYPES)
    assert [entry["digest"] for entry in index["manifests"]] == [digest]


def test_a_failed_push_raises(client: PodmanClient, list_name: str) -> None:
    created = client.manifests.create(list_name)
    # Nothing listens on port 1: the server reports the failure (in the stream or as
    # a status, by release), and either way it raises.
    with pytest.raises(PushError):
        created.push("127.0.0.1:1/sdk/nowhere:v1", tls_verify=False)


def test_list_finds_the_lists(
    client: PodmanClient, list_name: str, podman_service: PodmanService
) -> None:
    client.manifests.create(list_name)
    if podman_service.name == "podman4":
        with pytest.raises(UnsupportedServer, match="Podman 5"):
            client.manifests.list()
        return
    found = {manifest.name for manifest in client.manifests.list()}
    assert list_name in found


def recipe() -> str:
    [code] = [block.code for block in blocks("images.md", "python")]
    return code


def test_the_recipe_type_checks_strictly(tmp_path: Path) -> None:
    type_check(recipe(), tmp_path / "manifests_recipe.py")


def test_the_recipe_runs(
    podman_service: PodmanService, served: tuple[str, str], registry: Registry, tmp_path: Path
) -> None:
    reference, _ = served
    target = f"{registry.host}/sdk/recipe-{uuid.uuid4().hex[:10]}:v1"
    code = with_settings(recipe(), URL=podman_service.url, IMAGE=reference, TARGET=target)
    lines = run_program(code, tmp_path).stdout.splitlines()
    assert lines[0].startswith("entry: linux ")
    assert lines[-1] == "pushed: True"
