"""The public namespace is deliberate (httpx's test_exported_members), and the public
signatures are precise: no ``Any`` in what users call or get back."""

from __future__ import annotations

import ast
import collections.abc
import importlib
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
from podman_sdk._core._connection import Connection

PACKAGE = Path(podman_sdk.__file__).parent

EXPECTED_ALL = [
    "PODMAN_RELEASE",
    "SPEC_SHA256",
    "APIError",
    "ArchiveStat",
    "Artifact",
    "ArtifactAttrs",
    "ArtifactsManager",
    "AsyncArtifact",
    "AsyncArtifactsManager",
    "AsyncBuildStream",
    "AsyncContainer",
    "AsyncContainersManager",
    "AsyncImage",
    "AsyncImagesManager",
    "AsyncLoadSource",
    "AsyncManifest",
    "AsyncManifestsManager",
    "AsyncNetwork",
    "AsyncNetworksManager",
    "AsyncOutputStream",
    "AsyncPod",
    "AsyncPodmanClient",
    "AsyncPodsManager",
    "AsyncProgressStream",
    "AsyncPullStream",
    "AsyncPushStream",
    "AsyncQuadlet",
    "AsyncQuadletsManager",
    "AsyncRegistryData",
    "AsyncSaveStream",
    "AsyncSecret",
    "AsyncSecretsManager",
    "AsyncSystemManager",
    "AsyncVolume",
    "AsyncVolumesManager",
    "BadRequest",
    "BlkioWeightDevice",
    "BuildError",
    "BuildLogLine",
    "BuildOptions",
    "BuildPruneReport",
    "BuildStream",
    "ChangeEntry",
    "Conflict",
    "Container",
    "ContainerAttrs",
    "ContainerConfigAttrs",
    "ContainerError",
    "ContainerLimits",
    "ContainerStateAttrs",
    "ContainersManager",
    "ContainersPruneReport",
    "CreateKeywords",
    "Descriptor",
    "DiscoveryResult",
    "DiskUsage",
    "Event",
    "EventActor",
    "EventHooks",
    "ExecResult",
    "Filters",
    "Healthcheck",
    "HistoryEntry",
    "Image",
    "ImageAttrs",
    "ImageNotFound",
    "ImageReference",
    "ImagesManager",
    "InvalidArgument",
    "LayerProgress",
    "LoadSource",
    "LocalFileError",
    "LogConfig",
    "LogConfigOptions",
    "LoginReport",
    "MalformedAnswerError",
    "Manifest",
    "ManifestAttrs",
    "ManifestDescriptor",
    "ManifestPlatform",
    "ManifestRemoveReport",
    "ManifestsManager",
    "Mount",
    "Network",
    "NetworkAttrs",
    "NetworkEndpoint",
    "NetworkLeaseRange",
    "NetworkPruneReport",
    "NetworkSubnet",
    "NetworksManager",
    "NotFound",
    "OutputStream",
    "Platform",
    "Pod",
    "PodAttrs",
    "PodContainerAttrs",
    "PodCreateKeywords",
    "PodNamespace",
    "PodPortMapping",
    "PodPruneReport",
    "PodStatsEntry",
    "PodTop",
    "PodmanClient",
    "PodmanConnectionError",
    "PodmanError",
    "PodmanTimeoutError",
    "PodsManager",
    "PortBinding",
    "PortHost",
    "PortRange",
    "ProgressCallback",
    "ProgressDetail",
    "ProgressStream",
    "PruneDeleted",
    "PruneError",
    "PruneReport",
    "PullError",
    "PullNotFound",
    "PullOptions",
    "PullProgress",
    "PullStream",
    "PushError",
    "PushNotFound",
    "PushOptions",
    "PushProgress",
    "PushResult",
    "PushStream",
    "Quadlet",
    "QuadletAttrs",
    "QuadletFileItem",
    "QuadletInstallReport",
    "QuadletsManager",
    "RegistryData",
    "RegistryDataAttrs",
    "RemoveReportEntry",
    "RestartPolicy",
    "RunKeywords",
    "SaveStream",
    "SavedArchive",
    "ScpReport",
    "SearchResult",
    "Secret",
    "SecretAttrs",
    "SecretDriverAttrs",
    "SecretMount",
    "SecretSpecAttrs",
    "SecretsManager",
    "ServerError",
    "StreamError",
    "SystemManager",
    "ThrottleDevice",
    "TopAnswer",
    "Ulimit",
    "UnsupportedServer",
    "UpdateKeywords",
    "VersionInfo",
    "VersionPlatform",
    "Volume",
    "VolumeAttrs",
    "VolumeBinding",
    "VolumePruneReport",
    "VolumesManager",
]


def test_all_is_pinned_and_sorted() -> None:
    assert podman_sdk.__all__ == EXPECTED_ALL
    # In ruff's order (RUF022): the constants first, then everything else sorted.
    assert podman_sdk.__all__ == sorted(podman_sdk.__all__, key=lambda n: (not n.isupper(), n))
    assert len(set(podman_sdk.__all__)) == len(podman_sdk.__all__)


def test_all_imports_are_exported() -> None:
    # Names load on first use (PEP 562): what the module holds is the eager part plus
    # what was used; nothing public may be there that __all__ does not list.
    public = {name for name in vars(podman_sdk) if not name.startswith("_")}
    public -= {"annotations", "importlib", "TYPE_CHECKING"}
    # A domain subpackage (podman_sdk.images) is an attribute of the package once loaded.
    public -= {init.parent.name for init in PACKAGE.glob("*/__init__.py")}
    assert public <= set(podman_sdk.__all__)
    assert dir(podman_sdk) == sorted(podman_sdk.__all__)
    for name in podman_sdk.__all__:
        getattr(podman_sdk, name)  # every name loads
    with pytest.raises(AttributeError, match="NoSuchThing"):
        podman_sdk.NoSuchThing  # noqa: B018


def stub_exports() -> dict[str, str]:
    """name -> module, as a type checker reads __init__.pyi: every statement parsed."""
    exports = {}
    for node in ast.parse((PACKAGE / "__init__.pyi").read_text()).body:
        assert isinstance(node, ast.ImportFrom), ast.dump(node)
        assert node.module, ast.dump(node)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} is not re-exported as itself"
            exports[alias.name] = node.module
    return exports


def test_the_stub_is_the_one_table_of_exports() -> None:
    # What type checkers see (the stub) is what loads at run time, name for name: the
    # run-time reader's simple line split must not miss or invent a name.
    exports = stub_exports()
    assert exports == podman_sdk._EXPORTS
    assert sorted(name for name in exports if not name.startswith("_")) == sorted(EXPECTED_ALL)
    for name, module in exports.items():
        assert getattr(importlib.import_module(module), name) is getattr(podman_sdk, name)


def test_every_exported_name_is_importable_and_ours() -> None:
    namespace: dict[str, object] = {}
    exec("from podman_sdk import *", namespace)  # the star import a user would write
    for name in podman_sdk.__all__:
        assert not name.startswith("_")
        obj = namespace[name]
        assert obj is getattr(podman_sdk, name)
        if isinstance(obj, type) or inspect.isfunction(obj):  # type aliases have no home
            assert obj.__module__.startswith("podman_sdk."), name


def test_exceptions_share_one_root() -> None:
    for name in podman_sdk.__all__:
        obj = getattr(podman_sdk, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, podman_sdk.PodmanError), name


# -- no Any in public signatures -----------------------------------------------------

PUBLIC_CLASSES = [podman_sdk.PodmanClient, podman_sdk.ImagesManager, podman_sdk.Image]
PUBLIC_CLASSES += [podman_sdk.VolumesManager, podman_sdk.Volume]
PUBLIC_CLASSES += [podman_sdk.AsyncVolumesManager, podman_sdk.AsyncVolume]
PUBLIC_CLASSES += [podman_sdk.SecretsManager, podman_sdk.Secret]
PUBLIC_CLASSES += [podman_sdk.AsyncSecretsManager, podman_sdk.AsyncSecret]
PUBLIC_CLASSES += [podman_sdk.NetworksManager, podman_sdk.Network]
PUBLIC_CLASSES += [podman_sdk.AsyncNetworksManager, podman_sdk.AsyncNetwork]
PUBLIC_CLASSES += [podman_sdk.PodsManager, podman_sdk.Pod]
PUBLIC_CLASSES += [podman_sdk.AsyncPodsManager, podman_sdk.AsyncPod]
PUBLIC_CLASSES += [
    podman_sdk.AsyncPodmanClient,
    podman_sdk.AsyncImagesManager,
    podman_sdk.AsyncImage,
]
PUBLIC_CLASSES += [podman_sdk.ArtifactsManager, podman_sdk.Artifact]
PUBLIC_CLASSES += [podman_sdk.AsyncArtifactsManager, podman_sdk.AsyncArtifact]
PUBLIC_CLASSES += [podman_sdk.QuadletsManager, podman_sdk.Quadlet]
PUBLIC_CLASSES += [podman_sdk.AsyncQuadletsManager, podman_sdk.AsyncQuadlet]
PUBLIC_CLASSES += [podman_sdk.ContainersManager, podman_sdk.Container]
PUBLIC_CLASSES += [podman_sdk.AsyncContainersManager, podman_sdk.AsyncContainer]
# Every exported class whose signatures users read: what they return and take.
EXPORTED_CLASSES = [
    getattr(podman_sdk, name)
    for name in podman_sdk.__all__
    if isinstance(getattr(podman_sdk, name), type)
    and not issubclass(getattr(podman_sdk, name), BaseException)
    and not typing.is_typeddict(getattr(podman_sdk, name))
]

# Names the modules import only under TYPE_CHECKING, for get_type_hints: every public
# name (modules load each other lazily), and what the signatures take from elsewhere.
HINT_NAMESPACE: dict[str, object] = {
    **{name: getattr(podman_sdk, name) for name in podman_sdk.__all__},
    "ImageData": ImageData,
    "VolumeConfigResponse": VolumeConfigResponse,
    "ListQuadlet": ListQuadlet,
    "ArtifactInspectReport": ArtifactInspectReport,
    "Schema2ListPublic": Schema2ListPublic,
    "SecretInfoReport": SecretInfoReport,
    "NetworkInspectReport": NetworkInspectReport,
    "InspectPodData": InspectPodData,
    "PodmanClient": podman_sdk.PodmanClient,
    "ImagesManager": podman_sdk.ImagesManager,
    "Image": podman_sdk.Image,
    "InspectContainerData": InspectContainerData,
    "SpecGenerator": SpecGenerator,
    "Frame": Frame,
    "SyncSender": SyncSender,
    "AsyncSender": AsyncSender,
    "AsyncIterable": collections.abc.AsyncIterable,
    "Iterable": collections.abc.Iterable,
    "Iterator": collections.abc.Iterator,
    "IO": IO,
    "os": os,
    "Path": Path,
    "httpx": httpx,
}


def contains_any(hint: object) -> bool:
    if hint is Any:
        return True
    if typing.is_typeddict(hint):
        return any(contains_any(field) for field in typing.get_type_hints(hint).values())
    return any(contains_any(arg) for arg in typing.get_args(hint))


def is_unpacked_typeddict(annotation: object) -> bool:
    """``**options: Unpack[SomeOptions]``: keyword arguments typed one by one."""
    if isinstance(annotation, str):
        return annotation.startswith("Unpack[")
    return typing.get_origin(annotation) is typing.Unpack and all(
        typing.is_typeddict(arg) for arg in typing.get_args(annotation)
    )


def classes_in(hint: object) -> set[type]:
    """Every class a type hint names, through unions, generics and TypedDict fields."""
    found: set[type] = set()
    if typing.is_typeddict(hint):
        found.add(hint)  # type: ignore[arg-type]
        for field in typing.get_type_hints(hint).values():
            found |= classes_in(field)
        return found
    if isinstance(hint, type) and not typing.get_args(hint):
        found.add(hint)
    origin = typing.get_origin(hint)
    if isinstance(origin, type):
        found.add(origin)
    for arg in typing.get_args(hint):
        found |= classes_in(arg)
    return found


def private_classes(hint: object) -> list[str]:
    """The podman_sdk classes a hint names that users cannot import from podman_sdk."""
    return sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in classes_in(hint)
        if cls.__module__.startswith("podman_sdk")
        and getattr(podman_sdk, cls.__name__, None) is not cls
    )


def public_members(cls: type) -> list[tuple[str, object]]:
    members: list[tuple[str, object]] = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(member, property):
            members.append((name, member.fget))
        elif inspect.isfunction(member) or inspect.ismethod(member):
            members.append((name, member))
    return members


def hints_of(function: object) -> dict[str, object]:
    module = inspect.getmodule(function)
    namespace = {**vars(module), **HINT_NAMESPACE} if module else HINT_NAMESPACE
    return typing.get_type_hints(function, globalns=namespace)


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_public_signatures_have_no_any(cls: type) -> None:
    offenders = []
    for name, function in public_members(cls):
        for argument, hint in hints_of(function).items():
            if contains_any(hint):
                offenders.append(f"{cls.__name__}.{name}: {argument}: {hint}")
    assert offenders == []


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_every_public_method_is_annotated(cls: type) -> None:
    missing = []
    for name, function in public_members(cls):
        assert callable(function)
        signature = inspect.signature(function)
        if signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{name} -> ?")
        for parameter in signature.parameters.values():
            if parameter.name in ("self", "cls"):
                continue
            if parameter.annotation is inspect.Parameter.empty:
                missing.append(f"{name}({parameter.name})")
            if parameter.kind is inspect.Parameter.VAR_KEYWORD and not is_unpacked_typeddict(
                parameter.annotation
            ):
                missing.append(f"{name}(**{parameter.name})")
    assert missing == []


@pytest.mark.parametrize("cls", EXPORTED_CLASSES, ids=lambda cls: cls.__name__)
def test_no_private_type_in_a_public_signature(cls: type) -> None:
    offenders = []
    for name, function in public_members(cls):
        for argument, hint in hints_of(function).items():
            offenders += [f"{cls.__name__}.{name}: {argument}: {p}" for p in private_classes(hint)]
    assert offenders == []


def test_the_private_type_detector_detects() -> None:
    assert private_classes(Connection | None) == ["podman_sdk._core._connection.Connection"]
    assert private_classes(list[dict[str, Connection]]) != []
    assert private_classes(podman_sdk.Image | list[podman_sdk.ImageAttrs]) == []


def test_documented_attrs_dicts_are_typed_dicts_without_any() -> None:
    for name in ("ImageAttrs", "HistoryEntry", "RemoveReportEntry", "PruneReport", "VersionInfo"):
        typed = getattr(podman_sdk, name)
        assert typing.is_typeddict(typed), name
        assert not contains_any(typed), name


def test_the_any_detector_detects() -> None:
    # The tests above pass vacuously if contains_any never fires.
    assert contains_any(dict[str, Any])
    assert contains_any(list[Any] | None)
    assert contains_any(typing.Mapping[str, list[Any]])
    assert not contains_any(dict[str, object])
    assert not contains_any(types.NoneType)

    class WithAny(typing.TypedDict):
        x: Any

    assert contains_any(WithAny)


SAMPLE_PROGRAM = Path(__file__).parents[1] / "typing" / "sample_program.py"
ASYNC_SAMPLE_PROGRAM = SAMPLE_PROGRAM.with_name("async_sample_program.py")
CONTAINERS_PROGRAM = SAMPLE_PROGRAM.with_name("containers_program.py")


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_the_typed_sample_program_uses_every_public_member(cls: type) -> None:
    """tests/typing/sample_program.py is mypy's proof of the public types; a member it
    never touches is a member whose types nobody checks."""
    is_async = cls.__name__.startswith("Async")
    source = (ASYNC_SAMPLE_PROGRAM if is_async else SAMPLE_PROGRAM).read_text()
    source += CONTAINERS_PROGRAM.read_text()
    names = {name for name, _ in public_members(cls) if name != "__init__"}
    instance_attributes = {
        "PodmanClient": {"base_url", "discovery"},
        "ImagesManager": set(),
        "Image": {"attrs"},
        "ContainersManager": set(),
        "Container": {"attrs"},
        "VolumesManager": set(),
        "Volume": {"attrs"},
        "SecretsManager": set(),
        "Secret": {"attrs"},
        "NetworksManager": set(),
        "Network": {"attrs"},
        "PodsManager": set(),
        "Pod": {"attrs"},
        "QuadletsManager": set(),
        "Quadlet": {"attrs"},
        "ArtifactsManager": set(),
        "Artifact": {"attrs"},
    }[cls.__name__.removeprefix("Async")]
    unused = sorted(name for name in names | instance_attributes if f".{name}" not in source)
    assert unused == []
