"""Import cost: `import podman_sdk` plus one image endpoint module, against
`import httpx` alone, each timed inside a fresh interpreter (startup excluded),
interleaved, median of RUNS. Bar: at most 2.0x.

    .venv/bin/python -m tests.bench.bench_import [RUNS]
"""

from __future__ import annotations

import subprocess
import sys

from tests.bench.report import Ratio, median

TIMED = "import time; t = time.perf_counter(); {imports}; print(time.perf_counter() - t)"
REFERENCE = "import httpx"
OURS = "import podman_sdk, libpod_client.api.images.image_list_libpod"


def time_import(imports: str) -> float:
    code = TIMED.format(imports=imports)
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(output.stdout)


def run(runs: int = 21) -> list[Ratio]:
    reference, ours = [], []
    for _ in range(runs):
        reference.append(time_import(REFERENCE))
        ours.append(time_import(OURS))
    return [
        Ratio(
            "import podman_sdk + image_list_libpod vs import httpx",
            median(ours) * 1000,
            median(reference) * 1000,
            "ms",
            2.0,
            higher_is_better=False,
        )
    ]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
