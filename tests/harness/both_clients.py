"""One test body for both clients: the `flavour` fixture (tests/conftest.py) runs a test
for `PodmanClient` and `AsyncPodmanClient`, `client_for` makes the client of a flavour,
and `SyncView` lets sync test code drive the async one, awaiting on an event loop of its
own every awaitable a member returns (and iterating an async stream), so the test reads
and checks the same for both.

What the view hands back is the async SDK's own objects, viewed: ``AsyncImage`` for
``Image`` and so on; plain results (str, lists of dicts, `SavedArchive`) come back as
they are. A test that needs the class itself checks ``flavour``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import types
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from podman_sdk import (
    AsyncArtifact,
    AsyncArtifactsManager,
    AsyncBuildStream,
    AsyncContainer,
    AsyncContainersManager,
    AsyncImage,
    AsyncImagesManager,
    AsyncManifest,
    AsyncManifestsManager,
    AsyncNetwork,
    AsyncNetworksManager,
    AsyncOutputStream,
    AsyncPod,
    AsyncPodmanClient,
    AsyncPodsManager,
    AsyncPullStream,
    AsyncPushStream,
    AsyncQuadlet,
    AsyncQuadletsManager,
    AsyncRegistryData,
    AsyncSaveStream,
    AsyncSecret,
    AsyncSecretsManager,
    AsyncSystemManager,
    AsyncVolume,
    AsyncVolumesManager,
    Image,
    PodmanClient,
)

FLAVOURS = ("sync", "async")
_VIEWED = (AsyncImage, AsyncImagesManager, AsyncPodmanClient, AsyncSaveStream)
_VIEWED += (AsyncPullStream, AsyncPushStream, AsyncBuildStream, AsyncRegistryData)
_VIEWED += (AsyncContainer, AsyncContainersManager, AsyncOutputStream)
_VIEWED += (AsyncVolume, AsyncVolumesManager, AsyncSecret, AsyncSecretsManager)
_VIEWED += (AsyncNetwork, AsyncNetworksManager, AsyncPod, AsyncPodsManager)
_VIEWED += (AsyncSystemManager,)
_VIEWED += (AsyncNetwork, AsyncNetworksManager, AsyncQuadlet, AsyncQuadletsManager)
_VIEWED += (AsyncArtifact, AsyncArtifactsManager)
_VIEWED += (AsyncManifest, AsyncManifestsManager)


def _drive(runner: asyncio.Runner, items: AsyncGenerator[Any, None]) -> Generator[Any, None, None]:
    """An async generator (a streamed pull's) as a sync one, closed with it."""
    try:
        while True:
            try:
                yield runner.run(_await(anext(items)))
            except StopAsyncIteration:
                return
    finally:
        runner.run(_await(items.aclose()))


def _view(runner: asyncio.Runner, value: object) -> Any:
    if isinstance(value, types.AsyncGeneratorType):
        return _drive(runner, value)
    if isinstance(value, _VIEWED):
        return SyncView(value, runner)
    if isinstance(value, list):
        return [_view(runner, item) for item in value]
    if isinstance(value, tuple):
        items = [_view(runner, item) for item in value]
        # A NamedTuple (ExecResult) stays one, so its fields read the same.
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def _unview(value: object) -> object:
    return value._target if isinstance(value, SyncView) else value


async def _await(awaitable: Any) -> object:
    return await awaitable


class SyncView:
    """An async SDK object, driven synchronously on ``runner`` (see the module)."""

    def __init__(self, target: object, runner: asyncio.Runner) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_runner", runner)

    def _run(self, value: object) -> Any:
        if inspect.isawaitable(value):
            value = self._runner.run(_await(value))
        return _view(self._runner, value)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.ismethod(value):
            method: Callable[..., object] = value

            @functools.wraps(method)
            def call(*args: object, **kwargs: object) -> object:
                args = tuple(_unview(arg) for arg in args)
                kwargs = {key: _unview(arg) for key, arg in kwargs.items()}
                return self._run(method(*args, **kwargs))

            return call
        return self._run(value)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._target, name, value)

    def __eq__(self, other: object) -> bool:
        return bool(self._target == _unview(other))

    def __hash__(self) -> int:
        return hash(self._target)

    def __repr__(self) -> str:
        return f"SyncView({self._target!r})"

    # An async stream (save, pull, push, build), read as its sync twin is.
    def __iter__(self) -> SyncView:
        return self

    def __next__(self) -> bytes:
        stream = cast(AsyncIterator[bytes], self._target)
        try:
            chunk: bytes = self._runner.run(_await(anext(stream)))
        except StopAsyncIteration:
            raise StopIteration from None
        return chunk

    def __enter__(self) -> SyncView:
        self._runner.run(_await(self._target.__aenter__()))  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._runner.run(_await(self._target.__aexit__(*exc_info)))  # type: ignore[attr-defined]

    def close(self) -> None:
        """``close()`` of a stream or a client: their ``aclose()``."""
        self._runner.run(_await(self._target.aclose()))  # type: ignore[attr-defined]


@contextmanager
def client_for(flavour: str, url: str, **options: Any) -> Iterator[PodmanClient]:
    """A client of ``flavour`` on ``url`` (``options``: the constructor's keyword
    arguments), typed as the sync one the tests drive."""
    with client_made(flavour, lambda cls: cls(url, **options)) as client:
        yield client


@contextmanager
def client_made(flavour: str, make: Callable[[type[Any]], Any]) -> Iterator[PodmanClient]:
    """The client ``make`` builds from the class of ``flavour`` (``lambda cls:
    cls.from_env()``), typed as the sync one the tests drive."""
    if flavour == "sync":
        with make(PodmanClient) as client:
            yield client
        return
    with asyncio.Runner() as runner:
        client = make(AsyncPodmanClient)
        try:
            yield cast(PodmanClient, SyncView(client, runner))
        finally:
            runner.run(client.aclose())


T = TypeVar("T")


def run_on_loop(client: PodmanClient, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` on the event loop that drives ``client``, an async client's
    view (tasks that share the client run there together)."""
    assert isinstance(client, SyncView), "only an async client has a loop"
    result: T = client._runner.run(_await(awaitable))
    return result


def sdk_object(value: object) -> object:
    """What the SDK handed out, behind the view if there is one."""
    return _unview(value)


def image_class(client: PodmanClient) -> type:
    """The class of the images ``client`` hands out."""
    return AsyncImage if isinstance(client, SyncView) else Image
