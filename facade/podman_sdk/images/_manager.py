"""`ImagesManager` (``client.images``, podman-py's names): each verb checks its arguments,
builds its request with the generated layer, and hands each registry verb (pull, push,
build) whole to one function of `_registry_ops`.

`AsyncImagesManager` (``async_client.images``): `ImagesManager`'s verbs, awaited.
Arguments are checked, requests built, answers and progress streams decoded by the
functions the sync manager uses (``_rules``, ``_calls``,
``_registry_ops``); see `ImagesManager` for what each verb does and raises.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Literal, Unpack, overload

import podman_sdk.images._calls as calls
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk._core._filters import Filters
from podman_sdk._exceptions import PruneReport
from podman_sdk.images._answers import image_name
from podman_sdk.images._calls import exists_call, get_call, list_call, prune_call, remove_call
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._rules import ManagerBase, distinct_images, load_source, loaded_lookups
from podman_sdk.images._types import RemoveReportEntry

if TYPE_CHECKING:
    from podman_sdk.images._archive import ProgressCallback
    from podman_sdk.images._load import AsyncLoadSource, LoadSource
    from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
    from podman_sdk.images._progress import (
        AsyncBuildStream,
        AsyncPullStream,
        AsyncPushStream,
        BuildLogLine,
        BuildStream,
        PullProgress,
        PullStream,
        PushProgress,
        PushResult,
        PushStream,
    )
    from podman_sdk.images._registry_data import AsyncRegistryData, RegistryData
    from podman_sdk.images._registry_requests import SearchResult


class ImagesManager(ManagerBase[Connection, Image]):
    """``client.images``: list, get, exists, remove, prune, load, save's counterpart,
    and the registry verbs pull, push, search, build and get_registry_data.

    A manager comes from ``PodmanClient.images``; one made with ``ImagesManager()`` is
    detached and its verbs raise `InvalidArgument`."""

    _image_class = Image

    def get(self, name: str) -> Image:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        data = perform(self._api(), get_call(name))
        return self._wrap(data, data)

    def exists(self, name: str) -> bool:
        """GET /libpod/images/{name}/exists: False on 404; any other error raises. An
        invalid reference raises `InvalidArgument` (it could never exist)."""
        return perform(self._api(), exists_call(name))

    def list(
        self, all: bool = False, filters: Filters | None = None, name: str | None = None
    ) -> builtins.list[Image]:
        """GET /libpod/images/json. ``filters`` as libpod names them (``dangling``,
        ``label``, ``reference``, ``before``, ``since``...): values may be str, bool,
        int, a list of str, or for ``label`` a dict. ``name`` filters by reference."""
        return [self._wrap(raw) for raw in perform(self._api(), list_call(all, filters, name))]

    def remove(
        self, image: Image | str, force: bool = False, noprune: bool = False
    ) -> builtins.list[RemoveReportEntry]:
        """DELETE /libpod/images/{name}. Returns podman-py's report: entries keyed
        ``Untagged``, ``Deleted``, ``Errors``, ``ExitCode``. An image in use raises
        `Conflict` (unless ``force``); a missing one `ImageNotFound`."""
        return perform(self._api(), remove_call(image_name(image), force, noprune))

    def prune(
        self, all: bool = False, external: bool = False, filters: Filters | None = None
    ) -> PruneReport:
        """POST /libpod/images/prune: remove dangling images (``all``: every unused
        one). Raises `PruneError`, carrying what was deleted, if any image failed."""
        return perform(self._api(), prune_call(all, external, filters))

    def load(
        self,
        data: bytes | IO[bytes] | LoadSource | None = None,
        file_path: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[Image]:
        """POST /libpod/images/load from bytes, a binary file, an iterable of bytes or
        ``file_path``, in bounded memory; the loaded images. ``progress`` gets the
        bytes sent so far and the total when known. A file that cannot be opened or
        read raises `LocalFileError` (an `OSError` too)."""
        from podman_sdk.images._load import load_archive

        source: LoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = load_archive(self._api(), source, progress)
        return distinct_images([self.get(name) for name in loaded_lookups(loaded)])

    # -- registries ---------------------------------------------------------------------

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: Literal[False] = False,
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> Image: ...
    @overload
    def pull(
        self,
        repository: str,
        tag: str | None,
        all_tags: Literal[True],
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> builtins.list[Image]: ...
    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        *,
        all_tags: Literal[True],
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> builtins.list[Image]: ...
    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: Literal[True],
        decode: Literal[False] = False,
        **options: Unpack[PullOptions],
    ) -> PullStream[bytes]: ...
    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: Literal[True],
        decode: Literal[True],
        **options: Unpack[PullOptions],
    ) -> PullStream[PullProgress]: ...
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: bool = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> Image | builtins.list[Image] | PullStream[bytes] | PullStream[PullProgress]:
        """POST /libpod/images/pull: ``repository[:tag]`` ("latest" by default; a digest
        stays a digest), or every tag with ``all_tags=True``. Returns the `Image`, a
        list with ``all_tags``, or with ``stream=True`` a `PullStream` of each value's
        bytes (``decode=True``: `PullProgress`, with each layer's `LayerProgress` from
        a service of libpod API 6.0 or later, which it asks for). Options:
        `PullOptions`.

        Raises:
            PullError: a failure the server reported (even under HTTP 200), or a stream
                that ended without an image; PullNotFound for a 404. APIError: another
                error status. InvalidArgument: bad arguments, before any request.
        """
        from podman_sdk.images._registry_ops import pull

        return pull(
            self._api(),
            repository,
            tag,
            all_tags=all_tags,
            stream=stream,
            decode=decode,
            options=options,
            get=self.get,
        )

    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PushOptions],
    ) -> PushResult: ...
    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[True],
        decode: Literal[False] = False,
        **options: Unpack[PushOptions],
    ) -> PushStream[str]: ...
    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[True],
        decode: Literal[True],
        **options: Unpack[PushOptions],
    ) -> PushStream[PushProgress]: ...
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: bool = False,
        decode: bool = False,
        **options: Unpack[PushOptions],
    ) -> PushResult | PushStream[str] | PushStream[PushProgress]:
        """POST /libpod/images/{name}/push of ``repository[:tag]`` (or an id). Returns
        the server's progress as a `PushResult` (a str, a JSON value a line, with
        ``manifest_digest``: the server's on Podman 5, asked of the registry on 4), or
        with ``stream=True`` a `PushStream` of str (``decode=True``: `PushProgress`).
        Options: `PushOptions`.

        Raises:
            PushError: a failure the server reported, even under HTTP 200.
            APIError: an error status. InvalidArgument: bad arguments.
        """
        from podman_sdk.images._registry_ops import push

        return push(self._api(), repository, tag, stream=stream, decode=decode, options=options)

    def search(
        self,
        term: str,
        *,
        limit: int | None = None,
        filters: Filters | None = None,
        list_tags: bool = False,
        tls_verify: bool = True,
    ) -> builtins.list[SearchResult]:
        """GET /libpod/images/search: repositories matching ``term`` (``"host:port/name"``
        searches one registry), or with ``list_tags=True`` the tags of that repository.
        ``filters``: ``is-official``, ``is-automated``, ``stars``. Raises `ServerError`
        when the registry could not be searched, `InvalidArgument` for bad arguments.
        """
        from podman_sdk.images._registry_requests import search_call

        return perform(self._api(), search_call(term, limit, filters, list_tags, tls_verify))

    @overload
    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: Literal[False] = False,
        **options: Unpack[BuildOptions],
    ) -> tuple[Image, Iterator[BuildLogLine]]: ...
    @overload
    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: Literal[True],
        **options: Unpack[BuildOptions],
    ) -> BuildStream: ...
    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: bool = False,
        **options: Unpack[BuildOptions],
    ) -> tuple[Image, Iterator[BuildLogLine]] | BuildStream:
        """POST /libpod/build from the directory ``path`` (a tar streamed in bounded
        memory, honouring .containerignore / .dockerignore) or ``fileobj`` (a
        Containerfile). Returns ``(Image, log)`` like podman-py, or with ``stream=True``
        a `BuildStream` of `BuildLogLine` (then ``.image()``). Options: `BuildOptions`.

        Raises:
            BuildError: a step failed (``build_log`` holds the events so far), or no
                image id came. APIError: an error status. InvalidArgument: bad arguments.
            LocalFileError: the context directory is missing or a file in it cannot
                be read.
        """
        from podman_sdk.images._registry_ops import build

        return build(self._api(), path, fileobj, stream=stream, options=options, get=self.get)

    def get_registry_data(
        self,
        name: str,
        auth_config: Mapping[str, str] | None = None,
        *,
        tls_verify: bool = True,
    ) -> RegistryData:
        """GET /libpod/manifests/{name}/json: the registry's manifest for ``name``, read
        by the service, never local data (see `RegistryData`). Raises `NotFound` (no
        such manifest, refused credentials, unreachable: the message says which), and
        `UnsupportedServer` when ``tls_verify=False`` and the server verified TLS all
        the same (Podman 4.3.1 ignores it on this route).
        """
        from podman_sdk.images._registry_data import RegistryData, fetch_registry_data

        attrs = fetch_registry_data(self._api(), name, auth_config, tls_verify)
        return RegistryData(name, attrs, lambda platform: self.pull(name, platform=platform))


class AsyncImagesManager(ManagerBase[AsyncConnection, AsyncImage]):
    """``async_client.images``: `ImagesManager`'s verbs for asyncio, each sending the
    same `Call` (``_calls``) or `Operation` (``_registry_requests``), awaited; a
    stream (``stream=True``) is awaited, then read with ``async for`` inside
    ``async with``. One made with ``AsyncImagesManager()`` is detached and its verbs
    raise `InvalidArgument`."""

    _image_class = AsyncImage

    async def get(self, name: str) -> AsyncImage:
        """GET /libpod/images/{name}/json. Raises `ImageNotFound`."""
        data = await perform_async(self._api(), calls.get_call(name))
        return self._wrap(data, data)

    async def exists(self, name: str) -> bool:
        """GET /libpod/images/{name}/exists: False on 404; any other error raises."""
        return await perform_async(self._api(), calls.exists_call(name))

    async def list(
        self, all: bool = False, filters: Filters | None = None, name: str | None = None
    ) -> builtins.list[AsyncImage]:
        """GET /libpod/images/json, filtered as `ImagesManager.list` describes."""
        found = await perform_async(self._api(), calls.list_call(all, filters, name))
        return [self._wrap(raw) for raw in found]

    async def remove(
        self, image: AsyncImage | str, force: bool = False, noprune: bool = False
    ) -> builtins.list[RemoveReportEntry]:
        """DELETE /libpod/images/{name}: podman-py's report. Raises `Conflict` for an
        image in use (unless ``force``), `ImageNotFound` for a missing one."""
        call = calls.remove_call(image_name(image), force, noprune)
        return await perform_async(self._api(), call)

    async def prune(
        self, all: bool = False, external: bool = False, filters: Filters | None = None
    ) -> PruneReport:
        """POST /libpod/images/prune. Raises `PruneError` if any image failed."""
        return await perform_async(self._api(), calls.prune_call(all, external, filters))

    async def load(
        self,
        data: bytes | IO[bytes] | AsyncLoadSource | None = None,
        file_path: str | os.PathLike[str] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[AsyncImage]:
        """POST /libpod/images/load from bytes, a binary file, an iterable or an async
        iterable of bytes, or ``file_path``, in bounded memory; the loaded images."""
        from podman_sdk.images._load import async_load_archive

        source: AsyncLoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = await async_load_archive(self._api(), source, progress)
        return distinct_images([await self.get(name) for name in loaded_lookups(loaded)])

    async def search(
        self,
        term: str,
        *,
        limit: int | None = None,
        filters: Filters | None = None,
        list_tags: bool = False,
        tls_verify: bool = True,
    ) -> builtins.list[SearchResult]:
        """GET /libpod/images/search, as `ImagesManager.search`. Raises `ServerError`
        when the registry could not be searched."""
        from podman_sdk.images._registry_requests import search_call

        call = search_call(term, limit, filters, list_tags, tls_verify)
        return await perform_async(self._api(), call)

    # -- registries: ImagesManager's, awaited ---------------------------------------------

    @overload
    async def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: Literal[False] = False,
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> AsyncImage: ...
    @overload
    async def pull(
        self,
        repository: str,
        tag: str | None,
        all_tags: Literal[True],
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> builtins.list[AsyncImage]: ...
    @overload
    async def pull(
        self,
        repository: str,
        tag: str | None = None,
        *,
        all_tags: Literal[True],
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> builtins.list[AsyncImage]: ...
    @overload
    async def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: Literal[True],
        decode: Literal[False] = False,
        **options: Unpack[PullOptions],
    ) -> AsyncPullStream[bytes]: ...
    @overload
    async def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: Literal[True],
        decode: Literal[True],
        **options: Unpack[PullOptions],
    ) -> AsyncPullStream[PullProgress]: ...
    async def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: bool = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> (
        AsyncImage
        | builtins.list[AsyncImage]
        | AsyncPullStream[bytes]
        | AsyncPullStream[PullProgress]
    ):
        """`ImagesManager.pull`, awaited: POST /libpod/images/pull. With ``stream=True``
        an `AsyncPullStream` (the request is sent when awaited). Raises `PullError`
        (`PullNotFound` for a missing image), `APIError`, `InvalidArgument`."""
        from podman_sdk.images._registry_ops import async_pull

        return await async_pull(
            self._api(),
            repository,
            tag,
            all_tags=all_tags,
            stream=stream,
            decode=decode,
            options=options,
            get=self.get,
        )

    @overload
    async def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[False] = False,
        decode: bool = False,
        **options: Unpack[PushOptions],
    ) -> PushResult: ...
    @overload
    async def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[True],
        decode: Literal[False] = False,
        **options: Unpack[PushOptions],
    ) -> AsyncPushStream[str]: ...
    @overload
    async def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: Literal[True],
        decode: Literal[True],
        **options: Unpack[PushOptions],
    ) -> AsyncPushStream[PushProgress]: ...
    async def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        stream: bool = False,
        decode: bool = False,
        **options: Unpack[PushOptions],
    ) -> PushResult | AsyncPushStream[str] | AsyncPushStream[PushProgress]:
        """`ImagesManager.push`, awaited: POST /libpod/images/{name}/push. Returns the
        same `PushResult`, or with ``stream=True`` an `AsyncPushStream`. Raises
        `PushError`, `APIError`, `InvalidArgument`."""
        from podman_sdk.images._registry_ops import async_push

        return await async_push(
            self._api(), repository, tag, stream=stream, decode=decode, options=options
        )

    @overload
    async def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: Literal[False] = False,
        **options: Unpack[BuildOptions],
    ) -> tuple[AsyncImage, Iterator[BuildLogLine]]: ...
    @overload
    async def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: Literal[True],
        **options: Unpack[BuildOptions],
    ) -> AsyncBuildStream: ...
    async def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        stream: bool = False,
        **options: Unpack[BuildOptions],
    ) -> tuple[AsyncImage, Iterator[BuildLogLine]] | AsyncBuildStream:
        """`ImagesManager.build`, awaited: POST /libpod/build, the context read on a
        worker thread block by block. Returns ``(AsyncImage, log)``, or with
        ``stream=True`` an `AsyncBuildStream`. Raises `BuildError`, `APIError`,
        `InvalidArgument`, `LocalFileError`."""
        from podman_sdk.images._registry_ops import async_build

        return await async_build(
            self._api(), path, fileobj, stream=stream, options=options, get=self.get
        )

    async def get_registry_data(
        self,
        name: str,
        auth_config: Mapping[str, str] | None = None,
        *,
        tls_verify: bool = True,
    ) -> AsyncRegistryData:
        """`ImagesManager.get_registry_data`, awaited: GET /libpod/manifests/{name}/json.
        Raises `NotFound`, `UnsupportedServer`."""
        from podman_sdk.images._registry_data import AsyncRegistryData, fetch_registry_data_async

        attrs = await fetch_registry_data_async(self._api(), name, auth_config, tls_verify)
        return AsyncRegistryData(name, attrs, lambda platform: self.pull(name, platform=platform))
