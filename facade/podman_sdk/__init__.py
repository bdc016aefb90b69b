"""podman-sdk: a strongly typed Python SDK for Podman's REST API.

from podman_sdk import PodmanClient

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

from podman_sdk._api_version import UnsupportedServer
from podman_sdk._archive import SavedArchive, SaveStream
from podman_sdk._client import PodmanClient, VersionInfo
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
from podman_sdk._image import Image
from podman_sdk._image_types import (
    HistoryEntry,
    ImageAttrs,
    PruneDeleted,
    PruneReport,
    RemoveReportEntry,
)
from podman_sdk._images import ImagesManager, PruneError
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
    RegistryData,
    RegistryDataAttrs,
)
from podman_sdk._registry_requests import (
    SearchResult,
)

__all__ = [
    "APIError",
    "BadRequest",
    "BuildError",
    "BuildLogLine",
    "BuildStream",
    "Conflict",
    "HistoryEntry",
    "Image",
    "ImageAttrs",
    "ImageNotFound",
    "ImageReference",
    "ImagesManager",
    "InvalidArgument",
    "NotFound",
    "PodmanClient",
    "PodmanConnectionError",
    "PodmanError",
    "PodmanTimeoutError",
    "ProgressDetail",
    "ProgressStream",
    "PruneDeleted",
    "PruneError",
    "PruneReport",
    "PullError",
    "PullNotFound",
    "PullProgress",
    "PullStream",
    "PushError",
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
