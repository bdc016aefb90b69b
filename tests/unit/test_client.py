"""PodmanClient on a mock transport: lifecycle, version negotiation, timeouts, and how
every failure reaches the user as a podman_sdk exception."""

from __future__ import annotations

import json
import math
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from podman_sdk import (
    APIError,
    BadRequest,
    Conflict,
    ImageNotFound,
    ImagesManager,
    InvalidArgument,
    NotFound,
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
    StreamError,
    UnsupportedServer,
)

Handler = Callable[[httpx.Request], httpx.Response]

VERSION_BODY = {
    "Version": "5.4.2",
    "ApiVersion": "1.41",
    "MinAPIVersion": "1.24",
    "GitCommit": "",
    "GoVersion": "go1.23.6",
    "Os": "linux",
    "Arch": "amd64",
    "Platform": {"Name": "linux/amd64-debian-12"},
    "Components": [{"Name": "Podman Engine", "Version": "5.4.2"}],
}
INFO_BODY = {"host": {"arch": "amd64"}, "store": {"graphRoot": "/x"}, "version": {}}


class FakePodman:
    """A libpod service on a mock transport. ``routes`` maps (method, path without the
    version prefix) to a handler; every request is recorded."""

    def __init__(
        self,
        routes: dict[tuple[str, str], Handler] | None = None,
        ping_headers: dict[str, str] | None = None,
    ) -> None:
        self.routes = routes or {}
        self.ping_headers = (
            {"Libpod-Api-Version": "5.4.2", "Server": "Libpod/5.4.2"}
            if ping_headers is None
            else ping_headers
        )
        self.requests: list[httpx.Request] = []
        self.closed = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path in ("/_ping", "/libpod/_ping"):
            return httpx.Response(200, text="OK", headers=self.ping_headers)
        prefix, _, rest = path.lstrip("/").partition("/")
        handler = self.routes.get((request.method, "/" + rest))
        if handler is None or not prefix.startswith("v"):
            return httpx.Response(404, text="404 page not found")
        return handler(request)

    @property
    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]

    def transport(self) -> httpx.BaseTransport:
        fake = self

        class Transport(httpx.MockTransport):
            def close(self) -> None:
                fake.closed += 1

        return Transport(self)

    def client(self, **kwargs: object) -> PodmanClient:
        return PodmanClient(transport=self.transport(), **kwargs)  # type: ignore[arg-type]


def answer(status: int, body: object = None, **kwargs: object) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, **kwargs)  # type: ignore[arg-type]
        return httpx.Response(status, json=body, **kwargs)  # type: ignore[arg-type]

    return handler


def system_fake(**routes: Handler) -> FakePodman:
    table = {
        ("GET", "/libpod/version"): answer(200, VERSION_BODY),
        ("GET", "/libpod/info"): answer(200, INFO_BODY),
    }
    table.update({("GET", f"/libpod/{name}"): handler for name, handler in routes.items()})
    return FakePodman(table)


# -- lifecycle ----------------------------------------------------------------------


def test_context_manager_closes_the_transport() -> None:
    fake = system_fake()
    with fake.client() as client:
        assert client.ping() is True
        assert fake.closed == 0
    assert fake.closed == 1


def test_close_then_calls_raise_a_podman_error_not_runtime_error() -> None:
    fake = system_fake()
    client = fake.client()
    client.close()
    with pytest.raises(PodmanConnectionError, match="closed"):
        client.ping()
    with pytest.raises(PodmanConnectionError, match="closed"):
        client.version()
    client.close()  # twice is fine


def test_images_is_an_images_manager_bound_to_the_client() -> None:
    with system_fake().client() as client:
        assert isinstance(client.images, ImagesManager)
        assert client.images is client.images
        assert client.images._api() is client._connection


@pytest.mark.parametrize(
    ("base_url", "endpoint"),
    [
        ("unix:///run/x/podman.sock", "unix:///run/x/podman.sock"),
        ("http+unix://%2Frun%2Fx%2Fpodman.sock", "unix:///run/x/podman.sock"),
        ("http+unix:///run/x/podman.sock", "unix:///run/x/podman.sock"),
        ("tcp://127.0.0.1:8888", "http://127.0.0.1:8888"),
        ("http://127.0.0.1:8888", "http://127.0.0.1:8888"),
        ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
    ],
)
def test_base_url_forms_are_wired_without_connecting(base_url: str, endpoint: str) -> None:
    with PodmanClient(base_url) as client:
        assert client.endpoint == endpoint
        assert endpoint in repr(client)


@pytest.mark.parametrize("base_url", ["ftp://x", "unix://run/podman.sock", "tcp://host", " "])
def test_bad_base_url_is_invalid_argument(base_url: str) -> None:
    with pytest.raises(InvalidArgument):
        PodmanClient(base_url)


# -- version negotiation --------------------------------------------------------------


def test_version_is_negotiated_once_via_ping() -> None:
    fake = system_fake()
    with fake.client() as client:
        assert client.api_version == "5.4.2"
        client.version()
        client.info()
        client.version()
    assert fake.paths.count("/libpod/_ping") == 1
    assert fake.paths[0] == "/libpod/_ping"
    assert all(path.startswith("/v5.4.2/libpod/") for path in fake.paths[1:])


def test_first_call_negotiates_before_it_is_sent() -> None:
    fake = system_fake()
    with fake.client() as client:
        client.version()
    assert fake.paths == ["/libpod/_ping", "/v5.4.2/libpod/version"]


def test_pinned_version_never_pings() -> None:
    fake = system_fake()
    with fake.client(version="4.3.1") as client:
        assert client.api_version == "4.3.1"
        client.version()
        client.info()
    assert fake.paths == ["/v4.3.1/libpod/version", "/v4.3.1/libpod/info"]


def test_ping_is_unversioned_and_true_on_ok() -> None:
    fake = system_fake()
    with fake.client(version="4.3.1") as client:
        assert client.ping() is True
    assert fake.paths == ["/libpod/_ping"]


@pytest.mark.parametrize("version", ["latest", "4.3", "", "1.41"])
def test_bad_pinned_version_is_invalid_argument(version: str) -> None:
    fake = system_fake()
    with pytest.raises(InvalidArgument):
        fake.client(version=version)
    assert fake.requests == []


def test_server_without_libpod_header_is_unsupported() -> None:
    fake = FakePodman(
        {("GET", "/libpod/version"): answer(200, VERSION_BODY)},
        ping_headers={"Api-Version": "1.43", "Server": "Docker/24.0.7 (linux)"},
    )
    with fake.client() as client, pytest.raises(UnsupportedServer) as info:
        client.version()
    message = str(info.value)
    assert "Libpod-Api-Version" in message
    assert "Docker/24.0.7" in message
    assert "http://podman.invalid" in message  # names the endpoint
    assert isinstance(info.value, PodmanError)
    assert fake.paths == ["/libpod/_ping"]  # never sent the libpod call


def test_too_old_server_is_unsupported_with_the_version_needed() -> None:
    fake = FakePodman(ping_headers={"Libpod-Api-Version": "3.4.4"})
    with fake.client() as client, pytest.raises(UnsupportedServer) as info:
        _ = client.api_version
    assert "3.4.4" in str(info.value)
    assert "4.0.0" in str(info.value)


def test_version_and_info_shapes() -> None:
    with system_fake().client() as client:
        version = client.version()
        info = client.info()
    assert version["Version"] == "5.4.2"
    assert version["ApiVersion"] == "1.41"
    assert version["Components"][0]["Name"] == "Podman Engine"
    assert version["Platform"] == {"Name": "linux/amd64-debian-12"}  # podman-py has it
    assert set(info) >= {"host", "store", "version"}


# -- timeouts -------------------------------------------------------------------------


def recorded_timeouts(**kwargs: object) -> dict[str, float | None]:
    fake = system_fake()
    with fake.client(version="5.4.2", **kwargs) as client:
        client.version()
    timeout: dict[str, float | None] = fake.requests[-1].extensions["timeout"]
    return timeout


def test_default_timeouts_are_finite() -> None:
    timeout = recorded_timeouts()
    assert set(timeout) == {"connect", "read", "write", "pool"}
    for value in timeout.values():
        assert value is not None
        assert math.isfinite(value)
        assert value > 0


def test_timeout_argument_reaches_the_request() -> None:
    timeout = recorded_timeouts(timeout=7.5, connect_timeout=2.0)
    assert timeout["read"] == 7.5
    assert timeout["connect"] == 2.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": math.nan},
        {"connect_timeout": 0},
        {"first_byte_timeout": -5},
        {"idle_timeout": 0},
    ],
)
def test_non_positive_timeouts_are_invalid(kwargs: dict[str, float]) -> None:
    fake = system_fake()
    with pytest.raises(InvalidArgument, match="seconds"):
        fake.client(**kwargs)
    assert fake.requests == []


def test_read_timeout_on_a_silent_socket_names_the_endpoint(tmp_path: Path) -> None:
    path = tmp_path / "silent.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen(4)  # accepts connections (backlog) but never answers
        with (
            PodmanClient(f"unix://{path}", timeout=0.3) as client,
            pytest.raises(PodmanTimeoutError) as info,
        ):
            client.ping()
    assert f"unix://{path}" in str(info.value)
    assert info.value.endpoint == f"unix://{path}"


# -- errors ----------------------------------------------------------------------------


LIBPOD_500 = {"cause": "database is locked", "message": "getting info: database is locked"}


def test_libpod_error_body_fills_the_exception() -> None:
    fake = system_fake(info=answer(500, {**LIBPOD_500, "response": 500}))
    with fake.client() as client, pytest.raises(ServerError) as info:
        client.info()
    error = info.value
    assert isinstance(error, APIError)
    assert error.status_code == 500
    assert error.explanation == "database is locked"
    assert error.message == "getting info: database is locked"
    assert error.response is not None
    assert error.response.json()["response"] == 500
    assert error.is_server_error()
    assert not error.is_client_error()
    assert "500 Server Error" in str(error)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, BadRequest), (404, NotFound), (409, Conflict), (500, ServerError), (503, ServerError)],
)
def test_status_maps_to_its_exception(status: int, expected: type[APIError]) -> None:
    fake = system_fake(info=answer(status, {"cause": "c", "message": "m", "response": status}))
    with fake.client() as client, pytest.raises(expected) as info:
        client.info()
    assert info.value.status_code == status
    # 404 from a system route is not about an image.
    assert not isinstance(info.value, ImageNotFound)


def test_plain_text_404_is_not_found() -> None:
    fake = system_fake(info=answer(404, b"404 page not found"))
    with fake.client() as client, pytest.raises(NotFound, match="404 page not found"):
        client.info()


def test_connection_refused_names_the_endpoint(tmp_path: Path) -> None:
    url = f"unix://{tmp_path}/absent.sock"
    with PodmanClient(url) as client:
        for call in (client.ping, client.version, client.info, lambda: client.api_version):
            with pytest.raises(PodmanConnectionError) as info:
                call()
            assert url in str(info.value)
            assert info.value.endpoint == url
            assert isinstance(info.value.__cause__, httpx.TransportError)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"<html>proxy error</html>", b"[1, 2", b"\xff\xfe"],
)
@pytest.mark.parametrize("method", ["version", "info"])
def test_malformed_json_in_a_2xx_is_an_sdk_error(body: bytes, method: str) -> None:
    fake = system_fake(**{method: answer(200, body)})
    with fake.client() as client, pytest.raises(PodmanError) as info:
        getattr(client, method)()
    assert not isinstance(info.value, (json.JSONDecodeError, KeyError, httpx.HTTPError))


@pytest.mark.parametrize("body", [None, [], ["Version"], "5.4.2", 42])
@pytest.mark.parametrize("method", ["version", "info"])
def test_a_2xx_that_does_not_match_the_model_raises(body: object, method: str) -> None:
    fake = system_fake(**{method: answer(200, body)})
    with fake.client() as client, pytest.raises(APIError, match=r"spec|API"):
        getattr(client, method)()


def test_undecodable_body_is_a_stream_error() -> None:
    garbage = answer(200, b"not gzip at all", headers={"Content-Encoding": "gzip"})
    fake = system_fake(version=garbage)
    with fake.client() as client, pytest.raises(StreamError):
        client.version()


TRANSPORT_ERRORS = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("connect timed out"),
    httpx.ReadTimeout("read timed out"),
    httpx.WriteTimeout("write timed out"),
    httpx.PoolTimeout("pool timed out"),
    httpx.ReadError("reset by peer"),
    httpx.WriteError("broken pipe"),
    httpx.RemoteProtocolError("server disconnected"),
    httpx.LocalProtocolError("bad request line"),
    httpx.ProxyError("proxy refused"),
    httpx.UnsupportedProtocol("no"),
]


def raising(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


CLIENT_CALLS: dict[str, Callable[[PodmanClient], object]] = {
    "ping": lambda client: client.ping(),
    "version": lambda client: client.version(),
    "info": lambda client: client.info(),
    "api_version": lambda client: client.api_version,
    "images.list": lambda client: client.images.list(),
    "images.get": lambda client: client.images.get("alpine"),
    "images.exists": lambda client: client.images.exists("alpine"),
    "images.remove": lambda client: client.images.remove("alpine"),
    "images.prune": lambda client: client.images.prune(),
}


@pytest.mark.parametrize("exc", TRANSPORT_ERRORS, ids=lambda exc: type(exc).__name__)
@pytest.mark.parametrize("call", list(CLIENT_CALLS), ids=str)
def test_httpx_exceptions_never_reach_users(exc: Exception, call: str) -> None:
    with (
        PodmanClient(transport=httpx.MockTransport(raising(exc))) as client,
        pytest.raises(PodmanError) as info,
    ):
        CLIENT_CALLS[call](client)
    assert not isinstance(info.value, httpx.HTTPError)
    assert info.value.__cause__ is exc
    expected = PodmanTimeoutError if isinstance(exc, httpx.TimeoutException) else PodmanError
    assert isinstance(info.value, expected)
    assert "http://podman.invalid" in str(info.value)


def test_transport_errors_after_negotiation_are_translated_too() -> None:
    fake = system_fake(info=raising(httpx.ReadError("connection reset")))
    with fake.client() as client:
        assert client.version()["Version"] == "5.4.2"
        with pytest.raises(PodmanConnectionError, match="connection reset"):
            client.info()


# -- a real socket in a thread --------------------------------------------------------


@pytest.fixture
def one_shot_server(tmp_path: Path) -> Iterator[tuple[str, list[bytes]]]:
    """A unix socket answering each connection with a canned /_ping reply, then a
    closed connection; yields (url, the raw requests received)."""
    path = tmp_path / "tiny.sock"
    received: list[bytes] = []
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen(4)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                received.append(conn.recv(65536))
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nLibpod-Api-Version: 4.3.1\r\n"
                    b"Content-Length: 2\r\nConnection: close\r\n\r\nOK"
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"unix://{path}", received
    stop.set()
    thread.join(5)
    server.close()


def test_http_plus_unix_percent_encoded_reaches_the_socket(
    one_shot_server: tuple[str, list[bytes]],
) -> None:
    url, received = one_shot_server
    encoded = "http+unix://" + url.removeprefix("unix://").replace("/", "%2F")
    with PodmanClient(encoded) as client:
        assert client.ping() is True
        assert client.api_version == "4.3.1"
    assert received[0].startswith(b"GET /libpod/_ping HTTP/1.1")


def test_unix_socket_ignores_proxy_variables(
    one_shot_server: tuple[str, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, received = one_shot_server
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on port 9
    with PodmanClient(url) as client:
        assert client.ping() is True
    assert len(received) == 1


@pytest.mark.parametrize(
    ("base_url", "endpoint", "host"),
    [
        ("unix:///run/x/podman.sock", "unix:///run/x/podman.sock", "d"),
        ("http+unix://%2Frun%2Fx%2Fpodman.sock", "unix:///run/x/podman.sock", "d"),
        ("tcp://10.1.2.3:8888", "http://10.1.2.3:8888", "10.1.2.3"),
        ("https://podman.example", "https://podman.example", "podman.example"),
    ],
)
def test_own_transport_with_a_base_url(base_url: str, endpoint: str, host: str) -> None:
    # A user's transport (say HTTPTransport(uds=...)) with the URL it reaches: requests
    # go through the transport with an http(s) URL, and errors name the endpoint.
    fake = system_fake()
    with PodmanClient(base_url, transport=fake.transport()) as client:
        assert client.ping() is True
        assert client.endpoint == endpoint
        client.version()
    assert [request.url.host for request in fake.requests] == [host] * 3
    assert fake.requests[0].url.scheme in ("http", "https")


def test_own_transport_with_an_ssh_url_is_refused() -> None:
    fake = system_fake()
    with pytest.raises(InvalidArgument, match="ssh"):
        PodmanClient("ssh://root@host/run/podman/podman.sock", transport=fake.transport())
    assert fake.requests == []
