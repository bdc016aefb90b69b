"""Start-up cost, in a venv without the cli extra (httpx imports click, rich and pygments
when click is installed, which would make `import httpx` itself heavier and hide our
own cost). The venv is made once under .cache/ with this checkout and podman-py.

- import: ``from podman_sdk import PodmanClient`` plus one endpoint module, against
  ``import httpx`` (bar 1.5x); podman-py's ``import podman`` for information.
- start-up: a new process that imports, connects and calls ``images.list()`` on an
  empty store of a private Podman 4.3.1 service, against podman-py (bar 0.85x, issue 29) and plain
  httpx + ``json.loads`` of the same answer (bar 1.2x).
- the same for ``AsyncPodmanClient`` under ``asyncio.run``: against plain
  ``httpx.AsyncClient`` + ``json.loads`` (bar 1.2x); against podman-py and the sync
  client for information. podman-py's bar is out of reach for any asyncio client on
  httpx: importing asyncio and anyio's asyncio backend (which httpcore's async pool
  loads) costs more than podman-py's whole margin over ``import httpx`` (README,
  Benchmarks).

Each contender runs in a fresh interpreter, interleaved, median of RUNS; the figure is
the process's CPU time (user + system) from before the imports to after the call, which
a loaded two-core machine disturbs far less than wall time.

    .venv/bin/python -m tests.bench.bench_startup [RUNS]
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.report import Ratio, median
from tests.harness.podman_service import start_podman4, stop_and_remove

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".cache" / "bench-venv-nocli"
PODMAN_PY = "podman==5.8.0"

TIMED = """
import time
started = time.process_time()
{code}
print(time.process_time() - started)
"""

IMPORTS = {
    "httpx": "import httpx",
    "sdk": "from podman_sdk import PodmanClient\nimport libpod_client.api.images.image_list_libpod",
    "podman-py": "import podman",
}

STARTUP = {
    "sdk": (
        "from podman_sdk import PodmanClient\n"
        "with PodmanClient('unix://{socket}') as client:\n"
        "    assert client.images.list() == []\n"
    ),
    "podman-py": (
        "from podman import PodmanClient\n"
        "with PodmanClient(base_url='unix://{socket}') as client:\n"
        "    assert client.images.list() == []\n"
    ),
    "httpx": (
        "import httpx, json\n"
        "transport = httpx.HTTPTransport(uds='{socket}')\n"
        "with httpx.Client(transport=transport, base_url='http://d') as client:\n"
        "    assert json.loads(client.get('/v{version}/libpod/images/json').content) == []\n"
    ),
    "async sdk": (
        "import asyncio\n"
        "from podman_sdk import AsyncPodmanClient\n"
        "async def main():\n"
        "    async with AsyncPodmanClient('unix://{socket}') as client:\n"
        "        assert await client.images.list() == []\n"
        "asyncio.run(main())\n"
    ),
    "async httpx": (
        "import asyncio, httpx, json\n"
        "async def main():\n"
        "    transport = httpx.AsyncHTTPTransport(uds='{socket}')\n"
        "    async with httpx.AsyncClient(transport=transport, base_url='http://d') as client:\n"
        "        answer = await client.get('/v{version}/libpod/images/json')\n"
        "        assert json.loads(answer.content) == []\n"
        "asyncio.run(main())\n"
    ),
}


def venv_python() -> Path:
    """The benchmark venv's interpreter, made on first use."""
    python = VENV / "bin" / "python"
    ready = VENV / ".ready"
    # Made again when the project's dependencies change.
    wanted = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
    if not ready.exists() or ready.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", str(REPO), PODMAN_PY],
            check=True,
        )
        ready.write_text(wanted)
    check = subprocess.run(
        [str(python), "-c", "import sys, httpx; print('click' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    if check.stdout.strip() != "False":
        raise RuntimeError(f"{VENV} has click installed: the import figures would be unfair")
    return python


def compile_sources(python: Path) -> None:
    """Bytecode for this checkout's packages, as an installed package has: with
    PYTHONDONTWRITEBYTECODE set (as in many shells and CI images), an editable install
    would otherwise compile every module from source in every run, and podman-py,
    compiled by pip, would not."""
    sources = [str(REPO / "facade"), str(REPO / "generated")]
    subprocess.run([str(python), "-m", "compileall", "-q", *sources], check=True)


def cpu_seconds(python: Path, code: str) -> float:
    output = subprocess.run(
        [str(python), "-c", TIMED.format(code=code)], capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{output.stderr[-2000:]}")
    return float(output.stdout.strip().splitlines()[-1])


def interleaved(python: Path, snippets: dict[str, str], runs: int) -> dict[str, float]:
    """Median milliseconds of each snippet, the contenders taking turns."""
    times: dict[str, list[float]] = {name: [] for name in snippets}
    for _ in range(runs):
        for name, code in snippets.items():
            times[name].append(cpu_seconds(python, code) * 1000)
    return {name: median(values) for name, values in times.items()}


def run(runs: int = 31) -> list[Ratio]:
    python = venv_python()
    compile_sources(python)
    imports = interleaved(python, IMPORTS, runs)
    with tempfile.TemporaryDirectory(prefix="psdk-bench-") as tmp:
        proc = start_podman4(Path(tmp))
        try:
            service = proc.service
            snippets = {
                name: code.format(socket=service.socket_path, version=service.version)
                for name, code in STARTUP.items()
            }
            startup = interleaved(python, snippets, runs)
        finally:
            stop_and_remove(proc)
    return [
        Ratio("import sdk + endpoint vs httpx", imports["sdk"], imports["httpx"], "ms", 1.5, False),
        Ratio(
            "import sdk + endpoint vs podman-py",
            imports["sdk"],
            imports["podman-py"],
            "ms",
            None,
            False,
        ),
        Ratio(
            "start-up list() vs podman-py", startup["sdk"], startup["podman-py"], "ms", 0.85, False
        ),
        Ratio(
            "start-up list() vs httpx + json", startup["sdk"], startup["httpx"], "ms", 1.2, False
        ),
        Ratio(
            "async start-up list() vs podman-py",
            startup["async sdk"],
            startup["podman-py"],
            "ms",
            None,
            False,
        ),
        Ratio(
            "async start-up list() vs httpx.AsyncClient + json",
            startup["async sdk"],
            startup["async httpx"],
            "ms",
            1.2,
            False,
        ),
        Ratio(
            "async start-up list() vs sync start-up list()",
            startup["async sdk"],
            startup["sdk"],
            "ms",
            None,
            False,
        ),
    ]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 31
    for result in run(runs):
        print(result.line())


if __name__ == "__main__":
    main()
