"""The live-test harness: real Podman services and registries, started per session.

- :mod:`tests.harness.podman_service`: an isolated ``podman system service`` (Podman 4
  on the host); :class:`PodmanService` is what tests receive.
- :mod:`tests.harness.podman5_chroot`: the same inside a Debian 13 chroot (Podman 5).
- :mod:`tests.harness.podman6_build`: the same from the cached Podman 6 build.
- :mod:`tests.harness.containers`: a runnable busybox image and the container settings
  that let it start on this kind of host.
- :mod:`tests.harness.registry`: ``docker-registry`` instances; :class:`Registry`.
- :mod:`tests.harness.images`: build test images offline, push them, remove them.
- :mod:`tests.harness.mounts`: find and undo mounts before deleting a directory.
- :mod:`tests.harness.archives`: large test images in seconds (a docker-archive, loaded).
- :mod:`tests.harness.faults`: services and registries to kill or pause, closing a
  client from another thread, and the leak checks fault tests make.

Helpers for unit and live tests alike (not imported here):

- :mod:`tests.harness.both_clients`: one test body for PodmanClient and AsyncPodmanClient.
- :mod:`tests.harness.click_runner`: click's CliRunner with stdout and stderr apart.
- :mod:`tests.harness.podman_grammar`: Podman's reference parsing, from its Go code.
- :mod:`tests.harness.reference_strings`, :mod:`tests.harness.random_strings`: generated
  image references and random text for the differential and property tests.
- :mod:`tests.harness.secret_search`: searching what the SDK hands out for a secret.

The fixtures themselves are in ``tests/conftest.py``.
"""

from tests.harness.containers import (
    RUNNABLE_SETTINGS,
    build_busybox_image,
    busybox_image,
    demux_logs,
    remove_container,
)
from tests.harness.images import (
    ImageFactory,
    ProgressError,
    build_test_image,
    image_exists,
    image_id,
    iter_json_values,
    pull_image,
    push_image,
    registry_auth_header,
    remove_image,
)
from tests.harness.podman_service import LIBPOD, PodmanService, ServiceStartError, uds_client
from tests.harness.registry import Registry, RegistryStartError

__all__ = [
    "LIBPOD",
    "RUNNABLE_SETTINGS",
    "ImageFactory",
    "PodmanService",
    "ProgressError",
    "Registry",
    "RegistryStartError",
    "ServiceStartError",
    "build_busybox_image",
    "build_test_image",
    "busybox_image",
    "demux_logs",
    "image_exists",
    "image_id",
    "iter_json_values",
    "pull_image",
    "push_image",
    "registry_auth_header",
    "remove_container",
    "remove_image",
    "uds_client",
]
