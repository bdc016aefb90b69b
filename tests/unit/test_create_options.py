"""create()'s keywords become the SpecGenerator fields Podman's server reads (its Go
``specgen.SpecGenerator`` JSON names), and every keyword is either mapped or refused
with a reason: none is dropped, none is sent anywhere."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from libpod_client.models import SpecGenerator
from podman_sdk import InvalidArgument
from podman_sdk._core._api_version import UnsupportedServer, Version
from podman_sdk.containers import _create_options
from podman_sdk.containers._create_options import (
    REFUSED_KEYWORDS,
    RUN_ONLY_KEYWORDS,
    SERVER_READS_FROM,
    CreateKeywords,
    RunKeywords,
    check_server_reads,
    merge_spec,
    spec_generator_from_keywords,
)

IMAGE = "quay.io/example/busybox:1"
MIB = 1024 * 1024
SECOND = 10**9

# keyword -> (the keywords given, the body expected besides "image"). Values are written
# out by hand from Podman's Go source, not computed by the code under test.
MAPPED: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "auto_remove": ({"auto_remove": True}, {"remove": True}),
    "blkio_weight": ({"blkio_weight": 300}, {"resource_limits": {"blockIO": {"weight": 300}}}),
    "blkio_weight_device": (
        {"blkio_weight_device": [{"Path": "/dev/sda", "Weight": 200}]},
        {"weightDevice": {"/dev/sda": {"weight": 200}}},
    ),
    "cap_add": ({"cap_add": ["NET_ADMIN"]}, {"cap_add": ["NET_ADMIN"]}),
    "cap_drop": ({"cap_drop": ("MKNOD", "CHOWN")}, {"cap_drop": ["MKNOD", "CHOWN"]}),
    "cgroup_parent": ({"cgroup_parent": "/machine"}, {"cgroup_parent": "/machine"}),
    "cgroups_mode": ({"cgroups_mode": "disabled"}, {"cgroups_mode": "disabled"}),
    "cpu_period": ({"cpu_period": 50000}, {"resource_limits": {"cpu": {"period": 50000}}}),
    "cpu_quota": ({"cpu_quota": 25000}, {"resource_limits": {"cpu": {"quota": 25000}}}),
    "cpu_rt_period": (
        {"cpu_rt_period": 1000},
        {"resource_limits": {"cpu": {"realtimePeriod": 1000}}},
    ),
    "cpu_rt_runtime": (
        {"cpu_rt_runtime": 950},
        {"resource_limits": {"cpu": {"realtimeRuntime": 950}}},
    ),
    "cpu_shares": ({"cpu_shares": 512}, {"resource_limits": {"cpu": {"shares": 512}}}),
    "cpuset_cpus": ({"cpuset_cpus": "0-1"}, {"resource_limits": {"cpu": {"cpus": "0-1"}}}),
    "cpuset_mems": ({"cpuset_mems": "0"}, {"resource_limits": {"cpu": {"mems": "0"}}}),
    "device_cgroup_rules": (
        {"device_cgroup_rules": ["c 1:3 mr", "b *:* rwm"]},
        {
            "device_cgroup_rule": [
                {"allow": True, "type": "c", "major": 1, "minor": 3, "access": "mr"},
                {"allow": True, "type": "b", "access": "rwm"},
            ]
        },
    ),
    "device_read_bps": (
        {"device_read_bps": [{"Path": "/dev/sda", "Rate": 1024}]},
        {"throttleReadBpsDevice": {"/dev/sda": {"rate": 1024}}},
    ),
    "device_read_iops": (
        {"device_read_iops": [{"Path": "/dev/sda", "Rate": 100}]},
        {"throttleReadIOPSDevice": {"/dev/sda": {"rate": 100}}},
    ),
    "device_write_bps": (
        {"device_write_bps": [{"Path": "/dev/sdb", "Rate": 2048}]},
        {"throttleWriteBpsDevice": {"/dev/sdb": {"rate": 2048}}},
    ),
    "device_write_iops": (
        {"device_write_iops": [{"Path": "/dev/sdb", "Rate": 50}]},
        {"throttleWriteIOPSDevice": {"/dev/sdb": {"rate": 50}}},
    ),
    "devices": (
        {"devices": ["/dev/null:/dev/foo:rwm"]},
        {"devices": [{"path": "/dev/null:/dev/foo:rwm"}]},
    ),
    "dns": ({"dns": ["192.0.2.53"]}, {"dns_server": ["192.0.2.53"]}),
    "dns_opt": ({"dns_opt": ["edns0"]}, {"dns_option": ["edns0"]}),
    "dns_search": ({"dns_search": ["example.org"]}, {"dns_search": ["example.org"]}),
    "entrypoint": ({"entrypoint": "/bin/sh -c"}, {"entrypoint": ["/bin/sh", "-c"]}),
    "environment": ({"environment": ["A=1", "B=x=y"]}, {"env": {"A": "1", "B": "x=y"}}),
    "extra_hosts": (
        {"extra_hosts": {"db": "192.0.2.7"}},
        {"hostadd": ["db:192.0.2.7"]},
    ),
    "group_add": ({"group_add": ["wheel", 1000]}, {"groups": ["wheel", "1000"]}),
    "healthcheck": (
        {"healthcheck": {"Test": ["CMD", "true"], "Interval": 5 * SECOND, "Retries": 2}},
        {"healthconfig": {"Test": ["CMD", "true"], "Interval": 5 * SECOND, "Retries": 2}},
    ),
    "health_check_on_failure_action": (
        {"health_check_on_failure_action": 2},
        {"health_check_on_failure_action": 2},
    ),
    "health_cmd": (
        {"health_cmd": "ls /"},
        {
            "healthconfig": {
                "Test": ["CMD-SHELL", "ls /"],
                "Interval": 30 * SECOND,
                "Retries": 3,
                "Timeout": 30 * SECOND,
                "StartPeriod": 0,
            }
        },
    ),
    "health_interval": (
        {"health_cmd": "true", "health_interval": "1m30s"},
        {
            "healthconfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 90 * SECOND,
                "Retries": 3,
                "Timeout": 30 * SECOND,
                "StartPeriod": 0,
            }
        },
    ),
    "health_log_destination": (
        {"health_log_destination": "events_logger"},
        {"healthLogDestination": "events_logger"},
    ),
    "health_max_log_count": ({"health_max_log_count": 7}, {"healthMaxLogCount": 7}),
    "health_max_logs_size": ({"health_max_logs_size": 900}, {"healthMaxLogSize": 900}),
    "health_on_failure": (
        {"health_on_failure": "restart"},
        {"health_check_on_failure_action": 3},
    ),
    "health_retries": (
        {"health_cmd": "true", "health_retries": 9},
        {
            "healthconfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 9,
                "Timeout": 30 * SECOND,
                "StartPeriod": 0,
            }
        },
    ),
    "health_start_period": (
        {"health_cmd": "true", "health_start_period": "500ms"},
        {
            "healthconfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 3,
                "Timeout": 30 * SECOND,
                "StartPeriod": SECOND // 2,
            }
        },
    ),
    "health_startup_cmd": (
        {"health_startup_cmd": "CMD test -e /ready"},
        {
            "startupHealthConfig": {
                "Test": ["CMD", "test", "-e", "/ready"],
                "Interval": 30 * SECOND,
                "Retries": 0,
                "Timeout": 30 * SECOND,
                "Successes": 0,
            }
        },
    ),
    "health_startup_interval": (
        {"health_startup_cmd": "true", "health_startup_interval": "2s"},
        {
            "startupHealthConfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 2 * SECOND,
                "Retries": 0,
                "Timeout": 30 * SECOND,
                "Successes": 0,
            }
        },
    ),
    "health_startup_retries": (
        {"health_startup_cmd": "true", "health_startup_retries": 4},
        {
            "startupHealthConfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 4,
                "Timeout": 30 * SECOND,
                "Successes": 0,
            }
        },
    ),
    "health_startup_success": (
        {"health_startup_cmd": "true", "health_startup_success": 2},
        {
            "startupHealthConfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 0,
                "Timeout": 30 * SECOND,
                "Successes": 2,
            }
        },
    ),
    "health_startup_timeout": (
        {"health_startup_cmd": "true", "health_startup_timeout": "10s"},
        {
            "startupHealthConfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 0,
                "Timeout": 10 * SECOND,
                "Successes": 0,
            }
        },
    ),
    "health_timeout": (
        {"health_cmd": "true", "health_timeout": "10s"},
        {
            "healthconfig": {
                "Test": ["CMD-SHELL", "true"],
                "Interval": 30 * SECOND,
                "Retries": 3,
                "Timeout": 10 * SECOND,
                "StartPeriod": 0,
            }
        },
    ),
    "hostname": ({"hostname": "box"}, {"hostname": "box"}),
    "init": ({"init": True}, {"init": True}),
    "init_path": ({"init_path": "/usr/bin/catatonit"}, {"init_path": "/usr/bin/catatonit"}),
    "ipc_mode": ({"ipc_mode": "shareable"}, {"ipcns": {"nsmode": "shareable"}}),
    "kernel_memory": (
        {"kernel_memory": "4m"},
        {"resource_limits": {"memory": {"kernel": 4 * MIB}}},
    ),
    "labels": ({"labels": ["a", "b"]}, {"labels": {"a": "", "b": ""}}),
    "log_config": (
        {
            "log_config": {
                "Type": "k8s-file",
                "Config": {"path": "/tmp/c.log", "size": "1m", "options": {"tag": "x"}},
            }
        },
        {
            "log_configuration": {
                "driver": "k8s-file",
                "path": "/tmp/c.log",
                "size": MIB,
                "options": {"tag": "x"},
            }
        },
    ),
    "mem_limit": ({"mem_limit": "44m"}, {"resource_limits": {"memory": {"limit": 44 * MIB}}}),
    "mem_reservation": (
        {"mem_reservation": 1000},
        {"resource_limits": {"memory": {"reservation": 1000}}},
    ),
    "mem_swappiness": (
        {"mem_swappiness": 60},
        {"resource_limits": {"memory": {"swappiness": 60}}},
    ),
    "memswap_limit": ({"memswap_limit": -1}, {"resource_limits": {"memory": {"swap": -1}}}),
    "mounts": (
        {
            "mounts": [
                {"TypE": "bind", "SouRce": "/etc/hosts", "TarGet": "/h", "Read_Only": True},
                {"type": "tmpfs", "target": "/t", "size": "456k", "mode": 0o1777},
            ]
        },
        {
            "mounts": [
                {"type": "bind", "source": "/etc/hosts", "destination": "/h", "options": ["ro"]},
                {
                    "type": "tmpfs",
                    "source": "tmpfs",
                    "destination": "/t",
                    "options": ["size=456k", "mode=1777"],
                },
            ]
        },
    ),
    "name": ({"name": "web"}, {"name": "web"}),
    "nano_cpus": (
        {"nano_cpus": 1_500_000_000},
        {"resource_limits": {"cpu": {"period": 100_000, "quota": 150_000}}},
    ),
    "networks": (
        {"networks": {"podman": {"aliases": ["web"], "static_ips": ["10.88.0.9"]}}},
        {
            "netns": {"nsmode": "bridge"},
            "Networks": {"podman": {"aliases": ["web"], "static_ips": ["10.88.0.9"]}},
        },
    ),
    "network_disabled": ({"network_disabled": True}, {"netns": {"nsmode": "none"}}),
    "network_mode": (
        {"network_mode": "container:db"},
        {"netns": {"nsmode": "container", "value": "db"}},
    ),
    "oom_kill_disable": (
        {"oom_kill_disable": True},
        {"resource_limits": {"memory": {"disableOOMKiller": True}}},
    ),
    "oom_score_adj": ({"oom_score_adj": -500}, {"oom_score_adj": -500}),
    "pid_mode": ({"pid_mode": "host"}, {"pidns": {"nsmode": "host"}}),
    "pids_limit": ({"pids_limit": 100}, {"resource_limits": {"pids": {"limit": 100}}}),
    "platform": (
        {"platform": "linux/arm64/v8"},
        {"image_os": "linux", "image_arch": "arm64", "image_variant": "v8"},
    ),
    "pod": ({"pod": "mypod"}, {"pod": "mypod"}),
    "ports": (
        {"ports": {"80/tcp": [8080, ("127.0.0.1", "8081")], 53: None}},
        {
            "portmappings": [
                {"container_port": 80, "protocol": "tcp", "host_port": 8080},
                {
                    "container_port": 80,
                    "protocol": "tcp",
                    "host_ip": "127.0.0.1",
                    "host_port": 8081,
                },
                {"container_port": 53, "protocol": "tcp"},
            ]
        },
    ),
    "privileged": ({"privileged": True}, {"privileged": True}),
    "publish_all_ports": ({"publish_all_ports": True}, {"publish_image_ports": True}),
    "read_only": ({"read_only": True}, {"read_only_filesystem": True}),
    "read_write_tmpfs": ({"read_write_tmpfs": False}, {"read_write_tmpfs": False}),
    "restart_policy": (
        {"restart_policy": {"Name": "on-failure", "MaximumRetryCount": 5}},
        {"restart_policy": "on-failure", "restart_tries": 5},
    ),
    "runtime": ({"runtime": "crun"}, {"oci_runtime": "crun"}),
    "secrets": (
        {"secrets": ["token", {"source": "key", "target": "/k", "uid": 1, "mode": 0o400}]},
        {
            "secrets": [
                {"Source": "token"},
                {"Source": "key", "Target": "/k", "UID": 1, "Mode": 0o400},
            ]
        },
    ),
    "secret_env": ({"secret_env": {"TOKEN": "token"}}, {"secret_env": {"TOKEN": "token"}}),
    "security_opt": (
        {"security_opt": ["label=disable", "seccomp=unconfined", "no-new-privileges"]},
        {
            "selinux_opts": ["disable"],
            "seccomp_profile_path": "unconfined",
            "no_new_privileges": True,
        },
    ),
    "shm_size": ({"shm_size": "2g"}, {"shm_size": 2 * 1024 * MIB}),
    "stdin_open": ({"stdin_open": True}, {"stdin": True}),
    "stop_signal": ({"stop_signal": "SIGINT"}, {"stop_signal": 2}),
    "storage_opt": ({"storage_opt": {"size": "1G"}}, {"storage_opts": {"size": "1G"}}),
    "sysctls": (
        {"sysctls": {"net.ipv4.ip_forward": "1"}},
        {"sysctl": {"net.ipv4.ip_forward": "1"}},
    ),
    "tmpfs": (
        {"tmpfs": {"/run": "size=3G,uid=1000", "/cache": ""}},
        {
            "mounts": [
                {
                    "type": "tmpfs",
                    "source": "tmpfs",
                    "destination": "/run",
                    "options": ["size=3G", "uid=1000"],
                },
                {"type": "tmpfs", "source": "tmpfs", "destination": "/cache", "options": []},
            ]
        },
    ),
    "tty": ({"tty": True}, {"terminal": True}),
    "ulimits": (
        {"ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]},
        {"r_limits": [{"type": "nofile", "soft": 1024, "hard": 2048}]},
    ),
    "use_config_proxy": ({"use_config_proxy": False}, {"httpproxy": False}),
    "user": ({"user": 1000}, {"user": "1000"}),
    "userns_mode": (
        {"userns_mode": "keep-id:uid=1000"},
        {"userns": {"nsmode": "keep-id", "value": "uid=1000"}},
    ),
    "uts_mode": (
        {"uts_mode": "ns:/proc/1/ns/uts"},
        {"utsns": {"nsmode": "path", "value": "/proc/1/ns/uts"}},
    ),
    "volumes": (
        {
            "volumes": {
                "data": {"bind": "/data", "extended_mode": ["noexec"], "mode": "ro"},
                "/etc/hosts": {"bind": "/h", "mode": "rw"},
            }
        },
        {
            "volumes": [{"Name": "data", "Dest": "/data", "Options": ["noexec", "ro"]}],
            "mounts": [
                {"type": "bind", "source": "/etc/hosts", "destination": "/h", "options": ["rw"]}
            ],
        },
    ),
    "volumes_from": ({"volumes_from": ["db:ro"]}, {"volumes_from": ["db:ro"]}),
    "working_dir": ({"working_dir": "/srv"}, {"work_dir": "/srv"}),
    "workdir": ({"workdir": "/srv"}, {"work_dir": "/srv"}),
}

# A valid value for each refused keyword: refused for what it is, not for its value.
REFUSED: dict[str, object] = {
    "cpu_count": 2,
    "cpu_percent": 50,
    "domainname": "example.org",
    "isolation": "hyperv",
    "links": {"db": "database"},
    "lxc_config": {"lxc.arch": "x86_64"},
    "mac_address": "92:d0:c6:0a:29:33",
    "version": "auto",
    "volume_driver": "local",
}


def body(keywords: Mapping[str, object], command: str | list[str] | None = None) -> object:
    return spec_generator_from_keywords(IMAGE, command, keywords).to_dict()


def refusal(keywords: Mapping[str, object]) -> str:
    with pytest.raises(InvalidArgument) as caught:
        spec_generator_from_keywords(IMAGE, None, keywords)
    return str(caught.value)


# ---------------------------------------------------------------- every keyword


def test_every_keyword_of_create_keywords_is_mapped_or_refused() -> None:
    """Adding a key to CreateKeywords without a mapping (an example here) fails this."""
    keys = set(CreateKeywords.__annotations__)
    assert keys == set(MAPPED) | set(REFUSED), keys ^ (set(MAPPED) | set(REFUSED))
    assert not set(MAPPED) & set(REFUSED)
    assert set(REFUSED) == set(REFUSED_KEYWORDS)
    # ... and each mapped one has a reader: a field of its own or a group of keywords.
    readers = set(_create_options._FIELDS) | _create_options.GROUPED_KEYWORDS
    assert set(MAPPED) == readers


def test_create_keywords_are_podman_pys_documented_ones_and_two_more() -> None:
    documented = PODMAN_PY_DOCUMENTED
    assert set(RunKeywords.__annotations__) == documented | {"cgroups_mode", "pod"}
    assert frozenset({"detach", "stream", "remove", "stdout", "stderr"}) == RUN_ONLY_KEYWORDS


@pytest.mark.parametrize("keyword", sorted(MAPPED))
def test_a_keyword_sets_the_field_the_server_reads(keyword: str) -> None:
    keywords, expected = MAPPED[keyword]
    assert body(keywords) == {"image": IMAGE, **expected}


@pytest.mark.parametrize("keyword", sorted(MAPPED))
def test_the_body_parses_as_the_spec_says_with_nothing_left_over(keyword: str) -> None:
    spec = spec_generator_from_keywords(IMAGE, None, MAPPED[keyword][0])
    assert spec.additional_properties == {}
    assert SpecGenerator.from_dict(spec.to_dict()).to_dict() == spec.to_dict()


@pytest.mark.parametrize("keyword", sorted(REFUSED))
def test_a_keyword_podman_has_no_field_for_is_refused_saying_so(keyword: str) -> None:
    message = refusal({keyword: REFUSED[keyword]})
    assert message.startswith(f"{keyword}= ")
    assert REFUSED_KEYWORDS[keyword] in message


@pytest.mark.parametrize("keyword", sorted(MAPPED))
def test_a_value_of_no_accepted_type_is_refused_naming_the_keyword(keyword: str) -> None:
    keywords = {**MAPPED[keyword][0], keyword: object()}
    assert keyword in refusal(keywords)


@pytest.mark.parametrize("keyword", sorted(RUN_ONLY_KEYWORDS))
def test_a_keyword_only_run_reads_is_refused_by_create(keyword: str) -> None:
    assert (
        refusal({keyword: True}) == f"{keyword}= is a keyword of containers.run(), not of create()"
    )


@pytest.mark.parametrize(
    ("misspelled", "meant"),
    [
        ("enviroment", "environment"),
        ("working_directory", "working_dir"),
        ("mem_limt", "mem_limit"),
    ],
)
def test_a_misspelled_keyword_is_refused_with_the_closest_name(misspelled: str, meant: str) -> None:
    message = refusal({misspelled: "x"})
    assert (
        message == f"{misspelled}= is not a keyword of containers.create(); did you mean {meant}=?"
    )


def test_an_unknown_keyword_with_no_close_name_is_refused_naming_it() -> None:
    assert refusal({"zzqx": 1}) == "zzqx= is not a keyword of containers.create()"


def test_the_first_bad_keyword_is_refused_before_any_value_is_read() -> None:
    # The unknown name is reported even though a valid keyword comes first.
    assert "not a keyword" in refusal({"name": "ok", "colour": "blue"})


def test_nothing_that_sends_is_imported() -> None:
    """The mapping is pure: its modules import no transport, client or endpoint."""
    folder = Path(_create_options.__file__).parent
    imported: set[str] = set()
    for module in ("_create_options.py", "_create_values.py", "_create_types.py"):
        tree = ast.parse((folder / module).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert imported, "the walk found no imports at all"
    sending = {name for name in imported if name.split(".")[0] in ("httpx", "socket", "http")}
    sending |= {name for name in imported if ".api" in name or "_client" in name.split(".")[-1]}
    assert sending == set()


# The keywords podman-py 5.8.0's ContainersManager.create() docstring documents, in its order.
PODMAN_PY_DOCUMENTED = frozenset(
    [
        "auto_remove",
        "blkio_weight_device",
        "blkio_weight",
        "cap_add",
        "cap_drop",
        "cgroup_parent",
        "cpu_count",
        "cpu_percent",
        "cpu_period",
        "cpu_quota",
        "cpu_rt_period",
        "cpu_rt_runtime",
        "cpu_shares",
        "cpuset_cpus",
        "cpuset_mems",
        "detach",
        "device_cgroup_rules",
        "device_read_bps",
        "device_read_iops",
        "device_write_bps",
        "device_write_iops",
        "devices",
        "dns",
        "dns_opt",
        "dns_search",
        "domainname",
        "entrypoint",
        "environment",
        "extra_hosts",
        "group_add",
        "healthcheck",
        "health_check_on_failure_action",
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
        "hostname",
        "init",
        "init_path",
        "ipc_mode",
        "isolation",
        "kernel_memory",
        "labels",
        "links",
        "log_config",
        "lxc_config",
        "mac_address",
        "mem_limit",
        "mem_reservation",
        "mem_swappiness",
        "memswap_limit",
        "mounts",
        "name",
        "nano_cpus",
        "networks",
        "network_disabled",
        "network_mode",
        "oom_kill_disable",
        "oom_score_adj",
        "pid_mode",
        "pids_limit",
        "platform",
        "ports",
        "privileged",
        "publish_all_ports",
        "read_only",
        "read_write_tmpfs",
        "remove",
        "restart_policy",
        "runtime",
        "secrets",
        "secret_env",
        "security_opt",
        "shm_size",
        "stdin_open",
        "stdout",
        "stderr",
        "stop_signal",
        "storage_opt",
        "stream",
        "sysctls",
        "tmpfs",
        "tty",
        "ulimits",
        "use_config_proxy",
        "user",
        "userns_mode",
        "uts_mode",
        "version",
        "volume_driver",
        "volumes",
        "volumes_from",
        "working_dir",
        "workdir",
    ]
)


def test_the_documented_list_is_complete() -> None:
    assert len(PODMAN_PY_DOCUMENTED) == 104


# ---------------------------------------------------------------- where podman-py is wrong


def test_a_command_string_is_split_as_a_shell_would() -> None:
    # podman-py sends ["echo 'a b'"], one word the runtime cannot find.
    assert body({}, "echo 'a b'") == {"image": IMAGE, "command": ["echo", "a b"]}
    assert body({}, ["echo", "a b"]) == {"image": IMAGE, "command": ["echo", "a b"]}


@pytest.mark.parametrize(
    ("given", "number"),
    [("SIGTERM", 15), ("term", 15), ("KILL", 9), ("9", 9), (10, 10), ("SIGRTMIN+2", 36)],
)
def test_a_stop_signal_is_sent_as_the_number_the_server_decodes(given: object, number: int) -> None:
    assert body({"stop_signal": given}) == {"image": IMAGE, "stop_signal": number}


@pytest.mark.parametrize(
    ("keyword", "mode", "field", "namespace"),
    [
        ("pid_mode", "container:db", "pidns", {"nsmode": "container", "value": "db"}),
        ("ipc_mode", "none", "ipcns", {"nsmode": "none"}),
        ("userns_mode", "auto", "userns", {"nsmode": "auto"}),
        ("uts_mode", "private", "utsns", {"nsmode": "private"}),
        ("network_mode", "host", "netns", {"nsmode": "host"}),
        ("network_mode", "ns:/run/netns/a", "netns", {"nsmode": "path", "value": "/run/netns/a"}),
    ],
)
def test_a_namespace_mode_is_parsed_as_podman_parses_it(
    keyword: str, mode: str, field: str, namespace: dict[str, str]
) -> None:
    assert body({keyword: mode}) == {"image": IMAGE, field: namespace}


def test_a_network_mode_naming_a_network_joins_it_in_bridge_mode() -> None:
    assert body({"network_mode": "backend"}) == {
        "image": IMAGE,
        "netns": {"nsmode": "bridge"},
        "Networks": {"backend": {}},
    }


def test_pasta_options_go_to_network_options() -> None:
    assert body({"network_mode": "pasta:-T,8080"}) == {
        "image": IMAGE,
        "netns": {"nsmode": "pasta"},
        "network_options": {"pasta": ["-T", "8080"]},
    }


def test_docker_py_health_check_spellings_reach_the_server_s_fields() -> None:
    given = {"test": "curl -f localhost", "start_period": 3 * SECOND, "TIMEOUT": SECOND}
    assert body({"healthcheck": given}) == {
        "image": IMAGE,
        "healthconfig": {
            "Test": ["CMD-SHELL", "curl -f localhost"],
            "StartPeriod": 3 * SECOND,
            "Timeout": SECOND,
        },
    }


@pytest.mark.parametrize(
    ("command", "test"),
    [
        ("none", ["NONE"]),
        ('["CMD", "true"]', ["CMD", "true"]),
        ('["/bin/check", "-q"]', ["CMD", "/bin/check", "-q"]),
        ("CMD-SHELL exit 0", ["CMD-SHELL", "exit 0"]),
    ],
)
def test_health_cmd_is_read_as_podman_s_cli_reads_it(command: str, test: list[str]) -> None:
    spec = body({"health_cmd": command})
    assert isinstance(spec, dict)
    assert spec["healthconfig"]["Test"] == test


def test_the_health_interval_disable_means_no_timer() -> None:
    config = body({"health_cmd": "true", "health_interval": "disable"})
    assert isinstance(config, dict)
    assert config["healthconfig"]["Interval"] == 0


def test_security_options_go_to_the_fields_podman_s_cli_sets() -> None:
    options = ["apparmor=unconfined", "mask=/a:/b", "unmask=ALL", "label=nested", "proc-opts=x,y"]
    assert body({"security_opt": options}) == {
        "image": IMAGE,
        "apparmor_profile": "unconfined",
        "mask": ["/a", "/b"],
        "unmask": ["ALL"],
        "label_nested": True,
        "procfs_opts": ["x", "y"],
    }


def test_a_port_range_and_an_address_only_binding() -> None:
    ports = {"1111/udp": {"port": ("127.0.0.1", 1111), "range": 3}, "22": ("0.0.0.0",)}
    assert body({"ports": ports}) == {
        "image": IMAGE,
        "portmappings": [
            {
                "container_port": 1111,
                "protocol": "udp",
                "host_ip": "127.0.0.1",
                "host_port": 1111,
                "range": 3,
            },
            {"container_port": 22, "protocol": "tcp", "host_ip": "0.0.0.0"},
        ],
    }


def test_mounts_volumes_and_tmpfs_all_add_to_the_mounts() -> None:
    spec = body(
        {
            "mounts": [{"type": "tmpfs", "target": "/a"}],
            "tmpfs": {"/b": ""},
            "volumes": {"/srv": {"bind": "/c"}},
        }
    )
    assert isinstance(spec, dict)
    assert [mount["destination"] for mount in spec["mounts"]] == ["/a", "/b", "/c"]


def test_a_mount_s_flags_become_options_in_the_order_given() -> None:
    mount = {"type": "bind", "source": "/s", "target": "/t", "relabel": "Z", "read_only": True}
    mount |= {"propagation": "rslave", "chown": True, "consistency": "cached"}
    spec = body({"mounts": [mount]})
    assert isinstance(spec, dict)
    assert spec["mounts"][0]["options"] == ["Z", "ro", "rslave", "U", "consistency=cached"]


def test_the_caller_s_lists_are_not_changed() -> None:
    extended = ["noexec"]
    body({"volumes": {"data": {"bind": "/d", "extended_mode": extended, "mode": "ro"}}})
    assert extended == ["noexec"]  # podman-py appends the mode to the caller's list


# ---------------------------------------------------------------- invalid values


@pytest.mark.parametrize(
    ("keywords", "says"),
    [
        ({"tty": "yes"}, "tty= must be a bool, not str 'yes'"),
        ({"cpu_shares": True}, "cpu_shares= must be an int, not bool True"),
        ({"cap_add": "NET_ADMIN"}, "cap_add= must be a list, not str 'NET_ADMIN'"),
        ({"environment": ["A"]}, "environment= entry 'A' is not in the form KEY=value"),
        ({"mem_limit": "12q"}, "mem_limit= '12q' is not a size"),
        ({"mem_swappiness": 101}, "mem_swappiness= must be from 0 to 100, not 101"),
        ({"stop_signal": "SIGNOPE"}, "stop_signal= 'SIGNOPE' is not a Linux signal"),
        ({"stop_signal": 65}, "stop_signal= 65 is not a Linux signal number"),
        ({"pid_mode": "shareable"}, "pid_mode= 'shareable' is not a namespace mode"),
        ({"network_mode": "bad:mode:x"}, "network_mode= 'bad:mode:x' is not a network mode"),
        ({"ports": {"http": 80}}, "ports['http']: 'http' is not a container port"),
        ({"ports": {"80/icmp": 80}}, "ports['80/icmp'] protocol= 'icmp' is not one of"),
        ({"ports": {80: 70000}}, "ports[80]: 70000 is not a port"),
        ({"ports": {80: []}}, "ports[80]: an empty list binds no host port"),
        ({"mounts": [{"type": "bind", "target": "/t", "ro": True}]}, "mounts[0] has key 'ro'"),
        ({"mounts": [{"type": "bind", "source": "/s"}]}, "mounts[0]['target']= must be a str"),
        ({"volumes": {"./rel": {"bind": "/r"}}}, "volumes= key './rel' is neither"),
        ({"volumes": {"v": {"mode": "ro"}}}, "volumes['v']['bind']= must be a str"),
        (
            {"restart_policy": {"Name": "sometimes"}},
            "restart_policy['Name']= 'sometimes' is not one of",
        ),
        (
            {"restart_policy": {"Name": "always", "MaximumRetryCount": 3}},
            "restart_policy: MaximumRetryCount needs Name 'on-failure'",
        ),
        ({"ulimits": [{"Name": "nofile", "Soft": 1}]}, "ulimits[0]['Hard']= must be an int"),
        ({"secrets": [{"target": "/x"}]}, "secrets[0]['source']= must be a str"),
        ({"log_config": {"Type": "json-file", "Config": {"max-size": "1m"}}}, "has key 'max-size'"),
        ({"device_cgroup_rules": ["c 1:3"]}, "is not a rule like 'c 1:3 mr'"),
        ({"health_timeout": "1s"}, "health_timeout= needs health_cmd="),
        ({"health_cmd": "true", "health_timeout": "0"}, "health_timeout= must be more than 0"),
        (
            {"health_cmd": "true", "health_interval": "5 min"},
            "health_interval= '5 min' is not a duration",
        ),
        ({"healthcheck": {"Test": "x"}, "health_cmd": "y"}, "healthcheck= and health_cmd= both"),
        ({"healthcheck": {"Interval": 1}}, "healthcheck needs a 'Test' command"),
        ({"health_on_failure": "kill", "health_check_on_failure_action": 2}, "both set the action"),
        ({"health_check_on_failure_action": 1}, "1 is not 0 (none), 2 (kill)"),
        ({"health_startup_retries": 1}, "health_startup_retries= needs health_startup_cmd="),
        ({"nano_cpus": 10**9, "cpu_quota": 1}, "nano_cpus= and cpu_quota= both"),
        ({"nano_cpus": 1000}, "below the least quota"),
        ({"network_disabled": True, "network_mode": "host"}, "cannot be combined"),
        ({"networks": {"a": {}}, "network_mode": "host"}, "networks= needs bridge network mode"),
        ({"networks": {"a": {"ipv4_address": "1.2.3.4"}}}, "networks['a'] has key 'ipv4_address'"),
        ({"working_dir": "/a", "workdir": "/b"}, "name different directories"),
        ({"security_opt": ["label"]}, "'label' is not in the form key=value"),
        ({"security_opt": ["nosuch=1"]}, "the keys are apparmor"),
        ({"platform": "linux//v8"}, "is not os[/arch[/variant]]"),
        ({"cgroups_mode": "off"}, "cgroups_mode= 'off' is not one of"),
        ({"user": -1}, "user= must be at least 0"),
        ({"labels": {"a": 1}}, "labels['a']= must be a str, not int 1"),
        ({"entrypoint": "sh -c 'unclosed"}, "does not split"),
    ],
)
def test_an_invalid_value_is_refused_saying_what_is_wrong(
    keywords: dict[str, object], says: str
) -> None:
    assert says in refusal(keywords)


def test_a_wrong_command_type_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=r"command\[0\]= must be a str"):
        spec_generator_from_keywords(IMAGE, [1], {})  # type: ignore[list-item]


# ---------------------------------------------------------------- a caller's own spec


def test_keywords_are_laid_over_a_caller_s_spec() -> None:
    base = SpecGenerator.from_dict(
        {
            "image": "other",
            "umask": "0077",
            "labels": {"team": "a", "tier": "web"},
            "resource_limits": {"cpu": {"shares": 10}, "memory": {"limit": 5}},
            "cap_add": ["CHOWN"],
        }
    )
    keywords = spec_generator_from_keywords(
        IMAGE, None, {"labels": {"tier": "db"}, "mem_limit": 7, "cap_add": ["KILL"]}
    )
    merged = merge_spec(base, keywords)
    assert merged.to_dict() == {
        "image": IMAGE,
        "umask": "0077",
        "labels": {"team": "a", "tier": "db"},
        "resource_limits": {"cpu": {"shares": 10}, "memory": {"limit": 7}},
        "cap_add": ["KILL"],
    }
    assert base.to_dict()["labels"] == {"team": "a", "tier": "web"}


# ---------------------------------------------------------------- the doc page

DOC = Path(__file__).parents[2] / "docs" / "containers-create.md"


def test_the_doc_page_has_a_row_for_every_keyword_and_marks_the_refused_ones() -> None:
    tables = DOC.read_text().split("\n## The keywords\n", 1)[1]
    rows = [line for line in tables.splitlines() if line.startswith("| `")]
    assert {row.split("`")[1] for row in rows} == set(RunKeywords.__annotations__)
    refused = {row.split("`")[1] for row in rows if "*refused*" in row}
    assert refused == set(REFUSED_KEYWORDS)


# ---------------------------------------------------------------- fields old servers skip

# A keyword example setting each field that Podman 4.3.1 does not read (its source has no
# such JSON name) and 5.4.2 does.
NEWER_FIELDS: dict[str, dict[str, object]] = {
    "startupHealthConfig": {"health_cmd": "true", "health_startup_cmd": "true"},
    "read_write_tmpfs": {"read_write_tmpfs": True},
    "label_nested": {"security_opt": ["label=nested"]},
    "healthLogDestination": {"health_log_destination": "local"},
    "healthMaxLogCount": {"health_max_log_count": 3},
    "healthMaxLogSize": {"health_max_logs_size": 100},
}


def test_the_table_of_newer_fields_is_the_one_tested() -> None:
    assert set(SERVER_READS_FROM) == set(NEWER_FIELDS)


@pytest.mark.parametrize("field", sorted(NEWER_FIELDS))
def test_a_field_podman_4_3_skips_is_refused_for_it_naming_the_keyword(field: str) -> None:
    spec = spec_generator_from_keywords(IMAGE, None, NEWER_FIELDS[field])
    keyword = SERVER_READS_FROM[field][0]
    with pytest.raises(UnsupportedServer, match=rf"^{re.escape(keyword)}= \(the {field} field\)"):
        check_server_reads(spec, Version(4, 3, 1))
    check_server_reads(spec, Version(5, 4, 2))
    check_server_reads(spec, Version(6, 0, 0, "-rc1"))


def test_a_spec_without_newer_fields_suits_podman_4_3() -> None:
    keywords = {**MAPPED["environment"][0], **MAPPED["mounts"][0], **MAPPED["healthcheck"][0]}
    check_server_reads(spec_generator_from_keywords(IMAGE, None, keywords), Version(4, 3, 1))
