"""The types of the keywords that create a container: `CreateKeywords`, `RunKeywords` and
the small dicts their structured values take (mounts, ports, health check, ...).

Inputs are Mapping and Sequence, so a caller's own dicts and tuples fit; where podman-py
reads keys case-insensitively (mounts) or takes docker-py's spellings (health check),
the types name the documented spelling and the run-time reader accepts the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Required, TypedDict

# Imported at run time, not under TYPE_CHECKING: get_type_hints(CreateKeywords) must
# resolve ``pod``'s type.
from podman_sdk.pods._pod import AsyncPod, Pod

__all__ = [
    "BlkioWeightDevice",
    "CreateKeywords",
    "Healthcheck",
    "LogConfig",
    "LogConfigOptions",
    "Mount",
    "NetworkEndpoint",
    "PortBinding",
    "PortHost",
    "PortRange",
    "RestartPolicy",
    "RunKeywords",
    "SecretMount",
    "ThrottleDevice",
    "Ulimit",
    "VolumeBinding",
]


class BlkioWeightDevice(TypedDict):
    """One entry of ``blkio_weight_device``."""

    Path: str
    Weight: int


class ThrottleDevice(TypedDict):
    """One entry of ``device_read_bps`` and its three siblings."""

    Path: str
    Rate: int


class Healthcheck(TypedDict, total=False):
    """``healthcheck``: Docker's health config. Durations are in nanoseconds; at run time
    docker-py's snake_case spellings (``start_period``) are accepted too."""

    Test: Required[str | Sequence[str]]
    Interval: int
    Timeout: int
    Retries: int
    StartPeriod: int
    StartInterval: int


class LogConfigOptions(TypedDict, total=False):
    """The ``Config`` of ``log_config``, as podman-py reads it."""

    path: str
    size: int | str
    options: Mapping[str, str]


class LogConfig(TypedDict, total=False):
    """``log_config``: the log driver and its settings."""

    Type: Required[str]
    Config: LogConfigOptions


class Mount(TypedDict, total=False):
    """One entry of ``mounts`` (keys are case-insensitive at run time, as in podman-py)."""

    type: Required[Literal["bind", "volume", "tmpfs", "image", "devpts", "ramfs", "glob"]]
    source: str
    target: Required[str]
    read_only: bool
    relabel: Literal["z", "Z"]
    propagation: Literal[
        "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable"
    ]
    consistency: str
    mode: int | str
    size: int | str
    chown: bool


class NetworkEndpoint(TypedDict, total=False):
    """The settings of one network in ``networks`` (Podman's per-network options)."""

    aliases: Sequence[str]
    interface_name: str
    static_ips: Sequence[str]
    static_mac: str
    options: Mapping[str, str]


class PortRange(TypedDict, total=False):
    """A host binding given as a dict in ``ports``: ``{"port": 3333, "range": 4}``."""

    port: int | str | tuple[str, int]
    range: int
    ip: str


#: One host side of a ``ports`` entry: a port, an ``(address, port)`` pair, ``(address,)``
#: or ``None`` (a random port), or a `PortRange`.
PortHost = int | str | tuple[str, int] | tuple[str] | PortRange | None
# A list, not a Sequence: a tuple already means (address, port).
PortBinding = PortHost | list[int | str | tuple[str, int] | tuple[str] | PortRange]


class RestartPolicy(TypedDict, total=False):
    """``restart_policy``: ``{"Name": "on-failure", "MaximumRetryCount": 5}``."""

    Name: Required[Literal["no", "always", "on-failure", "unless-stopped"]]
    MaximumRetryCount: int


class SecretMount(TypedDict, total=False):
    """A secret of ``secrets`` given as a dict."""

    source: Required[str]
    target: str
    uid: int
    gid: int
    mode: int


class Ulimit(TypedDict):
    """One entry of ``ulimits``: ``{"Name": "nofile", "Soft": 1024, "Hard": 2048}``."""

    Name: str
    Soft: int
    Hard: int


class VolumeBinding(TypedDict, total=False):
    """The value of a ``volumes`` entry: ``{"bind": "/mnt", "mode": "ro"}``."""

    bind: Required[str]
    mode: str
    extended_mode: Sequence[str]


class CreateKeywords(TypedDict, total=False):
    """The keywords of ``containers.create()``: podman-py 5.8.0's documented ones, typed.

    docs/containers-create.md gives the `SpecGenerator` field each one sets; the ones
    marked there as refused raise `InvalidArgument`, for Podman has nothing to set."""

    auto_remove: bool
    blkio_weight: int
    blkio_weight_device: Sequence[BlkioWeightDevice]
    cap_add: Sequence[str]
    cap_drop: Sequence[str]
    cgroup_parent: str
    cgroups_mode: Literal["enabled", "disabled", "no-conmon", "split"]
    cpu_count: int
    cpu_percent: int
    cpu_period: int
    cpu_quota: int
    cpu_rt_period: int
    cpu_rt_runtime: int
    cpu_shares: int
    cpuset_cpus: str
    cpuset_mems: str
    device_cgroup_rules: Sequence[str]
    device_read_bps: Sequence[ThrottleDevice]
    device_read_iops: Sequence[ThrottleDevice]
    device_write_bps: Sequence[ThrottleDevice]
    device_write_iops: Sequence[ThrottleDevice]
    devices: Sequence[str]
    dns: Sequence[str]
    dns_opt: Sequence[str]
    dns_search: Sequence[str]
    domainname: str | Sequence[str]
    entrypoint: str | Sequence[str]
    environment: Mapping[str, str] | Sequence[str]
    extra_hosts: Mapping[str, str]
    group_add: Sequence[str | int]
    healthcheck: Healthcheck
    health_check_on_failure_action: int
    health_cmd: str
    health_interval: str
    health_log_destination: str
    health_max_log_count: int
    health_max_logs_size: int
    health_on_failure: Literal["none", "kill", "restart", "stop"]
    health_retries: int
    health_start_period: str
    health_startup_cmd: str
    health_startup_interval: str
    health_startup_retries: int
    health_startup_success: int
    health_startup_timeout: str
    health_timeout: str
    hostname: str
    init: bool
    init_path: str
    ipc_mode: str
    isolation: str
    kernel_memory: int | str
    labels: Mapping[str, str] | Sequence[str]
    links: Mapping[str, str | None]
    log_config: LogConfig
    lxc_config: Mapping[str, str]
    mac_address: str
    mem_limit: int | str
    mem_reservation: int | str
    mem_swappiness: int
    memswap_limit: int | str
    mounts: Sequence[Mount]
    name: str
    nano_cpus: int
    networks: Mapping[str, NetworkEndpoint]
    network_disabled: bool
    network_mode: str
    oom_kill_disable: bool
    oom_score_adj: int
    pid_mode: str
    pids_limit: int
    platform: str
    pod: str | Pod | AsyncPod
    ports: Mapping[int | str, PortBinding]
    privileged: bool
    publish_all_ports: bool
    read_only: bool
    read_write_tmpfs: bool
    restart_policy: RestartPolicy
    runtime: str
    secrets: Sequence[str | SecretMount]
    secret_env: Mapping[str, str]
    security_opt: Sequence[str]
    shm_size: int | str
    stdin_open: bool
    stop_signal: str | int
    storage_opt: Mapping[str, str]
    sysctls: Mapping[str, str]
    tmpfs: Mapping[str, str]
    tty: bool
    ulimits: Sequence[Ulimit]
    use_config_proxy: bool
    user: str | int
    userns_mode: str
    uts_mode: str
    version: str
    volume_driver: str
    volumes: Mapping[str, VolumeBinding]
    volumes_from: Sequence[str]
    working_dir: str
    workdir: str


class RunKeywords(CreateKeywords, total=False):
    """The keywords of ``containers.run()``: `CreateKeywords` and the five only run reads."""

    detach: bool
    stream: bool
    remove: bool
    stdout: bool
    stderr: bool
