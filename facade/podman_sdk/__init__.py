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
from podman_sdk._reference import ImageReference

__all__ = [
    "APIError",
    "BadRequest",
    "BuildError",
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
    "PruneDeleted",
    "PruneError",
    "PruneReport",
    "RemoveReportEntry",
    "SaveStream",
    "SavedArchive",
    "ServerError",
    "StreamError",
    "UnsupportedServer",
    "VersionInfo",
]
