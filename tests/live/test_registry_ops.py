"""pull, push, search, build and get_registry_data against real services and local
registries: plain HTTP, htpasswd auth (with a password full of base64's special
characters and non-ASCII), and a self-signed TLS certificate. Each test runs for
PodmanClient and AsyncPodmanClient (tests/harness/both_clients.py)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from podman_sdk import (
    BuildError,
    NotFound,
    PullError,
    PullProgress,
    PushError,
    ServerError,
)
from podman_sdk.images._registry_data import AsyncRegistryData, RegistryData

from tests.harness import (
    LIBPOD,
    ImageFactory,
    PodmanService,
    Registry,
    image_exists,
    push_image,
    uds_client,
)
from tests.harness import remove_image as harness_remove
from tests.harness.both_clients import client_for, sdk_object
from tests.harness.mounts import record_pid, remove_tree
from tests.harness.registry import free_port, make_htpasswd

MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
# Standard base64 of credentials like these contains "+" and "/"; the header must not.
HARD_USER = "sdk-üser"
HARD_PASSWORD = "p+a/s=s?~~>>>é€𝄞+/=="


def registry_digest(registry: Registry, name: str, tag: str) -> str:
    with registry.client() as client:
        response = client.get(f"/v2/{name}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES})
    response.raise_for_status()
    return response.headers["Docker-Content-Digest"]


@pytest.fixture
def remote(
    podman_service: PodmanService, registry: Registry, image_factory: ImageFactory
) -> Iterator[tuple[str, str]]:
    """An image in the plain registry, absent from the service's store: (ref, id)."""
    name = f"sdk/pull-{podman_service.name}-{time.monotonic_ns()}"
    local = f"localhost/{name}:v1"
    image_id = image_factory(podman_service, local)
    reference = f"{registry.host}/{name}:v1"
    push_image(podman_service, local, reference)
    harness_remove(podman_service, image_id)
    yield reference, image_id
    harness_remove(podman_service, image_id)


@pytest.fixture(scope="session")
def hard_auth_registry(harness_dir: Path) -> Iterator[Registry]:
    """A registry with basic auth whose password needs URL-safe base64 and UTF-8."""
    directory = harness_dir / "hard_auth_registry"
    (directory / "data").mkdir(parents=True)
    make_htpasswd(directory / "htpasswd", HARD_USER, HARD_PASSWORD)
    port = free_port()
    config = directory / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {directory / 'data'}\n"
        f"auth:\n  htpasswd:\n    realm: sdk\n    path: {directory / 'htpasswd'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: sdk-test\n"
    )
    with (directory / "registry.log").open("wb") as log:
        process = subprocess.Popen(
            ["docker-registry", "serve", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    record_pid(directory / "registry.pid", process.pid, str(config))
    registry = Registry(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", HARD_USER,
                        HARD_PASSWORD, None)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with registry.client(auth=False, timeout=2) as client:
                    if client.get("/v2/").status_code == 401:
                        break
            except httpx.TransportError:
                time.sleep(0.1)
        yield registry
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        remove_tree(directory)


# -- pull ------------------------------------------------------------------------------


def test_pull_returns_the_reported_image_with_typed_progress(
    podman_service: PodmanService,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    reference, image_id = remote
    events: list[PullProgress] = []
    with client_for(flavour, podman_service.url) as client:
        image = client.images.pull(reference, tls_verify=False, progress=events.append)
    assert image.id.removeprefix("sha256:") == image_id
    assert reference in image.tags
    assert any("Copying blob" in event.get("stream", "") for event in events)
    assert events[-1]["id"].removeprefix("sha256:") == image_id


def test_pull_by_tag_argument_and_by_digest(
    podman_service: PodmanService,
    registry: Registry,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    reference, image_id = remote
    repository = reference.rsplit(":", 1)[0]
    digest = registry_digest(registry, repository.split("/", 1)[1], "v1")
    with client_for(flavour, podman_service.url) as client:
        assert client.images.pull(repository, "v1", tls_verify=False).id.endswith(image_id)
        by_digest = client.images.pull(f"{repository}@{digest}", tls_verify=False)
        assert by_digest.id.endswith(image_id)
        assert client.images.pull(repository, digest, tls_verify=False).id.endswith(image_id)


def test_pull_stream_yields_server_bytes_and_decoded_events(
    podman_service: PodmanService,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    reference, image_id = remote
    with client_for(flavour, podman_service.url) as client:
        with client.images.pull_stream(reference, tls_verify=False) as raw:
            lines = list(raw)
            assert raw.image_ids == [image_id]
        assert all(isinstance(line, bytes) and line.startswith(b"{") for line in lines)
        with client.images.pull_stream(reference, tls_verify=False, decode=True) as events:
            assert all(isinstance(event, dict) for event in events)


def test_decoded_pull_stream_has_each_layers_progress_where_the_service_offers_it(
    podman_service: PodmanService,
    registry: Registry,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    """Podman 6: asked for pullProgress, each blob of the manifest ends "success" with
    every byte counted, beside the usual lines. Podman 4 and 5: never asked, none sent."""
    reference, image_id = remote
    sent: list[httpx.Request] = []
    hooks = {"request": [sent.append]}
    with (
        client_for(flavour, podman_service.url, event_hooks=hooks) as client,
        client.images.pull_stream(reference, tls_verify=False, decode=True) as events,
    ):
        decoded = list(events)
        assert events.image_ids == [image_id]
    asked = [r.url.params.get("pullProgress") for r in sent if r.url.path.endswith("/pull")]
    layers = [event["pullProgress"] for event in decoded if "pullProgress" in event]
    assert any("Copying blob" in event.get("stream", "") for event in decoded)
    if int(podman_service.version.split(".")[0]) < 6:
        assert (asked, layers) == ([None], [])
        return
    assert asked == ["true"]
    name, tag = reference.split("/", 1)[1].rsplit(":", 1)
    with registry.client() as http:
        manifest = http.get(f"/v2/{name}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES})
    blobs = [manifest.json()["config"], *manifest.json()["layers"]]
    done = {layer["progressComponentID"]: layer for layer in layers if layer["status"] == "success"}
    assert set(done) == {blob["digest"] for blob in blobs}
    for blob in blobs:
        assert done[blob["digest"]]["current"] == done[blob["digest"]]["total"] == blob["size"]


def test_pull_all_tags(
    podman_service: PodmanService,
    registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/alltags-{podman_service.name}"
    ids = set()
    for tag in ("a", "b"):
        local = f"localhost/{name}:{tag}"
        ids.add(image_factory(podman_service, local))
        push_image(podman_service, local, f"{registry.host}/{name}:{tag}")
    with client_for(flavour, podman_service.url) as client:
        images = client.images.pull(f"{registry.host}/{name}", all_tags=True, tls_verify=False)
    assert {image.id.removeprefix("sha256:") for image in images} == ids


@pytest.mark.parametrize(
    ("what", "reference", "expected"),
    [
        ("missing tag", "{registry}/sdk/missing-repo-{name}:v1", "manifest unknown"),
        ("missing repository", "{registry}/sdk/never-{name}:latest", "manifest unknown"),
        ("unreachable registry", "127.0.0.1:1/sdk/x:v1", "connection refused"),
    ],
)
def test_failed_pull_raises_with_the_servers_message(
    podman_service: PodmanService,
    registry: Registry,
    *,
    remote: tuple[str, str],
    what: str,
    reference: str,
    expected: str,
    flavour: str,
) -> None:
    existing, _ = remote
    if what == "missing tag":
        reference = existing.rsplit(":", 1)[0] + ":nope"
    reference = reference.format(registry=registry.host, name=podman_service.name)
    with client_for(flavour, podman_service.url) as client, pytest.raises(PullError) as caught:
        client.images.pull(reference, tls_verify=False)
    assert expected in str(caught.value)
    assert caught.value.transcript


def test_tls_registry_fails_verification_and_works_without(
    podman_service: PodmanService,
    tls_registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/tls-{podman_service.name}"
    local = f"localhost/{name}:v1"
    image_id = image_factory(podman_service, local)
    remote = f"{tls_registry.host}/{name}:v1"
    with client_for(flavour, podman_service.url) as client:
        with pytest.raises(PushError, match="certificate"):
            client.images.push(local, destination=remote, tls_verify=True)
        client.images.push(local, destination=remote, tls_verify=False)
        harness_remove(podman_service, image_id)
        with pytest.raises(PullError, match="certificate"):
            client.images.pull(remote, tls_verify=True)
        assert client.images.pull(remote, tls_verify=False).id.endswith(image_id)
    harness_remove(podman_service, image_id)


# -- auth ------------------------------------------------------------------------------


def test_credentials_with_special_characters_push_and_pull(
    podman_service: PodmanService,
    hard_auth_registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/auth-{podman_service.name}"
    local = f"localhost/{name}:v1"
    image_id = image_factory(podman_service, local)
    remote = f"{hard_auth_registry.host}/{name}:v1"
    auth = {"username": HARD_USER, "password": HARD_PASSWORD}
    with client_for(flavour, podman_service.url) as client:
        with pytest.raises(PushError, match=r"unauthorized|authentication required"):
            client.images.push(
                local,
                destination=remote,
                tls_verify=False,
                auth_config={"username": HARD_USER, "password": "wrong"},
            )
        client.images.push(local, destination=remote, tls_verify=False, auth_config=auth)
        harness_remove(podman_service, image_id)
        with pytest.raises(PullError, match=r"unauthorized|authentication required"):
            client.images.pull(remote, tls_verify=False)
        pulled = client.images.pull(remote, tls_verify=False, auth_config=auth)
    assert pulled.id.endswith(image_id)
    harness_remove(podman_service, image_id)


# -- push ------------------------------------------------------------------------------


def test_push_reports_the_servers_progress_and_the_registry_digest(
    podman_service: PodmanService,
    registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/push-{podman_service.name}"
    local = f"localhost/{name}:v1"
    image_factory(podman_service, local)
    with client_for(flavour, podman_service.url) as client:
        result = client.images.push(local, destination=f"{registry.host}/{name}:v1",
                                    tls_verify=False)  # fmt: skip
    assert "Writing manifest" in result
    assert result.manifest_digest == registry_digest(registry, name, "v1")


def test_push_stream_yields_the_servers_lines(
    podman_service: PodmanService,
    registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/pushstream-{podman_service.name}"
    local = f"localhost/{name}:v1"
    image_factory(podman_service, local)
    with client_for(flavour, podman_service.url) as client:
        destination = f"{registry.host}/{name}:v1"
        with client.images.push(local, destination=destination, tls_verify=False,
                                stream=True, decode=True) as events:  # fmt: skip
            streamed = [event.get("stream", "") for event in events]
    assert any("Copying blob" in line for line in streamed)


@pytest.mark.parametrize(
    ("image", "destination", "expected"),
    [
        ("built", "127.0.0.1:1/sdk/x:v1", "connection refused"),
        ("localhost/sdk/not-there:v1", "{registry}/sdk/x:v1", "image not known"),
    ],
)
def test_failed_push_raises_with_the_servers_message(
    podman_service: PodmanService,
    registry: Registry,
    *,
    image_factory: ImageFactory,
    image: str,
    destination: str,
    expected: str,
    flavour: str,
) -> None:
    if image == "built":
        image = f"localhost/sdk/pushfail-{podman_service.name}:v1"
        image_factory(podman_service, image)
    with (
        client_for(flavour, podman_service.url) as client,
        pytest.raises(PushError, match=expected),
    ):
        client.images.push(image, destination=destination.format(registry=registry.host),
                           tls_verify=False)  # fmt: skip


# -- search and registry data ----------------------------------------------------------


def test_search_and_list_tags(
    podman_service: PodmanService,
    registry: Registry,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    reference, _ = remote
    repository = reference.rsplit(":", 1)[0]
    with client_for(flavour, podman_service.url) as client:
        # The repository's own name as the term: the shared registry holds more
        # repositories under /sdk than a search returns by default (25).
        found = client.images.search(repository, tls_verify=False)
        tags = client.images.search(repository, list_tags=True, tls_verify=False)
        one = client.images.search(f"{registry.host}/sdk", limit=1, tls_verify=False)
        with pytest.raises(ServerError, match="connection refused"):
            client.images.search("127.0.0.1:1/sdk", tls_verify=False)
    assert repository in {result["Name"] for result in found}
    assert [(result["Name"], result["Tag"]) for result in tags] == [(repository, "v1")]
    assert len(one) == 1


def insecure(podman_service: PodmanService) -> dict[str, bool]:
    """get_registry_data's tls_verify=False where the server reads it: Podman 4.3.1 reads
    no tlsVerify on that route (the SDK refuses it before sending) and reads the local
    registry because its registries.conf marks it insecure."""
    return {} if podman_service.name == "podman4" else {"tls_verify": False}


def test_get_registry_data_reads_the_remote_manifest(
    podman_service: PodmanService,
    registry: Registry,
    remote: tuple[str, str],
    flavour: str,
) -> None:
    reference, image_id = remote
    repository = reference.rsplit(":", 1)[0]
    with client_for(flavour, podman_service.url) as client:
        data = client.images.get_registry_data(reference, **insecure(podman_service))
        assert isinstance(
            sdk_object(data), RegistryData if flavour == "sync" else AsyncRegistryData
        )
        assert not image_exists(podman_service, reference)  # never local data
        with pytest.raises(NotFound, match="manifest unknown"):
            client.images.get_registry_data(repository + ":nope", **insecure(podman_service))
    assert data.id == registry_digest(registry, repository.split("/", 1)[1], "v1")
    config = data.attrs["Manifest"]["config"]
    assert isinstance(config, dict)
    assert config["digest"] == f"sha256:{image_id}"


# -- build -----------------------------------------------------------------------------


def test_build_honours_ignore_rules(
    podman_service: PodmanService, tmp_path: Path, flavour: str
) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "keep.txt").write_text("kept")
    (tmp_path / "logs" / "drop.txt").write_text("dropped")
    (tmp_path / "app.log").write_text("x")
    (tmp_path / ".containerignore").write_text("*.log\nlogs\n!logs/keep.txt\n")
    (tmp_path / "Containerfile").write_text("FROM scratch\nCOPY logs/keep.txt /keep.txt\n")
    tag = f"localhost/sdk/ignore-{podman_service.name}:v1"
    with client_for(flavour, podman_service.url) as client:
        image, log = client.images.build(tmp_path, tag=tag, labels={"sdk": "yes"})
        try:
            assert tag in image.tags
            assert image.labels["sdk"] == "yes"
            assert any("COPY logs/keep.txt" in json.loads(line).get("stream", "") for line in log)
            for excluded in ("logs/drop.txt", "app.log"):
                failing = f"FROM scratch\nCOPY {excluded} /x\n"
                (tmp_path / "Containerfile").write_text(failing)
                with pytest.raises(BuildError, match="no such file"):
                    client.images.build(tmp_path)
        finally:
            image.remove(force=True)


def test_build_with_failing_step_raises_build_error_with_log(
    podman_service: PodmanService,
    flavour: str,
) -> None:
    with client_for(flavour, podman_service.url) as client, pytest.raises(BuildError) as caught:
        client.images.build(fileobj="FROM scratch\nCOPY nothing-here /x\n")
    assert 'building at STEP "COPY nothing-here /x"' in caught.value.msg
    assert any("STEP 1/2" in line.get("stream", "") for line in caught.value.build_log)  # type: ignore[attr-defined]


def test_build_streams_the_log_with_a_dockerfile_outside_the_context(
    podman_service: PodmanService,
    tmp_path: Path,
    flavour: str,
) -> None:
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "data.txt").write_text("data")
    dockerfile = tmp_path / "Build.containerfile"
    dockerfile.write_text("FROM scratch\nCOPY data.txt /data.txt\n")
    with client_for(flavour, podman_service.url) as client:
        with client.images.build_stream(context, dockerfile=str(dockerfile)) as log:
            first = next(log)
            assert first.get("stream", "").startswith("STEP 1/2")
            list(log)
            image = log.image()
        image.remove(force=True)
    assert sorted(path.name for path in context.iterdir()) == ["data.txt"]


def test_get_registry_data_of_a_manifest_list(
    podman_service: PodmanService,
    registry: Registry,
    image_factory: ImageFactory,
    flavour: str,
) -> None:
    name = f"sdk/list-{podman_service.name}-{flavour}"  # one list per flavour, on one service
    image_factory(podman_service, f"localhost/{name}:img")
    list_name = quote(f"localhost/{name}:list", safe="")
    destination = f"{registry.host}/{name}:list"
    with uds_client(podman_service.socket_path, timeout=120) as http:
        created = http.post(
            f"{LIBPOD}/manifests/{list_name}",
            params={"images": f"containers-storage:localhost/{name}:img"},
        )
        assert created.is_success, created.text
        try:
            pushed = http.post(
                f"{LIBPOD}/manifests/{list_name}/registry/{quote(destination, safe='')}",
                params={"tlsVerify": "false", "all": "true"},
            )
            assert pushed.is_success, pushed.text
        finally:
            http.delete(f"{LIBPOD}/images/{list_name}", params={"force": "true"})
    with client_for(flavour, podman_service.url) as client:
        data = client.images.get_registry_data(destination, **insecure(podman_service))
    assert data.id is None  # the service re-encodes lists: no registry digest to give
    assert data.attrs["Platforms"] == [{"architecture": "amd64", "os": "linux"}]
    assert data.has_platform("linux/amd64")
    assert not data.has_platform("linux/arm64")
