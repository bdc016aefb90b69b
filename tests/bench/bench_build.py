"""Build with a 1 GiB context: peak RSS growth of podman_sdk ``images.build(path)``.

Starts a private Podman 4.3.1 service, writes a context directory (a Containerfile and
1 GiB of random bytes), then measures, each contender in a fresh subprocess and
interleaved (median of RUNS for curl and the SDK, taking turns to go first, after a
sync; podman-py once; every build with nocache so each one sends and copies the whole
context):

- podman_sdk ``images.build(path=...)``, which tars the directory as it sends it;
- curl ``-T`` of the same context already tarred on disk (``tar -cf`` outside the
  clock: the floor for sending it);
- podman-py 5.8.0 ``images.build(path=...)`` for reference.

Bar: SDK peak RSS growth under 64 MiB. The time against curl is printed as a figure
with a loose bar (1.25x), since curl does not tar.

    .venv/bin/python -m tests.bench.bench_build [RUNS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.child import run_python, snippet
from tests.bench.report import Ratio, median
from tests.harness.images import remove_image
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import PodmanService, start_podman4, stop_and_remove

SIZE = 1 << 30
MIB = 1024 * 1024
TAG = "localhost/bench-build:1g"
API = "http://d/v4.3.1/libpod"
RSS_BAR_MIB = 64.0
TIME_BAR = 1.25

_ARGV = "sock, context, tag"
SDK_BUILD = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client:
    client.images.build(context, tag=tag, nocache=True)
""",
)
PODMAN_PY_BUILD = snippet(
    _ARGV,
    imports="import podman",
    body="""
with podman.PodmanClient(base_url="unix://" + sock) as client:
    client.images.build(path=context, tag=tag, nocache=True, dockerfile="Containerfile")
""",
)


def write_context(directory: Path) -> None:
    directory.mkdir()
    (directory / "Containerfile").write_text("FROM scratch\nCOPY payload.bin /payload.bin\n")
    with (directory / "payload.bin").open("wb") as file:
        for _ in range(SIZE // MIB):
            file.write(os.urandom(MIB))


def curl_build(sock: str, archive: Path) -> dict[str, float]:
    url = f"{API}/build?t={TAG.replace('/', '%2F')}&dockerfile=Containerfile&nocache=true"
    argv = [
        "curl", "-sS", "--fail", "-X", "POST", "-T", str(archive), "--unix-socket", sock,
        "-H", "Content-Type: application/x-tar", url,
    ]  # fmt: skip
    started = time.perf_counter()
    output = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if output.returncode != 0 or '"error"' in output.stdout:
        raise RuntimeError(f"curl build failed: {output.stdout[-1000:]} {output.stderr[-500:]}")
    return {"seconds": seconds}


def bench(
    service: PodmanService, context: Path, archive: Path, runs: int
) -> dict[str, list[dict[str, float]]]:
    sock = str(service.socket_path)
    results: dict[str, list[dict[str, float]]] = {"curl": [], "podman_sdk": [], "podman-py": []}
    for index in range(runs):
        # curl and the SDK take turns to go first; podman-py once, for reference.
        order = ["curl", "podman_sdk"] if index % 2 == 0 else ["podman_sdk", "curl"]
        for name in order + (["podman-py"] if index == 0 else []):
            os.sync()  # the previous build's layer must not be flushed on our clock
            if name == "curl":
                results[name].append(curl_build(sock, archive))
            else:
                code = SDK_BUILD if name == "podman_sdk" else PODMAN_PY_BUILD
                results[name].append(run_python(code, sock, str(context), TAG))
            remove_image(service, TAG)
    return results


def run(runs: int = 4) -> list[Ratio]:
    # Short: podman refuses a runroot path longer than 50 characters.
    work = Path(tempfile.mkdtemp(prefix="psdk-bb-"))
    try:
        proc = start_podman4(work)
    except BaseException:
        remove_tree(work)
        raise
    try:
        context = work / "context"
        write_context(context)
        archive = work / "context.tar"
        subprocess.run(["tar", "-cf", str(archive), "-C", str(context), "."], check=True)
        results = bench(proc.service, context, archive, runs)
        for name, figures in results.items():
            seconds = ", ".join(f"{figure['seconds']:.2f}" for figure in figures)
            rss = [f["rss_growth_kib"] / 1024 for f in figures if "rss_growth_kib" in f]
            rss_text = f", peak RSS growth {max(rss):.1f} MiB" if rss else ""
            print(f"  build {name:12} ({seconds} s){rss_text}")
        ours = results["podman_sdk"]
        return [
            Ratio(
                "build 1 GiB context: podman_sdk peak RSS growth vs the 64 MiB budget",
                max(figure["rss_growth_kib"] for figure in ours) / 1024,
                RSS_BAR_MIB,
                "MiB",
                1.0,
                higher_is_better=False,
            ),
            Ratio(
                "build 1 GiB context: podman_sdk time vs curl -T of a prebuilt tar",
                median([figure["seconds"] for figure in ours]),
                median([figure["seconds"] for figure in results["curl"]]),
                "s",
                TIME_BAR,
                higher_is_better=False,
            ),
        ]
    finally:
        stop_and_remove(proc)
        remove_tree(work)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
