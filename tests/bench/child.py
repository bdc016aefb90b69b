"""Measuring a Python client in an interpreter of its own: the snippet template every
benchmark formats, and the runner that reads the figures it prints."""

from __future__ import annotations

import json
import subprocess
import sys

# argv names the snippet's arguments; it prints {"seconds": ..., "rss_growth_kib": ...},
# plus "first_byte" (seconds) and "body_cpu" (the process's CPU seconds from then on)
# when the body calls arrived() as each chunk of a download comes in.
# The clock starts after the imports, and the baseline is the resident set then (not
# ru_maxrss, which already holds the imports' peak and hid podman-py's growth), so the
# figure is the whole rise to the high-water mark while the call runs.
_TEMPLATE = """
import json, sys, time
{imports}
{argv} = sys.argv[1:]
def status(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith(key + ":"))
first = None
def arrived(*_):
    global first, first_cpu
    if first is None:
        first, first_cpu = time.perf_counter(), time.process_time()
base = status("VmRSS")
started = time.perf_counter()
{body}
seconds = time.perf_counter() - started
peak = status("VmHWM")
figures = {{"seconds": seconds, "rss_growth_kib": peak - base}}
if first is not None:
    figures.update(first_byte=first - started, body_cpu=time.process_time() - first_cpu)
print(json.dumps(figures))
"""


def snippet(argv: str, imports: str, body: str) -> str:
    """The code for `run_python`: ``argv`` like ``"sock, name, path"``."""
    return _TEMPLATE.format(argv=argv, imports=imports, body=body)


def run_python(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` with ``args`` in a fresh interpreter; the figures it printed last."""
    output = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{output.stderr[-2000:]}")
    result: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    return result
