"""``client.events(decode=True)`` (issue 25): the facade's typed event stream sustains
1,000 events/s in flat memory.

Starts a private Podman 4.3.1 service. EVENT_WORKERS threads pause empty pods (no infra
container: a pause writes one event and touches nothing else), paced to EVENT_RATE per
second for EVENT_SECONDS (tests/bench/bench_streams.py's generator, shared), while a
child process reads ``PodmanClient.events(filters=..., decode=True)`` and samples its own
resident set twice a second. Figures:

- distinct events received against pauses answered 200 (bar 1.0: none lost). Podman
  4.3.1 rotates its events file at 1 MB and a follower reads the kept half again, so
  the reader counts an event as new only if its time is later than the last one of its
  pod (each pod's pauses are sequential), in constant memory. Podman 4.3.1 may also
  read a half-written line while it rotates under load and report that inside the
  stream, which raises `StreamError`: the reader counts it and opens a new stream;
- the rate reached (information: the service's and this machine's limit when short);
- the reader's RSS growth from the 10th to the 60th second (its peak in that window
  minus its size at the start), bar EVENTS_RSS_BAR_MIB;
- afterwards, the same events read back from the log (``since``/``until``) as fast as
  the service sends them, decoded, in events/s, against podman-py's ``events(decode=True)``
  reading the same window in the same run (information: the client's own cost);
- the client alone: REPLAY_EVENTS events replayed on a Unix socket by a process that
  frames them as Podman does (one HTTP chunk per event), read by ``events(decode=True)``
  against the 1,000/s asked (bar 1.0), and against podman-py's (information).

    .venv/bin/python -m tests.bench.bench_events
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from podman import PodmanClient as PodmanPyClient
from podman_sdk import PodmanClient, StreamError

from tests.bench.bench_streams import (
    EVENT_RATE,
    EVENT_SECONDS,
    EVENT_WORKERS,
    EVENTS_RSS_BAR_MIB,
    RSS_WINDOW,
    empty_pods,
    generate_events,
    next_line,
    pause_until,
    rss_growth_mib,
    vm_rss_kib,
)
from tests.bench.report import Ratio, median
from tests.harness.mounts import remove_tree
from tests.harness.podman_service import PodmanService, start_podman4, stop_and_remove

REPO = Path(__file__).resolve().parents[2]
READER = "import sys\nfrom tests.bench.bench_events import read_events\nread_events(sys.argv[1:])"
PAUSES = {"type": "pod", "event": "pause"}
READ_BACK_WINDOW = 3  # seconds until ``until`` when reading the log back


def read_events(argv: list[str]) -> None:
    """The reader, in a process of its own: ``SOCKET WARM MARKER POD...``. Prints "open"
    once it reads, "following" at the first pause of pod WARM; counts the pauses of the
    PODs until one of MARKER, then prints events received, distinct ones and (monotonic
    time, VmRSS KiB) samples as JSON."""
    socket_path, warm, marker, *pods = argv
    latest = dict.fromkeys(pods, 0)
    received = distinct = 0
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while True:
            samples.append((time.monotonic(), vm_rss_kib()))
            if done.wait(0.5):
                return

    sampler = threading.Thread(target=sample)
    failures: list[str] = []
    with PodmanClient(f"unix://{socket_path}") as client:
        print("open", flush=True)
        sampler.start()
        following = ended = False
        while not ended:
            try:
                with client.events(filters=PAUSES, decode=True) as events:
                    for event in events:
                        pod = event["Actor"]["ID"]
                        if pod == marker:
                            ended = True
                            break
                        if pod == warm:
                            if not following:
                                print("following", flush=True)
                                following = True
                            continue
                        if pod not in latest:
                            continue
                        received += 1
                        if event["timeNano"] > latest[pod]:
                            distinct += 1
                            latest[pod] = event["timeNano"]
            except StreamError as error:
                # Podman 4.3.1 may read its events log while a line is half written
                # (rotation under load) and reports it in the stream, which raises;
                # reading on from a new stream loses the events in between, which the
                # distinct count then shows.
                failures.append(str(error))
    done.set()
    sampler.join()
    print(json.dumps({"received": received, "distinct": distinct, "samples": samples,
                      "failures": failures}))  # fmt: skip


def read_back(service: PodmanService, since: int) -> tuple[float, float, int]:
    """Events/s of podman_sdk and podman-py reading the pauses since ``since`` back from
    the log, decoded, interleaved twice; and how many events one read gave."""
    rates: dict[str, list[float]] = {"sdk": [], "podman-py": []}
    count = 0
    with (
        PodmanClient(service.url) as sdk,
        PodmanPyClient(base_url=service.url) as podman_py,
    ):
        readers = {
            "sdk": lambda until: sdk.events(since=since, until=until, filters=PAUSES, decode=True),
            "podman-py": lambda until: podman_py.events(  # type: ignore[no-untyped-call]
                since=since, until=until, filters=PAUSES, decode=True
            ),
        }
        for _ in range(2):
            for name, open_events in readers.items():
                # Podman 4.3.1 ends a stream whose until has passed before reading the
                # log: until lies ahead, and the clock stops at the last event.
                until = int(time.time()) + READ_BACK_WINDOW
                started = time.perf_counter()
                count = 0
                last = started
                for event in open_events(until):  # type: ignore[no-untyped-call]
                    count += 1
                    if event["Action"] == "pause":
                        last = time.perf_counter()
                rates[name].append(count / (last - started))
    return max(rates["sdk"]), max(rates["podman-py"]), count


# -- the client alone: a replay of Podman's framing, as fast as a socket carries it --------

# A process of its own (so that it does not share the readers' GIL): on each connection,
# reads the request head and answers REPLAY_EVENTS events as Podman writes them, one
# HTTP chunk per event (its handler flushes after each), then ends the body.
REPLAY_SERVER = """
import socket, sys
path, count, event = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode() + b"\\n"
body = b"%x\\r\\n%s\\r\\n" % (len(event), event) * count + b"0\\r\\n\\r\\n"
head = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
        b"Transfer-Encoding: chunked\\r\\nConnection: close\\r\\n\\r\\n")
listener = socket.socket(socket.AF_UNIX)
listener.bind(path)
listener.listen(8)
print("ready", flush=True)
while True:
    conn, _ = listener.accept()
    request = b""
    while b"\\r\\n\\r\\n" not in request:
        more = conn.recv(65536)
        if not more:
            break
        request += more
    conn.sendall(head + body)
    conn.close()
"""
REPLAY_EVENTS = 20_000
REPLAY_ROUNDS = 3
REPLAY_EVENT = {
    "status": "pause",
    "Type": "pod",
    "Action": "pause",
    "Actor": {"ID": "0" * 64, "Attributes": {"name": "bench-events-0123abcd", "image": "",
                                             "podId": "", "containerExitCode": "0"}},
    "scope": "local",
    "time": 1796684408,
    "timeNano": 1796684408021914301,
}  # fmt: skip


def replay_rates(work: Path) -> tuple[float, float]:
    """Median events/s of podman_sdk's and podman-py's ``events(decode=True)`` reading
    REPLAY_EVENTS replayed events, interleaved over REPLAY_ROUNDS rounds."""
    socket_path = work / "replay.sock"
    server = subprocess.Popen(
        [sys.executable, "-c", REPLAY_SERVER, str(socket_path), str(REPLAY_EVENTS),
         json.dumps(REPLAY_EVENT, separators=(",", ":"))],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    rates: dict[str, list[float]] = {"sdk": [], "podman-py": []}
    try:
        if server.stdout is None or server.stdout.readline() != "ready\n":
            raise RuntimeError("the replay server did not start")
        url = f"unix://{socket_path}"
        with PodmanClient(url, version="4.3.1") as sdk, PodmanPyClient(base_url=url) as podman_py:
            readers = {
                "sdk": lambda: sdk.events(decode=True),
                "podman-py": lambda: podman_py.events(decode=True),  # type: ignore[no-untyped-call]
            }
            for _ in range(REPLAY_ROUNDS):
                for name, open_events in readers.items():
                    started = time.perf_counter()
                    events = open_events()  # type: ignore[no-untyped-call]
                    count = sum(event["Action"] == "pause" for event in events)
                    if count != REPLAY_EVENTS:
                        raise RuntimeError(f"{name} read {count} of {REPLAY_EVENTS} events")
                    rates[name].append(count / (time.perf_counter() - started))
    finally:
        server.kill()  # our own child, by its handle
        server.wait()
    return median(rates["sdk"]), median(rates["podman-py"])


def bench(service: PodmanService) -> list[Ratio]:
    socket_path = service.socket_path
    since = int(time.time()) - 1
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
        lines.put("")

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
    failures = [str(failure) for failure in result["failures"]]
    samples = [(float(at), int(kib)) for at, kib in result["samples"]]
    early, late, growth = rss_growth_mib(samples, started)
    sdk_rate, podman_py_rate, count = read_back(service, since)
    print(
        f"  events(decode=True): {generated.sent} pauses in {generated.seconds:.1f} s "
        f"({generated.rate:.0f}/s, {generated.failed} failed); received {received}, "
        f"{distinct} distinct, {received - distinct} repeated by the server; "
        f"{len(failures)} errors reported in the stream {sorted(set(failures))}",
        flush=True,
    )
    print(
        f"  reader RSS: {early:.1f} MiB at {RSS_WINDOW[0]:.0f} s, {late:.1f} MiB at "
        f"{RSS_WINDOW[1]:.0f} s, peak growth {growth:.2f} MiB",
        flush=True,
    )
    print(
        f"  read back from the log ({count} events): podman_sdk {sdk_rate:.0f}/s, "
        f"podman-py {podman_py_rate:.0f}/s",
        flush=True,
    )
    return [
        Ratio("events(decode=True) received (distinct) vs sent", distinct, generated.sent, "events", 1.0, True),
        Ratio("events(decode=True) per second vs the 1,000/s asked", distinct / generated.seconds, EVENT_RATE, "events/s", None, True),
        Ratio("events(decode=True) RSS growth, 10 s to 60 s", growth, EVENTS_RSS_BAR_MIB, "MiB", 1.0, False),
        Ratio("events(decode=True) read back, vs podman-py", sdk_rate, podman_py_rate, "events/s", None, True),
    ]  # fmt: skip


def run() -> list[Ratio]:
    # Short: podman refuses a runroot path longer than 50 characters.
    work = Path(tempfile.mkdtemp(prefix="psdk-ev-"))
    try:
        sdk_rate, podman_py_rate = replay_rates(work)
        print(
            f"  replayed events, decoded: podman_sdk {sdk_rate:.0f}/s, "
            f"podman-py {podman_py_rate:.0f}/s",
            flush=True,
        )
        replayed = [
            Ratio("events(decode=True) replayed, per second vs the 1,000/s asked", sdk_rate, EVENT_RATE, "events/s", 1.0, True),
            Ratio("events(decode=True) replayed, vs podman-py", sdk_rate, podman_py_rate, "events/s", None, True),
        ]  # fmt: skip
        proc = start_podman4(work)
        try:
            return replayed + bench(proc.service)
        finally:
            stop_and_remove(proc)
    finally:
        remove_tree(work)  # unmounts whatever the service left below it first


def main() -> None:
    for result in run():
        print(result.line())


if __name__ == "__main__":
    main()
