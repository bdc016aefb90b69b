"""`Pod` and `AsyncPod`: one pod and its instance verbs (podman-py's names). Their data
(`PodBase`) and the verbs' calls (``_calls``) are shared; the twins differ only in
awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.pods import _calls as calls
from podman_sdk.pods._types import PodAttrs, PodTop

if TYPE_CHECKING:
    from libpod_client.models import InspectPodData


class PodBase(Attached[ConnectionT]):
    """A pod's data, as both clients hand it out, and the connection of the client that
    did. ``Pod(attrs)`` alone is detached: its data reads, its verbs raise
    `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: PodAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(PodAttrs, dict(attrs or {}))
        self._model: InspectPodData | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.short_id}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Pod", self.id))

    @property
    def id(self) -> str:
        """The pod's full id."""
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        """The first 10 characters of the id, as podman-py gives them."""
        return self.id[:10]

    @property
    def name(self) -> str:
        return self.attrs["Name"]

    @property
    def model(self) -> InspectPodData:
        """The inspect data as the generated typed model, checked field by field on first
        use (`MalformedAnswerError` when the server's data is not what the spec says).
        A pod from ``list()`` has list data, not inspect data: ``reload()`` it first
        (`InvalidArgument` otherwise)."""
        if self._model is None:
            if "State" not in self.attrs:
                raise InvalidArgument(f"pod {self.short_id} came from list(): reload() it first")
            self._model = calls.pod_model(self.attrs, f"pod {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: PodAttrs) -> None:
        self.attrs = attrs
        self._model = None


class Pod(PodBase[Connection]):
    """A pod. ``attrs`` holds the server's data in the documented `PodAttrs` shape;
    `model` gives the generated typed model of its inspect data."""

    def reload(self) -> None:
        """Refresh ``attrs`` with the inspect data: GET /libpod/pods/{name}/json.
        Raises `NotFound`."""
        self._store(perform(self._api(), calls.get_call(self.id)))

    def start(self) -> None:
        """POST /libpod/pods/{name}/start (a running pod stays as it is). Raises
        `NotFound`; `Conflict` when a container failed to start."""
        perform(self._api(), calls.start_call(self.id))

    def stop(self, timeout: int | None = None) -> None:
        """POST /libpod/pods/{name}/stop, waiting ``timeout`` seconds before killing
        (Podman's default when None). Raises `NotFound`."""
        perform(self._api(), calls.stop_call(self.id, timeout))

    def restart(self) -> None:
        """POST /libpod/pods/{name}/restart. Raises `NotFound`."""
        perform(self._api(), calls.restart_call(self.id))

    def kill(self, signal: str | int | None = None) -> None:
        """POST /libpod/pods/{name}/kill with ``signal`` (a name or number; SIGKILL when
        None). Raises `NotFound`; `Conflict` when no container runs."""
        perform(self._api(), calls.kill_call(self.id, signal))

    def pause(self) -> None:
        """POST /libpod/pods/{name}/pause. Raises `NotFound`."""
        perform(self._api(), calls.pause_call(self.id))

    def unpause(self) -> None:
        """POST /libpod/pods/{name}/unpause. Raises `NotFound`."""
        perform(self._api(), calls.unpause_call(self.id))

    def top(self, *, ps_args: str | None = None) -> PodTop:
        """GET /libpod/pods/{name}/top: ps's titles and processes across the pod's
        containers (``ps_args``: ps's format descriptors). Raises `NotFound`."""
        return perform(self._api(), calls.top_call(self.id, ps_args))

    def remove(self, force: bool | None = None) -> None:
        """DELETE /libpod/pods/{name}; ``force`` stops and removes its containers first.
        Raises `NotFound`."""
        perform(self._api(), calls.remove_call(self.id, force))


class AsyncPod(PodBase[AsyncConnection]):
    """A pod from an `AsyncPodmanClient`: `Pod`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Pod.reload`: GET /libpod/pods/{name}/json. Raises `NotFound`."""
        self._store(await perform_async(self._api(), calls.get_call(self.id)))

    async def start(self) -> None:
        """`Pod.start`: POST /libpod/pods/{name}/start."""
        await perform_async(self._api(), calls.start_call(self.id))

    async def stop(self, timeout: int | None = None) -> None:
        """`Pod.stop`: POST /libpod/pods/{name}/stop."""
        await perform_async(self._api(), calls.stop_call(self.id, timeout))

    async def restart(self) -> None:
        """`Pod.restart`: POST /libpod/pods/{name}/restart."""
        await perform_async(self._api(), calls.restart_call(self.id))

    async def kill(self, signal: str | int | None = None) -> None:
        """`Pod.kill`: POST /libpod/pods/{name}/kill."""
        await perform_async(self._api(), calls.kill_call(self.id, signal))

    async def pause(self) -> None:
        """`Pod.pause`: POST /libpod/pods/{name}/pause."""
        await perform_async(self._api(), calls.pause_call(self.id))

    async def unpause(self) -> None:
        """`Pod.unpause`: POST /libpod/pods/{name}/unpause."""
        await perform_async(self._api(), calls.unpause_call(self.id))

    async def top(self, *, ps_args: str | None = None) -> PodTop:
        """`Pod.top`: GET /libpod/pods/{name}/top."""
        return await perform_async(self._api(), calls.top_call(self.id, ps_args))

    async def remove(self, force: bool | None = None) -> None:
        """`Pod.remove`: DELETE /libpod/pods/{name}."""
        await perform_async(self._api(), calls.remove_call(self.id, force))
