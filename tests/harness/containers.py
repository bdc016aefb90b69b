"""Containers that start on this kind of host, straight through the REST API.

What a container needs here, on Podman 4, 5 and 6 alike (measured in
../shared/MEASURED.md): a service running with cgroup v2 over /sys/fs/cgroup
(:func:`tests.harness.podman_service.cgroup2_namespace`), ``default_ulimits`` within the
host's hard limits in its containers.conf, and each container created with cgroups
disabled and no network (:data:`RUNNABLE_SETTINGS`). Podman 6 also needs a crun newer
than Debian 12's, which its build brings.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.harness.images import BUILD_TIMEOUT, ProgressError, image_id, read_progress, remove_image
from tests.harness.podman_service import LIBPOD, PodmanService, uds_client

# Debian's busybox-static: one static binary, so the image runs with nothing else in it.
BUSYBOX = Path("/bin/busybox")
BUSYBOX_CONTAINERFILE = (
    'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "echo", "hello"]\n'
)

# Body fields of POST /libpod/containers/create (CLI: --cgroups=disabled --network none).
RUNNABLE_SETTINGS: dict[str, Any] = {"cgroups_mode": "disabled", "netns": {"nsmode": "none"}}


def busybox_context() -> bytes:
    """A tar build context: the Containerfile and the host's static busybox."""
    data = BUSYBOX.read_bytes()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, content, mode in (
            ("Containerfile", BUSYBOX_CONTAINERFILE.encode(), 0o644),
            ("busybox", data, 0o755),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = mode
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


@contextmanager
def busybox_image(service: PodmanService, purpose: str) -> Iterator[str]:
    """A busybox image of its own for ``purpose`` (a test module's), removed afterwards:
    its tag."""
    tag = f"localhost/{purpose}/busybox-{service.name}:v1"
    build_busybox_image(service, tag)
    try:
        yield tag
    finally:
        remove_image(service, tag)


def build_busybox_image(service: PodmanService, tag: str) -> str:
    """Build ``tag`` FROM scratch with /bin/busybox, offline; return its full image id.

    Its default command prints "hello"; ``/bin/busybox sh -c ...`` runs anything else.
    """
    if not BUSYBOX.is_file():
        raise ProgressError(f"{BUSYBOX} missing: install Debian's busybox-static")
    with (
        uds_client(service.socket_path, timeout=BUILD_TIMEOUT) as client,
        client.stream(
            "POST",
            f"{LIBPOD}/build",
            params={"t": tag, "dockerfile": "Containerfile", "rm": "true"},
            content=busybox_context(),
            headers={"Content-Type": "application/x-tar"},
        ) as response,
    ):
        read_progress(response, f"build {tag}")
    return image_id(service, tag)


def demux_logs(body: bytes) -> list[tuple[int, bytes]]:
    """Split a non-tty log body into (stream, payload) frames: 1 stdout, 2 stderr.

    Each frame is an 8-byte header (stream, three zero bytes, big-endian length) and
    its payload, as Docker's attach/logs protocol frames them.
    """
    frames = []
    offset = 0
    while offset < len(body):
        header = body[offset : offset + 8]
        if len(header) < 8:
            raise ProgressError(f"truncated log frame header at {offset}: {header!r}")
        size = int.from_bytes(header[4:], "big")
        frames.append((header[0], body[offset + 8 : offset + 8 + size]))
        offset += 8 + size
    return frames


def remove_container(service: PodmanService, name: str) -> None:
    """DELETE /libpod/containers/{name}?force=true; an absent container is fine."""
    with uds_client(service.socket_path) as client:
        response = client.delete(
            f"{LIBPOD}/containers/{quote(name, safe='')}", params={"force": "true"}
        )
    if response.status_code not in (200, 204, 404):
        raise ProgressError(f"remove {name}: HTTP {response.status_code}: {response.text}")
