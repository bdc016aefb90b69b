"""What every manager and resource of a domain shares: the connection of the client
that handed it out. One made directly is detached: its verbs raise `InvalidArgument`
(its data, for a resource, still reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from podman_sdk._exceptions import InvalidArgument

if TYPE_CHECKING:
    from podman_sdk._core._connection import ConnectionBase

ConnectionT = TypeVar("ConnectionT", bound="ConnectionBase[Any]")


class Attached(Generic[ConnectionT]):
    """A manager or resource on a client's connection (``_attached``), or detached."""

    _connection: ConnectionT | None = None

    @classmethod
    def _attached(cls, connection: ConnectionT | None) -> Self:
        """One on ``connection``, as a client hands it out."""
        made = cls()
        made._connection = connection
        return made

    def _api(self) -> ConnectionT:
        if self._connection is None:
            raise InvalidArgument(f"this {type(self).__name__} is not attached to a client")
        return self._connection

    def _endpoint(self) -> str:
        """Where the connection goes, for messages (``detached`` without one)."""
        return "a detached object" if self._connection is None else self._connection.endpoint
