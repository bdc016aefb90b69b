"""The keywords of ``containers.create()`` and ``run()``, turned into a `SpecGenerator`.

`CreateKeywords` types every keyword podman-py 5.8.0's ``ContainersManager.create()``
documents, plus ``cgroups_mode`` and ``pod``; `RunKeywords` adds the five that only
``run()`` reads. `spec_generator_from_keywords` is the one pure function that maps them
onto the body of ``POST /libpod/containers/create``; it sends nothing. Its rules:

- A keyword it does not know raises `InvalidArgument` naming it and the closest known
  name; a value of the wrong type, or one Podman would refuse, raises naming the keyword.
- Each keyword sets the `SpecGenerator` field that Podman's server reads (its Go
  ``specgen.SpecGenerator``); where podman-py sends a field the server ignores or cannot
  decode, the field the server reads is set instead (docs/containers-create.md lists them).
- A keyword with no `SpecGenerator` equivalent (``cpu_count``, ``isolation``, ...) raises
  `InvalidArgument` saying so: nothing is dropped silently.

A few fields are read only by newer Podman releases; `check_server_reads` refuses them for
an older server, which would skip them without a word.

For what the keywords do not cover, `merge_spec` lays a keyword spec over a caller's own
`SpecGenerator`: objects merge key by key, and any other value the keywords set replaces
the caller's.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence

from libpod_client.models import SpecGenerator

from podman_sdk._core._api_version import Version, require
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.containers._create_types import (
    BlkioWeightDevice,
    CreateKeywords,
    Healthcheck,
    LogConfig,
    LogConfigOptions,
    Mount,
    NetworkEndpoint,
    PortBinding,
    PortHost,
    PortRange,
    RestartPolicy,
    RunKeywords,
    SecretMount,
    ThrottleDevice,
    Ulimit,
    VolumeBinding,
)
from podman_sdk.containers._create_values import (
    Body,
    Read,
    as_bool,
    as_choice,
    as_command,
    as_device_cgroup_rules,
    as_devices,
    as_duration,
    as_environment,
    as_extra_hosts,
    as_groups,
    as_health_test,
    as_healthcheck,
    as_int,
    as_interval,
    as_labels,
    as_log_config,
    as_mount,
    as_namespace,
    as_networks,
    as_path_map,
    as_pod,
    as_ports,
    as_secrets,
    as_sequence,
    as_signal,
    as_size,
    as_str,
    as_str_map,
    as_strings,
    as_timeout,
    as_tmpfs,
    as_uint,
    as_ulimits,
    as_user,
    list_at,
    section,
    set_network_mode,
    set_platform,
    set_restart_policy,
    set_security_opt,
    set_volumes,
)

__all__ = [
    "REFUSED_KEYWORDS",
    "RUN_ONLY_KEYWORDS",
    "SERVER_READS_FROM",
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
    "check_server_reads",
    "merge_spec",
    "spec_generator_from_keywords",
]


#: The keywords only ``run()`` reads; `spec_generator_from_keywords` refuses them.
RUN_ONLY_KEYWORDS = frozenset(RunKeywords.__annotations__) - frozenset(
    CreateKeywords.__annotations__
)

#: Documented keywords that Podman's `SpecGenerator` has no field for, and why.
REFUSED_KEYWORDS: Mapping[str, str] = {
    "cpu_count": "is Windows-only; Podman has no such setting (use nano_cpus or cpu_quota)",
    "cpu_percent": "is Windows-only; Podman has no such setting (use nano_cpus or cpu_quota)",
    "domainname": "has no SpecGenerator field: Podman cannot set a container's domain name",
    "isolation": "is Windows-only; Podman has no such setting",
    "links": "is not supported by Podman (legacy Docker links); join a common network instead",
    "lxc_config": "has no SpecGenerator field: Podman does not run LXC",
    "mac_address": (
        "has no SpecGenerator field since Podman 4; set static_mac of a network in networks="
    ),
    "version": "is not a container setting: the client's API version is set on the client",
    "volume_driver": "has no SpecGenerator field: create the volume with its driver first",
}


def spec_generator_from_keywords(
    image: str, command: str | Sequence[str] | None, keywords: Mapping[str, object]
) -> SpecGenerator:
    """Build the body of ``POST /libpod/containers/create`` from create()'s keywords.

    A string ``command`` or ``entrypoint`` is split as a POSIX shell would. Pure: nothing
    is sent. Raises `InvalidArgument` for an unknown keyword (naming the closest known
    one), a keyword only ``run()`` reads, a refused keyword, or a bad value."""
    _check_names(keywords)
    body: Body = {"image": as_str("image", image)}
    if command is not None:
        body["command"] = as_command("command", command)
    for name, value in keywords.items():
        if name in _FIELDS:
            _FIELDS[name](body, name, value)
    for group in _GROUPS:
        group(body, keywords)
    return SpecGenerator.from_dict(body)


#: Body fields an older Podman does not read (its Go decoder skips them without a word):
#: the keyword that sets each, and the first release that reads it. Checked in the
#: source: 4.3.1 reads none of them, 5.4.2 all; the boundaries between come from
#: Podman's release notes, rounded up to 5.0 where they are not certain.
SERVER_READS_FROM: Mapping[str, tuple[str, Version]] = {
    "startupHealthConfig": ("health_startup_cmd", Version(4, 4, 0)),
    "read_write_tmpfs": ("read_write_tmpfs", Version(5, 0, 0)),
    "label_nested": ("security_opt label=nested", Version(5, 0, 0)),
    "healthLogDestination": ("health_log_destination", Version(5, 3, 0)),
    "healthMaxLogCount": ("health_max_log_count", Version(5, 3, 0)),
    "healthMaxLogSize": ("health_max_logs_size", Version(5, 3, 0)),
}


def check_server_reads(spec: SpecGenerator, server: Version) -> None:
    """Raise `UnsupportedServer` when ``spec`` sets a field that Podman ``server``
    ignores, naming the keyword: an old server would drop it silently. Pure."""
    body = spec.to_dict()
    for field, (keyword, first) in SERVER_READS_FROM.items():
        if field in body:
            require(server, first, f"{keyword}= (the {field} field)")


def merge_spec(base: SpecGenerator, keywords_spec: SpecGenerator) -> SpecGenerator:
    """Lay ``keywords_spec`` over ``base``: objects merge key by key, and any other value
    ``keywords_spec`` sets (a string, a number, a list) replaces the one in ``base``.

    ``base`` is the caller's own spec, for fields no keyword covers; neither is changed."""
    return SpecGenerator.from_dict(_merged(base.to_dict(), keywords_spec.to_dict()))


def _merged(under: Mapping[str, object], over: Mapping[str, object]) -> Body:
    result: Body = dict(under)
    for key, value in over.items():
        below = result.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            result[key] = _merged(below, value)
        else:
            result[key] = value
    return result


def _check_names(keywords: Mapping[str, object]) -> None:
    known = set(CreateKeywords.__annotations__)
    for name in keywords:
        if name in RUN_ONLY_KEYWORDS:
            raise InvalidArgument(f"{name}= is a keyword of containers.run(), not of create()")
        if name in REFUSED_KEYWORDS:
            raise InvalidArgument(f"{name}= {REFUSED_KEYWORDS[name]}")
        if name not in known:
            close = difflib.get_close_matches(str(name), sorted(known), n=1)
            hint = f"; did you mean {close[0]}=?" if close else ""
            raise InvalidArgument(f"{name}= is not a keyword of containers.create(){hint}")


# ---------------------------------------------------------------- keyword groups


_HEALTH = (
    "health_cmd",
    "health_interval",
    "health_retries",
    "health_start_period",
    "health_timeout",
)
_STARTUP = (
    "health_startup_cmd", "health_startup_interval", "health_startup_retries",
    "health_startup_success", "health_startup_timeout",
)  # fmt: skip
_ON_FAILURE = {"none": 0, "kill": 2, "restart": 3, "stop": 4}


def _health_group(body: Body, keywords: Mapping[str, object]) -> None:
    given = [name for name in _HEALTH if name in keywords]
    if "healthcheck" in keywords:
        if given:
            raise InvalidArgument(
                f"healthcheck= and {given[0]}= both set the health check; give one"
            )
        body["healthconfig"] = as_healthcheck("healthcheck", keywords["healthcheck"])
    elif given:
        if "health_cmd" not in keywords:
            raise InvalidArgument(f"{given[0]}= needs health_cmd= (or healthcheck=)")
        get = keywords.get
        body["healthconfig"] = {
            "Test": as_health_test("health_cmd", keywords["health_cmd"]),
            "Interval": as_interval("health_interval", get("health_interval", "30s")),
            "Retries": as_int("health_retries", get("health_retries", 3), minimum=1),
            "Timeout": as_timeout("health_timeout", get("health_timeout", "30s")),
            "StartPeriod": as_duration("health_start_period", get("health_start_period", "0s")),
        }
    startup = [name for name in _STARTUP if name in keywords]
    if startup:
        if "health_startup_cmd" not in keywords:
            raise InvalidArgument(f"{startup[0]}= needs health_startup_cmd=")
        get = keywords.get
        body["startupHealthConfig"] = {
            "Test": as_health_test("health_startup_cmd", keywords["health_startup_cmd"]),
            "Interval": as_interval(
                "health_startup_interval", get("health_startup_interval", "30s")
            ),
            "Retries": as_uint("health_startup_retries", get("health_startup_retries", 0)),
            "Timeout": as_timeout("health_startup_timeout", get("health_startup_timeout", "30s")),
            "Successes": as_uint("health_startup_success", get("health_startup_success", 0)),
        }
    if "health_on_failure" in keywords:
        if "health_check_on_failure_action" in keywords:
            raise InvalidArgument(
                "health_on_failure= and health_check_on_failure_action= both set the action; give one"
            )
        action = as_choice("health_on_failure", keywords["health_on_failure"], tuple(_ON_FAILURE))
        body["health_check_on_failure_action"] = _ON_FAILURE[action]
    elif "health_check_on_failure_action" in keywords:
        number = as_int(
            "health_check_on_failure_action", keywords["health_check_on_failure_action"]
        )
        if number not in _ON_FAILURE.values():
            raise InvalidArgument(
                f"health_check_on_failure_action= {number} is not 0 (none), 2 (kill), "
                "3 (restart) or 4 (stop)"
            )
        body["health_check_on_failure_action"] = number


def _network_group(body: Body, keywords: Mapping[str, object]) -> None:
    mode = keywords.get("network_mode")
    if "network_disabled" in keywords and as_bool("network_disabled", keywords["network_disabled"]):
        if mode not in (None, "none") or keywords.get("networks"):
            raise InvalidArgument("network_disabled=True cannot be combined with a network")
        body["netns"] = {"nsmode": "none"}
    if mode is not None:
        set_network_mode(body, "network_mode", mode)
    if "networks" in keywords:
        networks = as_networks("networks", keywords["networks"])
        if networks:
            if body.get("netns", {"nsmode": "bridge"}) != {"nsmode": "bridge"}:
                raise InvalidArgument(
                    f"networks= needs bridge network mode, not network_mode={mode!r}"
                )
            body["netns"] = {"nsmode": "bridge"}
            section(body, "Networks").update(networks)


def _cpu_group(body: Body, keywords: Mapping[str, object]) -> None:
    if "nano_cpus" not in keywords:
        return
    nano_cpus = as_uint("nano_cpus", keywords["nano_cpus"])
    clash = [name for name in ("cpu_period", "cpu_quota") if name in keywords]
    if clash:
        raise InvalidArgument(f"nano_cpus= and {clash[0]}= both set the CPU quota; give one")
    if nano_cpus:
        # Podman's Docker-compatible handler turns NanoCpus into a quota per 100 ms period.
        quota = nano_cpus * 100_000 // 10**9
        if quota < 1000:
            raise InvalidArgument(f"nano_cpus= {nano_cpus} is below the least quota (0.01 CPU)")
        section(body, "resource_limits", "cpu").update(period=100_000, quota=quota)


def _workdir_group(body: Body, keywords: Mapping[str, object]) -> None:
    paths = {
        as_str(name, keywords[name]) for name in ("working_dir", "workdir") if name in keywords
    }
    if len(paths) > 1:
        raise InvalidArgument("working_dir= and workdir= name different directories; give one")
    if paths:
        body["work_dir"] = paths.pop()


#: Keywords read together by one function of `_GROUPS`, not one by one.
_GROUPS: Sequence[Callable[[Body, Mapping[str, object]], None]] = (
    _health_group, _network_group, _cpu_group, _workdir_group,
)  # fmt: skip
GROUPED_KEYWORDS = frozenset(
    ("healthcheck", *_HEALTH, *_STARTUP, "health_on_failure", "health_check_on_failure_action",
     "network_mode", "network_disabled", "networks", "nano_cpus", "working_dir", "workdir")
)  # fmt: skip


# ---------------------------------------------------------------- one keyword, one field


def _to(*path: str, read: Read) -> Callable[[Body, str, object], None]:
    """A keyword whose value, read by ``read``, is the field at ``path``."""

    def put(body: Body, name: str, value: object) -> None:
        section(body, *path[:-1])[path[-1]] = read(name, value)

    return put


def _appended(
    field: str, read: Callable[[str, object], list[dict[str, object]]]
) -> Callable[[Body, str, object], None]:
    def put(body: Body, name: str, value: object) -> None:
        list_at(body, field).extend(read(name, value))

    return put


def _ranged(low: int, high: int) -> Read:
    def read(name: str, value: object) -> int:
        number = as_int(name, value)
        if not low <= number <= high:
            raise InvalidArgument(f"{name}= must be from {low} to {high}, not {number}")
        return number

    return read


def _swap(name: str, value: object) -> int:
    return -1 if value == -1 else as_size(name, value)


def _mounts(name: str, value: object) -> list[dict[str, object]]:
    return [as_mount(f"{name}[{i}]", entry) for i, entry in enumerate(as_sequence(name, value))]


def _cgroups_mode(name: str, value: object) -> str:
    return as_choice(name, value, ("enabled", "disabled", "no-conmon", "split"))


_MEMORY = ("resource_limits", "memory")
_CPU = ("resource_limits", "cpu")

_FIELDS: Mapping[str, Callable[[Body, str, object], None]] = {
    "auto_remove": _to("remove", read=as_bool),
    "blkio_weight": _to("resource_limits", "blockIO", "weight", read=_ranged(10, 1000)),
    "blkio_weight_device": _to(
        "weightDevice", read=lambda n, v: as_path_map(n, v, "Weight", "weight")
    ),
    "cap_add": _to("cap_add", read=as_strings),
    "cap_drop": _to("cap_drop", read=as_strings),
    "cgroup_parent": _to("cgroup_parent", read=as_str),
    "cgroups_mode": _to("cgroups_mode", read=_cgroups_mode),
    "cpu_period": _to(*_CPU, "period", read=as_uint),
    "cpu_quota": _to(*_CPU, "quota", read=as_int),
    "cpu_rt_period": _to(*_CPU, "realtimePeriod", read=as_uint),
    "cpu_rt_runtime": _to(*_CPU, "realtimeRuntime", read=as_int),
    "cpu_shares": _to(*_CPU, "shares", read=as_uint),
    "cpuset_cpus": _to(*_CPU, "cpus", read=as_str),
    "cpuset_mems": _to(*_CPU, "mems", read=as_str),
    "device_cgroup_rules": _to("device_cgroup_rule", read=as_device_cgroup_rules),
    "device_read_bps": _to(
        "throttleReadBpsDevice", read=lambda n, v: as_path_map(n, v, "Rate", "rate")
    ),
    "device_read_iops": _to(
        "throttleReadIOPSDevice", read=lambda n, v: as_path_map(n, v, "Rate", "rate")
    ),
    "device_write_bps": _to(
        "throttleWriteBpsDevice", read=lambda n, v: as_path_map(n, v, "Rate", "rate")
    ),
    "device_write_iops": _to(
        "throttleWriteIOPSDevice", read=lambda n, v: as_path_map(n, v, "Rate", "rate")
    ),
    "devices": _to("devices", read=as_devices),
    "dns": _to("dns_server", read=as_strings),
    "dns_opt": _to("dns_option", read=as_strings),
    "dns_search": _to("dns_search", read=as_strings),
    "entrypoint": _to("entrypoint", read=as_command),
    "environment": _to("env", read=as_environment),
    "extra_hosts": _to("hostadd", read=as_extra_hosts),
    "group_add": _to("groups", read=as_groups),
    "health_log_destination": _to("healthLogDestination", read=as_str),
    "health_max_log_count": _to("healthMaxLogCount", read=as_uint),
    "health_max_logs_size": _to("healthMaxLogSize", read=as_uint),
    "hostname": _to("hostname", read=as_str),
    "init": _to("init", read=as_bool),
    "init_path": _to("init_path", read=as_str),
    "ipc_mode": _to("ipcns", read=lambda n, v: as_namespace(n, v, ("shareable", "none"))),
    "kernel_memory": _to(*_MEMORY, "kernel", read=as_size),
    "labels": _to("labels", read=as_labels),
    "log_config": _to("log_configuration", read=as_log_config),
    "mem_limit": _to(*_MEMORY, "limit", read=as_size),
    "mem_reservation": _to(*_MEMORY, "reservation", read=as_size),
    "mem_swappiness": _to(*_MEMORY, "swappiness", read=_ranged(0, 100)),
    "memswap_limit": _to(*_MEMORY, "swap", read=_swap),
    "mounts": _appended("mounts", _mounts),
    "name": _to("name", read=as_str),
    "oom_kill_disable": _to(*_MEMORY, "disableOOMKiller", read=as_bool),
    "oom_score_adj": _to("oom_score_adj", read=_ranged(-1000, 1000)),
    "pid_mode": _to("pidns", read=as_namespace),
    "pids_limit": _to(
        "resource_limits", "pids", "limit", read=lambda n, v: as_int(n, v, minimum=-1)
    ),
    "platform": set_platform,
    "pod": _to("pod", read=as_pod),
    "ports": _appended("portmappings", as_ports),
    "privileged": _to("privileged", read=as_bool),
    "publish_all_ports": _to("publish_image_ports", read=as_bool),
    "read_only": _to("read_only_filesystem", read=as_bool),
    "read_write_tmpfs": _to("read_write_tmpfs", read=as_bool),
    "restart_policy": set_restart_policy,
    "runtime": _to("oci_runtime", read=as_str),
    "secrets": _to("secrets", read=as_secrets),
    "secret_env": _to("secret_env", read=as_str_map),
    "security_opt": set_security_opt,
    "shm_size": _to("shm_size", read=as_size),
    "stdin_open": _to("stdin", read=as_bool),
    "stop_signal": _to("stop_signal", read=as_signal),
    "storage_opt": _to("storage_opts", read=as_str_map),
    "sysctls": _to("sysctl", read=as_str_map),
    "tmpfs": _appended("mounts", as_tmpfs),
    "tty": _to("terminal", read=as_bool),
    "ulimits": _to("r_limits", read=as_ulimits),
    "use_config_proxy": _to("httpproxy", read=as_bool),
    "user": _to("user", read=as_user),
    "userns_mode": _to(
        "userns", read=lambda n, v: as_namespace(n, v, ("auto", "keep-id", "nomap"))
    ),
    "uts_mode": _to("utsns", read=as_namespace),
    "volumes": set_volumes,
    "volumes_from": _to("volumes_from", read=as_strings),
}
