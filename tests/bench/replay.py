"""Captured real responses, and a replay server that serves them on a Unix socket.

Podman 4.3.1 takes 12-22 s to list 1000 images (see /work/shared/MEASURED.md), which
would drown the client's share of the time. So the list/get benchmark captures what a
real service answers once, then measures every client against this replay server.

Capture: a private Podman 4.3.1 service; one load of a docker-archive holding ``COUNT``
tagged images, each with a one-file layer of its own, plus one small built image for
``get``. (Stacking intermediate images in one build of ``FROM scratch`` and 1000
``LABEL`` instructions was tried first: the service then had not answered one list
after 15 minutes.) Each client
(podman_sdk, podman-py) runs list(all=True) and get(name) once against the service with
a hook that notes what it requests; every distinct request, and the raw httpx ones, is
then fetched once with plain httpx and its status, headers and body stored in ``CACHE``
(gitignored).

Replay: a subprocess (so its work does not share the benchmark's GIL) with one thread
per connection and a plain socket loop, HTTP/1.1 keep-alive. It answers by exact request
target, then by the target with its ``/v<version>`` prefix removed, else 404.

    .venv/bin/python -m tests.bench.replay capture [--force]
    .venv/bin/python -m tests.bench.replay serve SOCKET [CACHE]
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from podman import PodmanClient as PodmanPyClient
from podman_sdk import PodmanClient

from tests.harness.images import build_test_image
from tests.harness.podman_service import LIBPOD, ServiceProcess, start_podman4, stop_and_remove
from tests.harness.podman_service import uds_client as harness_uds_client

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "bench_list_get" / "capture.json"
COUNT = 1000  # images in the store
GET_NAME = "localhost/bench/get:latest"
# Dropped from captured headers: the replay server frames every body itself.
FRAMING = {"transfer-encoding", "content-length", "connection", "keep-alive", "content-encoding"}
VERSION_PREFIX = re.compile(r"^/v\d[^/]*(?=/)")


@dataclass(frozen=True)
class Recorded:
    """One captured exchange."""

    method: str
    target: str  # raw path and query, as the client sent it
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "target": self.target,
            "status": self.status,
            "reason": self.reason,
            "headers": self.headers,
            "body": base64.b64encode(self.body).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recorded:
        return cls(
            data["method"],
            data["target"],
            int(data["status"]),
            data["reason"],
            [(str(k), str(v)) for k, v in data["headers"]],
            base64.b64decode(data["body"]),
        )

    def wire(self) -> bytes:
        """The whole HTTP/1.1 response, ready to send."""
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        lines += [f"{k}: {v}" for k, v in self.headers if k.lower() not in FRAMING]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass(frozen=True)
class Capture:
    """What the benchmark needs: the recorded exchanges and which target is which."""

    exchanges: list[Recorded]
    image_count: int
    get_name: str  # the name each client passes to images.get
    raw_list_target: str  # what raw httpx requests for the list
    raw_get_target: str

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "image_count": self.image_count,
            "get_name": self.get_name,
            "raw_list_target": self.raw_list_target,
            "raw_get_target": self.raw_get_target,
            "exchanges": [exchange.to_json() for exchange in self.exchanges],
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Capture:
        doc = json.loads(path.read_text())
        return cls(
            [Recorded.from_json(item) for item in doc["exchanges"]],
            int(doc["image_count"]),
            doc["get_name"],
            doc["raw_list_target"],
            doc["raw_get_target"],
        )


# -- capture --------------------------------------------------------------------------


def _tar(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def many_images_archive(count: int) -> bytes:
    """A docker-archive holding ``count`` tagged images, each with a one-file layer of
    its own (independent images: no parent chains for the server to walk)."""
    files: dict[str, bytes] = {}
    manifest = []
    for i in range(count):
        layer = _tar({f"n{i}.txt": f"{i}\n".encode()})
        layer_hex = hashlib.sha256(layer).hexdigest()
        config = json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "created": "2026-11-27T00:00:00Z",
                "config": {"Labels": {"bench": "list", "n": str(i)}, "Cmd": ["/bin/true"]},
                "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_hex}"]},
                "history": [{"created": "2026-11-27T00:00:00Z", "created_by": f"bench {i}"}],
            }
        ).encode()
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        files[f"{layer_hex}/layer.tar"] = layer
        files[config_name] = config
        manifest.append(
            {
                "Config": config_name,
                "RepoTags": [f"localhost/bench/list{i % 10}:n{i}"],
                "Layers": [f"{layer_hex}/layer.tar"],
            }
        )
    files["manifest.json"] = json.dumps(manifest).encode()
    return _tar(files)


def load_many(proc: ServiceProcess, count: int) -> None:
    """POST /libpod/images/load with a ``count``-image docker-archive."""
    with harness_uds_client(proc.socket_path, timeout=3600) as client:
        response = client.post(
            f"{LIBPOD}/images/load",
            content=many_images_archive(count),
            headers={"Content-Type": "application/x-tar"},
        )
    if response.status_code >= 300:
        raise RuntimeError(f"load: HTTP {response.status_code}: {response.text[:500]}")


def _target(url: httpx.URL) -> str:
    return url.raw_path.decode("ascii")


class _Recorded(Exception):
    """Raised by a recording hook once the request target is noted: the real service
    takes many seconds to list 1000 images, so the recording run never waits."""


def record_targets(socket_path: Path, get_name: str) -> dict[str, str]:
    """Note what each client sends for list(all=True) and get(name), without waiting
    for answers; keyed ``<client>_<call>`` (plus ``sdk_ping``)."""
    url = f"unix://{socket_path}"
    seen: list[str] = []

    def note_httpx(request: httpx.Request) -> None:
        seen.append(_target(request.url))
        if not seen[-1].endswith("/_ping"):
            raise _Recorded

    with PodmanClient(url, event_hooks={"request": [note_httpx]}) as sdk:
        with contextlib.suppress(_Recorded):
            sdk.images.list(all=True)
        with contextlib.suppress(_Recorded):
            sdk.images.get(get_name)
    sdk_seen = list(seen)

    seen.clear()

    def note_requests(request: Any, **kwargs: Any) -> Any:
        seen.append(request.path_url)
        raise _Recorded

    with PodmanPyClient(base_url=url) as podman_py:
        # requests.Session.request calls self.send: an instance attribute catches it.
        podman_py.api.send = note_requests  # type: ignore[method-assign]
        with contextlib.suppress(_Recorded):
            podman_py.images.list(all=True)
        with contextlib.suppress(_Recorded):
            podman_py.images.get(get_name)
    return {
        "sdk_ping": sdk_seen[0],
        "sdk_list": sdk_seen[1],
        "sdk_get": sdk_seen[2],
        "podman_py_list": seen[0],
        "podman_py_get": seen[1],
    }


def fetch(client: httpx.Client, target: str) -> Recorded:
    response = client.get(target, headers={"Accept-Encoding": "identity"})
    return Recorded(
        "GET",
        target,
        response.status_code,
        response.reason_phrase,
        list(response.headers.multi_items()),
        response.content,
    )


def capture(path: Path = CACHE, count: int = COUNT) -> Capture:
    """Start a private Podman 4.3.1, create the images, record, stop, clean up."""
    base = Path(tempfile.mkdtemp(prefix="bench-list-get-"))
    proc = start_podman4(base)
    try:
        started = time.monotonic()
        load_many(proc, count)
        print(f"loaded {count} images in {time.monotonic() - started:.0f} s", flush=True)
        build_test_image(proc.service, GET_NAME, size_bytes=4096, labels={"bench": "get"})
        sent = record_targets(proc.socket_path, GET_NAME)
        print(f"clients sent: {sent}", flush=True)
        raw_list = f"{LIBPOD.replace('4.0.0', proc.version)}/images/json?all=true"
        raw_get = sent["sdk_get"]
        targets = dict.fromkeys([raw_list, raw_get, *sent.values()])
        with harness_uds_client(proc.socket_path, timeout=900) as client:
            exchanges = [fetch(client, target) for target in targets]
        for exchange in exchanges:
            if exchange.status >= 400:
                raise RuntimeError(f"{exchange.target}: HTTP {exchange.status}")
        listed = json.loads(next(e.body for e in exchanges if e.target == raw_list))
        result = Capture(exchanges, len(listed), GET_NAME, raw_list, raw_get)
        result.save(path)
        return result
    finally:
        stop_and_remove(proc)
        base.rmdir()


def load_or_capture(path: Path = CACHE) -> Capture:
    if path.exists():
        return Capture.load(path)
    return capture(path)


# -- replay ---------------------------------------------------------------------------

NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 56\r\n\r\n"
    b'{"cause":"not captured","message":"404","response":404}\n'
)


def _answers(capture: Capture) -> dict[str, bytes]:
    answers: dict[str, bytes] = {}
    for exchange in capture.exchanges:
        wire = exchange.wire()
        answers.setdefault(VERSION_PREFIX.sub("", exchange.target), wire)
    for exchange in capture.exchanges:  # exact targets win over stripped ones
        answers[exchange.target] = exchange.wire()
    return answers


def _serve_connection(conn: socket.socket, answers: dict[str, bytes]) -> None:
    buffer = b""
    with conn:
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                continue
            head, buffer = buffer[:end], buffer[end + 4 :]
            lines = head.split(b"\r\n")
            _method, target, _version = lines[0].decode("latin-1").split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buffer) < length:  # discard any request body
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            answer = answers.get(target) or answers.get(VERSION_PREFIX.sub("", target))
            conn.sendall(answer if answer is not None else NOT_FOUND)


def serve(socket_path: str, capture_path: Path) -> None:
    """Serve until killed."""
    answers = _answers(Capture.load(capture_path))
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=_serve_connection, args=(conn, answers), daemon=True).start()


class ReplayServer:
    """``with ReplayServer(capture_path) as socket_path:`` a replay subprocess on a
    socket in a new temporary directory, stopped by its PID on exit."""

    def __init__(self, capture_path: Path = CACHE) -> None:
        self.capture_path = capture_path
        self._dir = tempfile.mkdtemp(prefix="bench-replay-")
        self.socket_path = os.path.join(self._dir, "replay.sock")
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.bench.replay",
                "serve",
                self.socket_path,
                str(self.capture_path),
            ],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"replay server exited with {self._process.returncode}")
            if os.path.exists(self.socket_path):
                probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    probe.connect(self.socket_path)
                    return self.socket_path
                except OSError:
                    pass
                finally:
                    probe.close()
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("replay server did not start in 30 s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        os.rmdir(self._dir)


def main(argv: list[str]) -> int:
    if argv[:1] == ["capture"]:
        if CACHE.exists() and "--force" not in argv:
            print(f"{CACHE} exists; --force to capture again")
            return 0
        result = capture(CACHE)
        print(f"captured {len(result.exchanges)} exchanges, {result.image_count} images: {CACHE}")
        return 0
    if argv[:1] == ["serve"] and len(argv) >= 2:
        serve(argv[1], Path(argv[2]) if len(argv) > 2 else CACHE)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
