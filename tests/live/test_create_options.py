"""create()'s keywords, mapped by `spec_generator_from_keywords` and sent through the
generated layer, reach the container: its inspect answer shows each of them, on every
Podman major. The containers are created, not started (creating works on every major
here; see tests/harness/containers.py for what starting needs)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping

import pytest
from libpod_client.api.containers import (
    container_create_libpod,
    container_delete_libpod,
    container_inspect_libpod,
)
from libpod_client.api.volumes import volume_delete_libpod
from libpod_client.models import SpecGenerator
from podman_sdk import APIError, NotFound, PodmanClient
from podman_sdk._core._api_version import UnsupportedServer, parse_version
from podman_sdk.containers._create_options import (
    SERVER_READS_FROM,
    check_server_reads,
    merge_spec,
    spec_generator_from_keywords,
)

from tests.harness import PodmanService, busybox_image
from tests.unit.test_create_options import MAPPED

pytestmark = pytest.mark.timeout(180)

SECOND = 10**9


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "create-options") as tag:
        yield tag


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as opened:
        yield opened


@pytest.fixture
def names(client: PodmanClient) -> Iterator[dict[str, str]]:
    """A container name and a volume name of this test's own, removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    made = {"container": f"create-options-{suffix}", "volume": f"create-options-{suffix}"}
    yield made
    container_delete_libpod.sync(made["container"], client=client.api, force=True, ignore=True)
    with contextlib.suppress(NotFound):  # only the first test makes the volume
        volume_delete_libpod.sync_detailed(made["volume"], client=client.api, force=True)


def created(client: PodmanClient, image: str, keywords: Mapping[str, object]) -> dict[str, object]:
    """Create a container from ``keywords``; its inspect answer as the server wrote it."""
    spec = spec_generator_from_keywords(image, ["/bin/busybox", "true"], keywords)
    answer = container_create_libpod.sync(client=client.api, body=spec)
    data = container_inspect_libpod.sync(answer.id, client=client.api)
    return data.to_dict()


def test_representative_keywords_reach_the_container(
    client: PodmanClient, busybox: str, names: dict[str, str]
) -> None:
    inspected = created(
        client,
        busybox,
        {
            "name": names["container"],
            "cgroups_mode": "disabled",
            "network_mode": "none",
            "environment": ["GREETING=hello world"],
            "labels": {"team": "sdk"},
            "working_dir": "/srv",
            "user": "1000:1000",
            "entrypoint": "/bin/busybox sh -c",
            "hostname": "boxy",
            "tmpfs": {"/scratch": "size=1m"},
            "volumes": {names["volume"]: {"bind": "/data", "mode": "ro"}},
            "healthcheck": {"Test": ["CMD", "/bin/busybox", "true"], "Interval": 5 * SECOND},
            "restart_policy": {"Name": "on-failure", "MaximumRetryCount": 2},
            "mem_limit": "64m",
            "cap_add": ["NET_ADMIN"],
            "extra_hosts": {"db": "192.0.2.7"},
            "stop_signal": "SIGINT",
            "ulimits": [{"Name": "nofile", "Soft": 512, "Hard": 1024}],
        },
    )
    config = inspected["Config"]
    host = inspected["HostConfig"]
    assert isinstance(config, dict)
    assert isinstance(host, dict)
    assert "GREETING=hello world" in config["Env"]
    assert config["Labels"]["team"] == "sdk"
    assert config["WorkingDir"] == "/srv"
    assert config["User"] == "1000:1000"
    # Podman 4 writes the entrypoint as one string, later majors as a list.
    assert config["Entrypoint"] in (["/bin/busybox", "sh", "-c"], "/bin/busybox sh -c")
    assert config["Cmd"] == ["/bin/busybox", "true"]
    assert config["Hostname"] == "boxy"
    # SIGINT, as a number (Podman 4) or a name: podman-py's name cannot be decoded.
    assert config["StopSignal"] in (2, "SIGINT", "2")
    assert config["Healthcheck"]["Test"] == ["CMD", "/bin/busybox", "true"]
    assert config["Healthcheck"]["Interval"] == 5 * SECOND
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}
    assert host["Memory"] == 64 * 1024 * 1024
    assert "CAP_NET_ADMIN" in host["CapAdd"]
    assert host["ExtraHosts"] == ["db:192.0.2.7"]
    assert host["NetworkMode"] == "none"
    assert {"Name": "RLIMIT_NOFILE", "Soft": 512, "Hard": 1024} in host["Ulimits"]
    assert "/scratch" in host["Tmpfs"]
    assert host["Tmpfs"]["/scratch"].startswith("size=1m")
    mounts = inspected["Mounts"]
    assert isinstance(mounts, list)
    volumes = [mount for mount in mounts if mount.get("Name") == names["volume"]]
    assert len(volumes) == 1, mounts
    assert volumes[0]["Destination"] == "/data"
    assert volumes[0]["RW"] is False


def test_ports_and_a_bind_mount_are_recorded(
    client: PodmanClient, busybox: str, names: dict[str, str]
) -> None:
    inspected = created(
        client,
        busybox,
        {
            "name": names["container"],
            "cgroups_mode": "disabled",
            "ports": {"8080/tcp": ("127.0.0.1", 18080), 53: 10053},
            "mounts": [
                # /tmp: the Podman 5 service runs in a chroot without the host's /etc/hosts
                {"type": "bind", "source": "/tmp", "target": "/h", "read_only": True}
            ],
        },
    )
    host = inspected["HostConfig"]
    assert isinstance(host, dict)
    assert host["PortBindings"]["8080/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": "18080"}]
    # No address given: Podman 6 writes 0.0.0.0, earlier majors an empty string.
    assert host["PortBindings"]["53/tcp"] in (
        [{"HostIp": "", "HostPort": "10053"}],
        [{"HostIp": "0.0.0.0", "HostPort": "10053"}],
    )
    assert any(bind.startswith("/tmp:/h:ro") for bind in host["Binds"]), host["Binds"]


def test_a_caller_s_spec_carries_what_no_keyword_covers(
    client: PodmanClient, busybox: str, names: dict[str, str]
) -> None:
    base = SpecGenerator.from_dict({"annotations": {"org.example/owner": "sdk"}, "umask": "0027"})
    keywords = spec_generator_from_keywords(
        busybox,
        ["/bin/busybox", "true"],
        {"name": names["container"], "cgroups_mode": "disabled", "network_mode": "none"},
    )
    answer = container_create_libpod.sync(client=client.api, body=merge_spec(base, keywords))
    inspected = container_inspect_libpod.sync(answer.id, client=client.api).to_dict()
    config = inspected["Config"]
    assert isinstance(config, dict)
    assert config["Annotations"]["org.example/owner"] == "sdk"
    assert config["Umask"] == "0027"


# -- every keyword's body decodes on every major -------------------------------------------


def test_every_mapped_keyword_makes_a_body_the_server_decodes(
    client: PodmanClient, busybox: str
) -> None:
    """The unit tests' example of each keyword, sent as it is: the server may refuse what
    this host lacks (a /dev/sda, a pod named "mypod", xfs quotas), but never the shape of
    the body ("decode(): json: cannot unmarshal ..."), as it does podman-py's."""
    undecoded: dict[str, str] = {}
    created_count = 0
    for keyword, (keywords, _) in sorted(MAPPED.items()):
        name = f"create-options-{uuid.uuid4().hex[:8]}"
        settings: dict[str, object] = {"name": name, "cgroups_mode": "disabled"}
        if not keywords.keys() & {"network_mode", "network_disabled", "networks"}:
            settings["network_mode"] = "none"
        spec = spec_generator_from_keywords(
            busybox, ["/bin/busybox", "true"], {**settings, **keywords}
        )
        try:
            container_create_libpod.sync(client=client.api, body=spec)
            created_count += 1
        except APIError as error:
            if "decode" in str(error) or "unmarshal" in str(error):
                undecoded[keyword] = str(error)
        finally:
            container_delete_libpod.sync(
                str(keywords.get("name", name)), client=client.api, force=True, ignore=True
            )
    assert undecoded == {}
    # Most examples need nothing this host lacks: the loop did create containers.
    assert created_count >= len(MAPPED) - 30, created_count


# -- fields an older Podman skips ------------------------------------------------------


def test_health_log_settings_reach_a_server_that_reads_them_and_are_refused_otherwise(
    client: PodmanClient, busybox: str, names: dict[str, str]
) -> None:
    keywords: dict[str, object] = {
        "name": names["container"],
        "cgroups_mode": "disabled",
        "network_mode": "none",
        "health_cmd": "/bin/busybox true",
        "health_log_destination": "events_logger",
        "health_max_log_count": 7,
    }
    spec = spec_generator_from_keywords(busybox, ["/bin/busybox", "true"], keywords)
    server = parse_version(client.api_version)
    if server[:3] < SERVER_READS_FROM["healthLogDestination"][1][:3]:
        with pytest.raises(UnsupportedServer, match="health_log_destination="):
            check_server_reads(spec, server)
        # Why: sent anyway, the server creates the container and drops the setting.
        answer = container_create_libpod.sync(client=client.api, body=spec)
        config = container_inspect_libpod.sync(answer.id, client=client.api).to_dict()["Config"]
        assert isinstance(config, dict)
        assert "events_logger" not in repr(config)
        return
    check_server_reads(spec, server)
    answer = container_create_libpod.sync(client=client.api, body=spec)
    config = container_inspect_libpod.sync(answer.id, client=client.api).to_dict()["Config"]
    assert isinstance(config, dict)
    assert config["HealthLogDestination"] == "events_logger"
    assert config["HealthcheckMaxLogCount"] == 7
