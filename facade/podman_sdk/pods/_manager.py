"""`PodsManager` (``client.pods``) and its asyncio twin `AsyncPodsManager`: the
collection verbs, podman-py's names and parameters. Each verb's decisions are the `Call`
of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any, Generic, Literal, TypeVar, Unpack, overload

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.pods import _calls as calls
from podman_sdk.pods._pod import AsyncPod, Pod, PodBase
from podman_sdk.pods._types import PodAttrs, PodCreateKeywords, PodPruneReport, PodStatsEntry

PodT = TypeVar("PodT", bound=PodBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, PodT]):
    """A pods manager and the pods it hands out, on its connection."""

    _pod_class: type[PodT]

    def _wrap(self, attrs: PodAttrs) -> PodT:
        pod = self._pod_class._attached(self._connection)
        pod._store(attrs)
        return pod


def _id_of(pod: Pod | AsyncPod | str) -> str:
    return pod.id if isinstance(pod, PodBase) else pod


def _refuse_stream(stream: bool) -> None:
    if stream:
        # Every release's handler streams when asked, but only the 6.0 spec declares
        # ``stream``; the client is generated from 5.8.2's, so no request can ask.
        raise InvalidArgument("pods.stats(stream=True) is not supported; call stats() again")


class PodsManager(_ManagerBase[Connection, Pod]):
    """``client.pods``: create, get, list, exists, prune, remove, stats."""

    _pod_class = Pod

    def create(self, name: str, **kwargs: Unpack[PodCreateKeywords]) -> Pod:
        """POST /libpod/pods/create, then the new pod's inspect data. ``kwargs`` are
        the fields of libpod's PodSpecGenerator by their wire names (`PodCreateKeywords`:
        ``labels``, ``no_infra``, ``infra_image``, ``portmappings``...). Raises
        `InvalidArgument` for an unknown keyword or a value of the wrong type,
        `UnsupportedServer` for one the server does not read, `Conflict` when the name
        is taken."""
        spec = calls.create_spec(name, kwargs)
        connection = self._api()
        calls.check_server_reads(kwargs, connection.negotiate())
        made = perform(connection, calls.create_call(spec))
        return self._wrap(perform(connection, calls.get_call(made)))

    def exists(self, key: str) -> bool:
        """GET /libpod/pods/{name}/exists."""
        return perform(self._api(), calls.exists_call(key))

    def get(self, pod_id: str) -> Pod:
        """GET /libpod/pods/{name}/json, by name or id. Raises `NotFound`."""
        return self._wrap(perform(self._api(), calls.get_call(pod_id)))

    def list(self, *, filters: Filters | None = None) -> list[Pod]:
        """GET /libpod/pods/json; ``filters``: ctr-ids, ctr-names, ctr-number,
        ctr-status, id, name, status, label, network, until."""
        return [self._wrap(attrs) for attrs in perform(self._api(), calls.list_call(filters))]

    def prune(self, filters: Filters | None = None) -> PodPruneReport:
        """POST /libpod/pods/prune: remove every stopped pod. Podman reads no filters
        there: ``filters`` raises `InvalidArgument` (podman-py sends them, unread).
        Raises `APIError` naming each pod that could not be removed."""
        return perform(self._api(), calls.prune_call(filters))

    def remove(self, pod_id: Pod | str, force: bool | None = None) -> None:
        """DELETE /libpod/pods/{name}; ``force`` stops and removes its containers first.
        Raises `NotFound`."""
        perform(self._api(), calls.remove_call(_id_of(pod_id), force))

    @overload
    def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: Literal[False] = False,
    ) -> bytes: ...
    @overload
    def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: Literal[True],
    ) -> builtins.list[PodStatsEntry]: ...
    def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: bool = False,
    ) -> bytes | builtins.list[PodStatsEntry]:
        """GET /libpod/pods/stats: resource use of the containers of the pods ``name``
        names, or of every running pod (``all``, or neither). The JSON array as bytes,
        or decoded (``decode``). `InvalidArgument` for both ``all`` and ``name``, or for
        ``stream=True``. Podman reads the figures from cgroups."""
        _refuse_stream(stream)
        if decode:
            return perform(self._api(), calls.stats_decoded_call(all, name))
        return perform(self._api(), calls.stats_call(all, name))


class AsyncPodsManager(_ManagerBase[AsyncConnection, AsyncPod]):
    """``client.pods`` of an `AsyncPodmanClient`: `PodsManager`'s verbs, awaited."""

    _pod_class = AsyncPod

    async def create(self, name: str, **kwargs: Unpack[PodCreateKeywords]) -> AsyncPod:
        """`PodsManager.create`: POST /libpod/pods/create, then its inspect data."""
        spec = calls.create_spec(name, kwargs)
        connection = self._api()
        calls.check_server_reads(kwargs, await connection.negotiate())
        made = await perform_async(connection, calls.create_call(spec))
        return self._wrap(await perform_async(connection, calls.get_call(made)))

    async def exists(self, key: str) -> bool:
        """`PodsManager.exists`: GET /libpod/pods/{name}/exists."""
        return await perform_async(self._api(), calls.exists_call(key))

    async def get(self, pod_id: str) -> AsyncPod:
        """`PodsManager.get`: GET /libpod/pods/{name}/json. Raises `NotFound`."""
        return self._wrap(await perform_async(self._api(), calls.get_call(pod_id)))

    async def list(self, *, filters: Filters | None = None) -> list[AsyncPod]:
        """`PodsManager.list`: GET /libpod/pods/json."""
        listed = await perform_async(self._api(), calls.list_call(filters))
        return [self._wrap(attrs) for attrs in listed]

    async def prune(self, filters: Filters | None = None) -> PodPruneReport:
        """`PodsManager.prune`: POST /libpod/pods/prune."""
        return await perform_async(self._api(), calls.prune_call(filters))

    async def remove(self, pod_id: AsyncPod | str, force: bool | None = None) -> None:
        """`PodsManager.remove`: DELETE /libpod/pods/{name}."""
        await perform_async(self._api(), calls.remove_call(_id_of(pod_id), force))

    @overload
    async def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: Literal[False] = False,
    ) -> bytes: ...
    @overload
    async def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: Literal[True],
    ) -> builtins.list[PodStatsEntry]: ...
    async def stats(
        self,
        *,
        all: bool | None = None,
        name: str | Sequence[str] | None = None,
        stream: Literal[False] = False,
        decode: bool = False,
    ) -> bytes | builtins.list[PodStatsEntry]:
        """`PodsManager.stats`: GET /libpod/pods/stats."""
        _refuse_stream(stream)
        if decode:
            return await perform_async(self._api(), calls.stats_decoded_call(all, name))
        return await perform_async(self._api(), calls.stats_call(all, name))
