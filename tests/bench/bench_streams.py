"""The generated client's streams (issue 18): a followed log, events, an export.

Starts a private Podman 4.3.1 service, builds a busybox image and a 1 GiB image offline
(FROM scratch), and measures each figure against a reference taken in the same run:

- Followed-log latency. A container echoes every line it reads from a FIFO that this
  process writes to (a bind-mounted directory), so the moment a line enters the
  container is read on the host's own clock, just before the write; no clock inside the
  container is needed (busybox's ``date`` has no sub-second format, and its ``ts``
  buffers its output on a pipe). LOG_READERS followers of each kind read the same lines
  at once: ``container_logs_libpod.stream(follow=True)`` in threads of this process,
  and ``podman --remote logs -f`` subprocesses whose stdout a thread here reads line by
  line (one pipe hop more than ours). A line's latency is its arrival at a reader minus
  its write. After warm-up lines that every reader has seen, LOG_LINES lines go out
  LOG_GAP apart (random, seeded); p50 and p99 pooled over a kind's readers, bar 1.1x.
  Podman 4.3.1 follows a k8s-file log by polling the file every 250 ms, each follower
  on its own (nxadm/tail with ``Poll: true``), so a latency is uniform over 0-250 ms
  plus the clients' own delay: the random spacing spreads the lines over every
  follower's polling phase, and pooling 3 x 300 lines keeps the median's noise near 3%.
- Events. EVENT_WORKERS threads pause empty pods (no infra container: pausing one
  writes an event and touches nothing else; about 1,800/s on this machine) through
  plain httpx, paced to EVENT_RATE per second for EVENT_SECONDS, while a child process
  reads ``system_events_libpod.stream(filters={"type": ["pod"], "event": ["pause"]})``
  and samples its own resident set twice a second. Figures: distinct events received
  against pauses answered 200 (bar 1.0), the rate reached (information), and the
  reader's RSS growth from the 10th to the 60th second (its peak in that window minus
  its size at the start of it) against EVENTS_RSS_BAR_MIB. Podman 4.3.1 rotates its
  events file at 1 MB (keeps the newer half in a new file) and a follower reopens it
  and reads the kept half again, so the server sends many events twice: the reader
  counts an event as new only if its time is later than the last one of its pod (each
  pod's pauses are sequential), in constant memory, and reports the repeats.
- Export. ``container_export_libpod.stream()`` and ``asyncio_stream()`` written to a
  file, in a fresh interpreter, against ``curl -o`` on the same socket and route,
  EXPORT_RUNS rounds each, interleaved in a rotating order after one untimed export,
  medians: MiB/s after the first byte (bar 0.95x: the server writes the whole tar to a
  temporary file before it answers, which every client waits for), end to end and the
  client's CPU per GiB after the first byte (information), and the Python process's
  peak RSS growth after its imports (bar EXPORT_RSS_BAR_MIB).

    .venv/bin/python -m tests.bench.bench_streams
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from libpod_client.api.containers import (
    container_create_libpod,
    container_delete_libpod,
    container_logs_libpod,
    container_start_libpod,
)
from libpod_client.api.system import system_events_libpod
from libpod_client.models import SpecGenerator
from podman_sdk import PodmanClient

from tests.bench.bench_save_load import CURL, build_image, rotated
from tests.bench.child import run_python, snippet
from tests.bench.report import Ratio, describe_rounds, median, transfer
from tests.harness import LIBPOD, RUNNABLE_SETTINGS, PodmanService, build_busybox_image, uds_client
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import start_podman4, stop_and_remove

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024

LOG_READERS = 3  # of each kind
LOG_LINES = 300
LOG_GAP = (0.010, 0.070)  # seconds between two lines, uniform
LOG_BAR = 1.1
# Echoes each line read from the FIFO; "end" ends the container, and so the follows.
ECHO = 'while read -r line; do echo "$line"; [ "$line" = end ] && exit 0; done < /trigger/lines'

EVENT_RATE = 1000.0
EVENT_SECONDS = 60.0
EVENT_WORKERS = 4
RSS_WINDOW = (10.0, 60.0)  # seconds after the first pause
EVENTS_RSS_BAR_MIB = 16.0

EXPORT_IMAGE = "localhost/bench-streams:1g"
EXPORT_SIZE = 1 << 30
EXPORT_RUNS = 3
EXPORT_RSS_BAR_MIB = 64.0


# -- followed logs ----------------------------------------------------------------------


@dataclass
class Follower:
    """When each line reached one reader (``time.time()``)."""

    arrivals: dict[str, float] = field(default_factory=dict)
    following: threading.Event = field(default_factory=threading.Event)

    def note(self, lines: list[bytes], now: float) -> bool:
        """Record ``lines``, which arrived at ``now``; True once "end" is among them."""
        ended = False
        for raw in lines:
            line = raw.decode()
            self.arrivals.setdefault(line, now)
            self.following.set()
            ended = ended or line == "end"
        return ended


def follow_with_stream(client: PodmanClient, container: str, follower: Follower) -> None:
    pending = b""
    with container_logs_libpod.stream(
        container, client=client.api, follow=True, stdout=True, stderr=True
    ) as frames:
        for frame in frames:
            now = time.time()
            *lines, pending = (pending + frame.data).split(b"\n")
            if follower.note(lines, now):
                return


def follow_with_cli(socket_path: Path, container: str, follower: Follower) -> None:
    url = f"unix://{socket_path}"
    process = subprocess.Popen(
        ["podman", "--remote", "--url", url, "logs", "-f", container],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        if process.stdout is None:
            raise RuntimeError("podman logs -f: no stdout pipe")
        for line in process.stdout:
            if follower.note([line.rstrip(b"\n")], time.time()):
                return
    finally:
        process.kill()  # our own child, by its handle; it ends with the container anyway
        process.wait()


def write_lines(fifo: int, followers: list[Follower]) -> dict[str, float]:
    """Warm-up lines until every follower reads, then the timed lines; their write times."""
    deadline = time.monotonic() + 60
    for number in itertools.count():
        if all(follower.following.is_set() for follower in followers):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the log followers did not start within 60 s")
        os.write(fifo, f"warm{number}\n".encode())
        time.sleep(0.1)
    pace = random.Random(18)
    written: dict[str, float] = {}
    for number in range(LOG_LINES):
        time.sleep(pace.uniform(*LOG_GAP))
        written[str(number)] = time.time()
        os.write(fifo, f"{number}\n".encode())
    os.write(fifo, b"end\n")
    return written


def echo_container(client: PodmanClient, image: str, trigger: Path) -> str:
    body = SpecGenerator.from_dict(
        {
            "name": f"bench-logs-{uuid.uuid4().hex[:8]}",
            "image": image,
            "command": ["/bin/busybox", "sh", "-c", ECHO],
            "stop_signal": 9,
            "mounts": [
                {
                    "destination": "/trigger",
                    "source": str(trigger),
                    "type": "bind",
                    "options": ["rbind"],
                }
            ],
            **RUNNABLE_SETTINGS,
        }
    )
    return container_create_libpod.sync(client=client.api, body=body).id


def latencies_ms(followers: list[Follower], written: dict[str, float]) -> list[float]:
    """Every timed line's latency at every one of ``followers``, pooled."""
    return [
        (follower.arrivals[line] - at) * 1000
        for follower in followers
        for line, at in written.items()
        if line in follower.arrivals
    ]


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def bench_logs(service: PodmanService, image: str, work: Path) -> list[Ratio]:
    trigger = work / "trigger"
    trigger.mkdir()
    os.mkfifo(trigger / "lines")
    # Read and write: the open never waits for a reader, and the container's never
    # waits for a writer.
    fifo = os.open(trigger / "lines", os.O_RDWR)
    ours = [Follower() for _ in range(LOG_READERS)]
    theirs = [Follower() for _ in range(LOG_READERS)]
    try:
        with PodmanClient(service.url) as client:
            container = echo_container(client, image, trigger)
            try:
                container_start_libpod.sync(container, client=client.api)
                threads = [
                    threading.Thread(target=follow_with_stream, args=(client, container, follower))
                    for follower in ours
                ] + [
                    threading.Thread(
                        target=follow_with_cli, args=(service.socket_path, container, follower)
                    )
                    for follower in theirs
                ]
                for thread in threads:
                    thread.start()
                written = write_lines(fifo, ours + theirs)
                for thread in threads:
                    thread.join(60)
            finally:
                container_delete_libpod.sync(container, client=client.api, force=True)
    finally:
        os.close(fifo)
    sdk = latencies_ms(ours, written)
    cli = latencies_ms(theirs, written)
    for kind, values in (("stream()", sdk), ("podman logs -f", cli)):
        print(
            f"  logs {kind:15} {len(values)} of {len(written) * LOG_READERS} lines, ms: "
            f"p50 {median(values):.1f}  p99 {p99(values):.1f}  "
            f"min {min(values):.1f}  max {max(values):.1f}",
            flush=True,
        )
    return [
        Ratio("followed log p50 latency, stream() vs podman logs -f", median(sdk), median(cli), "ms", LOG_BAR, False),
        Ratio("followed log p99 latency, stream() vs podman logs -f", p99(sdk), p99(cli), "ms", LOG_BAR, False),
    ]  # fmt: skip


# -- events -------------------------------------------------------------------------------

# The reader's process: this module's read_events, from the repository's root.
READER = "import sys\nfrom tests.bench.bench_streams import read_events\nread_events(sys.argv[1:])"


def vm_rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def read_events(argv: list[str]) -> None:
    """The events reader, in a process of its own: ``SOCKET WARM MARKER POD...``.

    Prints "open" once the stream is open and "following" at the first pause of pod
    WARM; counts the pauses of the PODs until one of MARKER, then prints a JSON object:
    events received, distinct ones, and (monotonic time, VmRSS KiB) samples."""
    socket_path, warm, marker, *pods = argv
    latest = dict.fromkeys(pods, 0)  # each pod's latest event time: constant memory
    received = distinct = 0
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while True:
            samples.append((time.monotonic(), vm_rss_kib()))
            if done.wait(0.5):
                return

    sampler = threading.Thread(target=sample)
    with (
        PodmanClient(f"unix://{socket_path}") as client,
        system_events_libpod.stream(
            client=client.api, filters={"type": ["pod"], "event": ["pause"]}
        ) as events,
    ):
        print("open", flush=True)
        sampler.start()
        following = False
        for event in events:
            pod = event.actor.id
            if pod == marker:
                break
            if pod == warm:
                if not following:
                    print("following", flush=True)
                    following = True
                continue
            if pod not in latest:
                continue
            received += 1
            at = event.time_nano if isinstance(event.time_nano, int) else 0
            if at > latest[pod]:
                distinct += 1
                latest[pod] = at
    done.set()
    sampler.join()
    print(json.dumps({"received": received, "distinct": distinct, "samples": samples}))


@dataclass(frozen=True)
class Generated:
    sent: int  # pauses answered 200
    failed: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.sent / self.seconds


def generate_events(socket_path: Path, pods: list[str], rate: float, seconds: float) -> Generated:
    """Pause ``pods`` (one thread each, in turn) at ``rate`` per second in all for
    ``seconds``; a thread that falls behind sends at once, so a short rate is the
    service's and this machine's limit."""
    sent = [0] * len(pods)
    failed = [0] * len(pods)
    interval = len(pods) / rate
    started = time.monotonic()

    def pause(index: int) -> None:
        offset = index * interval / len(pods)
        with uds_client(socket_path) as http:
            for step in itertools.count():
                due = started + offset + step * interval
                if due - started >= seconds:
                    return
                if (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)
                answer = http.post(f"{LIBPOD}/pods/{pods[index]}/pause")
                if answer.status_code == 200:
                    sent[index] += 1
                else:
                    failed[index] += 1

    threads = [threading.Thread(target=pause, args=(index,)) for index in range(len(pods))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Generated(sum(sent), sum(failed), time.monotonic() - started)


def empty_pods(socket_path: Path, count: int) -> list[str]:
    """``count`` new pods without an infra container; their ids."""
    ids = []
    with uds_client(socket_path) as http:
        for _ in range(count):
            name = f"bench-events-{uuid.uuid4().hex[:8]}"
            answer = http.post(f"{LIBPOD}/pods/create", json={"name": name, "no_infra": True})
            answer.raise_for_status()
            ids.append(str(answer.json()["Id"]))
    return ids


def next_line(lines: queue.Queue[str], timeout: float) -> str | None:
    """The reader's next line ("" once it has exited), or None after ``timeout``."""
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


def pause_until(socket_path: Path, pod: str, lines: queue.Queue[str], wanted: str) -> str:
    """Pause ``pod`` once a second until the reader prints a line starting ``wanted``."""
    with uds_client(socket_path) as http:
        for _ in range(60):
            http.post(f"{LIBPOD}/pods/{pod}/pause").raise_for_status()
            deadline = time.monotonic() + 1.0
            while (left := deadline - time.monotonic()) > 0:
                line = next_line(lines, left)
                if line == "":
                    raise RuntimeError(f"the events reader exited before {wanted!r}")
                if line is not None and line.startswith(wanted):
                    return line
    raise RuntimeError(f"the events reader never printed {wanted!r}")


def rss_growth_mib(samples: list[tuple[float, int]], started: float) -> tuple[float, float, float]:
    """The reader's RSS at the start of RSS_WINDOW, at its end, and its growth: the
    peak within the window minus the size at its start (MiB)."""
    window = [kib for at, kib in samples if RSS_WINDOW[0] <= at - started <= RSS_WINDOW[1]]
    if len(window) < 2:
        raise RuntimeError(f"only {len(window)} RSS samples in the window")
    return window[0] / 1024, window[-1] / 1024, (max(window) - window[0]) / 1024


def bench_events(service: PodmanService) -> list[Ratio]:
    socket_path = service.socket_path
    warm, marker, *pods = empty_pods(socket_path, 2 + EVENT_WORKERS)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(socket_path), warm, marker, *pods],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        if reader.stdout is not None:
            for line in reader.stdout:
                lines.put(line)
        lines.put("")  # the reader has exited

    threading.Thread(target=pump, daemon=True).start()
    try:
        if next_line(lines, 30) != "open\n":
            raise RuntimeError("the events reader did not open its stream")
        pause_until(socket_path, warm, lines, "following")
        started = time.monotonic()
        generated = generate_events(socket_path, pods, EVENT_RATE, EVENT_SECONDS)
        result = json.loads(pause_until(socket_path, marker, lines, "{"))
        reader.wait(30)
    finally:
        if reader.poll() is None:
            reader.kill()  # our own child, by its handle
            reader.wait()
    received, distinct = int(result["received"]), int(result["distinct"])
    samples = [(float(at), int(kib)) for at, kib in result["samples"]]
    early, late, growth = rss_growth_mib(samples, started)
    print(
        f"  events: {generated.sent} sent in {generated.seconds:.1f} s ({generated.rate:.0f}/s, "
        f"{generated.failed} failed) by {EVENT_WORKERS} threads; received {received}, "
        f"{distinct} distinct, {received - distinct} repeated by the server",
        flush=True,
    )
    print(
        f"  events reader RSS: {early:.1f} MiB at {RSS_WINDOW[0]:.0f} s, "
        f"{late:.1f} MiB at {RSS_WINDOW[1]:.0f} s, peak growth {growth:.1f} MiB",
        flush=True,
    )
    if generated.rate < EVENT_RATE * 0.98:
        print(
            f"  NOTE: {EVENT_RATE:.0f} events/s could not be generated here; "
            f"the highest rate reached was {generated.rate:.0f}/s",
            flush=True,
        )
    return [
        Ratio("events received (distinct) vs sent", distinct, generated.sent, "events", 1.0, True),
        Ratio("events generated per second vs the 1,000/s asked", generated.rate, EVENT_RATE, "events/s", None, True),
        Ratio("events stream RSS growth, 10 s to 60 s", growth, EVENTS_RSS_BAR_MIB, "MiB", 1.0, False),
    ]  # fmt: skip


# -- export -------------------------------------------------------------------------------

# In a fresh interpreter (tests/bench/child.py), each chunk written to a file.
SDK_EXPORT = snippet(
    "sock, container, path",
    imports="""from podman_sdk import PodmanClient
from libpod_client.api.containers import container_export_libpod""",
    body="""
with (
    PodmanClient("unix://" + sock) as client,
    container_export_libpod.stream(container, client=client.api) as chunks,
    open(path, "wb") as file,
):
    for chunk in chunks:
        arrived()
        file.write(chunk)
""",
)
ASYNC_EXPORT = snippet(
    "sock, container, path",
    imports="""import asyncio
from podman_sdk import AsyncPodmanClient
from libpod_client.api.containers import container_export_libpod""",
    body="""
async def main():
    async with (
        AsyncPodmanClient("unix://" + sock) as client,
        container_export_libpod.asyncio_stream(container, client=client.api) as chunks,
    ):
        with open(path, "wb") as file:
            async for chunk in chunks:
                arrived()
                file.write(chunk)
asyncio.run(main())
""",
)
EXPORTS = {"stream()": SDK_EXPORT, "asyncio_stream()": ASYNC_EXPORT}


def curl_export(service: PodmanService, container: str, path: Path) -> dict[str, float]:
    url = f"http://d/v{service.version}/libpod/containers/{container}/export"
    return run_python(
        CURL, "curl", "-sS", "--fail", "--unix-socket", str(service.socket_path), "-o", str(path),
        "-w", "%{time_starttransfer}", url,
    )  # fmt: skip


def export_container(service: PodmanService, work: Path) -> str:
    """A created container of a 1 GiB single-layer image, never started; its id."""
    started = time.monotonic()
    build_image(service.socket_path, work, EXPORT_IMAGE, EXPORT_SIZE)
    print(f"  built the 1 GiB image in {time.monotonic() - started:.1f} s", flush=True)
    with PodmanClient(service.url) as client:
        body = SpecGenerator.from_dict(
            {"name": "bench-export", "image": EXPORT_IMAGE, "command": ["/payload.bin"]}
        )
        return container_create_libpod.sync(client=client.api, body=body).id


def bench_export(service: PodmanService, work: Path, runs: int) -> list[Ratio]:
    container = export_container(service, work)
    out = work / "export.tar"
    curl_export(service, container, out)  # untimed: the first export reads a cold store
    out.unlink()
    results: dict[str, list[dict[str, float]]] = {name: [] for name in [*EXPORTS, "curl"]}
    for round_number in range(runs):
        for client in rotated(list(results), round_number):
            os.sync()  # no writeback of the previous run's file during this one
            if client == "curl":
                figures = curl_export(service, container, out)
            else:
                figures = run_python(EXPORTS[client], str(service.socket_path), container, str(out))
            figures["bytes"] = out.stat().st_size
            out.unlink()
            if figures["bytes"] < EXPORT_SIZE:
                raise RuntimeError(f"{client} exported only {figures['bytes']:.0f} bytes")
            results[client].append(figures)
    for client, rounds in results.items():
        print(describe_rounds("export", client, rounds), flush=True)
    sdk, asynchronous, curl = results["stream()"], results["asyncio_stream()"], results["curl"]
    return [
        *transfer("export stream() to a file", sdk, curl, "curl -o"),
        *transfer("export asyncio_stream() to a file", asynchronous, curl, "curl -o"),
        Ratio("export stream() peak RSS growth", median([item["rss_growth_kib"] / 1024 for item in sdk]), EXPORT_RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("export asyncio_stream() peak RSS growth", median([item["rss_growth_kib"] / 1024 for item in asynchronous]), EXPORT_RSS_BAR_MIB, "MiB", 1.0, False),
    ]  # fmt: skip


# -- all ------------------------------------------------------------------------------------


def run(runs: int = EXPORT_RUNS) -> list[Ratio]:
    # Short: podman refuses a runroot path longer than 50 characters.
    work = Path(tempfile.mkdtemp(prefix="psdk-st-"))
    try:
        proc = start_podman4(work)
        try:
            service = proc.service
            image = "localhost/bench-streams/busybox:v1"
            build_busybox_image(service, image)
            results = bench_logs(service, image, work)
            results += bench_events(service)
            results += bench_export(service, work, runs)
            return results
        finally:
            stop_and_remove(proc)
    finally:
        remove_tree(work)  # unmounts whatever the service left below it first


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else EXPORT_RUNS
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
