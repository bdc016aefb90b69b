"""PodmanClient against the real services: base_url forms, negotiation, from_env in a
clean process, proxy variables, and errors with the endpoint in them."""

from __future__ import annotations

import json
import os
import socket
import socketserver
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from podman_sdk import (
    ImageNotFound,
    InvalidArgument,
    PodmanClient,
)
from podman_sdk._core._discovery import ROOTFUL_SOCKET

from tests.harness import PodmanService
from tests.harness.both_clients import client_for
from tests.harness.registry import free_port

ROOT = Path(__file__).resolve().parents[2]

# The libpod API version each service announces equals its Podman version.
EXPECTED_MAJOR = {"podman4": 4, "podman5": 5, "podman6": 6}


def percent_encoded_url(service: PodmanService) -> str:
    return "http+unix://" + quote(str(service.socket_path), safe="")


def test_system_calls(client: PodmanClient, podman_service: PodmanService) -> None:
    assert client.ping() is True
    assert client.api_version == podman_service.version
    assert int(client.api_version.split(".")[0]) == EXPECTED_MAJOR[podman_service.name]
    version = client.version()
    assert version["Version"] == podman_service.version
    assert version["ApiVersion"]  # the Docker-compatible API version, e.g. "1.41"
    assert any(c.get("Name") == "Podman Engine" for c in version.get("Components", []))
    info = client.info()
    assert {"host", "store", "version"} <= set(info)
    info_version = info["version"]
    assert isinstance(info_version, dict)
    assert info_version["Version"] == podman_service.version
    assert client.endpoint == podman_service.url


def test_percent_encoded_http_unix_url(podman_service: PodmanService, flavour: str) -> None:
    with client_for(flavour, percent_encoded_url(podman_service)) as client:
        assert client.ping() is True
        assert client.version()["Version"] == podman_service.version
        assert client.endpoint == podman_service.url
        assert isinstance(client.images.list(), list)


def test_pinned_version_talks_to_both_servers(podman_service: PodmanService, flavour: str) -> None:
    # Podman 5 still serves the v4 prefix: one pinned client works on both.
    with client_for(flavour, podman_service.url, version="4.0.0") as client:
        assert client.api_version == "4.0.0"
        assert client.version()["Version"] == podman_service.version


def test_api_error_from_the_server(client: PodmanClient) -> None:
    with pytest.raises(ImageNotFound) as info:
        client.images.get("localhost/no-such-image:never")
    error = info.value
    assert error.status_code == 404
    assert error.explanation
    assert "image not known" in str(error)
    assert error.response is not None


def test_invalid_reference_never_reaches_the_server(client: PodmanClient) -> None:
    # The server would answer 500 "invalid reference format"; the SDK says why first.
    with pytest.raises(InvalidArgument, match="lowercase"):
        client.images.get("localhost/UPPER:1")


# -- clean processes: the environment is the input ------------------------------------


def run_python(code: str, env: dict[str, str], *args: str) -> dict[str, object]:
    """Run ``code`` with ``args`` in a fresh interpreter with exactly ``env`` (and this
    checkout's tests importable); it prints one JSON value, which is returned."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "error::ResourceWarning",
    }
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result: dict[str, object] = json.loads(completed.stdout)
    return result


# argv[1]: the client's flavour (tests/harness/both_clients.py).
FROM_ENV = """
    import json, sys
    from podman_sdk import PodmanConnectionError
    from tests.harness.both_clients import client_made
    try:
        with client_made(sys.argv[1], lambda cls: cls.from_env()) as client:
            print(json.dumps({
                "ping": client.ping(),
                "api_version": client.api_version,
                "endpoint": client.endpoint,
                "images": len(client.images.list()),
            }))
    except PodmanConnectionError as exc:
        print(json.dumps({"error": type(exc).__name__, "endpoint": exc.endpoint,
                          "message": str(exc)}))
"""


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Nothing configured: no connection files, empty runtime dir, own HOME."""
    for name in ("home", "config", "runtime"):
        (tmp_path / name).mkdir(exist_ok=True)
    env = {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        "CONTAINERS_CONF": str(tmp_path / "config" / "containers.conf"),
        "PODMAN_CONNECTIONS_CONF": str(tmp_path / "config" / "podman-connections.json"),
    }
    env.update(extra)
    return env


def test_from_env_uses_container_host(
    podman_service: PodmanService, tmp_path: Path, flavour: str
) -> None:
    result = run_python(FROM_ENV, clean_env(tmp_path, CONTAINER_HOST=podman_service.url), flavour)
    assert result["ping"] is True
    assert result["api_version"] == podman_service.version
    assert result["endpoint"] == podman_service.url


def test_from_env_container_host_wins_over_docker_host(
    podman_service: PodmanService, tmp_path: Path, flavour: str
) -> None:
    env = clean_env(
        tmp_path,
        CONTAINER_HOST=percent_encoded_url(podman_service),
        DOCKER_HOST=f"unix://{tmp_path}/docker.sock",
    )
    result = run_python(FROM_ENV, env, flavour)
    assert result["ping"] is True
    assert result["endpoint"] == podman_service.url


def test_from_env_dead_socket_names_the_endpoint(tmp_path: Path, flavour: str) -> None:
    dead = f"unix://{tmp_path}/dead.sock"
    result = run_python(FROM_ENV, clean_env(tmp_path, CONTAINER_HOST=dead), flavour)
    assert result["error"] == "PodmanConnectionError"
    assert result["endpoint"] == dead
    message = str(result["message"])
    assert dead in message
    assert "CONTAINER_HOST" in message  # how the endpoint was chosen


def test_from_env_with_nothing_configured_lists_every_place(tmp_path: Path, flavour: str) -> None:
    if os.getuid() == 0 and os.path.exists(ROOTFUL_SOCKET):
        pytest.skip(f"{ROOTFUL_SOCKET} exists on this machine: from_env would use it")
    env = clean_env(tmp_path)
    result = run_python(FROM_ENV, env, flavour)
    # from_env() itself succeeds, as podman-py's does (issue 25): the first call fails,
    # at the default socket, with the whole trail.
    assert result["error"] == "PodmanConnectionError"
    message = str(result["message"])
    expected_socket = (
        ROOTFUL_SOCKET if os.getuid() == 0 else f"{env['XDG_RUNTIME_DIR']}/podman/podman.sock"
    )
    for place in (
        "CONTAINER_HOST",
        "CONTAINER_CONNECTION",
        "DOCKER_HOST",
        env["CONTAINERS_CONF"],
        env["PODMAN_CONNECTIONS_CONF"],
        expected_socket,
    ):
        assert place in message, place
    assert "podman system service" in message
    assert "systemctl" in message


# argv[1]: the client's flavour (tests/harness/both_clients.py), then the URLs.
PROXY_CHECK = """
    import json, sys
    from tests.harness.both_clients import client_for
    results = {}
    for url in sys.argv[2:]:
        with client_for(sys.argv[1], url, timeout=10) as client:
            results[url] = [client.ping(), client.api_version, len(client.images.list())]
    print(json.dumps(results))
"""


def test_proxy_variables_never_break_a_unix_socket(
    podman_service: PodmanService, tmp_path: Path, flavour: str
) -> None:
    dead_proxy = f"http://127.0.0.1:{free_port()}"
    proxies = {
        name: dead_proxy
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
    }
    proxies["all_proxy"] = dead_proxy
    urls = [podman_service.url, percent_encoded_url(podman_service)]
    results = run_python(PROXY_CHECK, proxies, flavour, *urls)
    for url in urls:
        assert results[url][:2] == [True, podman_service.version]


def test_own_transport_with_the_service_url(podman_service: PodmanService, flavour: str) -> None:
    kind = httpx.HTTPTransport if flavour == "sync" else httpx.AsyncHTTPTransport
    transport = kind(uds=str(podman_service.socket_path))
    with client_for(flavour, podman_service.url, transport=transport) as client:
        assert client.ping() is True
        assert client.api_version == podman_service.version
        assert client.endpoint == podman_service.url


class _Forward(socketserver.BaseRequestHandler):
    """Copy bytes both ways between a TCP client and the service's unix socket."""

    socket_path = ""

    def handle(self) -> None:
        with socket.socket(socket.AF_UNIX) as upstream:
            upstream.connect(self.socket_path)
            pump = threading.Thread(target=_copy, args=(upstream, self.request), daemon=True)
            pump.start()
            _copy(self.request, upstream)
            pump.join(10)


def _copy(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


@pytest.fixture
def tcp_port(podman_service: PodmanService) -> Iterator[int]:
    """A local TCP port forwarded to the service (podman's own tcp:// listener, minus
    a second service)."""
    handler = type("Forward", (_Forward,), {"socket_path": str(podman_service.socket_path)})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.mark.parametrize("scheme", ["tcp", "http"])
def test_tcp_and_http_urls(
    podman_service: PodmanService,
    tcp_port: int,
    scheme: str,
    monkeypatch: pytest.MonkeyPatch,
    flavour: str,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with client_for(flavour, f"{scheme}://127.0.0.1:{tcp_port}") as client:
        assert client.endpoint == f"http://127.0.0.1:{tcp_port}"
        assert client.ping() is True
        assert client.api_version == podman_service.version
        assert isinstance(client.images.list(), list)
