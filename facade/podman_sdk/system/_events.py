"""The event stream (``client.events()``), both clients': GET /libpod/events through the
generated ``stream()``/``asyncio_stream()``, whose JSON value decoder reads each event
as it arrives (in bounded memory). The stream goes on until ``until`` passes, or for
ever without it; `OutputStream.close()` ends it from any thread at once."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from libpod_client.api.system import system_events_libpod

from podman_sdk._core._output_stream import (
    AsyncOutputStream,
    Opened,
    OutputStream,
    async_opened_items,
    opened_items,
)
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.system._calls import EventQuery, event_dict, event_line

if TYPE_CHECKING:
    from libpod_client.models import Event as EventModel

    from podman_sdk._core._connection import AsyncConnection, Connection

T = TypeVar("T")


def event_converter(decode: bool, endpoint: str) -> Callable[[EventModel], Any]:
    """What each event becomes: the typed dict (``decode``) or its JSON line."""
    if not isinstance(decode, bool):
        raise InvalidArgument(f"events: decode must be a bool, not {type(decode).__name__}")
    if decode:
        return lambda event: event_dict(event, endpoint)
    return event_line


def open_events(
    connection: Connection, query: EventQuery, convert: Callable[[EventModel], T]
) -> OutputStream[T]:
    """The events of ``query``, converted, as they arrive (the request goes out on the
    first read)."""

    def produce(opened: Opened) -> Generator[T, None, None]:
        opening = system_events_libpod.stream(client=connection.api, **query)
        with contextlib.closing(opened_items(opened, opening)) as events:
            for event in events:
                yield convert(event)

    return OutputStream(produce)


def open_events_async(
    connection: AsyncConnection, query: EventQuery, convert: Callable[[EventModel], T]
) -> AsyncOutputStream[T]:
    """`open_events`, awaited."""

    async def produce(opened: Opened) -> AsyncGenerator[T, None]:
        opening = system_events_libpod.asyncio_stream(client=connection.api, **query)
        events = async_opened_items(opened, opening)
        try:
            async for event in events:
                yield convert(event)
        finally:
            await events.aclose()

    return AsyncOutputStream(produce)
