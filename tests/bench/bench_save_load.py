"""Save to a file and load from a file, 1 GiB single-layer image of random bytes.

Starts a private Podman 4.3.1 service, builds the image once, then measures, each in a
fresh subprocess and interleaved (median of RUNS):

- save: podman_sdk ``Image.save_to`` (which also computes the sha256 and renames a
  temporary file into place) and ``Image.save()`` written to a file (podman-py's snippet,
  line for line) vs ``curl -o`` on the same endpoint vs podman-py 5.8.0
  ``images.get(name).save()`` written to a file;
- load: podman_sdk ``images.load(file_path=)`` vs ``curl -T`` vs podman-py
  ``images.load(file_path=)``; the image is removed before every load so each one
  writes the layer (a store that has it already skips it);
- ``AsyncPodmanClient``'s ``save_to``, ``save()`` written to a file and ``load``, each
  against the sync client's figure from the same rounds (bar 0.95x);
- the contenders run in a rotating order (`rotated`), after one untimed export;
- peak RSS growth of each Python client: its high-water mark minus its resident set
  after the imports, in the subprocess itself (tests/bench/child.py).

A save is measured end to end and from its first byte on (tests/bench/report.py,
`transfer`): the server writes the whole export to a temporary file before it sends
headers (MEASURED.md), a wait no client can shorten, so the bar is on the body rate.

    .venv/bin/python -m tests.bench.bench_save_load [RUNS]

``BENCH_SAVE_LOAD_SOCKET=/path/podman.sock`` (with an image named
``localhost/bench-save-load:1g`` already in that service) skips the service and the
build, for iterating on the client.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from tests.bench.child import run_python, snippet
from tests.bench.report import Ratio, body_rate, describe_rounds, median, transfer
from tests.harness.images import read_progress, remove_image
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import LIBPOD, start_podman4, stop_and_remove, uds_client

SIZE = 1 << 30
MIB = 1024 * 1024
NAME = "localhost/bench-save-load:1g"
API = "http://d/v4.3.1/libpod"
RSS_BAR_MIB = 64.0

# Each snippet runs in its own interpreter (tests/bench/child.py).
_ARGV = "sock, name, path"

SDK_SAVE = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client:
    client.images.get(name).save_to(path, progress=arrived)
""",
)
# Like for like with podman-py's snippet below: the iterator written to a file, with
# no hashing and no rename.
SDK_SAVE_STREAM = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client, open(path, "wb") as file:
    for chunk in client.images.get(name).save():
        arrived()
        file.write(chunk)
""",
)
SDK_LOAD = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client:
    assert client.images.load(file_path=path)
""",
)
# The async client, each call as the sync snippet above makes it, on its own event loop.
_ASYNC_IMPORTS = "import asyncio\nfrom podman_sdk import AsyncPodmanClient"
ASYNC_SAVE = snippet(
    _ARGV,
    imports=_ASYNC_IMPORTS,
    body="""
async def main():
    async with AsyncPodmanClient("unix://" + sock, version="4.3.1") as client:
        await (await client.images.get(name)).save_to(path, progress=arrived)
asyncio.run(main())
""",
)
ASYNC_SAVE_STREAM = snippet(
    _ARGV,
    imports=_ASYNC_IMPORTS,
    body="""
async def main():
    async with AsyncPodmanClient("unix://" + sock, version="4.3.1") as client:
        with open(path, "wb") as file:
            async for chunk in (await client.images.get(name)).save():
                arrived()
                file.write(chunk)
asyncio.run(main())
""",
)
ASYNC_LOAD = snippet(
    _ARGV,
    imports=_ASYNC_IMPORTS,
    body="""
async def main():
    async with AsyncPodmanClient("unix://" + sock, version="4.3.1") as client:
        assert await client.images.load(file_path=path)
asyncio.run(main())
""",
)
PODMAN_PY_SAVE = snippet(
    _ARGV,
    imports="import podman",
    body="""
with podman.PodmanClient(base_url="unix://" + sock) as client, open(path, "wb") as file:
    for chunk in client.images.get(name).save():
        arrived()
        file.write(chunk)
""",
)
PODMAN_PY_LOAD = snippet(
    _ARGV,
    imports="import podman",
    body="""
with podman.PodmanClient(base_url="unix://" + sock) as client:
    assert list(client.images.load(file_path=path))
""",
)
# curl's own figures: wall time, the child's peak RSS and CPU, and (with -w, for saves)
# when its first byte came, from a small wrapper.
CURL = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
output = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
figures = {"seconds": seconds, "rss_growth_kib": usage.ru_maxrss}
if "-w" in sys.argv:  # a save: -w prints when the first byte came (a load prints its answer)
    figures.update(first_byte=float(output.split()[-1]), body_cpu=usage.ru_utime + usage.ru_stime)
print(json.dumps(figures))
"""


class _RandomBytes:
    """A file-like source of ``size`` random bytes (random: nothing compresses)."""

    def __init__(self, size: int) -> None:
        self._left = size

    def read(self, size: int = -1) -> bytes:
        size = self._left if size < 0 else min(size, self._left)
        self._left -= size
        return os.urandom(size)


def build_image(socket_path: Path, work: Path, name: str, size: int) -> None:
    """Build a one-layer image holding ``size`` random bytes, FROM scratch.

    Not tests.harness.images.build_test_image: that sends its context as one bytes
    object, and httpcore's default sync stream re-slices the unsent rest of a buffer
    after every send(), which is quadratic: 1 GiB never finished. Here the context is
    a file on disk, sent in 1 MiB pieces.
    """
    context = work / "context.tar"
    containerfile = b"FROM scratch\nCOPY payload.bin /payload.bin\n"
    with tarfile.open(context, "w") as tar:
        info = tarfile.TarInfo("Containerfile")
        info.size = len(containerfile)
        tar.addfile(info, io.BytesIO(containerfile))
        info = tarfile.TarInfo("payload.bin")
        info.size = size
        tar.addfile(info, _RandomBytes(size))
    try:
        with (
            context.open("rb") as file,
            uds_client(socket_path, timeout=1200) as client,
            client.stream(
                "POST",
                f"{LIBPOD}/build",
                params={"t": name, "dockerfile": "Containerfile", "rm": "true"},
                content=iter(lambda: file.read(MIB), b""),
                headers={"Content-Type": "application/x-tar"},
            ) as response,
        ):
            read_progress(response, f"build {name}")
    finally:
        context.unlink()


def curl_save(sock: str, name: str, path: str) -> list[str]:
    url = f"{API}/images/{name.replace('/', '%2F')}/get?format=docker-archive"
    return [
        "curl", "-sS", "--fail", "--unix-socket", sock, "-o", path,
        "-w", "%{time_starttransfer}", url,
    ]  # fmt: skip


def curl_load(sock: str, name: str, path: str) -> list[str]:
    # -T alone would PUT; the route is POST only.
    return [
        "curl", "-sS", "--fail", "-X", "POST", "-T", path, "--unix-socket", sock,
        "-H", "Content-Type: application/x-tar", f"{API}/images/load",
    ]  # fmt: skip


def rotated(clients: list[str], round_number: int) -> list[str]:
    """The contenders in a different order each round: whoever runs right after
    another export or load meets a busier server (writeback, freed layers), and a
    fixed order would hand that cost to the same contender every time."""
    shift = round_number % len(clients)
    return clients[shift:] + clients[:shift]


SAVES = {
    "sdk": SDK_SAVE,
    "sdk save()": SDK_SAVE_STREAM,
    "async": ASYNC_SAVE,
    "async save()": ASYNC_SAVE_STREAM,
    "podman-py": PODMAN_PY_SAVE,
}
LOADS = {"sdk": SDK_LOAD, "async": ASYNC_LOAD, "podman-py": PODMAN_PY_LOAD}


def bench_save(sock: str, work: Path, runs: int) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {name: [] for name in [*SAVES, "curl"]}
    out = work / "saved.tar"
    # Untimed: the first export after the build reads a cold store.
    subprocess.run(curl_save(sock, NAME, str(out)), check=True, capture_output=True)
    out.unlink()
    for round_number in range(runs):
        for client in rotated(list(results), round_number):
            os.sync()  # no writeback of the previous run's file during this one
            if client == "curl":
                figures = run_python(CURL, *curl_save(sock, NAME, str(out)))
            else:
                figures = run_python(SAVES[client], sock, NAME, str(out))
            size = out.stat().st_size
            out.unlink()
            if size < SIZE:
                raise RuntimeError(f"{client} saved only {size} bytes")
            figures["bytes"] = size
            results[client].append(figures)
    return results


def bench_load(sock: Path, archive: Path, runs: int) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {name: [] for name in [*LOADS, "curl"]}
    for round_number in range(runs):
        for client in rotated(list(results), round_number):
            remove_image_by_socket(sock)
            os.sync()
            if client == "curl":
                figures = run_python(CURL, *curl_load(str(sock), NAME, str(archive)))
            else:
                figures = run_python(LOADS[client], str(sock), NAME, str(archive))
            figures["bytes"] = archive.stat().st_size
            results[client].append(figures)
    return results


class _Service:
    """Only what remove_image needs from a PodmanService."""

    def __init__(self, socket_path: Path) -> None:
        self.socket_path = socket_path


def remove_image_by_socket(sock: Path) -> None:
    remove_image(_Service(sock), NAME)  # type: ignore[arg-type]


def rate(figures: list[dict[str, float]]) -> float:
    """Median MiB/s end to end."""
    return median([item["bytes"] / MIB / item["seconds"] for item in figures])


def rss(figures: list[dict[str, float]]) -> float:
    """Median peak RSS growth in MiB."""
    return median([item["rss_growth_kib"] / 1024 for item in figures])


def describe(what: str, results: dict[str, list[dict[str, float]]]) -> None:
    for client, figures in results.items():
        print(describe_rounds(what, client, figures), flush=True)


def ratios(
    save: dict[str, list[dict[str, float]]], load: dict[str, list[dict[str, float]]]
) -> list[Ratio]:
    """Saves: the bar is on the body rate after the first byte (`transfer`); the server
    writes the whole archive before it answers, which no client can shorten."""
    return [
        *transfer("save_to", save["sdk"], save["curl"], "curl -o"),
        *transfer("save() to a file", save["sdk save()"], save["curl"], "curl -o"),
        # No bar against podman-py: once the client keeps up, the server sets the pace,
        # and save_to also hashes and renames.
        Ratio(
            "save() body rate vs podman-py save()", body_rate(save["sdk save()"]),
            body_rate(save["podman-py"]), "MiB/s", None, True,
        ),
        Ratio(
            "save_to (+ sha256, rename) body rate vs podman-py save()", body_rate(save["sdk"]),
            body_rate(save["podman-py"]), "MiB/s", None, True,
        ),
        Ratio("save_to peak RSS growth", rss(save["sdk"]), RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("save() peak RSS growth", rss(save["sdk save()"]), RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("load(file_path) vs curl -T", rate(load["sdk"]), rate(load["curl"]), "MiB/s", 0.95, True),
        Ratio(
            "load(file_path) vs podman-py load(file_path)", rate(load["sdk"]),
            rate(load["podman-py"]), "MiB/s", None, True,
        ),
        Ratio("load peak RSS growth", rss(load["sdk"]), RSS_BAR_MIB, "MiB", 1.0, False),
        # AsyncPodmanClient against curl and PodmanClient, the same rounds (issue 13).
        *transfer("async save_to", save["async"], save["curl"], "curl -o"),
        *transfer("async save() to a file", save["async save()"], save["curl"], "curl -o"),
        Ratio("async load(file_path) vs sync load", rate(load["async"]), rate(load["sdk"]), "MiB/s", 0.95, True),
        Ratio("async save_to peak RSS growth", rss(save["async"]), RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("async save() peak RSS growth", rss(save["async save()"]), RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("async load peak RSS growth", rss(load["async"]), RSS_BAR_MIB, "MiB", 1.0, False),
    ]  # fmt: skip


def measure_all(sock: Path, work: Path, runs: int) -> list[Ratio]:
    save = bench_save(str(sock), work, runs)
    describe("save", save)
    archive = work / "archive.tar"
    subprocess.run(curl_save(str(sock), NAME, str(archive)), check=True, capture_output=True)
    try:
        load = bench_load(sock, archive, runs)
        describe("load", load)
    finally:
        archive.unlink(missing_ok=True)
    return ratios(save, load)


def run(runs: int = 5) -> list[Ratio]:
    reuse = os.environ.get("BENCH_SAVE_LOAD_SOCKET")
    # Short: podman refuses a runroot path longer than 50 characters.
    work = Path(tempfile.mkdtemp(prefix="psdk-sl-"))
    try:
        if reuse:
            return measure_all(Path(reuse), work, runs)
        proc = start_podman4(work)
        try:
            started = time.monotonic()
            build_image(proc.socket_path, work, NAME, SIZE)
            print(f"  built the 1 GiB image in {time.monotonic() - started:.1f} s", flush=True)
            return measure_all(proc.socket_path, work, runs)
        finally:
            stop_and_remove(proc)
    finally:
        remove_tree(work)  # unmounts whatever the service left below it first


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
