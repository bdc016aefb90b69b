"""How to call each generated operation live: its arguments, from a few shared objects.

:data:`CALLS` maps an operation (``package.module`` under ``libpod_client.api``) to a
:class:`Call`: a function that sends it with ``sync_detailed`` on a :class:`Live` and
returns the response, and for a module with ``stream()`` a function that opens that
stream. The calls run in the order written here, which is also the teardown order: reads
first, then what changes a shared object, then what removes it, and the prunes last (on
the test service only; its storage is its own). An operation that is not here needs a
reason in ``reasons.toml``.
"""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libpod_client import Client
from libpod_client.api.artifacts import (
    artifact_add_libpod,
    artifact_delete_all_libpod,
    artifact_delete_libpod,
    artifact_extract_libpod,
    artifact_inspect_libpod,
    artifact_list_libpod,
    artifact_local_libpod,
    artifact_pull_libpod,
    artifact_push_libpod,
)
from libpod_client.api.containers import (
    container_attach_libpod,
    container_changes_libpod,
    container_create_libpod,
    container_delete_libpod,
    container_exists_libpod,
    container_export_libpod,
    container_healthcheck_libpod,
    container_init_libpod,
    container_inspect_libpod,
    container_kill_libpod,
    container_list_libpod,
    container_logs_libpod,
    container_mount_libpod,
    container_pause_libpod,
    container_prune_libpod,
    container_rename_libpod,
    container_resize_libpod,
    container_restart_libpod,
    container_show_mounted_libpod,
    container_start_libpod,
    container_stats_libpod,
    container_stop_libpod,
    container_top_libpod,
    container_unmount_libpod,
    container_unpause_libpod,
    container_update_libpod,
    container_wait_libpod,
    containers_stats_all_libpod,
    generate_kube_libpod,
    generate_systemd_libpod,
    image_commit_libpod,
    play_kube_down_libpod,
    play_kube_libpod,
    put_container_archive_libpod,
)
from libpod_client.api.containers_compat import (
    container_archive,
    container_archive_libpod,
    container_attach,
    container_create,
    container_delete,
    container_export,
    container_inspect,
    container_kill,
    container_list,
    container_logs,
    container_pause,
    container_prune,
    container_rename,
    container_resize,
    container_restart,
    container_start,
    container_stats,
    container_stop,
    container_top,
    container_unpause,
    container_update,
    container_wait,
    image_commit,
    put_container_archive,
)
from libpod_client.api.exec_ import (
    container_exec_libpod,
    exec_inspect_libpod,
    exec_resize_libpod,
    exec_start_libpod,
)
from libpod_client.api.exec_compat import (
    container_exec,
    exec_inspect,
    exec_resize,
    exec_start,
)
from libpod_client.api.images import (
    image_build_libpod,
    image_changes_libpod,
    image_delete_all_libpod,
    image_delete_libpod,
    image_exists_libpod,
    image_export_libpod,
    image_get_libpod,
    image_history_libpod,
    image_import_libpod,
    image_inspect_libpod,
    image_list_libpod,
    image_load_libpod,
    image_prune_libpod,
    image_pull_libpod,
    image_push_libpod,
    image_resolve_libpod,
    image_search_libpod,
    image_tag_libpod,
    image_tree_libpod,
    image_untag_libpod,
    local_build_libpod,
    local_images_libpod,
)
from libpod_client.api.images_compat import (
    image_build,
    image_create,
    image_delete,
    image_get,
    image_get_all,
    image_history,
    image_inspect,
    image_list,
    image_load,
    image_prune,
    image_push,
    image_search,
    image_tag,
)
from libpod_client.api.manifests import (
    manifest_add_libpod,
    manifest_create_libpod,
    manifest_delete_libpod,
    manifest_exists_libpod,
    manifest_inspect_libpod,
    manifest_modify_libpod,
    manifest_push_libpod,
    manifest_push_v3_libpod,
)
from libpod_client.api.networks import (
    network_connect_libpod,
    network_create_libpod,
    network_delete_libpod,
    network_disconnect_libpod,
    network_exists_libpod,
    network_inspect_libpod,
    network_list_libpod,
    network_prune_libpod,
    network_update_libpod,
)
from libpod_client.api.networks_compat import (
    network_connect,
    network_create,
    network_delete,
    network_disconnect,
    network_inspect,
    network_list,
    network_prune,
)
from libpod_client.api.pods import (
    pod_create_libpod,
    pod_delete_libpod,
    pod_exists_libpod,
    pod_inspect_libpod,
    pod_kill_libpod,
    pod_list_libpod,
    pod_pause_libpod,
    pod_prune_libpod,
    pod_restart_libpod,
    pod_start_libpod,
    pod_stats_all_libpod,
    pod_stop_libpod,
    pod_top_libpod,
    pod_unpause_libpod,
)
from libpod_client.api.quadlets import (
    quadlet_list_libpod,
)
from libpod_client.api.secrets import (
    secret_create_libpod,
    secret_delete_libpod,
    secret_exists_libpod,
    secret_inspect_libpod,
    secret_list_libpod,
)
from libpod_client.api.secrets_compat import (
    secret_create,
    secret_delete,
    secret_inspect,
    secret_list,
)
from libpod_client.api.system import (
    system_check_libpod,
    system_data_usage_libpod,
    system_events_libpod,
    system_info_libpod,
    system_prune_libpod,
    system_version_libpod,
)
from libpod_client.api.system_compat import (
    system_auth,
    system_data_usage,
    system_events,
    system_info,
    system_ping,
    system_version,
)
from libpod_client.api.volumes import (
    volume_create_libpod,
    volume_delete_libpod,
    volume_exists_libpod,
    volume_export_libpod,
    volume_import_libpod,
    volume_inspect_libpod,
    volume_list_libpod,
    volume_prune_libpod,
)
from libpod_client.api.volumes_compat import (
    volume_create,
    volume_delete,
    volume_inspect,
    volume_list,
    volume_prune,
)
from libpod_client.models import (
    AuthConfig,
    ContainerExecBody,
    ContainerExecLibpodBody,
    ContainerUpdateRequest,
    CreateContainerConfig,
    ExecStartBody,
    ExecStartLibpodBody,
    ManifestAddOptions,
    ManifestModifyOptions,
    NetworkConnectRequest,
    NetworkConnectRequestLibpod,
    NetworkCreate,
    NetworkCreateLibpod,
    NetworkDisconnectRequest,
    NetworkUpdateRequestLibpod,
    PodSpecGenerator,
    SecretCreate,
    SpecGenerator,
    UpdateEntities,
    VolumeCreate,
    VolumeCreateOptions,
)
from libpod_client.types import File, Response

from tests.harness import RUNNABLE_SETTINGS, PodmanService, Registry

Send = Callable[["Live"], Response[Any]]
OpenStream = Callable[["Live"], AbstractContextManager[Iterator[Any]]]


@dataclass
class Live:
    """The shared objects of one pass on one service, and what earlier calls made."""

    api: Client
    service: PodmanService
    registry: Registry
    image: str  # a runnable busybox image's tag, built before the pass
    context_url: str  # the busybox build context as a tar, served over HTTP
    context_dir: Path  # the same context unpacked, for /libpod/local/build
    archive_path: Path  # a docker-archive of ``image``, for /libpod/local/images/load
    tag: str  # a short unique word for this pass's object names
    made: dict[str, str] = field(default_factory=dict)  # ids earlier calls returned
    saved: bytes = b""  # the image archive image_get_libpod answered

    def name(self, kind: str) -> str:
        return f"everyop-{kind}-{self.tag}"

    @property
    def artifact(self) -> str:
        return f"{self.registry.host}/everyop/artifact:{self.tag}"

    @property
    def pushed(self) -> str:
        return f"{self.registry.host}/everyop/busybox:{self.tag}"


@dataclass(frozen=True)
class Call:
    send: Send
    stream: OpenStream | None = None


def tar_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def upload(data: bytes, name: str = "upload.tar") -> File:
    return File(payload=io.BytesIO(data), file_name=name, mime_type="application/x-tar")


def spec(live: Live, name: str, **extra: Any) -> SpecGenerator:
    return SpecGenerator.from_dict(
        {"name": name, "image": live.image, "stop_signal": 9, **RUNNABLE_SETTINGS, **extra}
    )


def sleeper(live: Live, name: str, **extra: Any) -> SpecGenerator:
    return spec(live, name, command=["/bin/busybox", "sleep", "600"], **extra)


def started(live: Live, kind: str, **extra: Any) -> str:
    """A running sleeper of its own (for kill, stop and the like); its name."""
    name = live.name(kind)
    container_create_libpod.sync(client=live.api, body=sleeper(live, name, **extra))
    container_start_libpod.sync(name, client=live.api)
    return name


def now() -> str:
    return str(int(time.time()))


# The running container most calls act on: a tty (for resize) with a healthcheck.
RUNNER_EXTRA: dict[str, Any] = {
    "terminal": True,
    "healthconfig": {
        "Test": ["CMD", "/bin/busybox", "true"],
        "Interval": 0,
        "Timeout": 30_000_000_000,
    },
}

KUBE_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: sleeper
    image: {image}
    command: ["/bin/busybox", "sleep", "600"]
"""


def pod_body(live: Live) -> PodSpecGenerator:
    return PodSpecGenerator.from_dict({"name": live.name("pod"), "no_infra": True})


def exec_session(live: Live, key: str, command: list[str], *, tty: bool = False) -> str:
    body = ContainerExecLibpodBody(cmd=command, attach_stdout=True, attach_stderr=True, tty=tty)
    made = container_exec_libpod.sync(live.name("runner"), client=live.api, body=body)
    live.made[key] = made.id
    return made.id


def start_sync(live: Live) -> Response[Any]:
    session = exec_session(live, "exec", ["/bin/busybox", "echo", "hi"])
    return exec_start_libpod.sync_detailed(
        session, client=live.api, body=ExecStartLibpodBody(detach=False)
    )


def start_stream(live: Live) -> AbstractContextManager[Iterator[Any]]:
    session = exec_session(live, "exec-stream", ["/bin/busybox", "echo", "hi"])
    return exec_start_libpod.stream(
        session, client=live.api, body=ExecStartLibpodBody(detach=False)
    )


def resize_exec(live: Live) -> Response[Any]:
    session = exec_session(live, "exec-tty", ["/bin/busybox", "sleep", "30"], tty=True)
    exec_start_libpod.sync(
        session, client=live.api, body=ExecStartLibpodBody(detach=True, tty=True)
    )
    return exec_resize_libpod.sync_detailed(session, client=live.api, h=24, w=80)


def compat_exec(live: Live, key: str, *, tty: bool = False) -> str:
    command = ["/bin/busybox", "sleep", "30"] if tty else ["/bin/busybox", "echo", "hi"]
    body = ContainerExecBody(cmd=command, attach_stdout=True, attach_stderr=True, tty=tty)
    made = container_exec.sync(live.name("runner"), client=live.api, body=body)
    live.made[key] = made.id
    return made.id


def compat_resize_exec(live: Live) -> Response[Any]:
    session = compat_exec(live, "compat-exec-tty", tty=True)
    exec_start.sync(session, client=live.api, body=ExecStartBody(detach=True, tty=True))
    return exec_resize.sync_detailed(session, client=live.api, h=24, w=80)


def create_container_compat(live: Live) -> Response[Any]:
    body = CreateContainerConfig.from_dict({"Image": live.image, "Cmd": ["/bin/busybox", "true"]})
    return container_create.sync_detailed(client=live.api, body=body, name=live.name("compat"))


def compat_tls(live: Live) -> dict[str, bool]:
    """Compat push's tlsVerify=false, on the releases that read it: 4.3.1's compat push
    reads none (the SDK refuses it before sending), and pushes to the local registry
    because the service's registries.conf marks it insecure."""
    return {} if live.service.name == "podman4" else {"tls_verify": False}


def secret_file() -> File:
    return File(payload=io.BytesIO(b"s3cret"), file_name="secret", mime_type="text/plain")


def artifact_file() -> File:
    return File(payload=io.BytesIO(b"artifact data\n"), file_name="a.txt", mime_type="text/plain")


def load_saved(live: Live) -> Response[Any]:
    return image_load_libpod.sync_detailed(client=live.api, body=upload(live.saved))


def save(live: Live) -> Response[Any]:
    response = image_get_libpod.sync_detailed(live.image, client=live.api)
    live.saved = response.content
    return response


ROOTFS = tar_of({"hello.txt": b"hello\n"})

CALLS: dict[str, Call] = {
    # -- system, read only ---------------------------------------------------------
    "system_compat.system_ping": Call(lambda live: system_ping.sync_detailed(client=live.api)),
    "system.system_version_libpod": Call(
        lambda live: system_version_libpod.sync_detailed(client=live.api)
    ),
    "system.system_info_libpod": Call(
        lambda live: system_info_libpod.sync_detailed(client=live.api)
    ),
    "system.system_data_usage_libpod": Call(
        lambda live: system_data_usage_libpod.sync_detailed(client=live.api)
    ),
    "system.system_check_libpod": Call(
        lambda live: system_check_libpod.sync_detailed(client=live.api, quick=True)
    ),
    "system_compat.system_version": Call(
        lambda live: system_version.sync_detailed(client=live.api)
    ),
    "system_compat.system_info": Call(lambda live: system_info.sync_detailed(client=live.api)),
    "system_compat.system_data_usage": Call(
        lambda live: system_data_usage.sync_detailed(client=live.api)
    ),
    "system_compat.system_auth": Call(
        lambda live: system_auth.sync_detailed(
            client=live.api,
            body=AuthConfig(
                serveraddress=live.registry.host, username="everyop", password="everyop"
            ),
        )
    ),
    # -- images --------------------------------------------------------------------
    "images.image_build_libpod": Call(
        lambda live: image_build_libpod.sync_detailed(
            client=live.api,
            remote=live.context_url,
            dockerfile="Containerfile",
            t=[live.name("built")],
        ),
        lambda live: image_build_libpod.stream(
            client=live.api,
            remote=live.context_url,
            dockerfile="Containerfile",
            t=[live.name("built")],
        ),
    ),
    "images_compat.image_build": Call(
        lambda live: image_build.sync_detailed(
            client=live.api,
            body=upload(Path(live.context_dir / "context.tar").read_bytes()),
            dockerfile="Containerfile",
            t=[live.name("compat-built")],
            content_type="application/x-tar",
        ),
        lambda live: image_build.stream(
            client=live.api,
            body=upload(Path(live.context_dir / "context.tar").read_bytes()),
            dockerfile="Containerfile",
            t=[live.name("compat-built")],
            content_type="application/x-tar",
        ),
    ),
    "images.local_build_libpod": Call(
        lambda live: local_build_libpod.sync_detailed(
            client=live.api,
            localcontextdir=str(live.context_dir),
            dockerfile="Containerfile",
            t=[live.name("local-built")],
        ),
        lambda live: local_build_libpod.stream(
            client=live.api,
            localcontextdir=str(live.context_dir),
            dockerfile="Containerfile",
            t=[live.name("local-built")],
        ),
    ),
    "images.image_list_libpod": Call(lambda live: image_list_libpod.sync_detailed(client=live.api)),
    "images.image_inspect_libpod": Call(
        lambda live: image_inspect_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images.image_exists_libpod": Call(
        lambda live: image_exists_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images.image_history_libpod": Call(
        lambda live: image_history_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images.image_tree_libpod": Call(
        lambda live: image_tree_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images.image_changes_libpod": Call(
        lambda live: image_changes_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images.image_resolve_libpod": Call(
        lambda live: image_resolve_libpod.sync_detailed(live.image, client=live.api)
    ),
    "images_compat.image_list": Call(lambda live: image_list.sync_detailed(client=live.api)),
    "images_compat.image_inspect": Call(
        lambda live: image_inspect.sync_detailed(live.image, client=live.api)
    ),
    "images_compat.image_history": Call(
        lambda live: image_history.sync_detailed(live.image, client=live.api)
    ),
    "images.image_tag_libpod": Call(
        lambda live: image_tag_libpod.sync_detailed(
            live.image, client=live.api, repo=live.pushed.rsplit(":", 1)[0], tag=live.tag
        )
    ),
    "images_compat.image_tag": Call(
        lambda live: image_tag.sync_detailed(
            live.image, client=live.api, repo=f"localhost/everyop/compat-{live.tag}", tag="v1"
        )
    ),
    "images.image_push_libpod": Call(
        lambda live: image_push_libpod.sync_detailed(
            live.pushed, client=live.api, tls_verify=False
        ),
        lambda live: image_push_libpod.stream(
            live.pushed, client=live.api, tls_verify=False, quiet=False
        ),
    ),
    "images_compat.image_push": Call(
        lambda live: image_push.sync_detailed(live.pushed, client=live.api, **compat_tls(live)),
        lambda live: image_push.stream(live.pushed, client=live.api, **compat_tls(live)),
    ),
    "images.image_pull_libpod": Call(
        lambda live: image_pull_libpod.sync_detailed(
            client=live.api, reference=live.pushed, tls_verify=False
        ),
        lambda live: image_pull_libpod.stream(
            client=live.api, reference=live.pushed, tls_verify=False
        ),
    ),
    "images_compat.image_create": Call(
        lambda live: image_create.sync_detailed(
            client=live.api, from_image=live.pushed.rsplit(":", 1)[0], tag=live.tag
        ),
        lambda live: image_create.stream(
            client=live.api, from_image=live.pushed.rsplit(":", 1)[0], tag=live.tag
        ),
    ),
    "images.image_search_libpod": Call(
        lambda live: image_search_libpod.sync_detailed(
            client=live.api, term=f"{live.registry.host}/everyop", tls_verify=False
        )
    ),
    "images_compat.image_search": Call(
        lambda live: image_search.sync_detailed(
            client=live.api, term=f"{live.registry.host}/everyop", tls_verify=False
        )
    ),
    "images.image_get_libpod": Call(
        save, lambda live: image_get_libpod.stream(live.image, client=live.api)
    ),
    "images.image_export_libpod": Call(
        lambda live: image_export_libpod.sync_detailed(client=live.api, references=[live.image]),
        lambda live: image_export_libpod.stream(client=live.api, references=[live.image]),
    ),
    "images_compat.image_get": Call(
        lambda live: image_get.sync_detailed(live.image, client=live.api),
        lambda live: image_get.stream(live.image, client=live.api),
    ),
    "images_compat.image_get_all": Call(
        lambda live: image_get_all.sync_detailed(client=live.api, names=live.image),
        lambda live: image_get_all.stream(client=live.api, names=live.image),
    ),
    "images.image_load_libpod": Call(load_saved),
    "images_compat.image_load": Call(
        lambda live: image_load.sync_detailed(client=live.api, body=upload(live.saved))
    ),
    "images.local_images_libpod": Call(
        lambda live: local_images_libpod.sync_detailed(client=live.api, path=str(live.archive_path))
    ),
    "images.image_import_libpod": Call(
        lambda live: image_import_libpod.sync_detailed(
            client=live.api, body=upload(ROOTFS), reference=f"localhost/everyop/imported:{live.tag}"
        )
    ),
    "images.image_untag_libpod": Call(
        lambda live: image_untag_libpod.sync_detailed(
            live.image, client=live.api, repo=live.pushed.rsplit(":", 1)[0], tag=live.tag
        )
    ),
    # -- the shared running container, read ------------------------------------------
    "containers.container_create_libpod": Call(
        lambda live: container_create_libpod.sync_detailed(
            client=live.api, body=sleeper(live, live.name("runner"), **RUNNER_EXTRA)
        )
    ),
    "containers.container_init_libpod": Call(
        lambda live: container_init_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_start_libpod": Call(
        lambda live: container_start_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_exists_libpod": Call(
        lambda live: container_exists_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_inspect_libpod": Call(
        lambda live: container_inspect_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_list_libpod": Call(
        lambda live: container_list_libpod.sync_detailed(client=live.api, all_=True)
    ),
    "containers.container_top_libpod": Call(
        lambda live: container_top_libpod.sync_detailed(
            live.name("runner"), client=live.api, stream=False
        )
    ),
    "containers.container_logs_libpod": Call(
        lambda live: container_logs_libpod.sync_detailed(
            live.name("runner"), client=live.api, stdout=True, stderr=True
        ),
        lambda live: container_logs_libpod.stream(
            live.name("runner"), client=live.api, stdout=True, stderr=True
        ),
    ),
    "containers.container_attach_libpod": Call(
        lambda live: container_attach_libpod.sync_detailed(
            live.name("runner"), client=live.api, logs=True, stream=False, stdout=True
        ),
        lambda live: container_attach_libpod.stream(
            live.name("runner"), client=live.api, logs=True, stream=False, stdout=True
        ),
    ),
    "containers.container_stats_libpod": Call(
        lambda live: container_stats_libpod.sync_detailed(
            live.name("runner"), client=live.api, stream=False
        ),
        lambda live: container_stats_libpod.stream(
            live.name("runner"), client=live.api, stream=False
        ),
    ),
    "containers.containers_stats_all_libpod": Call(
        lambda live: containers_stats_all_libpod.sync_detailed(client=live.api, stream=False),
        lambda live: containers_stats_all_libpod.stream(client=live.api, stream=False),
    ),
    "containers.container_changes_libpod": Call(
        lambda live: container_changes_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_healthcheck_libpod": Call(
        lambda live: container_healthcheck_libpod.sync_detailed(
            live.name("runner"), client=live.api
        )
    ),
    "containers.container_export_libpod": Call(
        lambda live: container_export_libpod.sync_detailed(live.name("runner"), client=live.api),
        lambda live: container_export_libpod.stream(live.name("runner"), client=live.api),
    ),
    "containers_compat.container_archive_libpod": Call(
        lambda live: container_archive_libpod.sync_detailed(
            live.name("runner"), client=live.api, path="/bin"
        ),
        lambda live: container_archive_libpod.stream(
            live.name("runner"), client=live.api, path="/bin"
        ),
    ),
    "containers.put_container_archive_libpod": Call(
        lambda live: put_container_archive_libpod.sync_detailed(
            live.name("runner"), client=live.api, path="/", body=upload(ROOTFS)
        )
    ),
    "containers.container_mount_libpod": Call(
        lambda live: container_mount_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_show_mounted_libpod": Call(
        lambda live: container_show_mounted_libpod.sync_detailed(client=live.api)
    ),
    "containers.container_unmount_libpod": Call(
        lambda live: container_unmount_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_resize_libpod": Call(
        lambda live: container_resize_libpod.sync_detailed(
            live.name("runner"), client=live.api, h=24, w=80
        )
    ),
    "containers.generate_kube_libpod": Call(
        lambda live: generate_kube_libpod.sync_detailed(
            client=live.api, names=[live.name("runner")]
        )
    ),
    "containers.generate_systemd_libpod": Call(
        lambda live: generate_systemd_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.image_commit_libpod": Call(
        lambda live: image_commit_libpod.sync_detailed(
            client=live.api,
            container=live.name("runner"),
            repo="localhost/everyop/committed",
            tag=live.tag,
            pause=False,
        )
    ),
    "containers_compat.image_commit": Call(
        lambda live: image_commit.sync_detailed(
            client=live.api,
            container=live.name("runner"),
            repo="localhost/everyop/compat-committed",
            tag=live.tag,
            pause=False,
        )
    ),
    # -- compat reads of the same container ------------------------------------------------
    "containers_compat.container_list": Call(
        lambda live: container_list.sync_detailed(client=live.api, all_=True)
    ),
    "containers_compat.container_inspect": Call(
        lambda live: container_inspect.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers_compat.container_top": Call(
        lambda live: container_top.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers_compat.container_logs": Call(
        lambda live: container_logs.sync_detailed(
            live.name("runner"), client=live.api, stdout=True, stderr=True
        ),
        lambda live: container_logs.stream(
            live.name("runner"), client=live.api, stdout=True, stderr=True
        ),
    ),
    "containers_compat.container_attach": Call(
        lambda live: container_attach.sync_detailed(
            live.name("runner"), client=live.api, logs=True, stream=False, stdout=True
        ),
        lambda live: container_attach.stream(
            live.name("runner"), client=live.api, logs=True, stream=False, stdout=True
        ),
    ),
    "containers_compat.container_stats": Call(
        lambda live: container_stats.sync_detailed(
            live.name("runner"), client=live.api, stream=False
        )
    ),
    "containers_compat.container_export": Call(
        lambda live: container_export.sync_detailed(live.name("runner"), client=live.api),
        lambda live: container_export.stream(live.name("runner"), client=live.api),
    ),
    "containers_compat.container_archive": Call(
        lambda live: container_archive.sync_detailed(
            live.name("runner"), client=live.api, path="/bin"
        ),
        lambda live: container_archive.stream(live.name("runner"), client=live.api, path="/bin"),
    ),
    "containers_compat.put_container_archive": Call(
        lambda live: put_container_archive.sync_detailed(
            live.name("runner"), client=live.api, path="/", body=upload(ROOTFS)
        )
    ),
    "containers_compat.container_resize": Call(
        lambda live: container_resize.sync_detailed(
            live.name("runner"), client=live.api, h=24, w=80
        )
    ),
    # -- exec sessions in it -----------------------------------------------------------
    "exec_.container_exec_libpod": Call(
        lambda live: container_exec_libpod.sync_detailed(
            live.name("runner"),
            client=live.api,
            body=ContainerExecLibpodBody(cmd=["/bin/busybox", "true"], attach_stdout=True),
        )
    ),
    "exec_.exec_start_libpod": Call(start_sync, start_stream),
    "exec_.exec_inspect_libpod": Call(
        lambda live: exec_inspect_libpod.sync_detailed(live.made["exec"], client=live.api)
    ),
    "exec_.exec_resize_libpod": Call(resize_exec),
    "exec_compat.container_exec": Call(
        lambda live: container_exec.sync_detailed(
            live.name("runner"),
            client=live.api,
            body=ContainerExecBody(cmd=["/bin/busybox", "true"]),
        )
    ),
    "exec_compat.exec_start": Call(
        lambda live: exec_start.sync_detailed(
            compat_exec(live, "compat-exec"), client=live.api, body=ExecStartBody(detach=False)
        ),
        lambda live: exec_start.stream(
            compat_exec(live, "compat-exec-stream"),
            client=live.api,
            body=ExecStartBody(detach=False),
        ),
    ),
    "exec_compat.exec_inspect": Call(
        lambda live: exec_inspect.sync_detailed(live.made["compat-exec"], client=live.api)
    ),
    "exec_compat.exec_resize": Call(compat_resize_exec),
    # -- pods ----------------------------------------------------------------------------
    "pods.pod_create_libpod": Call(
        lambda live: pod_create_libpod.sync_detailed(client=live.api, body=pod_body(live))
    ),
    "pods.pod_start_libpod": Call(
        lambda live: (
            container_create_libpod.sync(
                client=live.api, body=sleeper(live, live.name("in-pod"), pod=live.name("pod"))
            ),
            pod_start_libpod.sync_detailed(live.name("pod"), client=live.api),
        )[1]
    ),
    "pods.pod_exists_libpod": Call(
        lambda live: pod_exists_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_inspect_libpod": Call(
        lambda live: pod_inspect_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_list_libpod": Call(lambda live: pod_list_libpod.sync_detailed(client=live.api)),
    "pods.pod_top_libpod": Call(
        lambda live: pod_top_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_stats_all_libpod": Call(
        lambda live: pod_stats_all_libpod.sync_detailed(client=live.api, all_=True)
    ),
    "pods.pod_pause_libpod": Call(
        lambda live: pod_pause_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_unpause_libpod": Call(
        lambda live: pod_unpause_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_restart_libpod": Call(
        lambda live: pod_restart_libpod.sync_detailed(live.name("pod"), client=live.api)
    ),
    "pods.pod_stop_libpod": Call(
        lambda live: pod_stop_libpod.sync_detailed(live.name("pod"), client=live.api, t=0)
    ),
    "pods.pod_kill_libpod": Call(
        lambda live: (
            pod_start_libpod.sync(live.name("pod"), client=live.api),
            pod_kill_libpod.sync_detailed(live.name("pod"), client=live.api),
        )[1]
    ),
    "pods.pod_delete_libpod": Call(
        lambda live: pod_delete_libpod.sync_detailed(live.name("pod"), client=live.api, force=True)
    ),
    # -- volumes -------------------------------------------------------------------------
    "volumes.volume_create_libpod": Call(
        lambda live: volume_create_libpod.sync_detailed(
            client=live.api, body=VolumeCreateOptions.from_dict({"Name": live.name("volume")})
        )
    ),
    "volumes.volume_exists_libpod": Call(
        lambda live: volume_exists_libpod.sync_detailed(live.name("volume"), client=live.api)
    ),
    "volumes.volume_inspect_libpod": Call(
        lambda live: volume_inspect_libpod.sync_detailed(live.name("volume"), client=live.api)
    ),
    "volumes.volume_list_libpod": Call(
        lambda live: volume_list_libpod.sync_detailed(client=live.api)
    ),
    "volumes.volume_import_libpod": Call(
        lambda live: volume_import_libpod.sync_detailed(
            live.name("volume"), client=live.api, body=upload(ROOTFS)
        )
    ),
    "volumes.volume_export_libpod": Call(
        lambda live: volume_export_libpod.sync_detailed(live.name("volume"), client=live.api),
        lambda live: volume_export_libpod.stream(live.name("volume"), client=live.api),
    ),
    "volumes_compat.volume_create": Call(
        lambda live: volume_create.sync_detailed(
            client=live.api,
            body=VolumeCreate.from_dict(
                {
                    "Name": live.name("compat-volume"),
                    "Driver": "local",
                    "DriverOpts": {},
                    "Labels": {},
                }
            ),
        )
    ),
    "volumes_compat.volume_inspect": Call(
        lambda live: volume_inspect.sync_detailed(live.name("compat-volume"), client=live.api)
    ),
    "volumes_compat.volume_list": Call(lambda live: volume_list.sync_detailed(client=live.api)),
    "volumes_compat.volume_delete": Call(
        lambda live: volume_delete.sync_detailed(live.name("compat-volume"), client=live.api)
    ),
    "volumes.volume_delete_libpod": Call(
        lambda live: volume_delete_libpod.sync_detailed(live.name("volume"), client=live.api)
    ),
    "containers_compat.container_create": Call(create_container_compat),
    # -- networks ------------------------------------------------------------------------
    "networks.network_list_libpod": Call(
        lambda live: network_list_libpod.sync_detailed(client=live.api)
    ),
    "networks.network_inspect_libpod": Call(
        lambda live: network_inspect_libpod.sync_detailed("podman", client=live.api)
    ),
    "networks.network_exists_libpod": Call(
        lambda live: network_exists_libpod.sync_detailed("podman", client=live.api)
    ),
    "networks_compat.network_list": Call(lambda live: network_list.sync_detailed(client=live.api)),
    "networks_compat.network_inspect": Call(
        lambda live: network_inspect.sync_detailed("podman", client=live.api)
    ),
    "networks.network_create_libpod": Call(
        lambda live: network_create_libpod.sync_detailed(
            client=live.api,
            body=NetworkCreateLibpod.from_dict(
                {"name": live.name("network"), "dns_enabled": False}
            ),
        )
    ),
    "networks.network_update_libpod": Call(
        lambda live: network_update_libpod.sync_detailed(
            live.name("network"),
            client=live.api,
            body=NetworkUpdateRequestLibpod(adddnsservers=["10.0.0.1"]),
        )
    ),
    "networks.network_connect_libpod": Call(
        lambda live: network_connect_libpod.sync_detailed(
            live.name("network"),
            client=live.api,
            body=NetworkConnectRequestLibpod(container=live.name("compat")),
        )
    ),
    "networks.network_disconnect_libpod": Call(
        lambda live: network_disconnect_libpod.sync_detailed(
            live.name("network"),
            client=live.api,
            body=NetworkDisconnectRequest(container=live.name("compat")),
        )
    ),
    "networks.network_delete_libpod": Call(
        lambda live: network_delete_libpod.sync_detailed(live.name("network"), client=live.api)
    ),
    "networks_compat.network_create": Call(
        lambda live: network_create.sync_detailed(
            client=live.api, body=NetworkCreate(name=live.name("compat-network"))
        )
    ),
    "networks_compat.network_connect": Call(
        lambda live: network_connect.sync_detailed(
            live.name("compat-network"),
            client=live.api,
            body=NetworkConnectRequest(container=live.name("compat")),
        )
    ),
    "networks_compat.network_disconnect": Call(
        lambda live: network_disconnect.sync_detailed(
            live.name("compat-network"),
            client=live.api,
            body=NetworkDisconnectRequest(container=live.name("compat")),
        )
    ),
    "networks_compat.network_delete": Call(
        lambda live: network_delete.sync_detailed(live.name("compat-network"), client=live.api)
    ),
    # -- secrets -------------------------------------------------------------------------
    "secrets.secret_create_libpod": Call(
        lambda live: secret_create_libpod.sync_detailed(
            client=live.api, name=live.name("secret"), body=secret_file()
        )
    ),
    "secrets.secret_exists_libpod": Call(
        lambda live: secret_exists_libpod.sync_detailed(live.name("secret"), client=live.api)
    ),
    "secrets.secret_inspect_libpod": Call(
        lambda live: secret_inspect_libpod.sync_detailed(live.name("secret"), client=live.api)
    ),
    "secrets.secret_list_libpod": Call(
        lambda live: secret_list_libpod.sync_detailed(client=live.api)
    ),
    "secrets_compat.secret_create": Call(
        lambda live: secret_create.sync_detailed(
            client=live.api, body=SecretCreate(name=live.name("compat-secret"), data="czNjcmV0")
        )
    ),
    "secrets_compat.secret_inspect": Call(
        lambda live: secret_inspect.sync_detailed(live.name("compat-secret"), client=live.api)
    ),
    "secrets_compat.secret_list": Call(lambda live: secret_list.sync_detailed(client=live.api)),
    "secrets_compat.secret_delete": Call(
        lambda live: secret_delete.sync_detailed(live.name("compat-secret"), client=live.api)
    ),
    "secrets.secret_delete_libpod": Call(
        lambda live: secret_delete_libpod.sync_detailed(live.name("secret"), client=live.api)
    ),
    # -- manifests -----------------------------------------------------------------------
    "manifests.manifest_create_libpod": Call(
        lambda live: manifest_create_libpod.sync_detailed(
            live.name("list"), client=live.api, images=[f"containers-storage:{live.image}"]
        )
    ),
    "manifests.manifest_exists_libpod": Call(
        lambda live: manifest_exists_libpod.sync_detailed(live.name("list"), client=live.api)
    ),
    "manifests.manifest_inspect_libpod": Call(
        lambda live: manifest_inspect_libpod.sync_detailed(live.name("list"), client=live.api)
    ),
    "manifests.manifest_add_libpod": Call(
        lambda live: manifest_add_libpod.sync_detailed(
            live.name("list"),
            client=live.api,
            body=ManifestAddOptions(images=[f"containers-storage:{live.image}"]),
        )
    ),
    "manifests.manifest_modify_libpod": Call(
        lambda live: manifest_modify_libpod.sync_detailed(
            live.name("list"),
            client=live.api,
            body=ManifestModifyOptions.from_dict(
                {"operation": "update", "images": [f"containers-storage:{live.image}"]}
            ),
        )
    ),
    "manifests.manifest_push_libpod": Call(
        lambda live: manifest_push_libpod.sync_detailed(
            live.name("list"),
            f"{live.registry.host}/everyop/list:{live.tag}",
            client=live.api,
            tls_verify=False,
        )
    ),
    "manifests.manifest_push_v3_libpod": Call(
        lambda live: manifest_push_v3_libpod.sync_detailed(
            live.name("list"),
            client=live.api,
            destination=f"{live.registry.host}/everyop/list-v3:{live.tag}",
        )
    ),
    "manifests.manifest_delete_libpod": Call(
        lambda live: manifest_delete_libpod.sync_detailed(live.name("list"), client=live.api)
    ),
    # -- artifacts -----------------------------------------------------------------------
    "artifacts.artifact_add_libpod": Call(
        lambda live: artifact_add_libpod.sync_detailed(
            client=live.api, body=artifact_file(), name=live.artifact, file_name="a.txt"
        )
    ),
    "artifacts.artifact_local_libpod": Call(
        lambda live: artifact_local_libpod.sync_detailed(
            client=live.api,
            name=f"localhost/everyop/local-artifact:{live.tag}",
            path=str(live.context_dir / "Containerfile"),
            file_name="Containerfile",
        )
    ),
    "artifacts.artifact_list_libpod": Call(
        lambda live: artifact_list_libpod.sync_detailed(client=live.api)
    ),
    "artifacts.artifact_inspect_libpod": Call(
        lambda live: artifact_inspect_libpod.sync_detailed(live.artifact, client=live.api)
    ),
    "artifacts.artifact_extract_libpod": Call(
        lambda live: artifact_extract_libpod.sync_detailed(live.artifact, client=live.api),
        lambda live: artifact_extract_libpod.stream(live.artifact, client=live.api),
    ),
    "artifacts.artifact_push_libpod": Call(
        lambda live: artifact_push_libpod.sync_detailed(
            live.artifact, client=live.api, tls_verify=False
        )
    ),
    "artifacts.artifact_pull_libpod": Call(
        lambda live: artifact_pull_libpod.sync_detailed(
            client=live.api, name=live.artifact, tls_verify=False
        )
    ),
    "artifacts.artifact_delete_libpod": Call(
        lambda live: artifact_delete_libpod.sync_detailed(live.artifact, client=live.api)
    ),
    "artifacts.artifact_delete_all_libpod": Call(
        lambda live: artifact_delete_all_libpod.sync_detailed(client=live.api, all_=True)
    ),
    "quadlets.quadlet_list_libpod": Call(
        lambda live: quadlet_list_libpod.sync_detailed(client=live.api)
    ),
    # -- a container's changes and end ------------------------------------------------------
    "containers.container_update_libpod": Call(
        lambda live: container_update_libpod.sync_detailed(
            live.name("runner"), client=live.api, body=UpdateEntities.from_dict({})
        )
    ),
    "containers_compat.container_update": Call(
        lambda live: container_update.sync_detailed(
            live.name("runner"), client=live.api, body=ContainerUpdateRequest.from_dict({})
        )
    ),
    "containers.container_pause_libpod": Call(
        lambda live: container_pause_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_unpause_libpod": Call(
        lambda live: container_unpause_libpod.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers_compat.container_pause": Call(
        lambda live: container_pause.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers_compat.container_unpause": Call(
        lambda live: container_unpause.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_restart_libpod": Call(
        lambda live: container_restart_libpod.sync_detailed(
            live.name("runner"), client=live.api, t=0
        )
    ),
    "containers_compat.container_restart": Call(
        lambda live: container_restart.sync_detailed(live.name("runner"), client=live.api, t=0)
    ),
    "containers.container_rename_libpod": Call(
        lambda live: container_rename_libpod.sync_detailed(
            live.name("runner"), client=live.api, name_query=live.name("renamed")
        )
    ),
    "containers_compat.container_rename": Call(
        lambda live: container_rename.sync_detailed(
            live.name("renamed"), client=live.api, name_query=live.name("runner")
        )
    ),
    "containers.container_stop_libpod": Call(
        lambda live: container_stop_libpod.sync_detailed(
            live.name("runner"), client=live.api, timeout=0
        )
    ),
    "containers.container_wait_libpod": Call(
        lambda live: container_wait_libpod.sync_detailed(
            live.name("runner"), client=live.api, condition=["exited"]
        )
    ),
    "containers_compat.container_start": Call(
        lambda live: container_start.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers_compat.container_stop": Call(
        lambda live: container_stop.sync_detailed(live.name("runner"), client=live.api, t=0)
    ),
    "containers_compat.container_wait": Call(
        lambda live: container_wait.sync_detailed(live.name("runner"), client=live.api)
    ),
    "containers.container_kill_libpod": Call(
        lambda live: container_kill_libpod.sync_detailed(started(live, "victim"), client=live.api)
    ),
    "containers_compat.container_kill": Call(
        lambda live: container_kill.sync_detailed(started(live, "compat-victim"), client=live.api)
    ),
    "containers.play_kube_libpod": Call(
        lambda live: play_kube_libpod.sync_detailed(
            client=live.api,
            body=upload(
                KUBE_YAML.format(name=live.name("kube"), image=live.image).encode(), "pod.yaml"
            ),
            network=["none"],
            start=False,
        )
    ),
    "containers.play_kube_down_libpod": Call(
        lambda live: play_kube_down_libpod.sync_detailed(
            client=live.api,
        )
    ),
    "containers_compat.container_delete": Call(
        lambda live: container_delete.sync_detailed(
            live.name("compat"), client=live.api, force=True
        )
    ),
    "containers.container_delete_libpod": Call(
        lambda live: container_delete_libpod.sync_detailed(
            live.name("runner"), client=live.api, force=True
        )
    ),
    # -- removals and prunes, on the test service's own storage ------------------------------
    "images.image_delete_libpod": Call(
        lambda live: image_delete_libpod.sync_detailed(
            f"localhost/everyop/imported:{live.tag}", client=live.api
        )
    ),
    "images_compat.image_delete": Call(
        lambda live: image_delete.sync_detailed(
            f"localhost/everyop/compat-{live.tag}:v1", client=live.api
        )
    ),
    "images.image_delete_all_libpod": Call(
        lambda live: image_delete_all_libpod.sync_detailed(
            client=live.api, images=[f"localhost/everyop/committed:{live.tag}"]
        )
    ),
    "containers.container_prune_libpod": Call(
        lambda live: container_prune_libpod.sync_detailed(client=live.api)
    ),
    "containers_compat.container_prune": Call(
        lambda live: container_prune.sync_detailed(client=live.api)
    ),
    "pods.pod_prune_libpod": Call(lambda live: pod_prune_libpod.sync_detailed(client=live.api)),
    "volumes.volume_prune_libpod": Call(
        lambda live: volume_prune_libpod.sync_detailed(client=live.api)
    ),
    "volumes_compat.volume_prune": Call(lambda live: volume_prune.sync_detailed(client=live.api)),
    "networks.network_prune_libpod": Call(
        lambda live: network_prune_libpod.sync_detailed(client=live.api)
    ),
    "networks_compat.network_prune": Call(
        lambda live: network_prune.sync_detailed(client=live.api)
    ),
    "images.image_prune_libpod": Call(
        lambda live: image_prune_libpod.sync_detailed(client=live.api)
    ),
    "images_compat.image_prune": Call(lambda live: image_prune.sync_detailed(client=live.api)),
    "system.system_events_libpod": Call(
        lambda live: system_events_libpod.sync_detailed(
            client=live.api, stream=False, since="1m", until=now()
        ),
        lambda live: system_events_libpod.stream(
            client=live.api, stream=False, since="1m", until=now()
        ),
    ),
    "system_compat.system_events": Call(
        lambda live: system_events.sync_detailed(client=live.api, since="1m", until=now()),
        lambda live: system_events.stream(client=live.api, since="1m", until=now()),
    ),
    "system.system_prune_libpod": Call(
        lambda live: system_prune_libpod.sync_detailed(client=live.api)
    ),
}
