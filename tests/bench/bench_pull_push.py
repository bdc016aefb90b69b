"""Pull and push of a 1 GiB single-layer image through a local registry.

Starts a private Podman 4.3.1 service and a plain-HTTP registry, builds the image once,
pushes it once (the pull source), then measures, each contender in a fresh subprocess
and interleaved (median of RUNS for curl and the SDK, taking turns to go first; one run
of each reference):

- pull (the image removed before every pull): podman_sdk ``images.pull`` vs curl
  POSTing the same /libpod/images/pull, with podman-py 5.8.0 ``images.pull`` and
  ``podman --remote pull`` alongside for reference;
- push (to a fresh registry every time, so no blob is already there): podman_sdk
  ``images.push`` vs curl POSTing the same /libpod/images/{name}/push (quiet=false, as
  the SDK sends), podman-py and ``podman --remote push`` alongside;
- peak RSS growth of the SDK: the high-water mark (VmHWM) after the call minus the
  resident set (VmRSS) after the imports.

Bars: SDK throughput at least 0.95x curl's; RSS growth under 64 MiB.

    .venv/bin/python -m tests.bench.bench_pull_push [RUNS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from tests.bench.bench_save_load import build_image
from tests.bench.child import run_python, snippet
from tests.bench.report import Ratio, median
from tests.harness.images import image_exists, image_id, push_image, remove_image
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import PodmanService, start_podman4, stop_and_remove
from tests.harness.registry import RegistryProcess

SIZE = 1 << 30
MIB = 1024 * 1024
NAME = "localhost/bench-pull-push:1g"
API = "http://d/v4.3.1/libpod"
RSS_BAR_MIB = 64.0
THROUGHPUT_BAR = 0.95

_ARGV = "sock, reference, destination"
SDK_PULL = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client:
    client.images.pull(reference, tls_verify=False)
""",
)
SDK_PUSH = snippet(
    _ARGV,
    imports="from podman_sdk import PodmanClient",
    body="""
with PodmanClient("unix://" + sock, version="4.3.1") as client:
    client.images.push(reference, destination=destination, tls_verify=False)
""",
)
PODMAN_PY_PULL = snippet(
    _ARGV,
    imports="import podman",
    body="""
with podman.PodmanClient(base_url="unix://" + sock) as client:
    client.images.pull(reference, tls_verify=False)
""",
)
PODMAN_PY_PUSH = snippet(
    _ARGV,
    imports="import podman",
    body="""
with podman.PodmanClient(base_url="unix://" + sock) as client:
    client.images.push(reference, destination=destination, tlsVerify=False)
""",
)


def timed_command(argv: list[str], check_output: Callable[[str], bool]) -> dict[str, float]:
    started = time.perf_counter()
    output = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if output.returncode != 0 or not check_output(output.stdout):
        raise RuntimeError(f"{argv[0]} failed: {output.stdout[-1000:]} {output.stderr[-1000:]}")
    return {"seconds": seconds}


def curl_pull(sock: str, reference: str) -> dict[str, float]:
    url = f"{API}/images/pull?reference={quote(reference, safe='')}&tlsVerify=false"
    argv = ["curl", "-sS", "--fail", "-X", "POST", "--unix-socket", sock, url]
    return timed_command(argv, lambda out: '"images"' in out and '"error"' not in out)


def curl_push(sock: str, name: str, destination: str) -> dict[str, float]:
    url = (
        f"{API}/images/{quote(name, safe='')}/push?destination={quote(destination, safe='')}"
        "&tlsVerify=false&quiet=false"
    )
    argv = ["curl", "-sS", "--fail", "-X", "POST", "--unix-socket", sock, url]
    return timed_command(argv, lambda out: '"error"' not in out)


def podman_command(sock: str, *args: str) -> dict[str, float]:
    argv = ["podman", "--remote", "--url", f"unix://{sock}", *args, "--tls-verify=false"]
    return timed_command(argv, lambda out: True)


Contenders = dict[str, Callable[[], dict[str, float]]]


def settle() -> None:
    """Flush the previous run's writes (a 1 GiB layer or blob) to disk before the next
    run starts, so no contender pays for the one before it."""
    os.sync()


def round_order(index: int, reference: str = "podman pull") -> list[str]:
    """Who runs in round ``index``: curl and the SDK every round, taking turns to go
    first (the machine's load drifts); podman-py and the podman command once, for
    reference."""
    pair = ["curl", "podman_sdk"] if index % 2 == 0 else ["podman_sdk", "curl"]
    return pair + (["podman-py", reference] if index == 0 else [])


def bench_pull(
    service: PodmanService, reference: str, pulled_id: str, runs: int
) -> dict[str, list[dict[str, float]]]:
    """Every pull starts with the image gone from the store (by id, so no other tag
    keeps its layer), so each one downloads and writes the whole layer."""
    sock = str(service.socket_path)
    contenders: Contenders = {
        "curl": lambda: curl_pull(sock, reference),
        "podman_sdk": lambda: run_python(SDK_PULL, sock, reference, ""),
        "podman-py": lambda: run_python(PODMAN_PY_PULL, sock, reference, ""),
        "podman pull": lambda: podman_command(sock, "pull", "-q", reference),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    for index in range(runs):
        for name in round_order(index):
            remove_image(service, pulled_id)
            assert not image_exists(service, pulled_id)
            settle()
            results[name].append(contenders[name]())
    remove_image(service, pulled_id)
    return results


def bench_push(service: PodmanService, work: Path, runs: int) -> dict[str, list[dict[str, float]]]:
    sock = str(service.socket_path)
    results: dict[str, list[dict[str, float]]] = {}
    for index in range(runs):
        for name in round_order(index, reference="podman push"):
            # A fresh registry: nothing to reuse, every push compresses and uploads.
            registry = RegistryProcess(work / f"push-{index}-{name.replace(' ', '-')}")
            try:
                destination = f"{registry.registry.host}/bench/pushed:1g"
                settle()
                if name == "curl":
                    figure = curl_push(sock, NAME, destination)
                elif name == "podman_sdk":
                    figure = run_python(SDK_PUSH, sock, NAME, destination)
                elif name == "podman-py":
                    figure = run_python(PODMAN_PY_PUSH, sock, NAME, destination)
                else:
                    figure = podman_command(sock, "push", "-q", NAME, destination)
                results.setdefault(name, []).append(figure)
            finally:
                registry.stop()
    return results


def rate(figures: list[dict[str, float]]) -> float:
    return SIZE / MIB / median([figure["seconds"] for figure in figures])


def describe(what: str, results: dict[str, list[dict[str, float]]]) -> None:
    for name, figures in results.items():
        seconds = ", ".join(f"{figure['seconds']:.2f}" for figure in figures)
        rss = [figure["rss_growth_kib"] / 1024 for figure in figures if "rss_growth_kib" in figure]
        rss_text = f", peak RSS growth {max(rss):.1f} MiB" if rss else ""
        print(f"  {what} {name:12} {rate(figures):7.1f} MiB/s  ({seconds} s){rss_text}")


def ratios(what: str, results: dict[str, list[dict[str, float]]]) -> list[Ratio]:
    ours = results["podman_sdk"]
    return [
        Ratio(
            f"{what} 1 GiB: podman_sdk throughput vs curl on the same endpoint",
            rate(ours),
            rate(results["curl"]),
            "MiB/s",
            THROUGHPUT_BAR,
            higher_is_better=True,
        ),
        Ratio(
            f"{what} 1 GiB: podman_sdk peak RSS growth vs the 64 MiB budget",
            max(figure["rss_growth_kib"] for figure in ours) / 1024,
            RSS_BAR_MIB,
            "MiB",
            1.0,
            higher_is_better=False,
        ),
    ]


def run(runs: int = 6) -> list[Ratio]:
    # Short: podman refuses a runroot path longer than 50 characters.
    work = Path(tempfile.mkdtemp(prefix="psdk-pp-"))
    registry = None
    try:
        proc = start_podman4(work)
    except BaseException:
        remove_tree(work)
        raise
    try:
        service = proc.service
        build_image(proc.socket_path, work, NAME, SIZE)
        registry = RegistryProcess(work / "source")
        reference = f"{registry.registry.host}/bench/pull:1g"
        push_image(service, NAME, reference)
        pushes = bench_push(service, work, runs)
        describe("push", pushes)
        # Pulls last: each removes the image (and so NAME) from the store first.
        pulls = bench_pull(service, reference, image_id(service, NAME), runs)
        describe("pull", pulls)
        return ratios("pull", pulls) + ratios("push", pushes)
    finally:
        if registry is not None:
            registry.stop()
        stop_and_remove(proc)
        remove_tree(work)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
