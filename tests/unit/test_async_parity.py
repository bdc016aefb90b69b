"""The async client cannot drift from the sync one: every public member of
PodmanClient, ImagesManager, Image, the streams (SaveStream, the progress streams) and
RegistryData has its async twin, with the same parameters (names, kinds, defaults,
types) and the async counterpart of its return type, awaited where the sync one does
I/O. `PushResult` (a str with the digest, no I/O) is what both clients' push returns."""

from __future__ import annotations

import collections.abc
import inspect
import os
import types
import typing
from pathlib import Path
from typing import IO, Any

import httpx
import podman_sdk
import pytest
from libpod_client import AsyncSender, SyncSender
from libpod_client.models import (
    ArtifactInspectReport,
    ImageData,
    InspectContainerData,
    InspectPodData,
    ListQuadlet,
    NetworkInspectReport,
    Schema2ListPublic,
    SecretInfoReport,
    SpecGenerator,
    VolumeConfigResponse,
)
from libpod_client.types import Frame
from podman_sdk import (
    Artifact,
    ArtifactsManager,
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
    AsyncProgressStream,
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
    BuildStream,
    Container,
    ContainersManager,
    Image,
    ImagesManager,
    Manifest,
    ManifestsManager,
    Network,
    NetworksManager,
    OutputStream,
    Pod,
    PodmanClient,
    PodsManager,
    ProgressStream,
    PullProgress,
    PullStream,
    PushStream,
    Quadlet,
    QuadletsManager,
    RegistryData,
    SaveStream,
    Secret,
    SecretsManager,
    SystemManager,
    Volume,
    VolumesManager,
)

#: Each sync class and its async twin; in a type, the first stands for the second.
COUNTERPARTS: dict[type, type] = {
    PodmanClient: AsyncPodmanClient,
    ImagesManager: AsyncImagesManager,
    Image: AsyncImage,
    SaveStream: AsyncSaveStream,
    ProgressStream: AsyncProgressStream,
    PullStream: AsyncPullStream,
    PushStream: AsyncPushStream,
    BuildStream: AsyncBuildStream,
    RegistryData: AsyncRegistryData,
    ContainersManager: AsyncContainersManager,
    Container: AsyncContainer,
    OutputStream: AsyncOutputStream,
    VolumesManager: AsyncVolumesManager,
    Volume: AsyncVolume,
    SecretsManager: AsyncSecretsManager,
    Secret: AsyncSecret,
    NetworksManager: AsyncNetworksManager,
    SystemManager: AsyncSystemManager,
    Network: AsyncNetwork,
    PodsManager: AsyncPodsManager,
    Pod: AsyncPod,
    QuadletsManager: AsyncQuadletsManager,
    ArtifactsManager: AsyncArtifactsManager,
    Artifact: AsyncArtifact,
    Quadlet: AsyncQuadlet,
    ManifestsManager: AsyncManifestsManager,
    Manifest: AsyncManifest,
    httpx.BaseTransport: httpx.AsyncBaseTransport,
    # ``api``: the generated functions' sender of each flavour (issue #27).
    SyncSender: AsyncSender,
    # What a stream is made from (SaveStream's constructor).
    collections.abc.Generator[bytes, None, None]: collections.abc.AsyncGenerator[bytes, None],  # type: ignore[dict-item]
    # What a streamed pull hands out (podman-py's generator).
    collections.abc.Generator[PullProgress, None, None]: collections.abc.AsyncGenerator[
        PullProgress, None
    ],  # type: ignore[dict-item]
}
#: Protocol members that have other names in asyncio.
RENAMED = {
    "close": "aclose",
    "__enter__": "__aenter__",
    "__exit__": "__aexit__",
    "__iter__": "__aiter__",
    "__next__": "__anext__",
}
#: The streams and results the verbs hand out, compared member by member.
HANDED_OUT = (SaveStream, ProgressStream, PullStream, PushStream, BuildStream, RegistryData)
#: Made by the verbs, never by users, from each client's own I/O (a generator or an
#: async one, callables that are awaited or not): their constructors differ by design.
MADE_BY_THE_SDK = {"ProgressStream", "PullStream", "PushStream", "BuildStream", "RegistryData"}
#: Sync methods whose twin is not awaited: it hands out an async iterator at once, or
#: does no I/O.
NOT_AWAITED = {("Image", "save"), ("PodmanClient", "from_env"), ("RegistryData", "has_platform")}
NOT_AWAITED |= {("PodmanClient", "events")}
NOT_AWAITED |= {(cls.__name__, "__iter__") for cls in HANDED_OUT}
NOT_AWAITED |= {
    ("Container", "export"),
    ("Container", "log_frames"),
    ("Container", "attach_socket"),
}
#: Sync properties that do I/O (a negotiation): the twin's value is awaited
#: (``await client.api_version``).
AWAITED_PROPERTIES = {("PodmanClient", "api_version"), ("Container", "image")}
#: Parameters the async twin takes more of: ``load`` also reads an async iterable.
WIDENED = {("ImagesManager", "load", "data"): collections.abc.AsyncIterable[bytes]}

NAMESPACE: dict[str, object] = {
    **{name: getattr(podman_sdk, name) for name in podman_sdk.__all__},
    "ImageData": ImageData,
    "InspectContainerData": InspectContainerData,
    "SpecGenerator": SpecGenerator,
    "VolumeConfigResponse": VolumeConfigResponse,
    "Schema2ListPublic": Schema2ListPublic,
    "SecretInfoReport": SecretInfoReport,
    "NetworkInspectReport": NetworkInspectReport,
    "InspectPodData": InspectPodData,
    "ListQuadlet": ListQuadlet,
    "ArtifactInspectReport": ArtifactInspectReport,
    "Frame": Frame,
    "SyncSender": SyncSender,
    "AsyncSender": AsyncSender,
    "IO": IO,
    "os": os,
    "Path": Path,
    "httpx": httpx,
    "Iterator": collections.abc.Iterator,
    "AsyncIterator": collections.abc.AsyncIterator,
    "AsyncIterable": collections.abc.AsyncIterable,
    "AsyncGenerator": collections.abc.AsyncGenerator,
    "Generator": collections.abc.Generator,
    "Callable": collections.abc.Callable,
}


def members(cls: type) -> dict[str, object]:
    """Public methods and properties, with __init__ and the protocol dunders."""
    found: dict[str, object] = {}
    for name, member in inspect.getmembers(cls):
        dunder = name in RENAMED or name in RENAMED.values()
        if name.startswith("_") and name != "__init__" and not dunder:
            continue
        if dunder and name.startswith("__") and name not in vars_of(cls):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property | classmethod) or inspect.isfunction(member):
            found[name] = raw
    return found


def vars_of(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ if klass is not object for name in vars(klass)}


def type_arguments(cls: type) -> dict[object, object]:
    """Each TypeVar of a generic base, as ``cls`` fills it in."""
    filled: dict[object, object] = {}
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            parameters = getattr(origin, "__parameters__", ())
            filled.update(zip(parameters, typing.get_args(base), strict=False))
    return filled


def function_of(member: object) -> Any:
    if isinstance(member, property):
        return member.fget
    if isinstance(member, classmethod):
        return member.__func__
    return member


def hints(cls: type, member: object) -> dict[str, object]:
    function = function_of(member)
    module = inspect.getmodule(function)
    namespace = {**vars(module), **NAMESPACE} if module else NAMESPACE
    found = typing.get_type_hints(function, globalns=namespace)
    filled = type_arguments(cls)
    return {name: substitute(hint, filled) for name, hint in found.items()}


def substitute(hint: object, mapping: dict[object, object]) -> object:
    """``hint`` with each key of ``mapping`` (a class or a TypeVar) replaced."""
    if isinstance(hint, typing.Hashable) and hint in mapping:
        return mapping[hint]
    args = typing.get_args(hint)
    if not args:
        return hint
    mapped = tuple(substitute(arg, mapping) for arg in args)
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return functools_reduce_union(mapped)
    if origin is None:
        return hint
    # PullStream[bytes] -> AsyncPullStream[bytes]: the generic class has a twin too.
    origin = mapping.get(origin, origin)
    return origin[mapped[0] if len(mapped) == 1 else mapped]  # Unpack takes one


def functools_reduce_union(members_: tuple[object, ...]) -> object:
    return typing.Union[members_]  # noqa: UP007


def union(*hints_: object) -> object:
    return typing.Union[hints_]  # noqa: UP007


def compare(sync_cls: type, name: str) -> list[str]:
    """What differs between ``sync_cls.name`` and its async twin."""
    async_cls = COUNTERPARTS[sync_cls]
    where = f"{sync_cls.__name__}.{name}"
    async_name = RENAMED.get(name, name)
    async_members = members(async_cls)
    if async_name not in async_members:
        return [f"{where}: {async_cls.__name__}.{async_name} is missing"]
    sync_member, async_member = members(sync_cls)[name], async_members[async_name]
    problems: list[str] = []
    if type(sync_member) is not type(async_member):
        problems.append(f"{where}: a {type(sync_member).__name__} but its twin is not")
    key = (sync_cls.__name__, name)
    async_function = function_of(async_member)
    awaited = inspect.iscoroutinefunction(async_function)
    expected_awaited = key in AWAITED_PROPERTIES or (
        inspect.isfunction(sync_member) and key not in NOT_AWAITED and name != "__init__"
    )
    if awaited != expected_awaited:
        problems.append(f"{where}: awaited is {awaited}, expected {expected_awaited}")
    problems += compare_parameters(sync_cls, name, sync_member, async_member)
    sync_hints, async_hints = hints(sync_cls, sync_member), hints(async_cls, async_member)
    expected_return = substitute(sync_hints.get("return"), dict(COUNTERPARTS))
    if name in ("__enter__", "__iter__"):
        expected_return = async_hints.get("return")  # Self or the class itself: both fine
    if async_hints.get("return") != expected_return:
        problems.append(f"{where}: returns {async_hints.get('return')}, not {expected_return}")
    return problems


def compare_parameters(
    sync_cls: type, name: str, sync_member: object, async_member: object
) -> list[str]:
    where = f"{sync_cls.__name__}.{name}"
    sync_signature = inspect.signature(function_of(sync_member))
    async_signature = inspect.signature(function_of(async_member))
    if list(sync_signature.parameters) != list(async_signature.parameters):
        return [f"{where}: parameters {list(async_signature.parameters)}"]
    sync_hints = hints(sync_cls, sync_member)
    async_hints = hints(COUNTERPARTS[sync_cls], async_member)
    problems = []
    for parameter in sync_signature.parameters.values():
        twin = async_signature.parameters[parameter.name]
        if (parameter.kind, parameter.default) != (twin.kind, twin.default):
            problems.append(f"{where}({parameter.name}): kind or default differs")
        if parameter.name not in sync_hints:
            continue
        expected = substitute(sync_hints[parameter.name], dict(COUNTERPARTS))
        widened = WIDENED.get((sync_cls.__name__, name, parameter.name))
        if widened is not None:
            expected = union(expected, widened)
        if async_hints.get(parameter.name) != expected:
            problems.append(
                f"{where}({parameter.name}): {async_hints.get(parameter.name)}, not {expected}"
            )
    return problems


#: The managers and resources of the volumes, secrets, networks, pods, system, quadlets
#: and artifacts domains.
DOMAINS = (VolumesManager, Volume, SecretsManager, Secret, NetworksManager, Network)
DOMAINS += (PodsManager, Pod, SystemManager)
DOMAINS += (QuadletsManager, Quadlet, ArtifactsManager, Artifact)
DOMAINS += (ManifestsManager, Manifest)


def compared_members() -> list[tuple[type, str]]:
    return [
        (cls, name)
        for cls in (
            PodmanClient,
            ImagesManager,
            Image,
            ContainersManager,
            Container,
            *DOMAINS,
            *HANDED_OUT,
        )
        for name in sorted(members(cls))
        if not (name == "__init__" and cls.__name__ in MADE_BY_THE_SDK)
    ]


@pytest.mark.parametrize(
    ("sync_cls", "name"),
    compared_members(),
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value),
)
def test_the_async_twin_has_the_same_surface(sync_cls: type, name: str) -> None:
    assert compare(sync_cls, name) == []


def test_the_counts() -> None:
    """The figure for the issue's closing note: every member of the sync surface."""
    # 78 before the containers (issue 24), 120 before volumes, secrets and networks,
    # 164 before pods, attach_socket, system, events, quadlets, artifacts, manifests,
    # pull_stream, build_stream, scp and prune_builds.
    assert len(compared_members()) == 260


def test_the_comparison_finds_differences() -> None:
    """The checks above pass vacuously if compare never fires."""

    class Sync:
        def get(self, name: str, all: bool = False) -> Image:
            raise NotImplementedError

        def size(self) -> int:
            raise NotImplementedError

    class Async:
        async def get(self, name: str, all: bool = True) -> Image:
            raise NotImplementedError

        def size(self) -> int:
            raise NotImplementedError

    COUNTERPARTS[Sync] = Async
    try:
        assert compare(Sync, "get") == [
            "Sync.get(all): kind or default differs",
            "Sync.get: returns <class 'podman_sdk.images._image.Image'>, "
            "not <class 'podman_sdk.images._image.AsyncImage'>",
        ]
        assert compare(Sync, "size") == ["Sync.size: awaited is False, expected True"]
    finally:
        del COUNTERPARTS[Sync]
