"""ArtifactsManager and Artifact (both clients) against the real services: on Podman 6
every verb works (push and pull through the local registry fixture); Podman 4.3.1 and
5.4.2 have no artifact routes, and every verb raises `UnsupportedServer` naming the
release that added them, with no request sent (an event hook counts them)."""

from __future__ import annotations

import io
import tarfile
import uuid
from pathlib import Path

import pytest
from podman_sdk import NotFound, PodmanClient, UnsupportedServer

from tests.harness import PodmanService, Registry
from tests.harness.both_clients import client_for

WITHOUT_ARTIFACTS = {"podman4", "podman5"}  # 4.3.1 and 5.4.2: the routes came in 5.x later


def test_artifacts_on_a_service_without_them_are_refused_before_sending(
    podman_service: PodmanService, flavour: str
) -> None:
    if podman_service.name not in WITHOUT_ARTIFACTS:
        pytest.skip(f"{podman_service.name} has the artifact routes")
    sent: list[str] = []
    hooks = {"request": [lambda request: sent.append(request.url.path)]}
    with client_for(flavour, podman_service.url, event_hooks=hooks) as client:
        client.version()  # negotiated: only the requests after it count
        sent.clear()
        for verb in (
            client.artifacts.list,
            lambda: client.artifacts.add("localhost/sdk/a:1", b"x", file_name="x.txt"),
            lambda: client.artifacts.extract("localhost/sdk/a:1"),
        ):
            with pytest.raises(UnsupportedServer, match=r"added by Podman 5\.8\.2, not in 5\.4\.2"):
                verb()
    assert sent == []


def members(archive: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return {
            member.name: tar.extractfile(member).read()  # type: ignore[union-attr]
            for member in tar.getmembers()
            if member.isfile()
        }


def test_add_list_extract_push_pull_remove(
    podman_service: PodmanService, registry: Registry, flavour: str, tmp_path: Path
) -> None:
    if podman_service.name in WITHOUT_ARTIFACTS:
        pytest.skip(f"{podman_service.name} has no artifact routes")
    name = f"{registry.host}/sdk/artifact-{uuid.uuid4().hex[:8]}:v1"
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"hello artifact\n")
    client: PodmanClient
    with client_for(flavour, podman_service.url) as client:
        try:
            first = client.artifacts.add(name, path=notes, annotations={"sdk.test": "yes"})
            second = client.artifacts.add(name, b"more\n", file_name="more.txt", append=True)
            assert first.startswith("sha256:")
            assert second.startswith("sha256:")
            assert first != second  # a new manifest
            assert client.artifacts.exists(name) is True
            listed = [a for a in client.artifacts.list() if a.name == name]
            assert len(listed) == 1
            got = client.artifacts.get(name)
            assert got.digest == second
            assert got.model.digest == second
            manifest = got.manifest
            assert manifest is not None
            layers = manifest["layers"]
            assert isinstance(layers, list)
            titles = [layer["annotations"]["org.opencontainers.image.title"] for layer in layers]
            assert titles == ["notes.txt", "more.txt"]
            assert members(client.artifacts.extract(name)) == {
                "notes.txt": b"hello artifact\n",
                "more.txt": b"more\n",
            }
            assert set(members(got.extract(title="more.txt"))) <= {"more.txt", "more"}

            pushed = client.artifacts.push(name, tls_verify=False)
            assert pushed.startswith("sha256:")
            assert client.artifacts.remove(name) != []
            assert client.artifacts.exists(name) is False
            with pytest.raises(NotFound):
                client.artifacts.get(name)
            pulled = client.artifacts.pull(name, tls_verify=False)
            assert pulled.name == name
            assert members(pulled.extract())["notes.txt"] == b"hello artifact\n"
            assert pulled.remove() != []
        finally:
            client.artifacts.remove(name, ignore=True)
