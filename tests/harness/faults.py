"""Fault injection for live tests: services and registries of a test's own to kill or
pause, a thread that closes a client on a signal, and the checks every fault test makes
(no descriptor leaked, nothing left beside a target).

Processes are stopped by the PID the harness started them with, never by name.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from podman_sdk import PodmanClient

from tests.harness.podman5_chroot import Podman5Service
from tests.harness.podman6_build import start_podman6
from tests.harness.podman_service import ServiceProcess, start_podman4, stop_and_remove
from tests.harness.registry import RegistryProcess

# Generous: a close measured within milliseconds; a loaded two-core machine may take
# a while to schedule the threads involved.
CLOSE_BOUND = 5.0
EVENT_WAIT = 120.0


def open_fds() -> set[str]:
    """This process's open file descriptors."""
    return set(os.listdir("/proc/self/fd"))


def leftovers(directory: Path) -> list[str]:
    """Every name in ``directory`` (hidden ``.part`` files included)."""
    return sorted(path.name for path in directory.iterdir())


@contextmanager
def dedicated_service(name: str, harness_dir: Path) -> Iterator[ServiceProcess]:
    """A service of major ``name`` (podman4, podman5, podman6) for one test, to kill;
    stopped and removed afterwards (the chroot's mounts too). Podman refuses a runroot
    path over 50 characters, hence the directory's short name: the first free number."""
    number = next(n for n in itertools.count() if not (harness_dir / str(n)).exists())
    base = harness_dir / str(number)
    if name == "podman5":
        chroot = Podman5Service(base)
        try:
            yield chroot.process
        finally:
            chroot.stop()
        return
    starts = {"podman4": start_podman4, "podman6": start_podman6}
    proc = starts[name](base)
    try:
        yield proc
    finally:
        stop_and_remove(proc)


def kill(proc: ServiceProcess | RegistryProcess) -> None:
    """SIGKILL the process the harness started, and wait until it is gone."""
    proc.process.send_signal(signal.SIGKILL)
    proc.process.wait(timeout=30)


@contextmanager
def own_registry(harness_dir: Path) -> Iterator[RegistryProcess]:
    """A registry for one test, to pause or kill; resumed and stopped afterwards."""
    proc = RegistryProcess(harness_dir / f"r{secrets.token_hex(3)}")
    try:
        yield proc
    finally:
        if proc.process.poll() is None:
            proc.process.send_signal(signal.SIGCONT)
        proc.stop()


def pause(proc: RegistryProcess) -> None:
    proc.process.send_signal(signal.SIGSTOP)


class CloseOn:
    """Closes ``client`` on a thread of its own once ``trigger`` is set; ``closed``
    is set once close() returned, ``closed_at`` says when it was called."""

    def __init__(
        self, client: PodmanClient, trigger: threading.Event, *, delay: float = 0.0
    ) -> None:
        """``delay``: seconds between the trigger and the close, to let the client's
        thread reach a blocking read (nothing asserts on it)."""
        self.closed = threading.Event()
        self.closed_at: float | None = None
        self._client = client
        self._trigger = trigger
        self._delay = delay
        self._thread = threading.Thread(target=self._run, name="closer")
        self._thread.start()

    def _run(self) -> None:
        if not self._trigger.wait(EVENT_WAIT):
            return
        time.sleep(self._delay)
        self.closed_at = time.monotonic()
        self._client.close()
        self.closed.set()

    def seconds_to(self, raised_at: float) -> float:
        """From close() to ``raised_at``."""
        assert self.closed_at is not None, "the trigger never fired"
        return raised_at - self.closed_at

    def join(self) -> None:
        self._trigger.set()  # a test that failed before its trigger still ends
        self._thread.join()


def record_timing(what: str, seconds: float) -> None:
    """Append a measured time to the file ``PODMAN_SDK_FAULT_TIMINGS`` names, if any
    (one JSON object a line), for reports across repeated runs."""
    path = os.environ.get("PODMAN_SDK_FAULT_TIMINGS")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps({"what": what, "seconds": round(seconds, 4)}) + "\n")


def copying_blob(event: Mapping[str, object]) -> bool:
    """The first "Copying blob" line of a pull or push: data starts to flow then."""
    return "Copying blob" in str(event.get("stream", ""))


def mid_layer(event: Mapping[str, object]) -> bool:
    """Podman 6's progress of a layer partly copied (``pullProgress``, about a second
    into the layer): data and progress events both flowing."""
    layer = event.get("pullProgress")
    if not isinstance(layer, Mapping) or layer.get("status") != "pulling":
        return False
    current = layer.get("current")
    return isinstance(current, int) and current > 0


def at_first_blob(
    events: Iterable[Mapping[str, object]],
    action: Callable[[], object],
    when: Callable[[Mapping[str, object]], bool] = copying_blob,
) -> int:
    """Read a pull's or push's ``events`` to their end, calling ``action`` once at the
    first event ``when`` picks (by default the first "Copying blob"); how many events
    came."""
    count = 0
    acted = False
    for event in events:
        count += 1
        if not acted and when(event):
            acted = True
            action()
    return count
