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
from collections.abc import AsyncGenerator, Generator, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Literal, Unpack, overload

from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._filters import Filters
from podman_sdk.images._image import AsyncImage, Image
from podman_sdk.images._local_verbs import AsyncLocalVerbs, LocalVerbs

if TYPE_CHECKING:
    from podman_sdk.images._options import BuildOptions, PullOptions, PushOptions
    from podman_sdk.images._progress import (
        AsyncBuildStream,
        AsyncPullStream,
        AsyncPushStream,
        BuildStream,
        PullProgress,
        PullStream,
        PushProgress,
        PushResult,
        PushStream,
    )
    from podman_sdk.images._registry_data import (
        AsyncRegistryData,
        RegistryData,
        RegistryDataAttrs,
    )
    from podman_sdk.images._registry_requests import SearchResult


class ImagesManager(LocalVerbs):
    """``client.images``: list, get, exists, remove, prune, load, save's counterpart,
    and the registry verbs pull, push, search, build and get_registry_data.

    A manager comes from ``PodmanClient.images``; one made with ``ImagesManager()`` is
    detached and its verbs raise `InvalidArgument`."""

    _image_class = Image

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
    ) -> Generator[bytes, None, None]: ...
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
    ) -> Generator[PullProgress, None, None]: ...
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        stream: bool = False,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> (
        Image
        | builtins.list[Image]
        | Generator[bytes, None, None]
        | Generator[PullProgress, None, None]
    ):
        """POST /libpod/images/pull: ``repository[:tag]`` ("latest" by default; a digest
        stays a digest), or every tag with ``all_tags=True``. Returns the `Image`, a
        list with ``all_tags``, or with ``stream=True`` what podman-py returns: a
        generator of each progress value's bytes (``decode=True``: `PullProgress`
        dicts), closed with ``close()``. `pull_stream` gives the typed `PullStream`.
        Options: `PullOptions`.

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
    def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: Literal[False] = False,
        **options: Unpack[PullOptions],
    ) -> PullStream[bytes]: ...
    @overload
    def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: Literal[True],
        **options: Unpack[PullOptions],
    ) -> PullStream[PullProgress]: ...
    def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> PullStream[bytes] | PullStream[PullProgress]:
        """POST /libpod/images/pull, as a `PullStream`: each value's bytes
        (``decode=True``: `PullProgress`, with each layer's `LayerProgress` from a
        service of libpod API 6.0 or later, which it asks for), then ``image_ids``.
        A context manager; raises as `pull` does."""
        from podman_sdk.images._registry_ops import pull_stream

        return pull_stream(
            self._api(), repository, tag, all_tags=all_tags, decode=decode, options=options
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

    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        **options: Unpack[BuildOptions],
    ) -> tuple[Image, Iterator[bytes]]:
        """POST /libpod/build, as podman-py: returns ``(Image, log)``, the log an
        iterator of the server's JSON lines (bytes, each one ``json.loads`` reads). The
        context: the directory ``path`` (a tar streamed in bounded memory, honouring
        .containerignore / .dockerignore), ``fileobj`` alone (a Containerfile), both
        (the directory, ``fileobj`` its Containerfile), or with ``custom_context=True``
        ``fileobj`` a tar and ``dockerfile`` its Containerfile's name. Options:
        `BuildOptions` (every podman-py keyword; one the server cannot honour raises
        `InvalidArgument`). `build_stream` gives the log as it comes, typed.

        Raises:
            BuildError: a step failed (``build_log`` holds the events so far), or no
                image id came. APIError: an error status. InvalidArgument: bad or
                unknown arguments. LocalFileError: the context directory is missing
                or a file in it cannot be read.
        """
        from podman_sdk.images._registry_ops import build

        return build(self._api(), path, fileobj, options=options, get=self.get)

    def build_stream(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        **options: Unpack[BuildOptions],
    ) -> BuildStream:
        """POST /libpod/build (the context and options as `build` takes them), as a
        `BuildStream` of `BuildLogLine` while it runs, then ``.image()``."""
        from podman_sdk.images._registry_ops import build_stream

        return build_stream(self._api(), path, fileobj, options=options, get=self.get)

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
        `UnsupportedServer` for ``tls_verify=False`` on a server that does not read it
        (Podman 4.3.1: refused before sending) or that verified TLS all the same.
        """
        from podman_sdk.images._registry_data import RegistryData, fetch_registry_data

        connection = self._api()

        def fetch() -> RegistryDataAttrs:
            return fetch_registry_data(connection, name, auth_config, tls_verify)

        return RegistryData(
            name, fetch(), lambda platform: self.pull(name, platform=platform), fetch
        )


class AsyncImagesManager(AsyncLocalVerbs):
    """``async_client.images``: `ImagesManager`'s verbs for asyncio, each sending the
    same `Call` (``_calls``) or `Operation` (``_registry_requests``), awaited; a
    stream (``stream=True``) is awaited, then read with ``async for`` inside
    ``async with``. One made with ``AsyncImagesManager()`` is detached and its verbs
    raise `InvalidArgument`."""

    _image_class = AsyncImage

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
    ) -> AsyncGenerator[bytes, None]: ...
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
    ) -> AsyncGenerator[PullProgress, None]: ...
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
        | AsyncGenerator[bytes, None]
        | AsyncGenerator[PullProgress, None]
    ):
        """`ImagesManager.pull`, awaited: POST /libpod/images/pull. With ``stream=True``
        an async generator (the request is sent when awaited); `pull_stream` gives the
        typed `AsyncPullStream`. Raises `PullError` (`PullNotFound` for a missing
        image), `APIError`, `InvalidArgument`."""
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
    async def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: Literal[False] = False,
        **options: Unpack[PullOptions],
    ) -> AsyncPullStream[bytes]: ...
    @overload
    async def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: Literal[True],
        **options: Unpack[PullOptions],
    ) -> AsyncPullStream[PullProgress]: ...
    async def pull_stream(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        decode: bool = False,
        **options: Unpack[PullOptions],
    ) -> AsyncPullStream[bytes] | AsyncPullStream[PullProgress]:
        """`ImagesManager.pull_stream`, awaited: an `AsyncPullStream` (the request is
        sent when awaited)."""
        from podman_sdk.images._registry_ops import async_pull_stream

        return await async_pull_stream(
            self._api(), repository, tag, all_tags=all_tags, decode=decode, options=options
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

    async def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        **options: Unpack[BuildOptions],
    ) -> tuple[AsyncImage, Iterator[bytes]]:
        """`ImagesManager.build`, awaited: POST /libpod/build, the context read on a
        worker thread block by block. Returns ``(AsyncImage, log)``. Raises
        `BuildError`, `APIError`, `InvalidArgument`, `LocalFileError`."""
        from podman_sdk.images._registry_ops import async_build

        return await async_build(self._api(), path, fileobj, options=options, get=self.get)

    async def build_stream(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        **options: Unpack[BuildOptions],
    ) -> AsyncBuildStream:
        """`ImagesManager.build_stream`, awaited: an `AsyncBuildStream`."""
        from podman_sdk.images._registry_ops import async_build_stream

        return await async_build_stream(self._api(), path, fileobj, options=options, get=self.get)

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

        connection = self._api()

        async def fetch() -> RegistryDataAttrs:
            return await fetch_registry_data_async(connection, name, auth_config, tls_verify)

        return AsyncRegistryData(
            name, await fetch(), lambda platform: self.pull(name, platform=platform), fetch
        )
