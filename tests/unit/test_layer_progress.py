"""Podman 6's per-layer pull progress on a mock transport: a decoded pull stream asks
for ``pullProgress`` exactly where the negotiated libpod API offers it (6.0 and later),
and hands each one on as a complete `LayerProgress`, however the body is chunked. Each
test that drives a client runs for PodmanClient and AsyncPodmanClient."""

from __future__ import annotations

import json

import pytest
from podman_sdk import InvalidArgument, LayerProgress, StreamError
from podman_sdk._core._api_version import parse_version
from podman_sdk.images._progress import layer_progress
from podman_sdk.images._registry_requests import offers_layer_progress

from tests.unit.test_progress import CHUNKINGS, IMAGE_ID, PULL_VALUES, Fake, body

LAYER = "sha256:" + "5e" * 32
CONFIG = "sha256:" + "c0" * 32
# What 6.0.0-rc1's handler writes with pullProgress=true (images_pull.go): each field
# of ArtifactPullProgress is omitempty, so a start at offset 0 has no "current" and a
# skipped blob has only its status and id.
V6_VALUES: list[dict[str, object]] = [
    {"status": "pulling", "stream": "Trying to pull r.example/ns/app:v1...\n"},
    {
        "status": "pulling",
        "stream": "Starting to pull artifact",
        "pullProgress": {"status": "pulling", "total": 2048, "progressComponentID": LAYER},
    },
    {"status": "pulling", "stream": "Copying blob " + LAYER + "\n"},
    {
        "status": "pulling",
        "stream": "Pulling artifact",
        "pullProgress": {
            "status": "pulling",
            "current": 1024,
            "total": 2048,
            "progressComponentID": LAYER,
        },
    },
    {
        "status": "pulling",
        "stream": "Artifact pulled successfully",
        "pullProgress": {
            "status": "success",
            "current": 2048,
            "total": 2048,
            "progressComponentID": LAYER,
        },
    },
    {
        "status": "pulling",
        "stream": "Artifact already exists",
        "pullProgress": {"status": "skipped", "progressComponentID": CONFIG},
    },
    {
        "status": "pulling",
        "stream": "Pulling artifact",
        "pullProgress": {"status": "pulling", "current": 10, "total": -1},
    },
    {"status": "success", "images": [IMAGE_ID], "id": IMAGE_ID},
]
EXPECTED: list[LayerProgress] = [
    {"status": "pulling", "current": 0, "total": 2048, "progressComponentID": LAYER},
    {"status": "pulling", "current": 1024, "total": 2048, "progressComponentID": LAYER},
    {"status": "success", "current": 2048, "total": 2048, "progressComponentID": LAYER},
    {"status": "skipped", "current": 0, "total": 0, "progressComponentID": CONFIG},
    {"status": "pulling", "current": 10, "total": -1, "progressComponentID": ""},
]


def asked(fake: Fake) -> list[str | None]:
    """The ``pullProgress`` each pull request carried (None: not in the query)."""
    pulls = [r for r in fake.requests if r.url.path.endswith("/images/pull")]
    return [r.url.params.get("pullProgress") for r in pulls]


@pytest.mark.parametrize(
    ("version", "offered"),
    [("4.3.1", False), ("5.8.2", False), ("6.0.0-rc1", True), ("6.0.0", True), ("7.1.0", True)],
)
def test_only_a_decoded_stream_asks_and_only_a_service_that_offers_it(
    version: str, offered: bool, flavour: str
) -> None:
    fake = Fake("/images/pull", [body(PULL_VALUES)])
    with fake.client(flavour, version) as client:
        with client.images.pull_stream("r.example/ns/app", decode=True) as events:
            list(events)
        with client.images.pull_stream("r.example/ns/app") as raw:
            list(raw)
        client.images.pull("r.example/ns/app")
    assert asked(fake) == ["true" if offered else None, None, None]


@pytest.mark.parametrize("chunking", list(CHUNKINGS), ids=str)
def test_each_pull_progress_is_handed_on_complete(chunking: str, flavour: str) -> None:
    fake = Fake("/images/pull", CHUNKINGS[chunking](body(V6_VALUES)))
    seen: list[object] = []
    with (
        fake.client(flavour, "6.0.0-rc1") as client,
        client.images.pull_stream("r.example/ns/app", decode=True, progress=seen.append) as events,
    ):
        decoded = list(events)
        assert events.image_ids == [IMAGE_ID]
    layers = [event["pullProgress"] for event in decoded if "pullProgress" in event]
    assert layers == EXPECTED
    assert seen == decoded  # the callback sees the same complete events
    # Everything else is the server's event as it was.
    assert [e for e in decoded if "pullProgress" not in e] == [
        e for e in V6_VALUES if "pullProgress" not in e
    ]


def test_raw_stream_keeps_the_servers_bytes(flavour: str) -> None:
    fake = Fake("/images/pull", [body(V6_VALUES)])
    with (
        fake.client(flavour, "6.0.0-rc1") as client,
        client.images.pull_stream("r.example/ns/app") as raw,
    ):
        items = list(raw)
    assert items == [json.dumps(v).encode() for v in V6_VALUES]


@pytest.mark.parametrize(
    "malformed",
    [None, "50%", {"current": "1024"}, {"total": 1.5}, {"status": True}, {"current": True}],
    ids=repr,
)
def test_a_malformed_pull_progress_is_a_stream_error(malformed: object, flavour: str) -> None:
    values = [{"stream": "x\n"}, {"pullProgress": malformed}, PULL_VALUES[-1]]
    fake = Fake("/images/pull", [body(values)])
    with fake.client(flavour, "6.0.0-rc1") as client:
        events = client.images.pull_stream("r.example/ns/app", decode=True)
        with events, pytest.raises(StreamError, match="pullProgress") as caught:
            list(events)
    assert '"stream": "x\\n"' in caught.value.transcript[0]


def test_bad_arguments_are_refused_before_the_version_is_asked(flavour: str) -> None:
    fake = Fake("/images/pull", [body(PULL_VALUES)])
    with fake.client(flavour, "auto") as client, pytest.raises(InvalidArgument):
        client.images.pull_stream("r.example/ns/app", policy="sometimes", decode=True)
    assert fake.requests == []


def test_layer_progress_restores_what_omitempty_left_out() -> None:
    assert layer_progress({}) == {"status": "", "current": 0, "total": 0, "progressComponentID": ""}
    assert layer_progress({"status": "pulling", "extra": 1}) == {
        "status": "pulling",
        "current": 0,
        "total": 0,
        "progressComponentID": "",
    }
    assert layer_progress([]) is None
    assert offers_layer_progress(parse_version("6.0.0-rc1"))
    assert not offers_layer_progress(parse_version("5.99.9"))
