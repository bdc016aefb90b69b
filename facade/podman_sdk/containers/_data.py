"""A container's data and output, for both clients and without I/O: the documented
shapes of ``attrs`` and of each verb's answer (TypedDicts), what a `Container` reads from
its attrs, the arguments of its log and stats streams, and how frames of output become
bytes (``(stdout, stderr)`` with demux)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Generic, NamedTuple, NotRequired, Required, TypedDict, TypeVar

from libpod_client.models import StatsJSON
from libpod_client.types import Frame

from podman_sdk._core._answers import unexpected
from podman_sdk._exceptions import InvalidArgument

CodeT = TypeVar("CodeT", int, None)
OutputT = TypeVar("OutputT")

#: ``export()`` and ``get_archive()``: pieces of at most 2 MiB, as podman-py yields them.
DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024

Demuxed = tuple[bytes | None, bytes | None]


# -- data -------------------------------------------------------------------------------


class ContainerStateAttrs(TypedDict, total=False):
    """``attrs["State"]`` of an inspected container (libpod's InspectContainerState)."""

    Status: Required[str]
    Running: bool
    Paused: bool
    ExitCode: int
    Pid: int
    StartedAt: str
    FinishedAt: str
    Error: str


class ContainerConfigAttrs(TypedDict, total=False):
    """``attrs["Config"]`` of an inspected container: the keys read here."""

    Labels: dict[str, str] | None
    Cmd: list[str] | None
    Entrypoint: list[str] | str | None
    Env: list[str] | None
    Image: str
    Tty: bool
    User: str
    WorkingDir: str


class ContainerAttrs(TypedDict, total=False):
    """A container's ``attrs``: libpod's inspect answer (``get()``, ``reload()``), or
    one entry of its list answer (``list()``), whose ``State`` is a plain string, whose
    ``Names`` replace ``Name`` and whose ``Labels`` are at the top."""

    Id: Required[str]
    Name: str
    Names: list[str] | None
    Image: str
    ImageName: str
    Created: str
    Path: str
    Args: list[str] | None
    State: ContainerStateAttrs | str
    Config: ContainerConfigAttrs
    HostConfig: dict[str, object]
    NetworkSettings: dict[str, object]
    Labels: dict[str, str] | None
    Ports: list[dict[str, object]] | None
    Command: list[str] | None
    Pod: str
    ExitCode: int


class ChangeEntry(TypedDict):
    """One entry of ``diff()``: a path and its change (0 modified, 1 added, 2 deleted)."""

    Path: str
    Kind: int


class TopAnswer(TypedDict):
    """``top()``: ps's column titles and one row of them per process."""

    Titles: list[str]
    Processes: list[list[str]]


class ContainersPruneReport(TypedDict):
    """``prune()``: what was removed and how many bytes that freed."""

    ContainersDeleted: list[str]
    SpaceReclaimed: int


class ArchiveStat(TypedDict):
    """The stat of ``get_archive()``'s path (the ``X-Docker-Container-Path-Stat`` header)."""

    name: str
    size: int
    mode: int
    mtime: str
    linkTarget: NotRequired[str]


class ExecResult(NamedTuple, Generic[CodeT, OutputT]):
    """``exec_run()``'s ``(exit_code, output)``: the exit code (None for a stream or
    a detached exec, whose end is not awaited) and the output: the process's bytes,
    ``(stdout, stderr)`` with ``demux=True``, or an iterator of either with
    ``stream=True``."""

    exit_code: CodeT
    output: OutputT


def short_id(container_id: str) -> str:
    return container_id[:12]


def container_name(attrs: ContainerAttrs) -> str | None:
    """The name without Docker's leading slash, from inspect's ``Name`` or list's
    ``Names``."""
    if "Name" in attrs:
        return attrs["Name"].lstrip("/")
    names = attrs.get("Names")
    return names[0].lstrip("/") if names else None


def container_labels(attrs: ContainerAttrs) -> dict[str, str]:
    if "Labels" in attrs:
        return dict(attrs["Labels"] or {})
    config = attrs.get("Config")
    return dict((config or {}).get("Labels") or {})


def container_status(attrs: ContainerAttrs) -> str:
    """``created``, ``running``, ``exited``... from either shape; ``unknown`` without."""
    state = attrs.get("State")
    if isinstance(state, str):
        return state
    return state["Status"] if state is not None else "unknown"


def container_ports(attrs: ContainerAttrs) -> dict[str, object]:
    """Inspect's ``NetworkSettings.Ports``: each exposed port and its host bindings."""
    ports = attrs.get("NetworkSettings", {}).get("Ports")
    return dict(ports) if isinstance(ports, dict) else {}


def checked_attrs(data: dict[str, object], what: str, endpoint: str) -> ContainerAttrs:
    if not isinstance(data.get("Id"), str):
        raise unexpected(what, endpoint, "an object with a string Id")
    return data  # type: ignore[return-value]


def container_id(container: object) -> str:
    """A name or id, or a container's id; anything else raises before any request."""
    if isinstance(container, str) and container:
        return container
    identity = getattr(container, "id", None)
    if isinstance(identity, str):
        return identity
    raise InvalidArgument(f"expected a container or its name or id, not {container!r}")


# -- output -----------------------------------------------------------------------------


def joined(frames: Iterable[Frame]) -> bytes:
    """The output's bytes, headers gone, streams in the order they arrived."""
    return b"".join(frame.data for frame in frames)


def demuxed(frames: Iterable[Frame]) -> Demuxed:
    """(stdout, stderr); None for a stream that gave nothing."""
    out: list[bytes] = []
    err: list[bytes] = []
    for frame in frames:
        (err if frame.stream == 2 else out).append(frame.data)
    return (b"".join(out) if out else None, b"".join(err) if err else None)


def demuxed_frame(frame: Frame) -> Demuxed:
    return (None, frame.data) if frame.stream == 2 else (frame.data, None)


def frame_data(frame: Frame) -> bytes:
    return frame.data


class UpdateKeywords(TypedDict, total=False):
    """``update()``'s keywords, podman-py's names (libpod's UpdateEntities beneath)."""

    restart_policy: str
    restart_retries: int
    blkio_weight_device: list[dict[str, object]]
    blockio: dict[str, object]
    cpu: dict[str, object]
    device_read_bps: list[dict[str, object]]
    device_read_iops: list[dict[str, object]]
    device_write_bps: list[dict[str, object]]
    device_write_iops: list[dict[str, object]]
    devices: list[dict[str, object]]
    hugepage_limits: list[dict[str, object]]
    memory: dict[str, object]
    network: dict[str, object]
    pids: dict[str, object]
    rdma: dict[str, object]
    unified: dict[str, str]
    no_healthcheck: bool
    health_cmd: str
    health_interval: str
    health_log_destination: str
    health_max_log_count: int
    health_max_logs_size: int
    health_on_failure: str
    health_retries: int
    health_start_period: str
    health_startup_cmd: str
    health_startup_interval: str
    health_startup_retries: int
    health_startup_success: int
    health_startup_timeout: str
    health_timeout: str


class LogQuery(TypedDict):
    """The query of GET /libpod/containers/{name}/logs."""

    stdout: bool
    stderr: bool
    follow: bool
    timestamps: bool
    tail: NotRequired[str]
    since: NotRequired[str]
    until: NotRequired[str]


def log_arguments(
    *,
    stdout: bool,
    stderr: bool,
    follow: bool,
    timestamps: bool,
    tail: int | str | None,
    since: datetime | int | None,
    until: datetime | int | None,
) -> LogQuery:
    """The query of GET /libpod/containers/{name}/logs from podman-py's arguments
    (``since``/``until``: a datetime or seconds since the epoch)."""
    if not (stdout or stderr):
        raise InvalidArgument("logs: at least one of stdout and stderr must be True")
    query: LogQuery = {
        "stdout": stdout,
        "stderr": stderr,
        "follow": follow,
        "timestamps": timestamps,
    }
    if tail is not None:
        query["tail"] = str(tail)
    if since is not None:
        query["since"] = _epoch("since", since)
    if until is not None:
        query["until"] = _epoch("until", until)
    return query


def _epoch(key: str, value: datetime | int) -> str:
    if isinstance(value, datetime):
        return str(int(value.timestamp()))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InvalidArgument(f"logs: {key} must be a datetime or an int, not {value!r}")


def in_chunks(chunks: Iterable[bytes], size: int | None) -> Iterator[bytes]:
    """``chunks`` cut to at most ``size`` bytes each (None: as they came)."""
    for chunk in chunks:
        if size is None or len(chunk) <= size:
            yield chunk
            continue
        for start in range(0, len(chunk), size):
            yield chunk[start : start + size]


def checked_chunk_size(chunk_size: int | None) -> int | None:
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    ):
        raise InvalidArgument(f"chunk_size must be a positive int or None, not {chunk_size!r}")
    return chunk_size


StatsItem = dict[str, object]


def stats_dict(sample: StatsJSON) -> StatsItem:
    return sample.to_dict()


def stats_json(sample: StatsJSON) -> bytes:
    return json.dumps(sample.to_dict()).encode()
