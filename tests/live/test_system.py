"""``client.system`` and the client's df, info, login, ping and version (both clients,
through the `client` fixture's flavours) against the real services of every selected
major, and a real registry for login."""

from __future__ import annotations

import uuid

import pytest
from podman_sdk import APIError, PodmanClient

from tests.harness.podman_service import PodmanService
from tests.harness.registry import Registry


def test_version_has_podman_py_s_keys(client: PodmanClient, podman_service: PodmanService) -> None:
    version = client.version()
    assert version["Version"] == podman_service.version
    assert version["Platform"]["Name"].startswith("linux/")  # podman-py's test_version reads it
    assert version["ApiVersion"]
    assert client.system.version() == version


def test_info_and_ping(client: PodmanClient, podman_service: PodmanService) -> None:
    info = client.info()
    assert {"host", "store", "registries", "version"} <= set(info)
    assert info["version"]["Version"] == podman_service.version  # type: ignore[index]
    assert client.ping() is True
    assert client.system.ping() is True


def test_df_counts_a_new_volume(client: PodmanClient) -> None:
    name = f"sdk-df-{uuid.uuid4().hex[:8]}"
    client.volumes.create(name)
    try:
        usage = client.df()
        assert set(usage) >= {"Images", "Containers", "Volumes"}
        assert all(isinstance(usage[key], list) for key in ("Images", "Containers", "Volumes"))
        assert name in [volume["VolumeName"] for volume in usage["Volumes"]]
        assert name in [volume["VolumeName"] for volume in client.system.df()["Volumes"]]
    finally:
        client.volumes.get(name).remove()


def test_login_to_an_unknown_registry_explains_the_refusal(client: PodmanClient) -> None:
    # podman-py's test_login: the service tries the registry and reports why it failed.
    with pytest.raises(APIError) as raised:
        client.login("fake_user", "fake_password", "fake_email@fake_domain.test", "fake_registry")
    assert raised.value.explanation is not None
    assert "fake_registry" in raised.value.explanation


def test_login_to_a_real_registry(
    client: PodmanClient, auth_registry: Registry, podman_service: PodmanService
) -> None:
    if podman_service.name == "podman5":
        # Podman's /auth goes without TLS only to "localhost:PORT", and the Podman 5
        # chroot has no /etc/hosts to resolve localhost (tests/compat notes it too).
        pytest.skip("the Podman 5 chroot cannot resolve localhost")
    assert auth_registry.username is not None
    assert auth_registry.password is not None
    # Podman's /auth skips TLS only for a "localhost:" address (pkg/api/handlers/compat/
    # auth.go); the test registry speaks plain HTTP.
    address = "localhost:" + auth_registry.host.rpartition(":")[2]
    report = client.login(auth_registry.username, auth_registry.password, registry=address)
    assert report == {"Status": "Login Succeeded", "IdentityToken": ""}
    with pytest.raises(APIError, match="401 Unauthorized"):
        client.login(auth_registry.username, "wrong", registry=address)
