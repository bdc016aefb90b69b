"""Large test images in seconds: a docker-archive written here and loaded.

Building an image of a hundred MiB through the service took 80 s on this machine (the
build copies and hashes the payload several times); writing the archive directly and
loading it takes a second or two. Faults need payloads that large, so that the fault
lands while data still flows.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

from tests.harness.podman_service import LIBPOD, PodmanService, uds_client

LOAD_TIMEOUT = 600.0


def _tar(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_docker_archive(path: Path, tag: str, size_bytes: int) -> None:
    """A docker-archive (``podman save`` format) at ``path``: one layer holding
    ``size_bytes`` random bytes (a distinct image every call), tagged ``tag``."""
    layer = _tar({"payload.bin": os.urandom(size_bytes)})
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Labels": {"podman-sdk-test": "fault"}},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": "2026-11-30T00:00:00Z", "created_by": "podman-sdk tests"}],
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_name = diff_id.removeprefix("sha256:") + "/layer.tar"
    manifest = [{"Config": config_name, "RepoTags": [tag], "Layers": [layer_name]}]
    path.write_bytes(
        _tar(
            {
                "manifest.json": json.dumps(manifest).encode(),
                config_name: config,
                layer_name: layer,
            }
        )
    )


def load_into(service: PodmanService, archive: Path) -> list[str]:
    """POST /libpod/images/load with ``archive``; the names the service reports."""
    with uds_client(service.socket_path, timeout=LOAD_TIMEOUT) as client, archive.open("rb") as f:
        response = client.post(
            f"{LIBPOD}/images/load",
            content=f,
            headers={"Content-Type": "application/x-tar"},
        )
    response.raise_for_status()
    names: list[str] = response.json()["Names"]
    return names
