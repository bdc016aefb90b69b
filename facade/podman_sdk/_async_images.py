"""`AsyncImagesManager` (``async_client.images``): `ImagesManager`'s verbs, awaited.
Arguments are checked, requests built, answers and progress streams decoded by the
functions the sync manager uses (``_images_rules``, ``_image_calls``,
``_progress_readers``); see `ImagesManager` for what each verb does and raises."""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Literal, Unpack, overload

import podman_sdk._image_calls as calls
from podman_sdk._async_connection import AsyncConnection
from podman_sdk._async_image import AsyncImage
from podman_sdk._calls import perform_async
from podman_sdk._errors import PodmanError
from podman_sdk._filters import Filters
from podman_sdk._image_answers import image_name
from podman_sdk._image_types import PruneReport, RemoveReportEntry
from podman_sdk._images_rules import ManagerBase, distinct_images, load_source, loaded_lookups

if TYPE_CHECKING:
    from podman_sdk._archive import ProgressCallback
    from podman_sdk._async_archive import AsyncLoadSource
    from podman_sdk._async_progress import AsyncBuildStream, AsyncPullStream, AsyncPushStream
    from podman_sdk._progress import BuildLogLine, PullProgress, PushProgress, PushResult
    from podman_sdk._registry_data import AsyncRegistryData
    from podman_sdk._registry_requests import SearchResult
    from podman_sdk._verb_options import BuildOptions, PullOptions, PushOptions


class AsyncImagesManager(ManagerBase[AsyncConnection, AsyncImage]):
    """``async_client.images``: `ImagesManager`'s verbs for asyncio, each sending the
    same `Call` (``_image_calls``) or `Operation` (``_progress_readers``), awaited; a
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
        from podman_sdk._async_archive import load_archive

        source: AsyncLoadSource = load_source(data, file_path)  # type: ignore[assignment]
        loaded = await load_archive(self._api(), source, progress)
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
        from podman_sdk._registry_requests import search_call

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
        from podman_sdk._async_registry_ops import pull_stream, run_to_end
        from podman_sdk._progress_readers import pull_operation

        operation = pull_operation(repository, tag, all_tags, decode, options)
        if stream:
            # The arguments are checked above, before the version is asked (a ping).
            server = await self._api().negotiate()
            operation = pull_operation(repository, tag, all_tags, decode, options, server=server)
            return await pull_stream(self._api(), operation)
        await run_to_end(self._api(), operation)
        images = [await self.get(i) for i in operation.reader.outcome.image_ids]
        return images if all_tags else images[-1]

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
        from podman_sdk._async_registry_ops import push_stream, read_to_end
        from podman_sdk._progress import PushResult
        from podman_sdk._progress_readers import push_operation, push_text

        operation = push_operation(repository, tag, stream, decode, options)
        if stream:
            return await push_stream(self._api(), operation)
        text = push_text(await read_to_end(self._api(), operation))
        digest = operation.reader.outcome.manifest_digest
        if digest is None:
            pushed = options.get("destination") or operation.reader.name
            digest = await self._remote_digest(pushed, options.get("tls_verify", True))
        return PushResult(text, digest)

    async def _remote_digest(self, name: str, tls_verify: bool) -> str | None:
        # Podman 4 reports no digest: ask the registry, as the sync manager does.
        try:
            return (await self.get_registry_data(name, tls_verify=tls_verify)).id
        except PodmanError:
            return None

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
        from podman_sdk._async_registry_ops import build_stream, run_to_end
        from podman_sdk._progress_readers import build_operation

        operation = build_operation(path, fileobj, options)
        if stream:
            return await build_stream(self._api(), operation, self.get)
        await run_to_end(self._api(), operation)
        outcome = operation.reader.outcome
        assert outcome.image_id is not None  # the reader's check raised otherwise
        return await self.get(outcome.image_id), iter(outcome.log)

    async def get_registry_data(
        self,
        name: str,
        auth_config: Mapping[str, str] | None = None,
        *,
        tls_verify: bool = True,
    ) -> AsyncRegistryData:
        """`ImagesManager.get_registry_data`, awaited: GET /libpod/manifests/{name}/json.
        Raises `NotFound`, `UnsupportedServer`."""
        from podman_sdk._registry_data import AsyncRegistryData, fetch_registry_data_async

        attrs = await fetch_registry_data_async(self._api(), name, auth_config, tls_verify)
        return AsyncRegistryData(name, attrs, lambda platform: self.pull(name, platform=platform))
