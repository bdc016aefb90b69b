"""``events`` and ``logs``: answers that go on until the server ends them or Ctrl-C does
(exit 0, no traceback), printed as they arrive; and the writers ``api --stream`` shares.

Container output keeps its two streams apart: stdout frames go to stdout, stderr frames
to stderr, byte for byte (a binary log stays binary), flushed frame by frame so that a
pipe sees each line as it comes.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
from collections.abc import Iterator
from typing import IO

import click
from click.shell_completion import CompletionItem
from libpod_client.api.containers import container_list_libpod, container_logs_libpod
from libpod_client.api.system import system_events_libpod
from libpod_client.models import Event
from libpod_client.types import UNSET, Frame, Unset

from podman_sdk._cli.connect import choose_from_os, settings
from podman_sdk._cli.images import filter_option, parse_filters
from podman_sdk._client import PodmanClient
from podman_sdk._exceptions import PodmanError

SHORT_ID = 12
_STREAM_NAMES = {0: "stdin", 1: "stdout", 2: "stderr"}


@contextlib.contextmanager
def until_interrupted() -> Iterator[None]:
    """Ctrl-C ends a stream as the user asked: quietly, exit 0 (click would print
    "Aborted!" and exit 1), and so does a reader that stops reading (``| head``). A
    stream inside the block is closed on the way out."""
    try:
        yield
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        # Python flushes stdout again at exit, into the same closed pipe: point it at
        # /dev/null first, so that the end is as quiet as the reader made it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def given(value: str | None) -> str | Unset:
    """An option left out is a query parameter not sent."""
    return UNSET if value is None else value


def json_value(value: object) -> object:
    """An answer as JSON values: a model's ``to_dict()``, a list item by item, a frame
    as ``{"Stream": "stdout", "Data": text}``."""
    if isinstance(value, Frame):
        name = _STREAM_NAMES.get(value.stream, str(value.stream))
        return {"Stream": name, "Data": value.data.decode("utf-8", errors="replace")}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, Unset):
        return None
    return value


def json_line(value: object) -> str:
    """One item as one line of JSON (an event, a stats sample, a frame with --json)."""
    return json.dumps(json_value(value), default=str)


def binary_stdout() -> IO[bytes]:
    return sys.stdout.buffer


def binary_stderr() -> IO[bytes]:
    return sys.stderr.buffer


def write_item(item: object, out: IO[bytes], err: IO[bytes]) -> None:
    """One streamed item, as it arrives: a frame's bytes to stdout or (stream 2)
    stderr, bytes as they are, anything else as a line of JSON; flushed at once."""
    if isinstance(item, Frame):
        target = err if item.stream == 2 else out
        data = item.data
    elif isinstance(item, bytes):
        target, data = out, item
    else:
        target, data = out, (json_line(item) + "\n").encode()
    target.write(data)
    target.flush()


def short_actor_id(actor_id: str) -> str:
    """A hex id cut to 12 characters, as podman shows them; a name (a volume's) whole."""
    encoded = actor_id.removeprefix("sha256:")
    is_hex = len(encoded) == 64 and all(char in "0123456789abcdef" for char in encoded)
    return encoded[:SHORT_ID] if is_hex else actor_id


def event_time(event: Event, tz: datetime.tzinfo | None = None) -> str:
    """When the event happened, in ``tz`` (default: local time), to the millisecond."""
    if isinstance(event.time_nano, int) and event.time_nano:
        seconds: float = event.time_nano / 1e9
    elif isinstance(event.time, int):
        seconds = event.time
    else:
        return "-"
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.astimezone(tz).isoformat(timespec="milliseconds")


def event_line(event: Event, tz: datetime.tzinfo | None = None) -> str:
    """``2025-01-02T10:00:00.123+00:00 container create 0123456789ab web``: time,
    type, action, the actor's short id and its name attribute, when it has one."""
    attributes = event.actor.attributes
    name = attributes.get("name", "") if attributes is not None else ""
    parts = [event_time(event, tz), event.type_, event.action, short_actor_id(event.actor.id)]
    return " ".join([*parts, name] if name else parts)


def complete_container(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Container names for shell completion; nothing when the service is unreachable."""
    options = ctx.find_root().params
    try:
        choice = choose_from_os(options.get("url"), options.get("connection"))
        with PodmanClient(choice.url, identity=choice.identity, timeout=3) as client:
            found = container_list_libpod.sync(client=client.api, all_=True)
    except PodmanError:
        return []
    names = sorted(name for container in found for name in container.names or [])
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


@click.command(short_help="Print the service's events as they happen.")
@filter_option("container=NAME, type=container, event=start, label=K=V... (repeatable).")
@click.option(
    "--since",
    metavar="TIME",
    help="Also the events since TIME (unix seconds, RFC 3339, or a duration: 10m).",
)
@click.option("--until", metavar="TIME", help="End at TIME (the server ends the stream).")
def events(filters: tuple[str, ...], since: str | None, until: str | None) -> None:
    """Print the service's events as they happen (GET /libpod/events), one line each:
    time, type, action, the actor's short id and name; with --json one JSON object a
    line. Runs until Ctrl-C (exit 0), or with --until until the server ends it."""
    state = settings()
    query = parse_filters(filters, bare_keys=False)
    client = state.client()
    with (
        until_interrupted(),
        system_events_libpod.stream(
            client=client.api,
            filters=query if query else UNSET,
            since=given(since),
            until=given(until),
        ) as stream,
    ):
        for event in stream:
            click.echo(json_line(event) if state.as_json else event_line(event))


@click.command(short_help="A container's output, stdout and stderr apart.")
@click.argument("container", shell_complete=complete_container)
@click.option(
    "-f", "--follow", is_flag=True, help="Keep printing new output until the container stops."
)
@click.option("--since", metavar="TIME", help="Output since TIME (unix seconds, RFC 3339, 10m).")
@click.option("--tail", type=click.IntRange(min=0), metavar="N", help="Only the last N lines.")
def logs(container: str, follow: bool, since: str | None, tail: int | None) -> None:
    """A container's output (GET /libpod/containers/{name}/logs): its stdout on stdout
    and its stderr on stderr, byte for byte; with --json one JSON object a frame
    (Stream, Data). With --follow it runs until the container stops or Ctrl-C (exit 0)."""
    state = settings()
    client = state.client()
    out, err = binary_stdout(), binary_stderr()
    with (
        until_interrupted(),
        container_logs_libpod.stream(
            container,
            client=client.api,
            stdout=True,
            stderr=True,
            follow=follow,
            since=given(since),
            tail="all" if tail is None else str(tail),
        ) as frames,
    ):
        for frame in frames:
            if state.as_json:
                click.echo(json_line(frame))
            else:
                write_item(frame, out, err)
