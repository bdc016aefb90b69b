"""``async with`` for the async client's closable things (the client, a save stream)."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class AsyncClosing:
    """Leaving an ``async with`` block awaits `aclose()`, however it is left."""

    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
