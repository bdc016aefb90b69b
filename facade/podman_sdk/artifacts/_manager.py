"""`ArtifactsManager` (``client.artifacts``) and its asyncio twin `AsyncArtifactsManager`:
the collection verbs of Podman's artifact API (podman-py has none). Each verb's decisions
are the `Call` of ``_calls``; the twins differ only in awaiting it (and reading files in
a worker thread)."""

from __future__ import annotations

import asyncio
import builtins
import os
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import Call, perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.artifacts import _calls as calls
from podman_sdk.artifacts._artifact import Artifact, ArtifactBase, AsyncArtifact
from podman_sdk.artifacts._types import ArtifactAttrs

ArtifactT = TypeVar("ArtifactT", bound=ArtifactBase[Any])


class _ManagerBase(Attached[ConnectionT], Generic[ConnectionT, ArtifactT]):
    _artifact_class: type[ArtifactT]

    def _wrap(self, attrs: ArtifactAttrs) -> ArtifactT:
        artifact = self._artifact_class._attached(self._connection)
        artifact._store(attrs)
        return artifact


def _names(
    names: str | Artifact | AsyncArtifact | Sequence[str | Artifact | AsyncArtifact] | None,
) -> builtins.list[str] | None:
    if names is None:
        return None
    items = [names] if isinstance(names, (str, ArtifactBase)) else list(names)
    return [item.name if isinstance(item, ArtifactBase) else item for item in items]


def _add_call(
    name: str,
    source: tuple[bytes, str | None],
    file_name: str | None,
    options: Mapping[str, object],
) -> Call[str]:
    data, from_path = source
    return calls.add_call(name, data, file_name=file_name or from_path, **options)


class ArtifactsManager(_ManagerBase[Connection, Artifact]):
    """``client.artifacts``: OCI artifacts in the service's store (Podman 5.8 and
    later; an older service raises `UnsupportedServer` before anything is sent)."""

    _artifact_class = Artifact

    def list(self) -> builtins.list[Artifact]:
        """GET /libpod/artifacts/json."""
        return [self._wrap(a) for a in perform(self._api(), calls.list_call())]

    def get(self, name: str) -> Artifact:
        """GET /libpod/artifacts/{name}/json. Raises `NotFound`."""
        return self._wrap(perform(self._api(), calls.get_call(name)))

    def exists(self, name: str) -> bool:
        """Whether the store has it (GET /libpod/artifacts/{name}/json)."""
        return perform(self._api(), calls.exists_call(name))

    def add(
        self,
        name: str,
        data: bytes | None = None,
        path: str | os.PathLike[str] | None = None,
        *,
        file_name: str | None = None,
        file_mime_type: str | None = None,
        artifact_mime_type: str | None = None,
        annotations: Mapping[str, str] | None = None,
        append: bool = False,
        replace: bool = False,
    ) -> str:
        """POST /libpod/artifacts/add: a file into artifact ``name`` (a new one, or with
        ``append`` one more file; ``replace`` overwrites), from ``data`` (then
        ``file_name`` is required) or ``path`` (exactly one). Returns the digest."""
        source = calls.read_source(data, path)
        options = {
            "file_mime_type": file_mime_type,
            "artifact_mime_type": artifact_mime_type,
            "annotations": annotations,
            "append": append,
            "replace": replace,
        }
        return perform(self._api(), _add_call(name, source, file_name, options))

    def remove(
        self,
        names: str | Artifact | Sequence[str | Artifact] | None = None,
        *,
        all: bool = False,  # the CLI's name (podman artifact rm --all)
        ignore: bool = False,
    ) -> builtins.list[str]:
        """DELETE /libpod/artifacts/{name} (or /libpod/artifacts/remove for several, or
        ``all``): the digests removed. Raises `NotFound` unless ``ignore``."""
        return perform(self._api(), calls.remove_call(_names(names), all, ignore))

    def extract(
        self,
        name: str | Artifact,
        *,
        title: str | None = None,
        digest: str | None = None,
        exclude_title: bool = False,
    ) -> bytes:
        """GET /libpod/artifacts/{name}/extract: a tar archive of the artifact's files,
        or of the one ``title`` or ``digest`` names. Raises `NotFound`."""
        (checked,) = _names(name) or [""]
        return perform(self._api(), calls.extract_call(checked, title, digest, exclude_title))

    def pull(
        self,
        name: str,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> Artifact:
        """POST /libpod/artifacts/pull, then the artifact (GET /libpod/artifacts/{name}/json)."""
        api = self._api()
        perform(api, calls.pull_call(name, tls_verify, retry, retry_delay, auth_config))
        return self._wrap(perform(api, calls.get_call(name)))

    def push(
        self,
        name: str | Artifact,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> str:
        """POST /libpod/artifacts/{name}/push: the digest pushed."""
        (checked,) = _names(name) or [""]
        call = calls.push_call(checked, tls_verify, retry, retry_delay, auth_config)
        return perform(self._api(), call)


class AsyncArtifactsManager(_ManagerBase[AsyncConnection, AsyncArtifact]):
    """``client.artifacts`` of an `AsyncPodmanClient`: `ArtifactsManager`'s verbs, awaited."""

    _artifact_class = AsyncArtifact

    async def list(self) -> builtins.list[AsyncArtifact]:
        """`ArtifactsManager.list`: GET /libpod/artifacts/json."""
        return [self._wrap(a) for a in await perform_async(self._api(), calls.list_call())]

    async def get(self, name: str) -> AsyncArtifact:
        """`ArtifactsManager.get`: GET /libpod/artifacts/{name}/json."""
        return self._wrap(await perform_async(self._api(), calls.get_call(name)))

    async def exists(self, name: str) -> bool:
        """`ArtifactsManager.exists`."""
        return await perform_async(self._api(), calls.exists_call(name))

    async def add(
        self,
        name: str,
        data: bytes | None = None,
        path: str | os.PathLike[str] | None = None,
        *,
        file_name: str | None = None,
        file_mime_type: str | None = None,
        artifact_mime_type: str | None = None,
        annotations: Mapping[str, str] | None = None,
        append: bool = False,
        replace: bool = False,
    ) -> str:
        """`ArtifactsManager.add` (a file read in a worker thread): POST /libpod/artifacts/add."""
        source = await asyncio.to_thread(calls.read_source, data, path)
        options = {
            "file_mime_type": file_mime_type,
            "artifact_mime_type": artifact_mime_type,
            "annotations": annotations,
            "append": append,
            "replace": replace,
        }
        return await perform_async(self._api(), _add_call(name, source, file_name, options))

    async def remove(
        self,
        names: str | AsyncArtifact | Sequence[str | AsyncArtifact] | None = None,
        *,
        all: bool = False,  # the CLI's name (podman artifact rm --all)
        ignore: bool = False,
    ) -> builtins.list[str]:
        """`ArtifactsManager.remove`: DELETE /libpod/artifacts/{name} or .../remove."""
        return await perform_async(self._api(), calls.remove_call(_names(names), all, ignore))

    async def extract(
        self,
        name: str | AsyncArtifact,
        *,
        title: str | None = None,
        digest: str | None = None,
        exclude_title: bool = False,
    ) -> bytes:
        """`ArtifactsManager.extract`: GET /libpod/artifacts/{name}/extract."""
        (checked,) = _names(name) or [""]
        call = calls.extract_call(checked, title, digest, exclude_title)
        return await perform_async(self._api(), call)

    async def pull(
        self,
        name: str,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> AsyncArtifact:
        """`ArtifactsManager.pull`: POST /libpod/artifacts/pull, then the artifact."""
        api = self._api()
        await perform_async(api, calls.pull_call(name, tls_verify, retry, retry_delay, auth_config))
        return self._wrap(await perform_async(api, calls.get_call(name)))

    async def push(
        self,
        name: str | AsyncArtifact,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> str:
        """`ArtifactsManager.push`: POST /libpod/artifacts/{name}/push."""
        (checked,) = _names(name) or [""]
        call = calls.push_call(checked, tls_verify, retry, retry_delay, auth_config)
        return await perform_async(self._api(), call)
