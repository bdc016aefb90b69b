# The table of podman_sdk's public names: each is imported here from the private module
# that defines it, and only here. Type checkers read this stub, so they see every real
# name and nothing else. At run time __init__.py reads the same lines and loads a name
# from its module when it is first used (PEP 562): `import podman_sdk` stays cheap, and
# a program that lists images never pays for builds, archives or registries.
#
# Adding a public name: one line `from <module> import <Name> as <Name>`, then the pinned
# list in tests/unit/test_exported_members.py.

from libpod_client import PODMAN_RELEASE as PODMAN_RELEASE
from libpod_client import SPEC_SHA256 as SPEC_SHA256

from podman_sdk._client import AsyncPodmanClient as AsyncPodmanClient
from podman_sdk._client import PodmanClient as PodmanClient
from podman_sdk._client import VersionInfo as VersionInfo
from podman_sdk._core._connection import EventHooks as EventHooks
from podman_sdk._core._discovery import DiscoveryResult as DiscoveryResult
from podman_sdk._core._filters import Filters as Filters
from podman_sdk._exceptions import APIError as APIError
from podman_sdk._exceptions import BadRequest as BadRequest
from podman_sdk._exceptions import BuildError as BuildError
from podman_sdk._exceptions import Conflict as Conflict
from podman_sdk._exceptions import ImageNotFound as ImageNotFound
from podman_sdk._exceptions import InvalidArgument as InvalidArgument
from podman_sdk._exceptions import LocalFileError as LocalFileError
from podman_sdk._exceptions import MalformedAnswerError as MalformedAnswerError
from podman_sdk._exceptions import NotFound as NotFound
from podman_sdk._exceptions import PodmanConnectionError as PodmanConnectionError
from podman_sdk._exceptions import PodmanError as PodmanError
from podman_sdk._exceptions import PodmanTimeoutError as PodmanTimeoutError
from podman_sdk._exceptions import PruneDeleted as PruneDeleted
from podman_sdk._exceptions import PruneError as PruneError
from podman_sdk._exceptions import PruneReport as PruneReport
from podman_sdk._exceptions import PullError as PullError
from podman_sdk._exceptions import PullNotFound as PullNotFound
from podman_sdk._exceptions import PushError as PushError
from podman_sdk._exceptions import PushNotFound as PushNotFound
from podman_sdk._exceptions import ServerError as ServerError
from podman_sdk._exceptions import StreamError as StreamError
from podman_sdk._exceptions import UnsupportedServer as UnsupportedServer
from podman_sdk._version import __version__ as __version__
from podman_sdk.images._archive import AsyncSaveStream as AsyncSaveStream
from podman_sdk.images._archive import ProgressCallback as ProgressCallback
from podman_sdk.images._archive import SavedArchive as SavedArchive
from podman_sdk.images._archive import SaveStream as SaveStream
from podman_sdk.images._image import AsyncImage as AsyncImage
from podman_sdk.images._image import Image as Image
from podman_sdk.images._load import AsyncLoadSource as AsyncLoadSource
from podman_sdk.images._load import LoadSource as LoadSource
from podman_sdk.images._manager import AsyncImagesManager as AsyncImagesManager
from podman_sdk.images._manager import ImagesManager as ImagesManager
from podman_sdk.images._options import BuildOptions as BuildOptions
from podman_sdk.images._options import PullOptions as PullOptions
from podman_sdk.images._options import PushOptions as PushOptions
from podman_sdk.images._progress import AsyncBuildStream as AsyncBuildStream
from podman_sdk.images._progress import AsyncProgressStream as AsyncProgressStream
from podman_sdk.images._progress import AsyncPullStream as AsyncPullStream
from podman_sdk.images._progress import AsyncPushStream as AsyncPushStream
from podman_sdk.images._progress import BuildLogLine as BuildLogLine
from podman_sdk.images._progress import BuildStream as BuildStream
from podman_sdk.images._progress import LayerProgress as LayerProgress
from podman_sdk.images._progress import ProgressDetail as ProgressDetail
from podman_sdk.images._progress import ProgressStream as ProgressStream
from podman_sdk.images._progress import PullProgress as PullProgress
from podman_sdk.images._progress import PullStream as PullStream
from podman_sdk.images._progress import PushProgress as PushProgress
from podman_sdk.images._progress import PushResult as PushResult
from podman_sdk.images._progress import PushStream as PushStream
from podman_sdk.images._reference import ImageReference as ImageReference
from podman_sdk.images._registry_data import AsyncRegistryData as AsyncRegistryData
from podman_sdk.images._registry_data import Descriptor as Descriptor
from podman_sdk.images._registry_data import Platform as Platform
from podman_sdk.images._registry_data import RegistryData as RegistryData
from podman_sdk.images._registry_data import RegistryDataAttrs as RegistryDataAttrs
from podman_sdk.images._registry_requests import SearchResult as SearchResult
from podman_sdk.images._types import HistoryEntry as HistoryEntry
from podman_sdk.images._types import ImageAttrs as ImageAttrs
from podman_sdk.images._types import RemoveReportEntry as RemoveReportEntry
from podman_sdk.secrets._manager import AsyncSecretsManager as AsyncSecretsManager
from podman_sdk.secrets._manager import SecretsManager as SecretsManager
from podman_sdk.secrets._secret import AsyncSecret as AsyncSecret
from podman_sdk.secrets._secret import Secret as Secret
from podman_sdk.secrets._types import SecretAttrs as SecretAttrs
from podman_sdk.secrets._types import SecretDriverAttrs as SecretDriverAttrs
from podman_sdk.secrets._types import SecretSpecAttrs as SecretSpecAttrs
from podman_sdk.volumes._manager import AsyncVolumesManager as AsyncVolumesManager
from podman_sdk.volumes._manager import VolumesManager as VolumesManager
from podman_sdk.volumes._types import VolumeAttrs as VolumeAttrs
from podman_sdk.volumes._types import VolumePruneReport as VolumePruneReport
from podman_sdk.volumes._volume import AsyncVolume as AsyncVolume
from podman_sdk.volumes._volume import Volume as Volume
