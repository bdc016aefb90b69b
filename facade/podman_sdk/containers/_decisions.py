"""The calls of the container verbs, for both clients and without I/O: the `Call` of
each plain verb (built by the generated
layer's ``request_kwargs``, its answer decoded by ``_answers``), the checks made before
a request, and how frames of output become bytes."""

from __future__ import annotations

import base64
import binascii
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import httpx
from libpod_client.api.containers import (
    container_attach_libpod,
    container_changes_libpod,
    container_delete_libpod,
    container_exists_libpod,
    container_init_libpod,
    container_inspect_libpod,
    container_kill_libpod,
    container_list_libpod,
    container_logs_libpod,
    container_pause_libpod,
    container_prune_libpod,
    container_rename_libpod,
    container_resize_libpod,
    container_restart_libpod,
    container_start_libpod,
    container_stop_libpod,
    container_top_libpod,
    container_unpause_libpod,
    container_update_libpod,
    container_wait_libpod,
    image_commit_libpod,
    put_container_archive_libpod,
)
from libpod_client.api.exec_ import container_exec_libpod, exec_inspect_libpod, exec_start_libpod
from libpod_client.models import (
    ContainerExecLibpodBody,
    ExecStartLibpodBody,
    SpecGenerator,
    UpdateEntities,
)
from libpod_client.models.container_wait_libpod_condition_item import (
    CONTAINER_WAIT_LIBPOD_CONDITION_ITEM_VALUES,
    ContainerWaitLibpodConditionItem,
)
from libpod_client.types import UNSET, Frame

from podman_sdk._core._answers import json_array, json_object, json_value, unexpected
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound
from podman_sdk.containers._create_options import merge_spec, spec_generator_from_keywords
from podman_sdk.containers._data import (
    ArchiveStat,
    ChangeEntry,
    ContainerAttrs,
    ContainersPruneReport,
    LogQuery,
    TopAnswer,
    checked_attrs,
)

WaitCondition = ContainerWaitLibpodConditionItem


# -- calls ------------------------------------------------------------------------------


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _not_modified_is(ignore: bool) -> Callable[[APIError], None]:
    def recover(error: APIError) -> None:
        # 304: already in the state asked for (started, stopped).
        if error.status_code == 304 and ignore:
            return
        raise error

    return recover


def inspect_call(name: str) -> Call[ContainerAttrs]:
    """GET /libpod/containers/{name}/json."""
    what = f"container {name}"
    return Call(
        container_inspect_libpod.request_kwargs(name),
        lambda answer, endpoint: checked_attrs(json_object(answer, what, endpoint), what, endpoint),
    )


def exists_call(name: str) -> Call[bool]:
    """GET /libpod/containers/{name}/exists: False on 404."""
    return Call(container_exists_libpod.request_kwargs(name), lambda *_: True, _absent_is_false)


def _listed(response: httpx.Response, endpoint: str) -> list[ContainerAttrs]:
    items = json_array(response, "containers", endpoint, null_is_empty=True)
    for item in items:
        if not isinstance(item, dict):
            raise unexpected("containers", endpoint, "an array of objects")
        checked_attrs(item, "containers", endpoint)
    return items  # type: ignore[return-value]


def list_call(
    all_: bool, filters: Filters | None, since: str | None, before: str | None, limit: int | None
) -> Call[list[ContainerAttrs]]:
    """GET /libpod/containers/json; ``since`` and ``before`` are filters (a container's
    name or id). Decoded to JSON only, as image lists are."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise InvalidArgument(f"limit must be an int, not {limit!r}")
    encoded = filter_values(filters, since=since, before=before)
    arguments: dict[str, object] = {"all_": all_}
    if limit is not None:
        arguments["limit"] = limit
    if encoded:
        arguments["filters"] = encoded
    return Call(container_list_libpod.request_kwargs(**arguments), _listed)  # type: ignore[arg-type]


def _prune_answer(response: httpx.Response, endpoint: str) -> ContainersPruneReport:
    report: ContainersPruneReport = {"ContainersDeleted": [], "SpaceReclaimed": 0}
    for entry in json_array(response, "prune report", endpoint, null_is_empty=True):
        if not isinstance(entry, dict) or not isinstance(entry.get("Id"), str):
            raise unexpected("prune report", endpoint, "objects with an Id")
        if entry.get("Err"):
            raise APIError(
                str(entry["Err"]), explanation=f"failed to prune container {entry['Id']}"
            )
        report["ContainersDeleted"].append(entry["Id"])
        size = entry.get("Size")
        report["SpaceReclaimed"] += size if isinstance(size, int) else 0
    return report


def prune_call(filters: Filters | None) -> Call[ContainersPruneReport]:
    """POST /libpod/containers/prune; a container that failed raises `APIError`."""
    encoded = filter_values(filters)
    arguments = {} if encoded is None else {"filters": encoded}
    return Call(container_prune_libpod.request_kwargs(**arguments), _prune_answer)


def _removed(response: httpx.Response, endpoint: str) -> None:
    # Podman 4 answers 204; 5 and 6 a report whose entries may carry an error.
    if not response.content.strip():
        return
    for entry in json_array(response, "removal report", endpoint, null_is_empty=True):
        if isinstance(entry, dict) and entry.get("Err"):
            raise APIError(str(entry["Err"]), explanation=f"removal of {entry.get('Id')}")


def remove_call(
    name: str, v: bool, link: bool, force: bool, stop_timeout: int | None = None
) -> Call[None]:
    """DELETE /libpod/containers/{name} (``v``: its anonymous volumes too). ``link``
    is Docker's and Podman has none: True raises `InvalidArgument`."""
    if link:
        raise InvalidArgument("link=True: Podman has no container links to remove")
    request = container_delete_libpod.request_kwargs(
        name, force=force, v=v, timeout=UNSET if stop_timeout is None else stop_timeout
    )
    return Call(request, _removed)


def start_call(name: str, detach_keys: str | None) -> Call[None]:
    """POST /libpod/containers/{name}/start; already running (304) is no error."""
    request = container_start_libpod.request_kwargs(
        name, **({} if detach_keys is None else {"detach_keys": detach_keys})
    )
    return Call(request, _done, _not_modified_is(True))


def stop_call(name: str, timeout: int | None, ignore: bool) -> Call[None]:
    """POST /libpod/containers/{name}/stop; already stopped (304) raises unless
    ``ignore``."""
    arguments = {} if timeout is None else {"timeout": timeout}
    request = container_stop_libpod.request_kwargs(name, ignore=ignore, **arguments)
    return Call(request, _done, _not_modified_is(ignore))


def restart_call(name: str, timeout: int | None) -> Call[None]:
    """POST /libpod/containers/{name}/restart (``t``: seconds before the kill)."""
    arguments = {} if timeout is None else {"t": timeout}
    return Call(container_restart_libpod.request_kwargs(name, **arguments), _done)


def kill_call(name: str, signal: str | int | None) -> Call[None]:
    """POST /libpod/containers/{name}/kill (default SIGKILL)."""
    if signal is not None and (isinstance(signal, bool) or not isinstance(signal, str | int)):
        raise InvalidArgument(f"signal must be a name or a number, not {signal!r}")
    arguments = {} if signal is None else {"signal": str(signal)}
    return Call(container_kill_libpod.request_kwargs(name, **arguments), _done)


def simple_call(verb: Literal["init", "pause", "unpause"], name: str) -> Call[None]:
    """POST /libpod/containers/{name}/init, /pause or /unpause."""
    module = {
        "init": container_init_libpod,
        "pause": container_pause_libpod,
        "unpause": container_unpause_libpod,
    }[verb]
    return Call(module.request_kwargs(name), _done)


def rename_call(name: str, new_name: str) -> Call[None]:
    """POST /libpod/containers/{name}/rename."""
    if not isinstance(new_name, str) or not new_name:
        raise InvalidArgument("rename: 'name' must be a non-empty string")
    return Call(container_rename_libpod.request_kwargs(name, name_query=new_name), _done)


def resize_call(name: str, height: int | None, width: int | None) -> Call[None]:
    """POST /libpod/containers/{name}/resize: the tty's size (a tty container only)."""
    request = container_resize_libpod.request_kwargs(
        name, h=UNSET if height is None else height, w=UNSET if width is None else width
    )
    return Call(request, _done)


def _top_answer(response: httpx.Response, endpoint: str) -> TopAnswer:
    data = json_object(response, "top", endpoint)
    titles, processes = data.get("Titles") or [], data.get("Processes") or []
    if not (isinstance(titles, list) and isinstance(processes, list)):
        raise unexpected("top", endpoint, "Titles and Processes lists")
    return {"Titles": titles, "Processes": processes}


def top_call(name: str, ps_args: str | None) -> Call[TopAnswer]:
    """GET /libpod/containers/{name}/top (one answer, not a stream)."""
    request = container_top_libpod.request_kwargs(
        name, stream=False, ps_args=UNSET if ps_args is None else ps_args.split()
    )
    return Call(request, _top_answer)


def _changes(response: httpx.Response, endpoint: str) -> list[ChangeEntry]:
    items = json_array(response, "changes", endpoint, null_is_empty=True)
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("Path"), str)):
            raise unexpected("changes", endpoint, "objects with Path and Kind")
    return items  # type: ignore[return-value]


def diff_call(name: str) -> Call[list[ChangeEntry]]:
    """GET /libpod/containers/{name}/changes."""
    return Call(container_changes_libpod.request_kwargs(name), _changes)


def _exit_code(response: httpx.Response, endpoint: str) -> int:
    value = json_value(response, "wait", endpoint)
    if isinstance(value, bool) or not isinstance(value, int):
        raise unexpected("wait", endpoint, "an exit code")
    return value


def wait_conditions(condition: str | Sequence[str] | None) -> list[WaitCondition] | None:
    if condition is None:
        return None
    given = [condition] if isinstance(condition, str) else list(condition)
    for item in given:
        if item not in CONTAINER_WAIT_LIBPOD_CONDITION_ITEM_VALUES:
            known = ", ".join(sorted(CONTAINER_WAIT_LIBPOD_CONDITION_ITEM_VALUES))
            raise InvalidArgument(f"wait condition {item!r} is none of: {known}")
    return given  # type: ignore[return-value]


def wait_call(name: str, condition: str | Sequence[str] | None, interval: str | None) -> Call[int]:
    """POST /libpod/containers/{name}/wait: the exit code once a condition holds
    (default: exited)."""
    conditions = wait_conditions(condition)
    arguments: dict[str, object] = {}
    if conditions:
        arguments["condition"] = conditions
    if interval:
        arguments["interval"] = interval
    return Call(container_wait_libpod.request_kwargs(name, **arguments), _exit_code)  # type: ignore[arg-type]


def _created_id(response: httpx.Response, endpoint: str) -> str:
    value = json_object(response, "container create", endpoint).get("Id")
    if not isinstance(value, str):
        raise unexpected("container create", endpoint, "an object with a string Id")
    return value


def create_call(body: SpecGenerator) -> Call[str]:
    """POST /libpod/containers/create: the new container's id."""
    from libpod_client.api.containers import container_create_libpod

    return Call(container_create_libpod.request_kwargs(body=body), _created_id)


def creation_spec(
    image: str,
    command: str | Sequence[str] | None,
    spec: SpecGenerator | None,
    keywords: Mapping[str, object],
) -> SpecGenerator:
    """What to create: podman-py's keywords made into a spec, laid over ``spec`` (the
    caller's own, for what no keyword covers) when one is given (`merge_spec`)."""
    if not isinstance(image, str) or not image:
        raise InvalidArgument(f"image must be a name or an Image, not {image!r}")
    made = spec_generator_from_keywords(image, command, keywords)
    return made if spec is None else merge_spec(spec, made)


def exec_create_call(
    name: str,
    cmd: str | Sequence[str],
    *,
    stdout: bool,
    stderr: bool,
    stdin: bool,
    tty: bool,
    privileged: bool,
    user: str | None,
    environment: Mapping[str, str] | Sequence[str] | None,
    workdir: str | None,
) -> Call[str]:
    """POST /libpod/containers/{name}/exec: the exec session's id. A string command
    is split as a shell would (podman-py's shlex)."""
    import shlex

    command = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
    if not command:
        raise InvalidArgument("exec_run: the command is empty")
    body: dict[str, object] = {
        "AttachStdout": stdout,
        "AttachStderr": stderr,
        "AttachStdin": stdin,
        "Tty": tty,
        "Privileged": privileged,
        "Cmd": command,
    }
    if isinstance(environment, Mapping):
        body["Env"] = [f"{key}={value}" for key, value in environment.items()]
    elif environment is not None:
        body["Env"] = list(environment)
    if user:
        body["User"] = user
    if workdir:
        body["WorkingDir"] = workdir
    request = container_exec_libpod.request_kwargs(
        name, body=ContainerExecLibpodBody.from_dict(body)
    )
    return Call(request, _created_id)


def exec_start_body(detach: bool, tty: bool) -> ExecStartLibpodBody:
    return ExecStartLibpodBody(detach=detach, tty=tty)


def _frames_answer(response: httpx.Response, endpoint: str) -> list[Frame]:
    # The generated layer's own decoder, as its sync() functions use it.
    from libpod_client.errors import ShapeError
    from libpod_client.streams import split_frames

    try:
        return split_frames(response.content, response.headers)
    except ShapeError as exc:
        raise unexpected("container output", endpoint, f"multiplexed frames ({exc})") from exc


# Whole outputs (exec, logs, attach without stream=True) are read as one answer with no
# call timeout (`perform_waiting`), decoded by the generated layer's frame splitter, not
# as a stream: a generated stream shuts its socket down when it ends, so a logs() call
# would leave no connection for the next call to reuse.


def exec_output_call(exec_id: str, tty: bool) -> Call[list[Frame]]:
    """POST /libpod/exec/{id}/start: the exec's whole output, once it ended."""
    body = exec_start_body(False, tty)
    return Call(exec_start_libpod.request_kwargs(exec_id, body=body), _frames_answer)


def logs_call(name: str, query: LogQuery) -> Call[list[Frame]]:
    """GET /libpod/containers/{name}/logs: the whole log (followed: once it ended)."""
    return Call(container_logs_libpod.request_kwargs(name, **query), _frames_answer)


def attach_call(name: str, stdout: bool, stderr: bool, logs: bool) -> Call[list[Frame]]:
    """POST /libpod/containers/{name}/attach: the output until the container ends."""
    request = container_attach_libpod.request_kwargs(
        name, stdout=stdout, stderr=stderr, logs=logs, stream=True
    )
    return Call(request, _frames_answer)


def exec_detach_call(exec_id: str, tty: bool) -> Call[None]:
    """POST /libpod/exec/{id}/start with Detach: answers once the process started."""
    return Call(exec_start_libpod.request_kwargs(exec_id, body=exec_start_body(True, tty)), _done)


def _exec_exit_code(response: httpx.Response, endpoint: str) -> int:
    value = json_object(response, "exec inspect", endpoint).get("ExitCode")
    if isinstance(value, bool) or not isinstance(value, int):
        raise unexpected("exec inspect", endpoint, "an object with an integer ExitCode")
    return value


def exec_exit_code_call(exec_id: str) -> Call[int]:
    """GET /libpod/exec/{id}/json: the exec's exit code."""
    return Call(exec_inspect_libpod.request_kwargs(exec_id), _exec_exit_code)


def _committed_id(response: httpx.Response, endpoint: str) -> str:
    return _created_id(response, endpoint)


def commit_call(
    name: str,
    repository: str | None,
    tag: str | None,
    *,
    author: str | None,
    changes: Sequence[str] | None,
    comment: str | None,
    conf: Mapping[str, object] | None,
    format: str | None,
    message: str | None,
    pause: bool | None,
) -> Call[str]:
    """POST /libpod/commit: the new image's id. ``conf`` is ignored by podman-py and
    has no libpod counterpart: given, it raises `InvalidArgument`."""
    if conf is not None:
        raise InvalidArgument("commit: conf= has no counterpart in libpod's commit; use changes=")
    arguments = {
        key: value
        for key, value in (
            ("repo", repository),
            ("tag", tag),
            ("author", author),
            ("changes", None if changes is None else list(changes)),
            ("comment", comment if comment is not None else message),
            ("format_", format),
            ("pause", pause),
        )
        if value is not None
    }
    request = image_commit_libpod.request_kwargs(container=name, **arguments)  # type: ignore[arg-type]
    return Call(request, _committed_id)


def put_archive_call(name: str, path: str, data: bytes) -> Call[bool]:
    """PUT /libpod/containers/{name}/archive: extract the tar ``data`` at ``path``."""
    from libpod_client.types import File

    if not path:
        raise InvalidArgument("put_archive: 'path' is required")
    request = put_container_archive_libpod.request_kwargs(
        name, path=path, body=File(payload=io.BytesIO(data), mime_type="application/x-tar")
    )
    # The bytes themselves, which both clients send (a file object is sync-only).
    request["content"] = data
    return Call(request, lambda *_: True)


def local_tar(path: str) -> bytes:
    """podman-py's ``put_archive(path)`` without data: a tar of the local ``path``."""
    import os
    import tarfile

    if not os.path.exists(path):
        raise InvalidArgument(f"put_archive: no data given and no local {path!r} to send")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.add(path, arcname=os.path.basename(path.rstrip("/")) or ".")
    return out.getvalue()


def archive_stat(headers: httpx.Headers) -> ArchiveStat:
    """The base64 JSON of the ``X-Docker-Container-Path-Stat`` header."""
    raw = headers.get("x-docker-container-path-stat", "")
    try:
        value = json.loads(base64.b64decode(raw))
    except (ValueError, binascii.Error) as exc:
        raise InvalidArgument(f"get_archive: unreadable path stat header {raw[:80]!r}") from exc
    return value  # type: ignore[no-any-return]


#: update()'s keywords (podman-py's names) and the `UpdateEntities` field each sets.
UPDATE_FIELDS = {
    "blkio_weight_device": "BlkIOWeightDevice",
    "blockio": "blockIO",
    "cpu": "cpu",
    "device_read_bps": "DeviceReadBPs",
    "device_read_iops": "DeviceReadIOps",
    "device_write_bps": "DeviceWriteBPs",
    "device_write_iops": "DeviceWriteIOps",
    "devices": "devices",
    "hugepage_limits": "hugepageLimits",
    "memory": "memory",
    "network": "network",
    "pids": "pids",
    "rdma": "rdma",
    "unified": "unified",
    "no_healthcheck": "no_healthcheck",
    **{
        name: name
        for name in (
            "health_cmd",
            "health_interval",
            "health_log_destination",
            "health_max_log_count",
            "health_max_logs_size",
            "health_on_failure",
            "health_retries",
            "health_start_period",
            "health_startup_cmd",
            "health_startup_interval",
            "health_startup_retries",
            "health_startup_success",
            "health_startup_timeout",
            "health_timeout",
        )
    },
}


def update_call(name: str, keywords: Mapping[str, object]) -> Call[None]:
    """POST /libpod/containers/{name}/update; an unknown keyword raises
    `InvalidArgument`, as do health settings beside ``no_healthcheck=True``."""
    unknown = sorted(set(keywords) - set(UPDATE_FIELDS) - {"restart_policy", "restart_retries"})
    if unknown:
        raise InvalidArgument(f"unknown update() keyword(s): {', '.join(unknown)}")
    if keywords.get("no_healthcheck"):
        health = sorted(key for key in keywords if key.startswith("health_"))
        if health:
            raise InvalidArgument(f"cannot set {', '.join(health)} when no_healthcheck is True")
    body = {
        UPDATE_FIELDS[key]: value
        for key, value in keywords.items()
        if key in UPDATE_FIELDS and value is not None
    }
    if "health_max_logs_size" in body:  # podman-py's spelling of libpod's field
        body["health_max_log_size"] = body.pop("health_max_logs_size")
    arguments: dict[str, object] = {}
    if keywords.get("restart_policy"):
        arguments["restart_policy"] = keywords["restart_policy"]
    if keywords.get("restart_retries"):
        arguments["restart_retries"] = keywords["restart_retries"]
    request = container_update_libpod.request_kwargs(
        name,
        body=UpdateEntities.from_dict(body),
        **arguments,  # type: ignore[arg-type, unused-ignore]  # older releases take no restart_*
    )
    return Call(request, _done)
