"""``client.events()`` (both clients, through the `client` fixture's flavours) against
the real services of every selected major: events as they happen, past events between
``since`` and ``until``, both forms (typed dicts and podman-py's JSON lines), and a close
from another thread ending a stream that waits."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from typing import Any

import pytest
from podman_sdk import (
    APIError,
    AsyncOutputStream,
    AsyncPodmanClient,
    OutputStream,
    PodmanClient,
    StreamError,
)

from tests.harness.podman_service import PodmanService

ALWAYS = {"Type", "Action", "Actor", "scope", "time", "timeNano"}


# Podman 4.3.1's "volume" event filter compares the event's ID, which it leaves empty for
# volumes (libpod/events/filters.go): select by type, then by the name attribute.
VOLUMES = {"type": "volume"}


def named(events: list[Any], name: str) -> list[Any]:
    return [event for event in events if event["Actor"]["Attributes"].get("name") == name]


def volume_events(client: PodmanClient, name: str) -> None:
    client.volumes.create(name, labels={"sdk.events": name})
    client.volumes.get(name).remove()


class Reader(threading.Thread):
    """Reads ``client.events(**arguments)`` on a client of its own, of ``flavour`` (an
    `AsyncPodmanClient` on an event loop of this thread), until the stream ends;
    `close()` closes the stream from the calling thread, as a user's would."""

    def __init__(self, flavour: str, url: str, **arguments: Any) -> None:
        super().__init__()
        self.flavour = flavour
        self.url = url
        self.arguments = arguments
        self.seen: list[Any] = []
        self.opened = threading.Event()
        self.ended = threading.Event()
        self.stream: OutputStream[Any] | AsyncOutputStream[Any] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if self.flavour == "sync":
                with PodmanClient(self.url) as client:
                    self.stream = client.events(**self.arguments)
                    self.opened.set()
                    self.seen.extend(self.stream)
            else:
                asyncio.run(self._read())
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.ended.set()

    async def _read(self) -> None:
        async with AsyncPodmanClient(self.url) as client:
            stream = self.stream = client.events(**self.arguments)
            self.opened.set()
            async for event in stream:
                self.seen.append(event)

    def close(self) -> None:
        assert self.opened.wait(timeout=10)
        assert self.stream is not None
        self.stream.close()


def test_events_arrive_as_they_happen(
    client: PodmanClient, podman_service: PodmanService, flavour: str
) -> None:
    name = f"sdk-ev-{uuid.uuid4().hex[:8]}"
    reader = Reader(flavour, podman_service.url, filters=VOLUMES, decode=True)
    reader.start()
    try:
        time.sleep(1.0)  # the stream is open and waits
        volume_events(client, name)
        deadline = time.monotonic() + 30
        while len(named(reader.seen, name)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        reader.close()
        reader.join(timeout=10)
    assert not reader.is_alive()
    assert reader.error is None
    mine = named(reader.seen, name)
    assert [event["Action"] for event in mine] == ["create", "remove"]
    for event in mine:
        assert set(event) >= ALWAYS
        assert event["Type"] == "volume"
        assert event["Actor"]["Attributes"]["name"] == name
        assert isinstance(event["timeNano"], int)


def test_past_events_between_since_and_until_end_by_themselves(client: PodmanClient) -> None:
    name = f"sdk-ev-{uuid.uuid4().hex[:8]}"
    since = int(time.time()) - 1
    volume_events(client, name)
    # An until in the past ends Podman 4.3.1's stream before it reads the log (its file
    # reader stops the tail at once): the stream reads what is there, then ends at until.
    until = int(time.time()) + 3
    lines = list(client.events(since=since, until=until, filters=VOLUMES))
    assert all(isinstance(line, bytes) and b"\n" not in line for line in lines)
    decoded = [json.loads(line) for line in lines]
    assert [event["Action"] for event in named(decoded, name)] == ["create", "remove"]
    until = int(time.time()) + 3
    typed = list(client.events(since=since, until=until, filters=VOLUMES, decode=True))
    assert named(typed, name) == named(decoded, name)


def test_an_error_the_service_reports_raises(client: PodmanClient) -> None:
    # Podman 4 writes it inside the 200 stream (docs/api-notes.md), later majors answer
    # an error status: either raises, on the first read.
    with pytest.raises((APIError, StreamError), match="filter"):
        list(client.events(filters={"sdk-no-such-filter": "x"}))


def test_a_close_from_another_thread_ends_a_waiting_stream(
    podman_service: PodmanService, flavour: str
) -> None:
    nothing = {"type": "volume", "event": "sdk-no-such-event"}
    reader = Reader(flavour, podman_service.url, filters=nothing)
    reader.start()
    time.sleep(1.0)  # the stream is open and waits: no such volume has events
    assert not reader.ended.is_set()
    closed_at = time.monotonic()
    reader.close()
    # Within 1 s, as every stream ends; the bound here is loose (a busy machine).
    assert reader.ended.wait(timeout=5)
    reader.join(timeout=5)
    assert reader.error is None
    assert reader.seen == []
    print(f"events ended {time.monotonic() - closed_at:.3f} s after close()")
