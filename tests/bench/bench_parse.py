"""Typed parse of real Podman answers through the generated models, against
``json.loads`` of the same bytes, measured in the same run.

For each of containers, images, pods, volumes and networks:

- list: the libpod list answer, repeated up to LIST_COUNT entries; typed is
  ``[Model.from_dict(x) for x in json.loads(body)]``.
- inspect: INSPECT_COUNT inspect answers; typed is ``Model.from_dict(json.loads(body))``
  for each.

Bar: typed/json.loads <= 2.0 for each (issue 29) (the models check every field's JSON type).

The answers come from a private Podman 5 service (the Debian chroot): CREATED containers (created, not
started: nothing else is needed for list and inspect) from a FROM-scratch test image,
with labels, an environment and a command; pods without infra, labelled volumes and
networks; the test image is the one image. Each list and inspect is fetched once, then
repeated with its own Id and Name per copy, so the bytes are real answers' shape at a
size worth timing. Cached in ``CACHE`` (gitignored); ``--force`` captures again.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from libpod_client.models import (
    ImageData,
    InspectContainerData,
    InspectPodData,
    LibpodImageSummary,
    ListContainer,
    ListPodsReport,
    Network,
    NetworkInspectReport,
    VolumeConfigResponse,
)

from tests.bench.report import Ratio, median
from tests.harness.images import build_test_image
from tests.harness.podman5_chroot import Podman5Service
from tests.harness.podman_service import uds_client

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "bench_parse" / "answers-by-domain.json"
# Podman 5 answers a v5 request path in the shape the v5 spec (and so the models)
# describes; under /v4.x, and from Podman 4.3.1, inspect's Config.Entrypoint is a string
# and StopSignal a number (InspectContainerConfig.MarshalJSON).
LIBPOD = "/v5.0.0/libpod"
IMAGE = "localhost/bench/parse:latest"
CREATED = 10
LIST_COUNT = 1000
INSPECT_COUNT = 100
ROUNDS = 31
BAR = 2.0


@dataclass(frozen=True)
class Domain:
    """One domain's list and inspect answers and the models that parse them."""

    name: str
    list_model: Callable[[Any], object]
    list_what: str
    inspect_model: Callable[[Any], object]
    inspect_what: str


DOMAINS = (
    Domain("containers", ListContainer.from_dict, "ListContainer",
           InspectContainerData.from_dict, "InspectContainerData"),
    Domain("images", LibpodImageSummary.from_dict, "LibpodImageSummary",
           ImageData.from_dict, "ImageData"),
    Domain("pods", ListPodsReport.from_dict, "ListPodsReport",
           InspectPodData.from_dict, "InspectPodData"),
    Domain("volumes", VolumeConfigResponse.from_dict, "VolumeConfigResponse (list)",
           VolumeConfigResponse.from_dict, "VolumeConfigResponse"),
    Domain("networks", Network.from_dict, "Network",
           NetworkInspectReport.from_dict, "NetworkInspectReport"),
)  # fmt: skip


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{what}: HTTP {response.status_code}: {response.text}")
    return response.json()


def _create_all(client: httpx.Client) -> dict[str, list[str]]:
    """CREATED containers, pods, volumes and networks, labelled; their names by domain."""
    made: dict[str, list[str]] = {"containers": [], "pods": [], "volumes": [], "networks": []}
    for i in range(CREATED):
        labels = {"bench": "parse", "n": str(i)}
        spec = {
            "image": IMAGE,
            "name": f"bench-parse-{i}",
            "labels": labels,
            "env": {"N": str(i)},
            "command": ["/bin/true", str(i)],
            "netns": {"nsmode": "none"},
        }
        made["containers"].append(
            _ok(client.post(f"{LIBPOD}/containers/create", json=spec), "create")["Id"]
        )
        pod = {"name": f"bench-pod-{i}", "labels": labels, "no_infra": True}
        made["pods"].append(_ok(client.post(f"{LIBPOD}/pods/create", json=pod), "pod")["Id"])
        volume = {"Name": f"bench-volume-{i}", "Labels": labels}
        made["volumes"].append(
            _ok(client.post(f"{LIBPOD}/volumes/create", json=volume), "volume")["Name"]
        )
        network = {"name": f"bench-net-{i}", "labels": labels, "internal": True}
        made["networks"].append(
            _ok(client.post(f"{LIBPOD}/networks/create", json=network), "network")["name"]
        )
    return made


def capture(path: Path = CACHE) -> dict[str, Any]:
    """Create CREATED objects of each domain in a private Podman 5; store each domain's
    list answer and its inspect answers (decoded: they are multiplied before timing)."""
    base = Path(tempfile.mkdtemp(prefix="bench-parse-"))
    podman5 = Podman5Service(base)
    proc = podman5.process
    doc: dict[str, Any] = {}
    try:
        build_test_image(proc.service, IMAGE)
        with uds_client(proc.socket_path) as client:
            made = _create_all(client)
            made["images"] = [IMAGE]
            for domain in DOMAINS:
                route = f"{LIBPOD}/{domain.name}"
                params = {"all": "true"} if domain.name == "containers" else {}
                listed = _ok(client.get(f"{route}/json", params=params), f"{domain.name} list")
                inspected = [
                    _ok(client.get(f"{route}/{name}/json"), f"{domain.name} inspect")
                    for name in made[domain.name]
                ]
                doc[domain.name] = {"list": listed, "inspect": inspected}
    finally:
        podman5.stop()
        base.rmdir()
    doc["podman"] = proc.version
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return doc


def multiplied(answers: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """``count`` copies of ``answers`` in turn, each with its own Id and name."""
    out = []
    for i in range(count):
        entry = copy.deepcopy(answers[i % len(answers)])
        for key in ("Id", "id", "ID"):
            if isinstance(entry.get(key), str):
                entry[key] = f"{i:064x}"
        for key in ("Name", "name"):
            if isinstance(entry.get(key), str):
                entry[key] = f"bench-parse-{i}"
        if isinstance(entry.get("Names"), list):
            entry["Names"] = [f"bench-parse-{i}"]
        out.append(entry)
    return out


def fixtures(force: bool = False) -> dict[str, tuple[bytes, list[bytes]]]:
    """Each domain's list body and inspect bodies."""
    doc = json.loads(CACHE.read_text()) if CACHE.exists() and not force else capture()
    out = {}
    for domain in DOMAINS:
        answers = doc[domain.name]
        list_body = json.dumps(multiplied(answers["list"], LIST_COUNT)).encode()
        inspect_bodies = [
            json.dumps(entry).encode() for entry in multiplied(answers["inspect"], INSPECT_COUNT)
        ]
        out[domain.name] = (list_body, inspect_bodies)
    return out


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


def _contenders(
    domain: Domain, list_body: bytes, inspect_bodies: list[bytes]
) -> dict[str, Callable[[], object]]:
    parse_listed, parse_inspected = domain.list_model, domain.inspect_model

    def list_plain() -> object:
        return json.loads(list_body)

    def list_typed() -> object:
        return [parse_listed(entry) for entry in json.loads(list_body)]

    def inspect_plain() -> object:
        return [json.loads(body) for body in inspect_bodies]

    def inspect_typed() -> object:
        return [parse_inspected(json.loads(body)) for body in inspect_bodies]

    return {
        f"{domain.name} list plain": list_plain,
        f"{domain.name} list typed": list_typed,
        f"{domain.name} inspect plain": inspect_plain,
        f"{domain.name} inspect typed": inspect_typed,
    }


def run(force: bool = False) -> list[Ratio]:
    bodies = fixtures(force)
    results = []
    for domain in DOMAINS:
        ms = {
            name.rsplit(" ", 2)[1] + " " + name.rsplit(" ", 1)[1]: value * 1000
            for name, value in interleaved(_contenders(domain, *bodies[domain.name])).items()
        }
        results += [
            Ratio(
                f"parse {LIST_COUNT} {domain.list_what} vs json.loads",
                ms["list typed"],
                ms["list plain"],
                "ms",
                BAR,
                higher_is_better=False,
            ),
            Ratio(
                f"parse {INSPECT_COUNT} {domain.inspect_what} vs json.loads",
                ms["inspect typed"],
                ms["inspect plain"],
                "ms",
                BAR,
                higher_is_better=False,
            ),
        ]
    return results


if __name__ == "__main__":
    for result in run(force="--force" in sys.argv[1:]):
        print(result.line())
