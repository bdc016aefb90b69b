"""A verb's request and what its answer means, as one value (`Call`): built by pure
functions (``images._calls``), sent by `perform` on a `Connection` or by
`perform_async` on an `AsyncConnection`, which differ only in the awaited send."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

import httpx

from podman_sdk._exceptions import APIError

if TYPE_CHECKING:
    from libpod_client.types import RequestArguments

    from podman_sdk._core._connection import AsyncConnection, Connection

T = TypeVar("T")


# Value classes made at import are NamedTuples: a frozen dataclass costs four times as
# much to create, and import time counts (tests/bench/bench_startup.py).
class Call(NamedTuple, Generic[T]):
    """``request``: a generated ``request_kwargs``; ``decode``: the answer (response,
    endpoint) as the verb's result; ``recover``: the result an error status stands
    for (``exists`` reads a 404 as False), or the error raised again."""

    request: RequestArguments
    decode: Callable[[httpx.Response, str], T]
    recover: Callable[[APIError], T] | None = None

    def recovered(self, error: APIError) -> T:
        if self.recover is None:
            raise error
        return self.recover(error)


def perform(connection: Connection, call: Call[T]) -> T:
    try:
        response = connection.call(call.request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)


async def perform_async(connection: AsyncConnection, call: Call[T]) -> T:
    try:
        response = await connection.call(call.request)
    except APIError as error:
        return call.recovered(error)
    return call.decode(response, connection.endpoint)
