"""`Quadlet` and `AsyncQuadlet`: one quadlet file and its instance verbs (podman-py's
names). Their data (`QuadletBase`) and the verbs' calls (``_calls``) are shared; the twins
differ only in awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.quadlets._calls import contents_call, delete_call, get_call, quadlet_model
from podman_sdk.quadlets._types import QuadletAttrs

if TYPE_CHECKING:
    from libpod_client.models import ListQuadlet


class QuadletBase(Attached[ConnectionT]):
    """A quadlet's data, as both clients hand it out. ``Quadlet(attrs)`` alone is
    detached: its data reads, its verbs raise `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: QuadletAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(QuadletAttrs, dict(attrs or {}))
        self._model: ListQuadlet | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Quadlet", self.id))

    @property
    def name(self) -> str:
        """The quadlet's file name (``web.container``)."""
        return self.attrs["Name"]

    @property
    def id(self) -> str:
        """A quadlet's id is its name."""
        return self.name

    @property
    def short_id(self) -> str:
        """The first 10 characters of the name, as podman-py gives them."""
        return self.id[:10]

    @property
    def unit_name(self) -> str:
        """The systemd unit made from it; empty until systemd was reloaded."""
        return self.attrs["UnitName"]

    @property
    def path(self) -> str:
        return self.attrs["Path"]

    @property
    def status(self) -> str:
        """systemd's status of the unit, or what is wrong with the file."""
        return self.attrs["Status"]

    @property
    def application(self) -> str:
        """The application the quadlets installed together belong to (``App``)."""
        return self.attrs["App"]

    @property
    def model(self) -> ListQuadlet:
        """``attrs`` as the generated typed model, checked on first use
        (`MalformedAnswerError` when the data is not what the spec says)."""
        if self._model is None:
            self._model = quadlet_model(self.attrs, f"quadlet {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: QuadletAttrs) -> None:
        self.attrs = attrs
        self._model = None


class Quadlet(QuadletBase[Connection]):
    """A quadlet file of the service's user. ``attrs`` holds the server's data in the
    documented `QuadletAttrs` shape; `model` gives the generated typed model behind it."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/quadlets/json for this name. Raises `NotFound`."""
        self._store(perform(self._api(), get_call(self.name)))

    def delete(
        self,
        *,
        force: bool | None = None,
        ignore: bool | None = None,
        reload_systemd: bool | None = None,
    ) -> list[str]:
        """DELETE /libpod/quadlets/{name}: the names removed. ``force`` stops a running
        one first; ``ignore`` accepts a missing one; ``reload_systemd`` (default True).
        Raises `NotFound`, `APIError`."""
        return perform(self._api(), delete_call(self.name, None, force, ignore, reload_systemd))

    def get_contents(self) -> str:
        """GET /libpod/quadlets/{name}/file: the file's text. Raises `NotFound`."""
        return perform(self._api(), contents_call(self.name))

    def print_contents(self) -> None:
        """Print the file's text, without surrounding blank space (podman-py's)."""
        print(self.get_contents().strip())


class AsyncQuadlet(QuadletBase[AsyncConnection]):
    """A quadlet from an `AsyncPodmanClient`: `Quadlet`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Quadlet.reload`: GET /libpod/quadlets/json for this name."""
        self._store(await perform_async(self._api(), get_call(self.name)))

    async def delete(
        self,
        *,
        force: bool | None = None,
        ignore: bool | None = None,
        reload_systemd: bool | None = None,
    ) -> list[str]:
        """`Quadlet.delete`: DELETE /libpod/quadlets/{name}."""
        return await perform_async(
            self._api(), delete_call(self.name, None, force, ignore, reload_systemd)
        )

    async def get_contents(self) -> str:
        """`Quadlet.get_contents`: GET /libpod/quadlets/{name}/file."""
        return await perform_async(self._api(), contents_call(self.name))

    async def print_contents(self) -> None:
        """`Quadlet.print_contents`, awaited."""
        print((await self.get_contents()).strip())
