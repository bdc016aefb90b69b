"""Session fixtures on real services: Podman 4 (host), 5 (chroot), 6 (built), registries.

Selection: ``PODMAN_SDK_SERVICES`` (comma list, default all three; Podman 6 is the
build ``scripts/podman6_build.sh`` makes once). A selected
service that cannot start is a skip with the reason, except under CI (``CI=true``),
where it is a failure: CI must never go green by skipping the live tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from podman_sdk import PodmanClient

from tests.harness.both_clients import FLAVOURS, client_for
from tests.harness.images import ImageFactory, build_test_image, remove_image
from tests.harness.mounts import claim, remove_stale, remove_tree
from tests.harness.podman5_chroot import Podman5Service
from tests.harness.podman6_build import ensure_podman6, start_podman6
from tests.harness.podman_service import PodmanService, start_podman4, stop_and_remove
from tests.harness.registry import Registry, RegistryProcess

ALL_SERVICES = ("podman4", "podman5", "podman6")
DEFAULT_SERVICES = ALL_SERVICES
HARNESS_PREFIX = "podman-sdk-test-"
SERVICE_FIXTURES = {
    "podman_service",
    "podman4_service",
    "podman5_service",
    "podman6_service",
    "podman6_wrapper",
    "registry",
    "auth_registry",
    "tls_registry",
    "image_factory",
}


def selected_services() -> list[str]:
    raw = os.environ.get("PODMAN_SDK_SERVICES", ",".join(DEFAULT_SERVICES))
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = sorted(set(names) - set(ALL_SERVICES))
    if unknown:
        raise pytest.UsageError(f"PODMAN_SDK_SERVICES: unknown {unknown}; known {ALL_SERVICES}")
    return names


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere."""
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    # A SIGTERM (CI timeout, a stopped job) would end pytest without tearing down the
    # session fixtures, leaving services running and mounts below the temp dirs. Treat
    # it as Ctrl-C, which pytest turns into an orderly teardown.
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that touches a real service is "live", wherever its file lives.
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


def timing(config: pytest.Config, what: str, seconds: float) -> None:
    """Print a setup time in the run's output (not in the test's captured output)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"harness: {what} in {seconds:.2f} s")


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    """ "sync" or "async": a test that asks for it runs for `PodmanClient` and for
    `AsyncPodmanClient` (``tests.harness.both_clients.client_for(flavour, ...)``)."""
    param: str = request.param
    return param


@pytest.fixture
def client(podman_service: PodmanService, flavour: str) -> Iterator[PodmanClient]:
    """A client of ``flavour`` on each selected service: the test runs for both."""
    with client_for(flavour, podman_service.url) as opened:
        yield opened


@pytest.fixture(scope="session")
def harness_dir() -> Iterator[Path]:
    """A private temporary directory for every service of the session."""
    remove_stale(Path(tempfile.gettempdir()), HARNESS_PREFIX)
    path = Path(tempfile.mkdtemp(prefix=HARNESS_PREFIX))
    claim(path)
    yield path
    remove_tree(path)


@pytest.fixture(scope="session")
def podman4_service(request: pytest.FixtureRequest, harness_dir: Path) -> Iterator[PodmanService]:
    """The host's Podman 4.3.1 on its own socket, storage and config."""
    if "podman4" not in selected_services():
        pytest.skip("podman4 not in PODMAN_SDK_SERVICES")
    if shutil.which("podman") is None:
        unavailable("podman4: the podman command is not installed")
    try:
        proc = start_podman4(harness_dir)
    except Exception as exc:
        unavailable(f"podman4 service did not start: {exc}")
    timing(request.config, f"podman4 {proc.version} service started", proc.start_seconds)
    yield proc.service
    stop_and_remove(proc)


@pytest.fixture(scope="session")
def podman5_service(request: pytest.FixtureRequest, harness_dir: Path) -> Iterator[PodmanService]:
    """Podman 5 from Debian 13, served from a cached debootstrap chroot."""
    if "podman5" not in selected_services():
        pytest.skip("podman5 not in PODMAN_SDK_SERVICES")
    if os.geteuid() != 0:
        unavailable("podman5: the chroot needs root")
    started = time.monotonic()
    try:
        service = Podman5Service(harness_dir)
    except Exception as exc:
        unavailable(f"podman5 service did not start: {exc}")
    proc = service.process
    timing(
        request.config,
        f"podman5 {proc.version} chroot ready and service started",
        time.monotonic() - started,
    )
    yield proc.service
    service.stop()


@pytest.fixture(scope="session")
def podman6_service(request: pytest.FixtureRequest, harness_dir: Path) -> Iterator[PodmanService]:
    """Podman 6.0.0-rc1 built from source (cached), through its namespace wrapper."""
    if "podman6" not in selected_services():
        pytest.skip("podman6 not in PODMAN_SDK_SERVICES")
    if os.geteuid() != 0:
        unavailable("podman6: the build and its mount namespace need root")
    started = time.monotonic()
    try:
        proc = start_podman6(harness_dir)
    except Exception as exc:
        unavailable(f"podman6 service did not start: {exc}")
    timing(
        request.config,
        f"podman6 {proc.version} build ready and service started",
        time.monotonic() - started,
    )
    yield proc.service
    stop_and_remove(proc)


@pytest.fixture(scope="session")
def podman6_wrapper() -> Path:
    """The Podman 6 build's ``podman6`` command (built first if need be), for tests that
    start services on it themselves."""
    if "podman6" not in selected_services():
        pytest.skip("podman6 not in PODMAN_SDK_SERVICES")
    if os.geteuid() != 0:
        unavailable("podman6: the build and its mount namespace need root")
    try:
        return ensure_podman6()
    except Exception as exc:
        unavailable(f"podman6 build is not ready: {exc}")


def service_params() -> list[object]:
    return [
        pytest.param(name, id=name, marks=getattr(pytest.mark, name))
        for name in selected_services()
    ]


@pytest.fixture(scope="session", params=service_params())
def podman_service(request: pytest.FixtureRequest) -> PodmanService:
    """Each selected service in turn; the node id and the marker say which."""
    service: PodmanService = request.getfixturevalue(f"{request.param}_service")
    return service


def start_registry(harness_dir: Path, name: str, **kwargs: bool) -> RegistryProcess:
    if shutil.which("docker-registry") is None:
        unavailable("docker-registry is not installed")
    try:
        return RegistryProcess(harness_dir / name, **kwargs)
    except Exception as exc:
        unavailable(f"{name} did not start: {exc}")


@pytest.fixture(scope="session")
def registry(harness_dir: Path) -> Iterator[Registry]:
    """A plain-HTTP registry without auth."""
    proc = start_registry(harness_dir, "registry")
    yield proc.registry
    proc.stop()


@pytest.fixture(scope="session")
def auth_registry(harness_dir: Path) -> Iterator[Registry]:
    """A plain-HTTP registry behind htpasswd basic auth (username/password set)."""
    proc = start_registry(harness_dir, "auth_registry", auth=True)
    yield proc.registry
    proc.stop()


@pytest.fixture(scope="session")
def tls_registry(harness_dir: Path) -> Iterator[Registry]:
    """An HTTPS registry with a self-signed certificate for 127.0.0.1 (ca_cert set)."""
    proc = start_registry(harness_dir, "tls_registry", tls=True)
    yield proc.registry
    proc.stop()


@pytest.fixture
def image_factory() -> Iterator[ImageFactory]:
    """``build_test_image`` that also removes, after the test, every image it built."""
    built: list[tuple[PodmanService, str]] = []

    def build(
        service: PodmanService,
        tag: str,
        *,
        size_bytes: int = 1024,
        labels: dict[str, str] | None = None,
    ) -> str:
        image = build_test_image(service, tag, size_bytes=size_bytes, labels=labels)
        built.append((service, image))
        return image

    yield build
    for service, image in built:
        remove_image(service, image)
