"""What machine a benchmark table was measured on: enough to tell two tables apart."""

from __future__ import annotations

import os
import platform
import subprocess


def describe_machine() -> list[str]:
    """Lines for the table's header: CPU, cores, memory, kernel, Python, Podman."""
    return [
        f"CPU: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory_gib():.1f} GiB; "
        f"load average at the end {os.getloadavg()[0]:.1f}",
        f"System: {platform.system()} {platform.release().split('-')[0]} ({platform.machine()}), "
        f"Python {platform.python_version()}, {_podman_version()}",
    ]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _podman_version() -> str:
    try:
        output = subprocess.run(
            ["podman", "--version"], capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "podman not found"
    return output.stdout.strip() or "podman not found"
