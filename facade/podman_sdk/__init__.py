"""podman-sdk: a strongly typed Python SDK for Podman's REST API.

from podman_sdk import PodmanClient

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Which Podman release's API spec the generated client (PodmanClient.api) follows;
# __version__ is the SDK's own release.
from libpod_client import PODMAN_RELEASE, SPEC_SHA256

from podman_sdk._api_version import (
    UnsupportedServer,
)
from podman_sdk._client import (
    PodmanClient,
    VersionInfo,
)
from podman_sdk._errors import (
    APIError,
    BadRequest,
    BuildError,
    Conflict,
    ContainerError,
    ImageNotFound,
    InvalidArgument,
    MalformedAnswerError,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
    StreamError,
)
from podman_sdk._local_errors import (
    LocalFileError,
)
from podman_sdk._version import __version__ as __version__

# Everything else loads on first use (PEP 562), as libpod_client.models does: a
# program that lists images should not pay for builds, archives and registries.
if TYPE_CHECKING:
    from podman_sdk._archive import (
        ProgressCallback,
        SavedArchive,
        SaveStream,
    )
    from podman_sdk._async_archive import (
        AsyncLoadSource,
        AsyncSaveStream,
    )
    from podman_sdk._async_client import (
        AsyncPodmanClient,
    )
    from podman_sdk._async_image import (
        AsyncImage,
    )
    from podman_sdk._async_images import (
        AsyncImagesManager,
    )
    from podman_sdk._async_progress import (
        AsyncBuildStream,
        AsyncProgressStream,
        AsyncPullStream,
        AsyncPushStream,
    )
    from podman_sdk._connection import (
        EventHooks,
    )
    from podman_sdk._discovery import (
        DiscoveryResult,
    )
    from podman_sdk._filters import (
        Filters,
    )
    from podman_sdk._image import (
        Image,
    )
    from podman_sdk._image_types import (
        HistoryEntry,
        ImageAttrs,
        PruneDeleted,
        PruneError,
        PruneReport,
        RemoveReportEntry,
    )
    from podman_sdk._images import (
        ImagesManager,
    )
    from podman_sdk._load import (
        LoadSource,
    )
    from podman_sdk._progress import (
        BuildLogLine,
        BuildStream,
        LayerProgress,
        ProgressDetail,
        ProgressStream,
        PullProgress,
        PullStream,
        PushProgress,
        PushResult,
        PushStream,
    )
    from podman_sdk._reference import (
        ImageReference,
    )
    from podman_sdk._registry_data import (
        AsyncRegistryData,
        Descriptor,
        Platform,
        RegistryData,
        RegistryDataAttrs,
    )
    from podman_sdk._registry_requests import (
        SearchResult,
    )
    from podman_sdk._transfer_errors import PullError, PullNotFound, PushError, PushNotFound
    from podman_sdk._verb_options import (
        BuildOptions,
        PullOptions,
        PushOptions,
    )
    from podman_sdk.containers import (
        ArchiveStat,
        AsyncContainer,
        AsyncContainersManager,
        AsyncOutputStream,
        ChangeEntry,
        Container,
        ContainerAttrs,
        ContainerConfigAttrs,
        ContainersManager,
        ContainersPruneReport,
        ContainerStateAttrs,
        CreateKeywords,
        ExecResult,
        OutputStream,
        RunKeywords,
        TopAnswer,
        UpdateKeywords,
    )

_LAZY = {
    "ArchiveStat": "podman_sdk.containers",
    "AsyncBuildStream": "podman_sdk._async_progress",
    "AsyncContainer": "podman_sdk.containers",
    "AsyncContainersManager": "podman_sdk.containers",
    "AsyncImage": "podman_sdk._async_image",
    "AsyncImagesManager": "podman_sdk._async_images",
    "AsyncLoadSource": "podman_sdk._async_archive",
    "AsyncOutputStream": "podman_sdk.containers",
    "AsyncPodmanClient": "podman_sdk._async_client",
    "AsyncProgressStream": "podman_sdk._async_progress",
    "AsyncPullStream": "podman_sdk._async_progress",
    "AsyncPushStream": "podman_sdk._async_progress",
    "AsyncRegistryData": "podman_sdk._registry_data",
    "AsyncSaveStream": "podman_sdk._async_archive",
    "BuildLogLine": "podman_sdk._progress",
    "BuildOptions": "podman_sdk._verb_options",
    "BuildStream": "podman_sdk._progress",
    "ChangeEntry": "podman_sdk.containers",
    "Container": "podman_sdk.containers",
    "ContainerAttrs": "podman_sdk.containers",
    "ContainerConfigAttrs": "podman_sdk.containers",
    "ContainerStateAttrs": "podman_sdk.containers",
    "ContainersManager": "podman_sdk.containers",
    "ContainersPruneReport": "podman_sdk.containers",
    "CreateKeywords": "podman_sdk.containers",
    "Descriptor": "podman_sdk._registry_data",
    "DiscoveryResult": "podman_sdk._discovery",
    "EventHooks": "podman_sdk._connection",
    "ExecResult": "podman_sdk.containers",
    "Filters": "podman_sdk._filters",
    "HistoryEntry": "podman_sdk._image_types",
    "Image": "podman_sdk._image",
    "ImageAttrs": "podman_sdk._image_types",
    "ImageReference": "podman_sdk._reference",
    "ImagesManager": "podman_sdk._images",
    "LayerProgress": "podman_sdk._progress",
    "LoadSource": "podman_sdk._load",
    "OutputStream": "podman_sdk.containers",
    "Platform": "podman_sdk._registry_data",
    "ProgressCallback": "podman_sdk._archive",
    "ProgressDetail": "podman_sdk._progress",
    "ProgressStream": "podman_sdk._progress",
    "PruneDeleted": "podman_sdk._image_types",
    "PruneError": "podman_sdk._image_types",
    "PruneReport": "podman_sdk._image_types",
    "PullError": "podman_sdk._transfer_errors",
    "PullNotFound": "podman_sdk._transfer_errors",
    "PullOptions": "podman_sdk._verb_options",
    "PullProgress": "podman_sdk._progress",
    "PullStream": "podman_sdk._progress",
    "PushError": "podman_sdk._transfer_errors",
    "PushNotFound": "podman_sdk._transfer_errors",
    "PushOptions": "podman_sdk._verb_options",
    "PushProgress": "podman_sdk._progress",
    "PushResult": "podman_sdk._progress",
    "PushStream": "podman_sdk._progress",
    "RegistryData": "podman_sdk._registry_data",
    "RegistryDataAttrs": "podman_sdk._registry_data",
    "RemoveReportEntry": "podman_sdk._image_types",
    "RunKeywords": "podman_sdk.containers",
    "SaveStream": "podman_sdk._archive",
    "SavedArchive": "podman_sdk._archive",
    "SearchResult": "podman_sdk._registry_requests",
    "TopAnswer": "podman_sdk.containers",
    "UpdateKeywords": "podman_sdk.containers",
}

__all__ = [
    "PODMAN_RELEASE",
    "SPEC_SHA256",
    "APIError",
    "ArchiveStat",
    "AsyncBuildStream",
    "AsyncContainer",
    "AsyncContainersManager",
    "AsyncImage",
    "AsyncImagesManager",
    "AsyncLoadSource",
    "AsyncOutputStream",
    "AsyncPodmanClient",
    "AsyncProgressStream",
    "AsyncPullStream",
    "AsyncPushStream",
    "AsyncRegistryData",
    "AsyncSaveStream",
    "BadRequest",
    "BuildError",
    "BuildLogLine",
    "BuildOptions",
    "BuildStream",
    "ChangeEntry",
    "Conflict",
    "Container",
    "ContainerAttrs",
    "ContainerConfigAttrs",
    "ContainerError",
    "ContainerStateAttrs",
    "ContainersManager",
    "ContainersPruneReport",
    "CreateKeywords",
    "Descriptor",
    "DiscoveryResult",
    "EventHooks",
    "ExecResult",
    "Filters",
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
    "MalformedAnswerError",
    "NotFound",
    "OutputStream",
    "Platform",
    "PodmanClient",
    "PodmanConnectionError",
    "PodmanError",
    "PodmanTimeoutError",
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
    "RegistryData",
    "RegistryDataAttrs",
    "RemoveReportEntry",
    "RunKeywords",
    "SaveStream",
    "SavedArchive",
    "SearchResult",
    "ServerError",
    "StreamError",
    "TopAnswer",
    "UnsupportedServer",
    "UpdateKeywords",
    "VersionInfo",
]


# Only at run time: a type checker that saw a module __getattr__ would accept any name
# (`from podman_sdk import PodmanClinet`); under TYPE_CHECKING the imports above are real.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'podman_sdk' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
