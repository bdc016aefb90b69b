"""Client overhead of listing the small domains: `volumes.list()` of COUNT volumes,
`networks.list()` of COUNT networks and `pods.list()` of COUNT pods, podman_sdk against
podman-py on the same private Podman 4.3.1 service, in the same run.

Both clients are created once and warmed (podman_sdk's version negotiation, the
connection) before timing; calls alternate between them in blocks, and the figure is
the median of ROUNDS x CALLS calls each. The service's own time is in both figures,
as a user sees it. Bar (issue #25): podman_sdk <= 1.1x podman-py.

    .venv/bin/python -m tests.bench.bench_domains
"""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from podman import PodmanClient as PodmanPyClient
from podman_sdk import PodmanClient

from tests.bench.report import Ratio, median
from tests.harness.podman_service import start_podman4, stop_and_remove

COUNT = 200
ROUNDS = 9
CALLS = 5
BAR = 1.1

Call = Callable[[], object]


def interleaved(calls: dict[str, Call]) -> dict[str, float]:
    """Median seconds per call of each client, measured in alternating blocks."""
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        calls[name]()  # warm
    for round_ in range(ROUNDS):
        order = names if round_ % 2 else names[::-1]
        for name in order:
            gc.collect()
            for _ in range(CALLS):
                started = time.perf_counter()
                calls[name]()
                times[name].append(time.perf_counter() - started)
    return {name: median(values) for name, values in times.items()}


def checked_count(listed: list[object], what: str) -> int:
    if len(listed) < COUNT:
        raise RuntimeError(f"{what} listed {len(listed)}, expected at least {COUNT}")
    return len(listed)


def measure_volumes(sdk: PodmanClient, podman_py: PodmanPyClient) -> Ratio:
    for index in range(COUNT):
        sdk.volumes.create(f"bench-volume-{index:03d}", labels={"bench": "domains"})
    count = checked_count(list(sdk.volumes.list()), "podman_sdk")
    if len(podman_py.volumes.list()) != count:
        raise RuntimeError("the clients disagree on the volume count")
    figures = interleaved({"sdk": sdk.volumes.list, "podman-py": podman_py.volumes.list})
    return Ratio(
        f"volumes.list(), {count} volumes, median: podman_sdk vs podman-py",
        figures["sdk"] * 1000,
        figures["podman-py"] * 1000,
        "ms",
        BAR,
        higher_is_better=False,
    )


def measure_networks(sdk: PodmanClient, podman_py: PodmanPyClient) -> Ratio:
    for index in range(COUNT):
        # Each network gets a subnet of its own: Podman 4 hands them out from a pool
        # that 200 automatic ones would exhaust.
        sdk.networks.create(
            f"bench-network-{index:03d}",
            labels={"bench": "domains"},
            subnets=[{"subnet": f"10.{100 + index // 250}.{index % 250}.0/24"}],
        )
    count = checked_count(list(sdk.networks.list()), "podman_sdk")
    if len(podman_py.networks.list()) != count:
        raise RuntimeError("the clients disagree on the network count")
    figures = interleaved({"sdk": sdk.networks.list, "podman-py": podman_py.networks.list})
    return Ratio(
        f"networks.list(), {count} networks, median: podman_sdk vs podman-py",
        figures["sdk"] * 1000,
        figures["podman-py"] * 1000,
        "ms",
        BAR,
        higher_is_better=False,
    )


def measure_pods(sdk: PodmanClient, podman_py: PodmanPyClient) -> Ratio:
    for index in range(COUNT):
        # No infra container: its image would have to be built (from catatonit) or pulled.
        sdk.pods.create(f"bench-pod-{index:03d}", labels={"bench": "domains"}, no_infra=True)
    count = checked_count(list(sdk.pods.list()), "podman_sdk")
    if len(podman_py.pods.list()) != count:
        raise RuntimeError("the clients disagree on the pod count")
    figures = interleaved({"sdk": sdk.pods.list, "podman-py": podman_py.pods.list})
    return Ratio(
        f"pods.list(), {count} pods, median: podman_sdk vs podman-py",
        figures["sdk"] * 1000,
        figures["podman-py"] * 1000,
        "ms",
        BAR,
        higher_is_better=False,
    )


def run() -> list[Ratio]:
    with tempfile.TemporaryDirectory(prefix="psdk-domains-") as tmp:
        proc = start_podman4(Path(tmp))
        try:
            url = f"unix://{proc.service.socket_path}"
            with PodmanClient(url) as sdk:
                podman_py = PodmanPyClient(base_url=url)
                try:
                    sdk.api_version  # noqa: B018  (negotiate before timing)
                    return [
                        measure_volumes(sdk, podman_py),
                        measure_networks(sdk, podman_py),
                        measure_pods(sdk, podman_py),
                    ]
                finally:
                    podman_py.close()  # type: ignore[no-untyped-call]
        finally:
            stop_and_remove(proc)


if __name__ == "__main__":
    for result in run():
        print(result.line())
