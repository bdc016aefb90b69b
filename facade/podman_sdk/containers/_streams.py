"""The I/O the container verbs share: calls that may wait as long as a container runs,
and the output streams they hand out.

A plain call (`perform`) carries the client's call timeout. A wait (``wait()``,
``run()``) must not be cut by it: `perform_waiting` sends the same generated request
through the same send path with no read timeout, or with the caller's ``timeout``, whose
expiry raises `PodmanTimeoutError`. Output (logs, attach, exec, export, archives) comes
from the generated ``stream()``/``asyncio_stream()`` functions, which wait without a
limit between items; `OutputStream` (``_core._output_stream``, shared with the client's
events) hands their items on as they arrive."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import httpx

from podman_sdk._core._calls import Call
from podman_sdk._core._output_stream import AsyncOutputStream, Opened, OutputStream
from podman_sdk._exceptions import APIError

if TYPE_CHECKING:
    from podman_sdk._core._connection import AsyncConnection, Connection

__all__ = [
    "AsyncOutputStream",
    "Opened",
    "OutputStream",
    "perform_waiting",
    "perform_waiting_async",
]

T = TypeVar("T")


def _waiting_timeout(connect: float, timeout: float | None) -> httpx.Timeout:
    return httpx.Timeout(timeout, connect=connect)


def perform_waiting(connection: Connection, call: Call[T], timeout: float | None) -> T:
    """`perform` with no call timeout (``timeout``: the caller's bound, in seconds)."""
    arguments = connection.versioned(call.request, connection.negotiate())
    request = connection.http.build_request(
        **arguments, timeout=_waiting_timeout(connection.timeouts.connect, timeout)
    )
    try:
        response = connection.http.send(request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)


async def perform_waiting_async(
    connection: AsyncConnection, call: Call[T], timeout: float | None
) -> T:
    """`perform_waiting`, awaited."""
    arguments = connection.versioned(call.request, await connection.negotiate())
    request = connection.http.build_request(
        **arguments, timeout=_waiting_timeout(connection.timeouts.connect, timeout)
    )
    try:
        response = await connection.http.send(request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)
