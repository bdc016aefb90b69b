"""Build test images offline and push them, straight through a service's REST API.

Deliberately independent of podman_sdk (the code under test): plain httpx on the Unix
socket, the routes spelled out.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tarfile
from collections.abc import Iterable, Iterator
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from tests.harness.podman_service import LIBPOD, PodmanService, uds_client

BUILD_TIMEOUT = 300.0


class ProgressError(RuntimeError):
    """A progress stream carried an ``error`` value, or the request failed."""


def iter_json_values(chunks: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """Decode concatenated JSON values, however the chunks split or join them."""
    decoder = json.JSONDecoder()
    buffer = ""
    for chunk in chunks:
        buffer += chunk.decode()
        while True:
            buffer = buffer.lstrip()
            if not buffer:
                break
            try:
                value, end = decoder.raw_decode(buffer)
            except json.JSONDecodeError:
                break  # incomplete: wait for more bytes
            buffer = buffer[end:]
            yield value
    if buffer.strip():
        raise ProgressError(f"trailing bytes in progress stream: {buffer[:200]!r}")


def read_progress(response: httpx.Response, what: str) -> list[dict[str, Any]]:
    """Read a progress stream to its end; raise on a bad status or an ``error`` value."""
    if response.status_code >= 300:
        response.read()
        raise ProgressError(f"{what}: HTTP {response.status_code}: {response.text[:500]}")
    values = []
    for value in iter_json_values(response.iter_bytes()):
        if value.get("error"):
            raise ProgressError(f"{what}: {value['error']}")
        values.append(value)
    return values


def build_context(tag: str, size_bytes: int) -> bytes:
    """A tar build context: a Containerfile FROM scratch copying generated files."""
    containerfile = "FROM scratch\nCOPY payload.bin /payload.bin\nCOPY tag.txt /tag.txt\n"
    files = {
        "Containerfile": containerfile.encode(),
        # Random bytes: every build yields a distinct layer and so a distinct image.
        "payload.bin": os.urandom(size_bytes),
        "tag.txt": tag.encode() + b"\n",
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def image_id(service: PodmanService, name: str) -> str:
    """The full image id (64 hex digits) of ``name`` in ``service``'s store."""
    with uds_client(service.socket_path) as client:
        response = client.get(f"{LIBPOD}/images/{quote(name, safe='')}/json")
        response.raise_for_status()
        full: str = response.json()["Id"]
    return full.removeprefix("sha256:")


def image_exists(service: PodmanService, name: str) -> bool:
    """GET /libpod/images/{name}/exists: 204 when present, 404 when absent."""
    with uds_client(service.socket_path) as client:
        response = client.get(f"{LIBPOD}/images/{quote(name, safe='')}/exists")
    if response.status_code not in (204, 404):
        raise ProgressError(f"exists {name}: HTTP {response.status_code}: {response.text}")
    return response.status_code == 204


class ImageFactory(Protocol):
    """The ``image_factory`` fixture: :func:`build_test_image`, cleaned up after the test."""

    def __call__(
        self,
        service: PodmanService,
        tag: str,
        *,
        size_bytes: int = 1024,
        labels: dict[str, str] | None = None,
    ) -> str: ...


def build_test_image(
    service: PodmanService,
    tag: str,
    *,
    size_bytes: int = 1024,
    labels: dict[str, str] | None = None,
) -> str:
    """Build a one-layer image tagged ``tag`` offline; return its full image id.

    POST /libpod/build with a tar context; the body is a JSON progress stream that is
    read to its end. Raises :class:`ProgressError` on an ``error`` value.
    """
    params: dict[str, str] = {"t": tag, "dockerfile": "Containerfile", "rm": "true"}
    if labels:
        params["labels"] = json.dumps(labels)
    with (
        uds_client(service.socket_path, timeout=BUILD_TIMEOUT) as client,
        client.stream(
            "POST",
            f"{LIBPOD}/build",
            params=params,
            content=build_context(tag, size_bytes),
            headers={"Content-Type": "application/x-tar"},
        ) as response,
    ):
        read_progress(response, f"build {tag}")
    return image_id(service, tag)


def registry_auth_header(username: str, password: str) -> str:
    """The X-Registry-Auth value: base64url of the JSON credentials."""
    doc = json.dumps({"username": username, "password": password}).encode()
    return base64.urlsafe_b64encode(doc).decode()


def push_image(
    service: PodmanService,
    name: str,
    destination: str,
    *,
    tls_verify: bool | None = False,
    username: str | None = None,
    password: str | None = None,
) -> None:
    """POST /libpod/images/{name}/push?destination=...; raise on failure.

    ``tls_verify=None`` leaves the choice to the service's registries.conf.
    """
    headers = {}
    if username is not None and password is not None:
        headers["X-Registry-Auth"] = registry_auth_header(username, password)
    params = {"destination": destination}
    if tls_verify is not None:
        params["tlsVerify"] = str(tls_verify).lower()
    with (
        uds_client(service.socket_path, timeout=BUILD_TIMEOUT) as client,
        client.stream(
            "POST",
            f"{LIBPOD}/images/{quote(name, safe='')}/push",
            params=params,
            headers=headers,
        ) as response,
    ):
        read_progress(response, f"push {name} to {destination}")


def pull_image(
    service: PodmanService,
    reference: str,
    *,
    tls_verify: bool | None = False,
    username: str | None = None,
    password: str | None = None,
) -> str:
    """POST /libpod/images/pull?reference=...; return the pulled image's full id.

    A failed pull may answer 200 with an ``error`` value in the stream: that raises too.
    """
    headers = {}
    if username is not None and password is not None:
        headers["X-Registry-Auth"] = registry_auth_header(username, password)
    params = {"reference": reference}
    if tls_verify is not None:
        params["tlsVerify"] = str(tls_verify).lower()
    with (
        uds_client(service.socket_path, timeout=BUILD_TIMEOUT) as client,
        client.stream("POST", f"{LIBPOD}/images/pull", params=params, headers=headers) as response,
    ):
        values = read_progress(response, f"pull {reference}")
    ids = [value["id"] for value in values if value.get("id")]
    if not ids:
        raise ProgressError(f"pull {reference}: no image id in the stream: {values[-3:]}")
    full: str = ids[-1]
    return full.removeprefix("sha256:")


def remove_image(service: PodmanService, name: str) -> None:
    """DELETE /libpod/images/{name}?force=true; an absent image is fine."""
    with uds_client(service.socket_path) as client:
        response = client.delete(
            f"{LIBPOD}/images/{quote(name, safe='')}", params={"force": "true"}
        )
    if response.status_code not in (200, 404):
        raise ProgressError(f"remove {name}: HTTP {response.status_code}: {response.text}")
