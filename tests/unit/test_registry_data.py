"""get_registry_data on a mock transport: ``tls_verify=False`` on Podman 4.3.1 (which
reads no tlsVerify on this route) raises `UnsupportedServer` before sending (the send
path's gate); on a release the pinned specs do not date (5.0, between 4.3.1 and 5.4.2)
it is sent, and a refusal that shows the server verified TLS anyway raises
`UnsupportedServer` naming the server and quoting its answer, never `NotFound`; a whole
push's digest question is asked again with TLS verified where the gate refuses it; for
PodmanClient and AsyncPodmanClient alike."""

from __future__ import annotations

from contextlib import AbstractContextManager

import httpx
import pytest
from podman_sdk import NotFound, PodmanClient, UnsupportedServer

from tests.harness.both_clients import client_for

# Podman 4.3.1's answer, as measured against the plain-HTTP registry fixture.
HTTPS_TO_HTTP = (
    'reading image "docker://127.0.0.2:5000/sdk/app:v1": pinging container registry '
    '127.0.0.2:5000: Get "https://127.0.0.2:5000/v2/": http: server gave HTTP response '
    "to HTTPS client"
)
UNTRUSTED = (
    'pinging container registry 127.0.0.1:5443: Get "https://127.0.0.1:5443/v2/": '
    "x509: certificate signed by unknown authority"
)


def client_answering(
    message: str, flavour: str, version: str = "5.0.0"
) -> tuple[AbstractContextManager[PodmanClient], list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = {"cause": message.rsplit(": ", 1)[-1], "message": message, "response": 404}
        return httpx.Response(404, json=body)

    transport = httpx.MockTransport(handler)
    return client_for(flavour, None, transport=transport, version=version), sent


@pytest.mark.parametrize("message", [HTTPS_TO_HTTP, UNTRUSTED])
def test_tls_verify_false_ignored_by_the_server_says_which_server_and_why(
    message: str, flavour: str
) -> None:
    connect, sent = client_answering(message, flavour)
    with connect as client, pytest.raises(UnsupportedServer) as info:
        client.images.get_registry_data("127.0.0.2:5000/sdk/app:v1", tls_verify=False)
    text = str(info.value)
    assert "libpod API 5.0.0" in text
    assert "tls_verify=False" in text
    assert "answered 404" in text
    assert message in text
    assert not isinstance(info.value, NotFound)
    assert sent[0].url.params["tlsVerify"] == "false"  # it was asked


def test_tls_verify_false_is_refused_before_sending_on_4_3_1(flavour: str) -> None:
    connect, sent = client_answering(HTTPS_TO_HTTP, flavour, version="4.3.1")
    with connect as client, pytest.raises(UnsupportedServer) as info:
        client.images.get_registry_data("127.0.0.2:5000/sdk/app:v1", tls_verify=False)
    assert "does not read the query parameter 'tlsVerify'" in str(info.value)
    assert "added by Podman 5.4.2, not in 4.3.1" in str(info.value)
    assert sent == []


@pytest.mark.parametrize("message", [HTTPS_TO_HTTP, "manifest unknown: manifest unknown"])
def test_other_refusals_stay_not_found(message: str, flavour: str) -> None:
    connect, _ = client_answering(message, flavour)
    verify = message == HTTPS_TO_HTTP  # with verification asked for, the server did right
    with connect as client, pytest.raises(NotFound, match=r"manifest unknown|HTTPS client"):
        client.images.get_registry_data("127.0.0.2:5000/sdk/app:v1", tls_verify=verify)


def pushing_client(
    flavour: str, version: str
) -> tuple[AbstractContextManager[PodmanClient], list[httpx.Request]]:
    """A service that pushes as Podman 4 does (no digest in the stream), and answers
    the registry question with a manifest list (whose digest is not known)."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/push"):
            return httpx.Response(200, content=b'{"stream":"Writing manifest\\n"}\n')
        return httpx.Response(200, json={"schemaVersion": 2, "manifests": []})

    transport = httpx.MockTransport(handler)
    return client_for(flavour, None, transport=transport, version=version), sent


def test_a_push_asks_the_digest_with_tls_verified_where_the_gate_refuses_it(
    flavour: str,
) -> None:
    # Podman 4.3.1 cannot take tls_verify=False on the manifest route: the push's
    # digest question is asked again as that server reads it, never left unasked.
    connect, sent = pushing_client(flavour, "4.3.1")
    with connect as client:
        result = client.images.push("127.0.0.2:5000/sdk/app:v1", tls_verify=False)
    assert result.manifest_digest is None  # a list's digest cannot be known
    asked = [request for request in sent if "/manifests/" in request.url.path]
    assert [request.url.params["tlsVerify"] for request in asked] == ["true"]
    assert sent[0].url.params["tlsVerify"] == "false"  # the push itself as asked


def test_a_push_asks_the_digest_as_told_where_the_server_reads_it(flavour: str) -> None:
    connect, sent = pushing_client(flavour, "5.0.0")
    with connect as client:
        client.images.push("127.0.0.2:5000/sdk/app:v1", tls_verify=False)
    asked = [request for request in sent if "/manifests/" in request.url.path]
    assert [request.url.params["tlsVerify"] for request in asked] == ["false"]
