"""`Volume` and `AsyncVolume`: one volume and its instance verbs (podman-py's names).
Their data (`VolumeBase`) and the verbs' calls (``_calls``) are shared; the twins differ
only in awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.volumes._calls import get_call, refuse_rename, remove_call, volume_model
from podman_sdk.volumes._types import VolumeAttrs

if TYPE_CHECKING:
    from libpod_client.models import VolumeConfigResponse


class VolumeBase(Attached[ConnectionT]):
    """A volume's data, as both clients hand it out, and the connection of the client
    that did. ``Volume(attrs)`` alone is detached: its data reads, its verbs raise
    `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: VolumeAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(VolumeAttrs, dict(attrs or {}))
        self._model: VolumeConfigResponse | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Volume", self.id))

    @property
    def name(self) -> str:
        return self.attrs["Name"]

    @property
    def id(self) -> str:
        """A volume's id is its name (podman-py's ``Volume.id``)."""
        return self.name

    @property
    def short_id(self) -> str:
        """The first 10 characters of the name, as podman-py gives them."""
        return self.id[:10]

    @property
    def model(self) -> VolumeConfigResponse:
        """``attrs`` as the generated typed model, checked field by field on first use
        (`MalformedAnswerError` when the server's data is not what the spec says). List
        and inspect answers have the same shape, so this never sends a request."""
        if self._model is None:
            self._model = volume_model(self.attrs, f"volume {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: VolumeAttrs, model: VolumeConfigResponse | None) -> None:
        self.attrs = attrs
        self._model = model


class Volume(VolumeBase[Connection]):
    """A volume. ``attrs`` holds the server's data in the documented `VolumeAttrs`
    shape; `model` gives the generated typed model behind it."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/volumes/{name}/json. Raises `NotFound`."""
        self._store(*perform(self._api(), get_call(self.name)))

    def inspect(self) -> VolumeAttrs:
        """GET /libpod/volumes/{name}/json: the current data, without changing ``attrs``."""
        return perform(self._api(), get_call(self.name))[0]

    def remove(self, force: bool | None = None) -> None:
        """DELETE /libpod/volumes/{name}; ``force`` removes a volume in use (with its
        containers). Raises `NotFound`, `Conflict` when in use without ``force``."""
        perform(self._api(), remove_call(self.name, force))

    def rename(self, name: str) -> None:
        """Rename the volume (Podman 6.1 announces the route). No pinned release's API
        has it yet, so this raises `UnsupportedServer` on every service, before any
        request; a bad ``name`` raises `InvalidArgument`."""
        raise refuse_rename(self.name, name)


class AsyncVolume(VolumeBase[AsyncConnection]):
    """A volume from an `AsyncPodmanClient`: `Volume`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Volume.reload`: GET /libpod/volumes/{name}/json. Raises `NotFound`."""
        self._store(*await perform_async(self._api(), get_call(self.name)))

    async def inspect(self) -> VolumeAttrs:
        """`Volume.inspect`: the current data, without changing ``attrs``."""
        return (await perform_async(self._api(), get_call(self.name)))[0]

    async def remove(self, force: bool | None = None) -> None:
        """`Volume.remove`: DELETE /libpod/volumes/{name}."""
        await perform_async(self._api(), remove_call(self.name, force))

    async def rename(self, name: str) -> None:
        """`Volume.rename`: raises `UnsupportedServer` (no pinned release has the route)."""
        raise refuse_rename(self.name, name)
