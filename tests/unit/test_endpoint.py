"""parse_base_url for every URL form, describe, and the transports build_transport returns."""

from __future__ import annotations

import gc
import socket
import ssl
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from podman_sdk._exceptions import InvalidArgument
from podman_sdk._transport import (
    ROOTFUL_SOCKET_PATH,
    SshEndpoint,
    TcpEndpoint,
    UnixEndpoint,
    build_transport,
    describe,
    parse_base_url,
)
from podman_sdk._transport.build import _tls_context
from podman_sdk._transport.ssh_tunnel import ssh_command


@pytest.mark.parametrize(
    "url",
    [
        "unix:///run/podman/podman.sock",
        "unix:/run/podman/podman.sock",
        "http+unix:///run/podman/podman.sock",
        "http+unix://%2Frun%2Fpodman%2Fpodman.sock",
        "unix://%2Frun%2Fpodman%2Fpodman.sock",
        "http+unix://%2frun%2fpodman%2fpodman.sock/",
        "UNIX:///run/podman/podman.sock",
    ],
)
def test_unix_forms_name_the_socket_path(url: str) -> None:
    endpoint = parse_base_url(url)
    assert endpoint == UnixEndpoint("/run/podman/podman.sock")
    assert endpoint.kind == "unix"
    assert not endpoint.uses_proxy_env


def test_unix_path_with_percent_escapes_is_decoded() -> None:
    assert parse_base_url("unix:///tmp/a%20b/p.sock") == UnixEndpoint("/tmp/a b/p.sock")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("unix://run/podman/podman.sock", "unix:///run/podman/podman.sock"),
        ("unix://", "names no socket path"),
        ("unix:podman.sock", "must be absolute"),
        ("http+unix://%2Frun%2Fp.sock/v4/libpod", "path '/v4/libpod' after the encoded"),
        ("unix:///run/p.sock?x=1", "query or fragment"),
        ("unix:///run/p.sock#frag", "query or fragment"),
    ],
)
def test_bad_unix_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidArgument, match="base_url") as info:
        parse_base_url(url)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("tcp://localhost:8080", TcpEndpoint("http", "localhost", 8080)),
        ("tcp://10.0.0.1:8888/", TcpEndpoint("http", "10.0.0.1", 8888)),
        # Podman's own spelling of a listen address, which podman-py accepts too.
        ("tcp:localhost:8889", TcpEndpoint("http", "localhost", 8889)),
        ("TCP:10.0.0.1:8888", TcpEndpoint("http", "10.0.0.1", 8888)),
        ("http://podman.example:8080", TcpEndpoint("http", "podman.example", 8080)),
        ("http://podman.example", TcpEndpoint("http", "podman.example", 80)),
        ("https://podman.example", TcpEndpoint("https", "podman.example", 443)),
        ("https://podman.example:8443", TcpEndpoint("https", "podman.example", 8443)),
        ("http://[::1]:8080", TcpEndpoint("http", "::1", 8080)),
    ],
)
def test_tcp_forms(url: str, expected: TcpEndpoint) -> None:
    endpoint = parse_base_url(url)
    assert endpoint == expected
    assert endpoint.uses_proxy_env


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("tcp://localhost", "needs a port"),
        ("tcp://:8080", "names no host"),
        ("tcp:localhost", "needs a port"),
        ("http://host:99999", "invalid port"),
        ("http://host:abc", "invalid port"),
        ("http://host:0", "port 0"),
        ("http://host:8080/v4", "has a path '/v4'"),
        ("http://user:pw@host:8080", "credentials"),
        ("http://host:8080?a=b", "query or fragment"),
    ],
)
def test_bad_tcp_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_base_url(url)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "ssh://alice@host.example:2222/run/user/1000/podman/podman.sock",
            SshEndpoint("host.example", "/run/user/1000/podman/podman.sock", "alice", 2222),
        ),
        ("ssh://root@host", SshEndpoint("host", ROOTFUL_SOCKET_PATH, "root", None)),
        ("ssh://root@host/", SshEndpoint("host", ROOTFUL_SOCKET_PATH, "root", None)),
        ("ssh://host/run/p.sock", SshEndpoint("host", "/run/p.sock", None, None)),
        (
            "http+ssh://root@host/run/podman/podman.sock?secure=True",
            SshEndpoint("host", ROOTFUL_SOCKET_PATH, "root", None),
        ),
        ("ssh://core@[::1]:22/run/p.sock", SshEndpoint("::1", "/run/p.sock", "core", 22)),
    ],
)
def test_ssh_forms(url: str, expected: SshEndpoint) -> None:
    endpoint = parse_base_url(url)
    assert endpoint == expected
    assert not endpoint.uses_proxy_env


def test_ssh_identity_is_kept() -> None:
    endpoint = parse_base_url("ssh://root@host", identity="~/.ssh/id_ed25519")
    assert isinstance(endpoint, SshEndpoint)
    assert endpoint.identity == "~/.ssh/id_ed25519"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ssh://alice@host", "rootless one is like /run/user/<uid>"),
        ("ssh://host", "names no remote socket path"),
        ("ssh:///run/p.sock", "names no host"),
        ("ssh://root:pw@host/run/p.sock", "passwords"),
        ("ssh://root@host/run/p.sock?foo=1", "unsupported query parameters ['foo']"),
        ("ssh://root@host/run/p.sock#x", "fragment"),
        ("ssh://-oProxyCommand=x/run/p.sock", "must not start with '-'"),
        ("ssh://-x@host/run/p.sock", "must not start with '-'"),
    ],
)
def test_bad_ssh_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_base_url(url)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("/run/podman/podman.sock", "has no scheme"),
        ("npipe:////./pipe/podman", "unsupported scheme 'npipe'"),
        ("ftp://host", "unsupported scheme 'ftp'"),
    ],
)
def test_unknown_schemes_are_refused(url: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_base_url(url)
    assert reason in str(info.value)


def test_identity_only_for_ssh() -> None:
    with pytest.raises(InvalidArgument, match="only to ssh://"):
        parse_base_url("unix:///run/p.sock", identity="/key")


def test_invalid_argument_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="scheme"):
        parse_base_url("nope://x")


@pytest.mark.parametrize(
    "url",
    [
        "unix:///run/podman/podman.sock",
        "http://host:8080",
        "https://[::1]:8443",
        "ssh://root@host:2222/run/podman/podman.sock",
        "ssh://host/run/user/1000/podman/podman.sock",
    ],
)
def test_describe_round_trips(url: str) -> None:
    assert describe(parse_base_url(url)) == url
    assert parse_base_url(describe(parse_base_url(url))) == parse_base_url(url)


def test_describe_tcp_normalises_to_http() -> None:
    assert describe(parse_base_url("tcp://h:1")) == "http://h:1"


# --- build_transport -------------------------------------------------------


def test_ssh_endpoint_needs_a_tunnel() -> None:
    with pytest.raises(InvalidArgument, match="needs a tunnel"):
        build_transport(parse_base_url("ssh://root@host"))


@pytest.mark.parametrize("url", ["unix:///run/p.sock", "http://host:8080"])
def test_tls_options_on_plain_endpoints_are_refused(url: str) -> None:
    endpoint = parse_base_url(url)
    with pytest.raises(InvalidArgument, match="https:// only"):
        build_transport(endpoint, tls_verify=False)
    with pytest.raises(InvalidArgument, match="https:// only"):
        build_transport(endpoint, client_cert="/cert.pem")


def test_negative_retries_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="retries"):
        build_transport(parse_base_url("http://h:1"), retries=-1)


def test_missing_ca_bundle_is_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="cannot load TLS files"):
        build_transport(parse_base_url("https://h"), tls_verify="/nonexistent/ca.pem")


def test_tcp_base_urls() -> None:
    transport, base = build_transport(parse_base_url("tcp://[::1]:8080"))
    with transport:
        assert base == "http://[::1]:8080"
    transport, base = build_transport(parse_base_url("https://h"), tls_verify=False)
    with transport:
        assert base == "https://h:443"


def _serve_once(listener: socket.socket, body: bytes, chunk: int) -> None:
    conn, _ = listener.accept()
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for start in range(0, len(body), chunk):
            piece = body[start : start + chunk]
            conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
        conn.sendall(b"0\r\n\r\n")


@pytest.fixture
def unix_listener() -> Iterator[tuple[socket.socket, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "t.sock")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(path)
            listener.listen(1)
            yield listener, path


def test_unix_transport_reads_large_chunked_body(unix_listener: tuple[socket.socket, str]) -> None:
    """The large-read stream hands h11 more than it asked for; the body must stay intact."""
    listener, path = unix_listener
    body = bytes(range(256)) * 40_000  # ~10 MiB, not a multiple of the chunk size
    server = threading.Thread(target=_serve_once, args=(listener, body, 32 * 1024 + 7))
    server.start()
    transport, base = build_transport(UnixEndpoint(path), unix_read_size=1024 * 1024)
    assert base == "http://d"
    with httpx.Client(transport=transport, base_url=base, trust_env=False) as client:
        response = client.get("/_ping")
    server.join()
    assert response.status_code == 200
    assert response.content == body


def _serve_filling(listener: socket.socket, body: bytes, buffer_full: threading.Event) -> None:
    """Answer with ``body``, setting ``buffer_full`` once the socket takes no more."""
    conn, _ = listener.accept()
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(65536)
        data = memoryview(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        conn.setblocking(False)
        while data:
            try:
                data = data[conn.send(data) :]
            except BlockingIOError:
                break
        buffer_full.set()
        conn.setblocking(True)
        conn.sendall(data)


def test_unix_transport_reads_more_than_httpcores_64_kib(
    unix_listener: tuple[socket.socket, str],
) -> None:
    """Guards the pool replacement in _UnixSocketTransport against httpx changes."""
    listener, path = unix_listener
    body = b"x" * (8 * 1024 * 1024)
    buffer_full = threading.Event()
    server = threading.Thread(target=_serve_filling, args=(listener, body, buffer_full))
    server.start()
    transport, base = build_transport(UnixEndpoint(path))
    with (
        httpx.Client(transport=transport, base_url=base, trust_env=False) as client,
        client.stream("GET", "/big") as response,
    ):
        # Far more than 64 KiB waits in the socket now (the buffers hold about 200 KiB).
        assert buffer_full.wait(30)
        sizes = [len(chunk) for chunk in response.iter_raw()]
    server.join()
    assert sum(sizes) == len(body)
    assert max(sizes) > 64 * 1024


def test_unix_transport_ignores_proxy_settings(
    unix_listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY must not divert requests meant for the socket, even with a default client."""
    listener, path = unix_listener
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    server = threading.Thread(target=_serve_once, args=(listener, b"OK", 2))
    server.start()
    endpoint = UnixEndpoint(path)
    transport, base = build_transport(endpoint)
    with httpx.Client(
        transport=transport, base_url=base, trust_env=endpoint.uses_proxy_env
    ) as client:
        response = client.get("/_ping")
    server.join()
    assert response.content == b"OK"


def test_refused_unix_connect_is_connect_error_and_leaks_no_socket() -> None:
    """httpcore's own backend leaves the socket open when connect() fails (1.0.9)."""
    transport, base = build_transport(UnixEndpoint("/nonexistent/podman.sock"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with (
            httpx.Client(transport=transport, base_url=base, trust_env=False) as client,
            pytest.raises(httpx.ConnectError, match="No such file"),
        ):
            client.get("/_ping")
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def _serve_keepalive(listener: socket.socket, answers: int) -> None:
    conn, _ = listener.accept()
    with conn:
        buffered = b""
        for _ in range(answers):
            while b"\r\n\r\n" not in buffered:
                buffered += conn.recv(65536)
            _, buffered = buffered.split(b"\r\n\r\n", 1)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")


def test_unix_transport_reuses_a_kept_alive_connection(
    unix_listener: tuple[socket.socket, str],
) -> None:
    listener, path = unix_listener
    server = threading.Thread(target=_serve_keepalive, args=(listener, 2))
    server.start()
    transport, base = build_transport(UnixEndpoint(path))
    with httpx.Client(transport=transport, base_url=base, trust_env=False) as client:
        assert client.get("/a").content == b"OK"
        assert client.get("/b").content == b"OK"
    server.join()


def test_unix_transport_reconnects_after_the_server_closed_an_idle_connection(
    unix_listener: tuple[socket.socket, str],
) -> None:
    listener, path = unix_listener

    first_closed = threading.Event()

    def serve_twice() -> None:
        _serve_keepalive(listener, 1)  # answers once, then closes the connection
        first_closed.set()
        _serve_keepalive(listener, 1)

    server = threading.Thread(target=serve_twice)
    server.start()
    transport, base = build_transport(UnixEndpoint(path))
    with httpx.Client(transport=transport, base_url=base, trust_env=False) as client:
        assert client.get("/a").content == b"OK"
        # Waited for, not slept on: the pooled connection must already read as closed.
        assert first_closed.wait(10)
        assert client.get("/b").content == b"OK"
    server.join()


def test_tls_verify_false_turns_checks_off_and_true_keeps_them() -> None:
    assert _tls_context(False, None).verify_mode == ssl.CERT_NONE
    assert not _tls_context(False, None).check_hostname
    assert _tls_context(True, None).verify_mode == ssl.CERT_REQUIRED
    assert _tls_context(True, None).check_hostname


def test_missing_client_cert_is_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="cannot load TLS files"):
        build_transport(parse_base_url("https://h"), client_cert=("/no/cert.pem", "/no/key.pem"))


# --- the ssh command line for ssh:// endpoints ----------------------------------


def test_ssh_command_forwards_the_remote_socket_with_checks_on() -> None:
    endpoint = parse_base_url("ssh://core@host.example:2222/run/user/1000/podman/podman.sock")
    assert isinstance(endpoint, SshEndpoint)
    command = ssh_command(endpoint, "/tmp/x/podman.sock", known_hosts_file="/kh")
    assert command == [
        "ssh",
        "-N",
        "-o",
        "ExitOnForwardFailure=yes",
        "-o",
        "StreamLocalBindUnlink=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=15",
        "-o",
        "ControlPath=none",
        "-o",
        "UserKnownHostsFile=/kh",
        "-p",
        "2222",
        "-L",
        "/tmp/x/podman.sock:/run/user/1000/podman/podman.sock",
        "--",
        "core@host.example",
    ]
    assert not any("StrictHostKeyChecking" in part for part in command)


def test_ssh_command_identity_config_and_no_user() -> None:
    endpoint = parse_base_url("ssh://host/run/p.sock", identity="/keys/id")
    assert isinstance(endpoint, SshEndpoint)
    command = ssh_command(endpoint, "/l.sock", ssh_config_file="/cfg", ssh_binary="/usr/bin/ssh")
    assert command[:3] == ["/usr/bin/ssh", "-F", "/cfg"]
    assert command[command.index("-i") + 1] == "/keys/id"
    assert "-p" not in command
    assert command[-2:] == ["--", "host"]


def test_ssh_command_refuses_option_like_hosts() -> None:
    with pytest.raises(InvalidArgument, match="must not start with '-'"):
        ssh_command(SshEndpoint(host="-oProxyCommand=x", path="/p.sock"), "/l.sock")
