"""A TCP forwarder that passes data at a bounded rate (``throttle_forwarder``), run as
a process of its own.

Podman 6 pulls a 64 MiB layer from a local registry in 0.4 s, and the registry has sent
all of it well before: a fault aimed at a transfer in progress (the registry killed)
missed it. Through this forwarder the same layer takes seconds, so a fault at the first
"Copying blob" event lands while the registry still sends. A process of its own: its
sockets are not the test process's, whose descriptors the fault tests count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.harness.mounts import record_pid

FORWARDER = Path(__file__).with_name("throttle_forwarder.py")


class ThrottledRegistry:
    """A forwarder to the registry at ``registry_host`` ("127.0.0.1:PORT"), at most
    ``rate`` bytes a second each way per connection; ``host`` is where to reach it.
    Its PID is recorded in ``directory`` (the registry's) and it is stopped by it."""

    def __init__(self, registry_host: str, rate: float, directory: Path) -> None:
        port = registry_host.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [sys.executable, str(FORWARDER), port, str(rate), str(directory)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        record_pid(directory / "throttle.pid", self.process.pid, str(directory))
        assert self.process.stdout is not None
        with self.process.stdout:
            line = self.process.stdout.readline()
        if not line.strip():
            self.stop()
            raise RuntimeError("the throttling forwarder did not start")
        self.host = f"127.0.0.1:{int(line)}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
