"""Client overhead of `images.list()` and `images.get()`, against a replay server that
serves captured real Podman 4.3.1 responses (tests/bench/replay.py; the real service
takes 12-22 s to list 1000 images, which would drown the client's share).

Three clients on the same socket, each created once and warmed (podman_sdk's version
negotiation done) before timing, measured interleaved in the same run:
  raw     httpx.Client(transport=HTTPTransport(uds=...)).get(path) + json.loads(content)
  sdk     podman_sdk.PodmanClient("unix://...").images.list(all=True) / .get(name)
  podman  podman-py PodmanClient(base_url="unix://...").images.list(all=True) / .get(name)

list: median of LIST_ROUNDS x LIST_CALLS calls each. get: p50 of GET_CALLS calls each.
Bars: sdk/raw <= 1.3 and sdk/podman-py < 1.0, for list and for get.

Then one `AsyncPodmanClient`: CONCURRENT ``get()`` calls at once (``asyncio.gather``)
against as many awaited one after the other, alternating, median of GATHER_ROUNDS; the
figure is the speed-up, for information: once against the replay server (one Python
process, so its GIL caps what any client can overlap, and it starts a thread for each
new connection), once against a private Podman 4.3.1 service, whose inspect takes
milliseconds of its own.

    .venv/bin/python -m tests.bench.bench_list_get [--profile]
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from podman import PodmanClient as PodmanPyClient
from podman_sdk import AsyncPodmanClient, PodmanClient

from tests.bench.replay import CACHE, Capture, ReplayServer, load_or_capture
from tests.bench.report import Ratio, median
from tests.harness.images import build_test_image
from tests.harness.podman_service import start_podman4, stop_and_remove

LIST_ROUNDS = 7
LIST_CALLS = 5
GET_CALLS = 200
GET_BLOCK = 10  # calls per client before switching to the next
CONCURRENT = 100
GATHER_ROUNDS = 9

Call = Callable[[], object]


def raw_calls(client: httpx.Client, capture: Capture) -> tuple[Call, Call]:
    def list_images() -> object:
        return json.loads(client.get(capture.raw_list_target).content)

    def get_image() -> object:
        return json.loads(client.get(capture.raw_get_target).content)

    return list_images, get_image


def timed(call: Call, times: list[float], count: int) -> None:
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)


def measure(calls: dict[str, tuple[Call, Call]]) -> dict[str, tuple[float, float]]:
    """Per client: (median list seconds, p50 get seconds), interleaved."""
    names = list(calls)
    list_times: dict[str, list[float]] = {name: [] for name in names}
    get_times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm: connections, caches, imports behind first calls
        calls[name][0]()
        calls[name][1]()
    for round_ in range(LIST_ROUNDS):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            gc.collect()
            timed(calls[name][0], list_times[name], LIST_CALLS)
    for block in range(GET_CALLS // GET_BLOCK):
        order = names[block % len(names) :] + names[: block % len(names)]
        for name in order:
            timed(calls[name][1], get_times[name], GET_BLOCK)
    return {name: (median(list_times[name]), median(get_times[name])) for name in names}


def clients(socket_path: str, capture: Capture) -> tuple[dict[str, tuple[Call, Call]], Call]:
    """The three clients' (list, get) calls, and how to close them all."""
    raw = httpx.Client(transport=httpx.HTTPTransport(uds=socket_path), base_url="http://d")
    sdk = PodmanClient(f"unix://{socket_path}")
    sdk.api_version  # noqa: B018  (negotiate before timing)
    podman_py = PodmanPyClient(base_url=f"unix://{socket_path}")
    name = capture.get_name
    calls: dict[str, tuple[Call, Call]] = {
        "raw": raw_calls(raw, capture),
        "sdk": (lambda: sdk.images.list(all=True), lambda: sdk.images.get(name)),
        "podman-py": (lambda: podman_py.images.list(all=True), lambda: podman_py.images.get(name)),
    }
    listed: Any = calls["sdk"][0]()
    if len(listed) != capture.image_count or len(podman_py.images.list(all=True)) != len(listed):
        raise RuntimeError(f"clients disagree on the image count ({capture.image_count})")

    def close() -> None:
        raw.close()
        sdk.close()
        podman_py.close()  # type: ignore[no-untyped-call]

    return calls, close


async def gathered_and_sequential(socket_path: str, name: str) -> tuple[float, float]:
    """Median seconds of CONCURRENT gets at once and of as many one after the other,
    on one async client (negotiated and its connections opened before timing)."""
    gathered: list[float] = []
    sequential: list[float] = []
    async with AsyncPodmanClient(f"unix://{socket_path}") as client:

        async def all_at_once() -> None:
            images = await asyncio.gather(*(client.images.get(name) for _ in range(CONCURRENT)))
            if len(images) != CONCURRENT:
                raise RuntimeError("gather lost a result")

        async def one_by_one() -> None:
            for _ in range(CONCURRENT):
                await client.images.get(name)

        await all_at_once()  # warm: negotiation and the pool's connections
        for round_ in range(GATHER_ROUNDS):
            pair = [(all_at_once, gathered), (one_by_one, sequential)]
            for call, times in pair if round_ % 2 else pair[::-1]:
                gc.collect()
                started = time.perf_counter()
                await call()
                times.append(time.perf_counter() - started)
    return median(gathered), median(sequential)


def gathered_on_podman() -> tuple[float, float]:
    """`gathered_and_sequential` against a private Podman 4.3.1 service."""
    with tempfile.TemporaryDirectory(prefix="psdk-gather-") as tmp:
        proc = start_podman4(Path(tmp))
        try:
            name = "localhost/bench-gather:1"
            build_test_image(proc.service, name)
            return asyncio.run(gathered_and_sequential(str(proc.service.socket_path), name))
        finally:
            stop_and_remove(proc)


def run(capture_path: Path = CACHE) -> list[Ratio]:
    capture = load_or_capture(capture_path)
    with ReplayServer(capture_path) as socket_path:
        calls, close = clients(socket_path, capture)
        try:
            figures = measure(calls)
        finally:
            close()
        gathered, sequential = asyncio.run(gathered_and_sequential(socket_path, capture.get_name))
    on_podman = gathered_on_podman()
    ms = {name: (list_s * 1000, get_s * 1000) for name, (list_s, get_s) in figures.items()}
    count = capture.image_count
    return [
        Ratio(
            f"images.list(all=True), {count} images, median: podman_sdk vs raw httpx + json.loads",
            ms["sdk"][0],
            ms["raw"][0],
            "ms",
            1.3,
            higher_is_better=False,
        ),
        Ratio(
            f"images.list(all=True), {count} images, median: podman_sdk vs podman-py",
            ms["sdk"][0],
            ms["podman-py"][0],
            "ms",
            1.0,
            higher_is_better=False,
        ),
        Ratio(
            f"images.get(name) p50 of {GET_CALLS}: podman_sdk vs raw httpx + json.loads",
            ms["sdk"][1],
            ms["raw"][1],
            "ms",
            1.3,
            higher_is_better=False,
        ),
        Ratio(
            f"images.get(name) p50 of {GET_CALLS}: podman_sdk vs podman-py",
            ms["sdk"][1],
            ms["podman-py"][1],
            "ms",
            1.0,
            higher_is_better=False,
        ),
        # Sequential time over concurrent time: the ratio is the speed-up.
        Ratio(
            f"AsyncPodmanClient, replay server: {CONCURRENT} get() one by one vs all at "
            "once (asyncio.gather): the ratio is the speed-up",
            sequential * 1000,
            gathered * 1000,
            "ms",
            None,
            higher_is_better=True,
        ),
        Ratio(
            f"the same against Podman 4.3.1: {CONCURRENT} get() one by one vs all at once",
            on_podman[1] * 1000,
            on_podman[0] * 1000,
            "ms",
            None,
            higher_is_better=True,
        ),
    ]


def profile(capture_path: Path = CACHE) -> None:
    """cProfile podman_sdk's list and get against the replay server."""
    capture = load_or_capture(capture_path)
    with ReplayServer(capture_path) as socket_path:
        calls, close = clients(socket_path, capture)
        try:
            list_images, get_image = calls["sdk"]
            for title, call, count in (("list", list_images, 30), ("get", get_image, 1000)):
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(count):
                    call()
                profiler.disable()
                print(f"== podman_sdk images.{title} x {count}")
                stats = pstats.Stats(profiler)
                stats.sort_stats("tottime").print_stats(30)
                stats.sort_stats("cumulative").print_stats(45)
        finally:
            close()


def main(argv: list[str]) -> None:
    if "--profile" in argv:
        profile()
        return
    for result in run():
        print(result.line())


if __name__ == "__main__":
    main(sys.argv[1:])
