"""get_registry_data(tls_verify=False) against a plain-HTTP registry the services'
registries.conf does not mark insecure (it listens on 127.0.0.2): Podman 5.4.2 and
6.0.0-rc1 honour tlsVerify and return the registry's manifest; Podman 4.3.1 reads no
tlsVerify on that route, and the SDK says so before sending (`UnsupportedServer`, from
the pinned specs) instead of raising a misleading `NotFound`. For both clients
(tests/harness/both_clients.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import NotFound, UnsupportedServer

from tests.harness import ImageFactory, PodmanService, Registry, push_image, remove_image
from tests.harness.both_clients import client_for
from tests.harness.registry import RegistryProcess
from tests.live.test_registry_ops import registry_digest

IGNORES_TLS_VERIFY = {"podman4"}  # on GET /libpod/manifests/{name}/json


@pytest.fixture(scope="module")
def unlisted_registry(harness_dir: Path) -> Iterator[Registry]:
    """Plain HTTP on 127.0.0.2: not in the services' insecure list (127.0.0.1, localhost)."""
    try:
        proc = RegistryProcess(harness_dir / "unlisted_registry", host="127.0.0.2")
    except Exception as exc:  # the harness's own reasons: not installed, no such address
        pytest.skip(f"registry on 127.0.0.2 did not start: {exc}")
    yield proc.registry
    proc.stop()


@pytest.fixture
def remote(
    podman_service: PodmanService, unlisted_registry: Registry, image_factory: ImageFactory
) -> Iterator[str]:
    name = f"sdk/tls-{podman_service.name}-{time.monotonic_ns()}"
    local = f"localhost/{name}:v1"
    image_id = image_factory(podman_service, local)
    reference = f"{unlisted_registry.host}/{name}:v1"
    push_image(podman_service, local, reference, tls_verify=False)
    remove_image(podman_service, reference)
    yield reference
    remove_image(podman_service, image_id)


def test_get_registry_data_honours_tls_verify_or_says_the_server_cannot(
    podman_service: PodmanService, unlisted_registry: Registry, remote: str, flavour: str
) -> None:
    with client_for(flavour, podman_service.url) as client:
        # Verification on: every server refuses a plain-HTTP registry (so the registry
        # is really not marked insecure, and the case below is a real test).
        with pytest.raises(NotFound, match="server gave HTTP response to HTTPS client"):
            client.images.get_registry_data(remote)
        if podman_service.name in IGNORES_TLS_VERIFY:
            with pytest.raises(UnsupportedServer) as info:
                client.images.get_registry_data(remote, tls_verify=False)
            text = str(info.value)
            assert "Podman 4.3.1, which does not read the query parameter 'tlsVerify'" in text
            assert "added by Podman 5.4.2" in text
            assert not isinstance(info.value, NotFound)
            return
        data = client.images.get_registry_data(remote, tls_verify=False)
    repository, tag = remote.split("/", 1)[1].rsplit(":", 1)
    assert data.id == registry_digest(unlisted_registry, repository, tag)
