"""podman-sdk: a strongly typed Python SDK for Podman's REST API.

from podman_sdk import PodmanClient

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

from podman_sdk._api_version import UnsupportedServer
from podman_sdk._archive import ProgressCallback, SavedArchive, SaveStream
from podman_sdk._client import PodmanClient, VersionInfo
from podman_sdk._connection import EventHooks
from podman_sdk._discovery import DiscoveryResult
from podman_sdk._errors import (
    APIError,
    BadRequest,
    BuildError,
    Conflict,
    ImageNotFound,
    InvalidArgument,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
    StreamError,
)
from podman_sdk._filters import Filters
from podman_sdk._image import Image
from podman_sdk._image_types import (
    HistoryEntry,
    ImageAttrs,
    PruneDeleted,
    PruneError,
    PruneReport,
    RemoveReportEntry,
)
from podman_sdk._images import ImagesManager
from podman_sdk._load import LoadSource
from podman_sdk._progress import (
    BuildLogLine,
    BuildStream,
    ProgressDetail,
    ProgressStream,
    PullError,
    PullNotFound,
    PullProgress,
    PullStream,
    PushError,
    PushProgress,
    PushResult,
    PushStream,
)
from podman_sdk._reference import ImageReference
from podman_sdk._registry_data import (
    Descriptor,
    Platform,
    RegistryData,
    RegistryDataAttrs,
)
from podman_sdk._registry_requests import (
    SearchResult,
)
from podman_sdk._verb_options import BuildOptions, PullOptions, PushOptions

__all__ = [
    "APIError",
    "BadRequest",
    "BuildError",
    "BuildLogLine",
    "BuildOptions",
    "BuildStream",
    "Conflict",
    "Descriptor",
    "DiscoveryResult",
    "EventHooks",
    "Filters",
    "HistoryEntry",
    "Image",
    "ImageAttrs",
    "ImageNotFound",
    "ImageReference",
    "ImagesManager",
    "InvalidArgument",
    "LoadSource",
    "NotFound",
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
    "PushOptions",
    "PushProgress",
    "PushResult",
    "PushStream",
    "RegistryData",
    "RegistryDataAttrs",
    "RemoveReportEntry",
    "SaveStream",
    "SavedArchive",
    "SearchResult",
    "ServerError",
    "StreamError",
    "UnsupportedServer",
    "VersionInfo",
]
