"""Containers (issue 24): run, exec, list and a large log, against podman-py 5.8.0, the
podman CLI and curl, measured in the same run on one private Podman 4.3.1 service.

- ``containers.run(image, cmd, remove=True)`` of a short command: RUN_ROUNDS rounds of
  podman-sdk, podman-py and ``podman --remote run --rm``, interleaved, medians; bar 1.0x
  podman-py, the CLI for information. Both clients create with the same keywords
  (cgroups disabled, no network: what starts here). podman-py returns None here rather
  than the output (it reads the log only for json-file), so it does less.
- ``exec_run`` round trip (create, start and read, inspect): EXEC_ROUNDS each in one
  running container, interleaved, medians; bar 1.0x podman-py.
- ``containers.list(all=True)`` of LIST_COUNT created containers into Container objects:
  LIST_ROUNDS each, interleaved, medians; bar 1.1x podman-py (sparse, its default).
- LOG_MIB of container output through ``logs(stream=True)`` in a fresh interpreter,
  against ``curl`` on the same socket and route (``-o /dev/null``), LOG_ROUNDS each,
  medians of MiB/s (bar 0.95x curl) and the interpreter's RSS growth (bar LOG_RSS_MIB).

Both clients send the same number of requests for each figure, printed with it (counted
by an httpx event hook and a requests session hook on the clients that are timed):
``run`` 6 each (podman-py inspects again after the start where we read the log: it reads
none for ``k8s-file``), ``exec_run`` 3, ``list`` 1. The client's CPU per call is a few
milliseconds for either; the rest is the service's, and on a shared machine its noise.

    .venv/bin/python -m tests.bench.bench_containers
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Literal, TypedDict

import podman
from podman_sdk import EventHooks, PodmanClient

from tests.bench.child import run_python, snippet
from tests.bench.report import Ratio, median
from tests.harness import PodmanService, build_busybox_image
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import start_podman4, stop_and_remove

MIB = 1024 * 1024
RUN_ROUNDS = 15
EXEC_ROUNDS = 60
LIST_COUNT = 500
LIST_ROUNDS = 9
LOG_MIB = 256
LOG_ROUNDS = 3
LOG_RSS_MIB = 32.0
CLEANUP_TIMEOUT = 600.0


class Runnable(TypedDict):
    """The creation keywords a container needs to start on this kind of host."""

    cgroups_mode: Literal["disabled"]
    network_mode: str


RUNNABLE: Runnable = {"cgroups_mode": "disabled", "network_mode": "none"}
SH = ["/bin/busybox", "sh", "-c"]


class Counted:
    """A podman-sdk client and a podman-py client on one service, each counting the
    requests it sends, so a figure can say what each call cost in requests."""

    def __init__(self, url: str) -> None:
        self.sent = {"ours": 0, "podman-py": 0}
        self._opened = ExitStack()
        hooks: EventHooks = {"request": [lambda _request: self._count("ours")]}
        # Removing 500 containers takes over a minute on a loaded machine: no call is
        # cut short (a timeout costs nothing while a call succeeds).
        self.ours = self._opened.enter_context(
            PodmanClient(url, event_hooks=hooks, timeout=CLEANUP_TIMEOUT)
        )
        self.theirs = self._opened.enter_context(podman.PodmanClient(base_url=url))
        self.theirs.api.hooks["response"].append(lambda *_a, **_k: self._count("podman-py"))

    def _count(self, client: str) -> None:
        self.sent[client] += 1

    def __enter__(self) -> Counted:
        return self

    def __exit__(self, *exc: object) -> None:
        self._opened.close()

    def per_call(
        self, label: str, ours: Callable[[], object], theirs: Callable[[], object]
    ) -> Ratio:
        """The requests one more call of each sends, as a figure for information."""
        counts = {}
        for client, action in (("ours", ours), ("podman-py", theirs)):
            before = self.sent[client]
            action()
            counts[client] = self.sent[client] - before
        return Ratio(f"requests per {label} vs podman-py", counts["ours"], counts["podman-py"], "requests", None, False)  # fmt: skip


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def interleaved(rounds: int, actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds of each action over ``rounds``, in a rotating order, after one
    untimed round."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for index in range(rounds):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            times[name].append(timed(actions[name]))
    return {name: median(values) for name, values in times.items()}


def bench_run(service: PodmanService, image: str) -> list[Ratio]:
    command = [*SH, "echo hi"]
    cli = ["podman", "--remote", "--url", service.url, "run", "--rm", "--cgroups=disabled"]
    cli += ["--network", "none", image, *command]
    with Counted(service.url) as clients:
        ours, theirs = clients.ours, clients.theirs

        def with_ours() -> None:
            assert ours.containers.run(image, command, remove=True, **RUNNABLE) == b"hi\n"

        def with_theirs() -> None:
            theirs.containers.run(image, command, remove=True, **RUNNABLE)

        medians = interleaved(
            RUN_ROUNDS,
            {
                "ours": with_ours,
                "podman-py": with_theirs,
                "cli": lambda: subprocess.run(cli, check=True, capture_output=True),
            },
        )
        requests = clients.per_call("run(remove=True)", with_ours, with_theirs)
    unit = "s"
    return [
        Ratio("run(remove=True) vs podman-py", medians["ours"], medians["podman-py"], unit, 1.0, False),
        requests,
        Ratio("run(remove=True) vs podman --remote run --rm", medians["ours"], medians["cli"], unit, None, False),
    ]  # fmt: skip


def bench_exec(service: PodmanService, image: str) -> list[Ratio]:
    with Counted(service.url) as clients:
        ours, theirs = clients.ours, clients.theirs
        container = ours.containers.run(
            image,
            [*SH, "exec /bin/busybox sleep 600"],
            detach=True,
            stop_signal=9,
            **RUNNABLE,
        )
        theirs_container = theirs.containers.get(container.id)
        actions: dict[str, Callable[[], object]] = {
            "ours": lambda: container.exec_run(["/bin/busybox", "true"]),
            "podman-py": lambda: theirs_container.exec_run(["/bin/busybox", "true"]),
        }
        try:
            medians = interleaved(EXEC_ROUNDS, actions)
            requests = clients.per_call("exec_run", actions["ours"], actions["podman-py"])
        finally:
            container.remove(force=True)
    return [
        Ratio("exec_run round trip vs podman-py", medians["ours"], medians["podman-py"], "s", 1.0, False),
        requests,
    ]  # fmt: skip


def bench_list(service: PodmanService, image: str) -> list[Ratio]:
    with Counted(service.url) as clients:
        ours, theirs = clients.ours, clients.theirs
        made = [
            ours.containers.create(image, ["true"], labels={"bench": "list"}, **RUNNABLE).id
            for _ in range(LIST_COUNT)
        ]
        actions: dict[str, Callable[[], object]] = {
            "ours": lambda: ours.containers.list(all=True),
            "podman-py": lambda: theirs.containers.list(all=True),
        }
        try:
            medians = interleaved(LIST_ROUNDS, actions)
            requests = clients.per_call("list()", actions["ours"], actions["podman-py"])
            assert len(ours.containers.list(all=True)) == LIST_COUNT
        finally:
            ours.containers.prune(filters={"label": "bench=list"})
            assert not made or not ours.containers.exists(made[0])
    return [
        Ratio(f"list() of {LIST_COUNT} containers vs podman-py", medians["ours"], medians["podman-py"], "s", 1.1, False),
        requests,
    ]  # fmt: skip


_LOG_READ = snippet(
    "url, name",
    "from podman_sdk import PodmanClient",
    """
size = 0
with PodmanClient(url) as client, client.containers.get(name).logs(stream=True) as chunks:
    for chunk in chunks:
        size += len(chunk)
print(size, file=sys.stderr)
""",
)


def bench_logs(service: PodmanService, image: str) -> list[Ratio]:
    line = "x" * 1023
    script = f"/bin/busybox yes {line} | /bin/busybox head -c {LOG_MIB * MIB}"
    with PodmanClient(service.url) as client:
        container = client.containers.run(image, [*SH, script], detach=True, **RUNNABLE)
        try:
            assert container.wait() == 0
            version = client.api_version
            url = (
                f"http://d/v{version}/libpod/containers/{container.id}/logs?stdout=true&stderr=true"
            )
            curl = [
                "curl",
                "-sS",
                "--unix-socket",
                str(service.socket_path),
                "-o",
                "/dev/null",
                url,
            ]
            ours_rates, curl_rates, rss = [], [], []
            for _ in range(LOG_ROUNDS):
                figures = run_python(_LOG_READ, service.url, container.id)
                ours_rates.append(LOG_MIB / figures["seconds"])
                rss.append(figures["rss_growth_kib"] / 1024)
                curl_rates.append(LOG_MIB / timed(lambda: subprocess.run(curl, check=True)))
        finally:
            container.remove(force=True)
    return [
        Ratio(f"logs(stream=True) of {LOG_MIB} MiB vs curl", median(ours_rates), median(curl_rates), "MiB/s", 0.95, True),
        Ratio("logs(stream=True) RSS growth vs the bar", median(rss), LOG_RSS_MIB, "MiB", 1.0, False),
    ]  # fmt: skip


def run() -> list[Ratio]:
    work = Path(tempfile.mkdtemp(prefix="psdk-ct-"))
    try:
        proc = start_podman4(work)
        try:
            service = proc.service
            image = "localhost/bench-containers/busybox:v1"
            build_busybox_image(service, image)
            results = bench_run(service, image)
            results += bench_exec(service, image)
            results += bench_list(service, image)
            results += bench_logs(service, image)
            return results
        finally:
            stop_and_remove(proc)
    finally:
        remove_tree(work)


def main() -> None:
    for result in run():
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
    sys.exit(0)
