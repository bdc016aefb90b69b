"""Typed parse of real Podman answers through the generated models, against
``json.loads`` of the same bytes, measured in the same run.

- list: GET /libpod/containers/json?all=true answering LIST_COUNT ListContainer
  entries; typed is ``[ListContainer.from_dict(x) for x in json.loads(body)]``.
- inspect: INSPECT_COUNT answers of GET /libpod/containers/{id}/json; typed is
  ``InspectContainerData.from_dict(json.loads(body))`` for each.

Bar: typed/json.loads <= 2.0 for each (issue 29) (the models check every field's JSON type).

The answers come from a private Podman 5 service (the Debian chroot): CREATED containers (created, not
started: nothing else is needed for list and inspect) from a FROM-scratch test image,
with labels, an environment and a command; the list and each inspect are fetched once.
The list is then repeated up to LIST_COUNT entries and the inspects up to
INSPECT_COUNT, each copy with its own Id and Name, so the bytes are real answers'
shape at a size worth timing. Cached in ``CACHE`` (gitignored); ``--force`` captures
again.

    .venv/bin/python -m tests.bench.bench_parse [--force]
"""

from __future__ import annotations

import copy
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from libpod_client.models import InspectContainerData, ListContainer

from tests.bench.report import Ratio, median
from tests.harness.images import build_test_image
from tests.harness.podman5_chroot import Podman5Service
from tests.harness.podman_service import uds_client

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "bench_parse" / "answers.json"
# Podman 5 answers a v5 request path in the shape the v5 spec (and so the models)
# describes; under /v4.x, and from Podman 4.3.1, inspect's Config.Entrypoint is a string
# and StopSignal a number (InspectContainerConfig.MarshalJSON).
LIBPOD = "/v5.0.0/libpod"
CREATED = 10
LIST_COUNT = 1000
INSPECT_COUNT = 100
ROUNDS = 31
BAR = 2.0


def capture(path: Path = CACHE) -> dict[str, Any]:
    """Create CREATED containers in a private Podman 4.3.1; store the list answer and
    each inspect answer (decoded: they are multiplied before timing)."""
    base = Path(tempfile.mkdtemp(prefix="bench-parse-"))
    podman5 = Podman5Service(base)
    proc = podman5.process
    try:
        build_test_image(proc.service, "localhost/bench/parse:latest")
        with uds_client(proc.socket_path) as client:
            ids = []
            for i in range(CREATED):
                spec = {
                    "image": "localhost/bench/parse:latest",
                    "name": f"bench-parse-{i}",
                    "labels": {"bench": "parse", "n": str(i)},
                    "env": {"N": str(i)},
                    "command": ["/bin/true", str(i)],
                    "netns": {"nsmode": "none"},
                }
                response = client.post(f"{LIBPOD}/containers/create", json=spec)
                if response.status_code != 201:
                    raise RuntimeError(f"create: HTTP {response.status_code}: {response.text}")
                ids.append(response.json()["Id"])
            listed = client.get(f"{LIBPOD}/containers/json", params={"all": "true"})
            listed.raise_for_status()
            inspected = []
            for container in ids:
                answer = client.get(f"{LIBPOD}/containers/{container}/json")
                answer.raise_for_status()
                inspected.append(answer.json())
    finally:
        podman5.stop()
        base.rmdir()
    doc = {"podman": proc.version, "list": listed.json(), "inspect": inspected}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return doc


def multiplied(answers: list[dict[str, Any]], count: int, name_key: str) -> list[dict[str, Any]]:
    """``count`` copies of ``answers`` in turn, each with its own Id and name."""
    out = []
    for i in range(count):
        entry = copy.deepcopy(answers[i % len(answers)])
        entry["Id"] = f"{i:064x}"
        if name_key == "Names":
            entry["Names"] = [f"bench-parse-{i}"]
        else:
            entry["Name"] = f"bench-parse-{i}"
        out.append(entry)
    return out


def fixtures(force: bool = False) -> tuple[bytes, list[bytes]]:
    doc = json.loads(CACHE.read_text()) if CACHE.exists() and not force else capture()
    list_body = json.dumps(multiplied(doc["list"], LIST_COUNT, "Names")).encode()
    inspect_bodies = [
        json.dumps(entry).encode() for entry in multiplied(doc["inspect"], INSPECT_COUNT, "Name")
    ]
    return list_body, inspect_bodies


def interleaved(contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds per call of each contender, rounds interleaved, gc off in a call."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for call in contenders.values():
        call()  # warm: model modules imported, caches filled
    for _ in range(ROUNDS):
        for name, call in contenders.items():
            gc.collect()
            gc.disable()
            try:
                started = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - started)
            finally:
                gc.enable()
    return {name: median(values) for name, values in times.items()}


def run(force: bool = False) -> list[Ratio]:
    list_body, inspect_bodies = fixtures(force)

    def list_plain() -> object:
        return json.loads(list_body)

    def list_typed() -> object:
        return [ListContainer.from_dict(entry) for entry in json.loads(list_body)]

    def inspect_plain() -> object:
        return [json.loads(body) for body in inspect_bodies]

    def inspect_typed() -> object:
        return [InspectContainerData.from_dict(json.loads(body)) for body in inspect_bodies]

    seconds = interleaved(
        {
            "list_plain": list_plain,
            "list_typed": list_typed,
            "inspect_plain": inspect_plain,
            "inspect_typed": inspect_typed,
        }
    )
    ms = {name: value * 1000 for name, value in seconds.items()}
    return [
        Ratio(
            f"parse {LIST_COUNT} ListContainer vs json.loads",
            ms["list_typed"],
            ms["list_plain"],
            "ms",
            BAR,
            higher_is_better=False,
        ),
        Ratio(
            f"parse {INSPECT_COUNT} InspectContainerData vs json.loads",
            ms["inspect_typed"],
            ms["inspect_plain"],
            "ms",
            BAR,
            higher_is_better=False,
        ),
    ]


if __name__ == "__main__":
    for result in run(force="--force" in sys.argv[1:]):
        print(result.line())
