"""The harness itself: services answer, stores are separate, registries behave."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from tests.harness import (
    LIBPOD,
    RUNNABLE_SETTINGS,
    ImageFactory,
    PodmanService,
    ProgressError,
    Registry,
    build_busybox_image,
    demux_logs,
    image_exists,
    iter_json_values,
    pull_image,
    push_image,
    remove_container,
    remove_image,
    uds_client,
)

EXPECTED_MAJOR = {"podman4": 4, "podman5": 5, "podman6": 6}
MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)


def test_progress_decoder_handles_split_and_joined_values() -> None:
    chunks = [b'{"stream":"a"}{"str', b'eam":"b"}\n', b'  {"aux":{"ID":"x"}}']
    assert list(iter_json_values(chunks)) == [
        {"stream": "a"},
        {"stream": "b"},
        {"aux": {"ID": "x"}},
    ]


def test_service_answers_ping_and_version(podman_service: PodmanService) -> None:
    with uds_client(podman_service.socket_path) as client:
        ping = client.get("/_ping")
        version = client.get("/version").json()
        info = client.get(f"{LIBPOD}/info").json()
    assert ping.status_code == 200
    assert ping.text == "OK"
    assert version["Version"] == podman_service.version
    assert info["version"]["Version"] == podman_service.version
    assert int(podman_service.version.split(".")[0]) == EXPECTED_MAJOR[podman_service.name]
    assert podman_service.url == f"unix://{podman_service.socket_path}"


def test_service_uses_private_storage_and_config(podman_service: PodmanService) -> None:
    with uds_client(podman_service.socket_path) as client:
        info = client.get(f"{LIBPOD}/info").json()
    graph_root = Path(info["store"]["graphRoot"])
    # Seen from the service (inside the chroot for Podman 5): the state dir's root.
    assert podman_service.socket_path.parent.as_posix().endswith(graph_root.parent.as_posix())
    # The private registries.conf and containers.conf (the defaults differ on both).
    assert info["registries"]["127.0.0.1"]["Insecure"] is True
    assert info["host"]["eventLogger"] == "file"
    if EXPECTED_MAJOR[podman_service.name] < 6:  # Podman 6 dropped store.configFile
        assert info["store"]["configFile"] == f"{graph_root.parent}/storage.conf"
    else:
        assert "configFile" not in info["store"]


def test_built_image_has_tag_labels_and_size(
    podman_service: PodmanService, image_factory: ImageFactory
) -> None:
    tag = f"localhost/harness/built-{podman_service.name}:v1"
    image = image_factory(podman_service, tag, size_bytes=4096, labels={"purpose": "harness"})
    assert len(image) == 64
    with uds_client(podman_service.socket_path) as client:
        inspect = client.get(f"{LIBPOD}/images/{image}/json").json()
    assert tag in inspect["RepoTags"]
    assert inspect["Labels"]["purpose"] == "harness"
    assert inspect["Size"] >= 4096


@pytest.mark.parametrize(
    ("builder_name", "other_name"),
    [(a, b) for a in EXPECTED_MAJOR for b in EXPECTED_MAJOR if a != b],
)
def test_image_is_only_in_the_store_that_built_it(
    request: pytest.FixtureRequest, builder_name: str, other_name: str, image_factory: ImageFactory
) -> None:
    # Skipped unless both services are selected.
    builder: PodmanService = request.getfixturevalue(f"{builder_name}_service")
    other: PodmanService = request.getfixturevalue(f"{other_name}_service")
    tag = f"localhost/harness/separate-{builder.name}-{other.name}:v1"
    image = image_factory(builder, tag)
    assert image_exists(builder, tag)
    assert image_exists(builder, image)
    assert not image_exists(other, tag)
    assert not image_exists(other, image)


def manifest(registry: Registry, name: str, tag: str, *, auth: bool = True) -> httpx.Response:
    with registry.client(auth=auth) as client:
        return client.get(f"/v2/{name}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES})


def test_push_to_plain_registry(
    podman_service: PodmanService, registry: Registry, image_factory: ImageFactory
) -> None:
    name = f"harness/push-{podman_service.name}"
    image_factory(podman_service, f"localhost/{name}:v1")
    push_image(podman_service, f"localhost/{name}:v1", f"{registry.host}/{name}:v1")
    response = manifest(registry, name, "v1")
    assert response.status_code == 200
    assert response.json()["schemaVersion"] == 2
    assert response.headers["Docker-Content-Digest"].startswith("sha256:")


def test_pushed_image_pulls_back_with_the_same_id(
    podman_service: PodmanService, registry: Registry, image_factory: ImageFactory
) -> None:
    name = f"harness/roundtrip-{podman_service.name}"
    built = image_factory(podman_service, f"localhost/{name}:v1")
    remote = f"{registry.host}/{name}:v1"
    push_image(podman_service, f"localhost/{name}:v1", remote)
    remove_image(podman_service, built)
    assert not image_exists(podman_service, built)
    assert pull_image(podman_service, remote) == built
    assert image_exists(podman_service, remote)
    remove_image(podman_service, built)


def test_private_registries_conf_marks_local_registry_insecure(
    podman_service: PodmanService, registry: Registry, image_factory: ImageFactory
) -> None:
    # No tlsVerify parameter: only the service's registries.conf allows plain HTTP.
    name = f"harness/insecure-{podman_service.name}"
    image_factory(podman_service, f"localhost/{name}:v1")
    push_image(
        podman_service, f"localhost/{name}:v1", f"{registry.host}/{name}:v1", tls_verify=None
    )
    assert manifest(registry, name, "v1").status_code == 200


def test_auth_registry_refuses_without_credentials(auth_registry: Registry) -> None:
    assert auth_registry.username is not None
    assert auth_registry.password is not None
    with auth_registry.client(auth=False) as client:
        refused = client.get("/v2/")
    assert refused.status_code == 401
    assert "Basic" in refused.headers["WWW-Authenticate"]
    with auth_registry.client() as client:
        assert client.get("/v2/").status_code == 200


def test_push_to_auth_registry_needs_credentials(
    podman_service: PodmanService, auth_registry: Registry, image_factory: ImageFactory
) -> None:
    name = f"harness/auth-{podman_service.name}"
    image_factory(podman_service, f"localhost/{name}:v1")
    destination = f"{auth_registry.host}/{name}:v1"
    with pytest.raises(ProgressError):
        push_image(podman_service, f"localhost/{name}:v1", destination)
    push_image(
        podman_service,
        f"localhost/{name}:v1",
        destination,
        username=auth_registry.username,
        password=auth_registry.password,
    )
    assert manifest(auth_registry, name, "v1", auth=False).status_code == 401
    assert manifest(auth_registry, name, "v1").status_code == 200


def test_tls_registry_serves_https_with_its_ca(tls_registry: Registry) -> None:
    assert tls_registry.url.startswith("https://127.0.0.1:")
    assert tls_registry.ca_cert is not None
    assert tls_registry.ca_cert.read_text().startswith("-----BEGIN CERTIFICATE-----")
    with tls_registry.client() as client:
        assert client.get("/v2/").status_code == 200
    # Without the CA the certificate is not trusted.
    with (
        httpx.Client(base_url=tls_registry.url) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get("/v2/")
    context = ssl.create_default_context(cafile=str(tls_registry.ca_cert))
    with httpx.Client(base_url=tls_registry.url, verify=context) as client:
        assert client.get("/v2/").status_code == 200


def test_tls_verify_true_overrides_the_insecure_registries_conf(
    podman_service: PodmanService, tls_registry: Registry, image_factory: ImageFactory
) -> None:
    # The service does not know the registry's CA: an explicit tlsVerify=true must fail
    # (HTTP 400 on Podman 4 and 5 alike), even though registries.conf says "insecure".
    name = f"harness/tls-verify-{podman_service.name}"
    image_factory(podman_service, f"localhost/{name}:v1")
    with pytest.raises(ProgressError, match="certificate signed by unknown authority"):
        push_image(
            podman_service,
            f"localhost/{name}:v1",
            f"{tls_registry.host}/{name}:v1",
            tls_verify=True,
        )


def test_push_to_tls_registry(
    podman_service: PodmanService, tls_registry: Registry, image_factory: ImageFactory
) -> None:
    name = f"harness/tls-{podman_service.name}"
    image_factory(podman_service, f"localhost/{name}:v1")
    push_image(podman_service, f"localhost/{name}:v1", f"{tls_registry.host}/{name}:v1")
    assert manifest(tls_registry, name, "v1").status_code == 200


def test_busybox_container_starts_waits_logs_and_is_removed(
    podman_service: PodmanService,
) -> None:
    """Create, start, wait, logs, remove: the lifecycle issue #9's README examples use."""
    tag = f"localhost/harness/busybox-{podman_service.name}:v1"
    name = f"harness-busybox-{podman_service.name}"
    build_busybox_image(podman_service, tag)
    body = {
        "name": name,
        "image": tag,
        "command": ["/bin/busybox", "sh", "-c", "echo hello; echo oops >&2; exit 3"],
        **RUNNABLE_SETTINGS,
    }
    try:
        with uds_client(podman_service.socket_path) as client:
            created = client.post(f"{LIBPOD}/containers/create", json=body)
            assert created.status_code == 201, created.text
            cid = created.json()["Id"]
            started = client.post(f"{LIBPOD}/containers/{cid}/start")
            assert started.status_code == 204, started.text
            waited = client.post(f"{LIBPOD}/containers/{cid}/wait", params={"condition": "exited"})
            assert waited.status_code == 200, waited.text
            assert waited.json() == 3
            logs = client.get(
                f"{LIBPOD}/containers/{cid}/logs", params={"stdout": "true", "stderr": "true"}
            )
            assert logs.status_code == 200, logs.text
            assert sorted(demux_logs(logs.content)) == [(1, b"hello\n"), (2, b"oops\n")]
            removed = client.delete(f"{LIBPOD}/containers/{cid}")
            assert removed.status_code == 200, removed.text
            exists = client.get(f"{LIBPOD}/containers/{cid}/exists")
            assert exists.status_code == 404
    finally:
        remove_container(podman_service, name)
        remove_image(podman_service, tag)
