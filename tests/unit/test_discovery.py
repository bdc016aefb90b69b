"""from_env's search order over a fake environment and fake files."""

from __future__ import annotations

import json

import pytest
from podman_sdk._core._discovery import (
    DiscoveryResult,
    connections_json_path,
    containers_conf_paths,
    default_socket_path,
    discover,
    parse_connections_json,
    parse_containers_conf,
)
from podman_sdk._exceptions import DiscoveryError, PodmanConnectionError

HOME = "/home/alice"
USER_JSON = f"{HOME}/.config/containers/podman-connections.json"
USER_CONF = f"{HOME}/.config/containers/containers.conf"
ETC_CONF = "/etc/containers/containers.conf"
USR_CONF = "/usr/share/containers/containers.conf"
USER_SOCKET = "/run/user/1000/podman/podman.sock"


def connections_json(default: str | None, **uris: str) -> str:
    connections = {name: {"URI": uri, "Identity": f"/keys/{name}"} for name, uri in uris.items()}
    section: dict[str, object] = {"Connections": connections}
    if default is not None:
        section["Default"] = default
    return json.dumps({"Connection": section, "Farm": {}})


def containers_conf(active: str | None, **uris: str) -> str:
    lines = ["[engine]"]
    if active is not None:
        lines.append(f'active_service = "{active}"')
    for name, uri in uris.items():
        lines += [f"[engine.service_destinations.{name}]", f'uri = "{uri}"']
    return "\n".join(lines) + "\n"


def run(
    env: dict[str, str],
    files: dict[str, str] | None = None,
    sockets: tuple[str, ...] = (),
    uid: int = 1000,
) -> DiscoveryResult:
    files = files or {}
    return discover(
        {"HOME": HOME, "XDG_RUNTIME_DIR": "/run/user/1000", **env},
        uid=uid,
        read_text=files.get,
        is_socket=lambda path: path in sockets,
    )


def test_container_host_wins_over_everything() -> None:
    files = {USER_JSON: connections_json("a", a="ssh://root@a/run/podman/podman.sock")}
    result = run(
        {"CONTAINER_HOST": "tcp://h:1", "CONTAINER_SSHKEY": "/k", "DOCKER_HOST": "tcp://d:2"},
        files,
        sockets=(USER_SOCKET,),
    )
    assert (result.url, result.identity, result.source) == ("tcp://h:1", "/k", "CONTAINER_HOST")
    assert result.trail == ["CONTAINER_HOST=tcp://h:1: chosen"]


def test_container_connection_names_a_connection_from_the_json_file() -> None:
    files = {
        USER_JSON: connections_json(
            "a", a="ssh://root@a/run/podman/podman.sock", b="ssh://root@b/run/podman/podman.sock"
        )
    }
    result = run({"CONTAINER_CONNECTION": "b"}, files)
    assert result.url == "ssh://root@b/run/podman/podman.sock"
    assert result.identity == "/keys/b"
    assert result.source == f"CONTAINER_CONNECTION=b, defined in {USER_JSON}"
    assert result.trail[0] == "CONTAINER_HOST: not set"
    assert f"{USER_JSON}: connections a, b; default 'a'" in result.trail


def test_container_connection_naming_a_missing_connection_raises_not_falls_back() -> None:
    files = {USER_JSON: connections_json("a", a="ssh://root@a/run/podman/podman.sock")}
    with pytest.raises(DiscoveryError) as info:
        run({"CONTAINER_CONNECTION": "nope", "DOCKER_HOST": "tcp://d:2"}, files, (USER_SOCKET,))
    assert info.value.endpoint == "CONTAINER_CONNECTION=nope"
    assert info.value.reason.startswith("no such connection in ")
    for path in (USR_CONF, ETC_CONF, USER_CONF, USER_JSON):
        assert path in str(info.value)
    assert info.value.trail[-1] == "CONTAINER_CONNECTION=nope: no such connection"
    assert isinstance(info.value, PodmanConnectionError)


def test_default_connection_from_json() -> None:
    files = {USER_JSON: connections_json("a", a="unix:///run/a.sock")}
    result = run({"DOCKER_HOST": "tcp://d:2"}, files, (USER_SOCKET,))
    assert result.url == "unix:///run/a.sock"
    assert result.source == f"default connection 'a' set in {USER_JSON}, defined in {USER_JSON}"
    assert result.trail[-1] == f"{result.source}: unix:///run/a.sock, chosen"


def test_default_connection_from_containers_conf() -> None:
    files = {ETC_CONF: containers_conf("prod", prod="ssh://root@prod/run/podman/podman.sock")}
    result = run({}, files)
    assert result.url == "ssh://root@prod/run/podman/podman.sock"
    assert result.identity is None


def test_json_connection_overrides_containers_conf_for_the_same_name() -> None:
    files = {
        USER_CONF: containers_conf("x", x="unix:///from/conf.sock"),
        USER_JSON: connections_json(None, x="unix:///from/json.sock"),
    }
    result = run({}, files)
    assert result.url == "unix:///from/json.sock"
    assert result.identity == "/keys/x"


def test_json_default_overrides_containers_conf_active_service() -> None:
    files = {
        ETC_CONF: containers_conf("c", c="unix:///c.sock"),
        USER_JSON: connections_json("j", j="unix:///j.sock"),
    }
    assert run({}, files).url == "unix:///j.sock"


def test_later_containers_conf_overrides_earlier() -> None:
    files = {
        USR_CONF: containers_conf("a", a="unix:///usr.sock", b="unix:///b.sock"),
        ETC_CONF: containers_conf(None, a="unix:///etc.sock"),
        USER_CONF: containers_conf("b"),
    }
    assert run({}, files).url == "unix:///b.sock"
    del files[USER_CONF]
    assert run({}, files).url == "unix:///etc.sock"


def test_default_naming_a_missing_connection_raises() -> None:
    files = {USER_JSON: connections_json("gone")}
    with pytest.raises(DiscoveryError, match=r"default connection 'gone'.*defined in none of"):
        run({"DOCKER_HOST": "tcp://d:2"}, files, (USER_SOCKET,))


def test_docker_host_after_connections() -> None:
    files = {USER_JSON: connections_json(None, a="unix:///a.sock")}
    result = run({"DOCKER_HOST": "unix:///var/run/docker.sock"}, files, (USER_SOCKET,))
    assert (result.url, result.source) == ("unix:///var/run/docker.sock", "DOCKER_HOST")
    assert result.trail[-2:] == [
        "default connection: none configured",
        "DOCKER_HOST=unix:///var/run/docker.sock: chosen",
    ]


def test_default_rootless_socket_when_present() -> None:
    result = run({}, {}, (USER_SOCKET,))
    assert (result.url, result.source) == (f"unix://{USER_SOCKET}", "default socket")


def test_default_rootful_socket_for_root() -> None:
    result = run({}, {}, ("/run/podman/podman.sock",), uid=0)
    assert result.url == "unix:///run/podman/podman.sock"


def test_full_trail_in_order_when_nothing_is_found() -> None:
    with pytest.raises(DiscoveryError) as info:
        run({}, {})
    assert info.value.trail == [
        "CONTAINER_HOST: not set",
        f"{USR_CONF}: not found",
        f"{ETC_CONF}: not found",
        f"{USER_CONF}: not found",
        f"{USER_JSON}: not found",
        "CONTAINER_CONNECTION: not set",
        "default connection: none configured",
        "DOCKER_HOST: not set",
        f"{USER_SOCKET}: no socket",
    ]
    message = str(info.value)
    for line in info.value.trail:
        assert f"  - {line}" in message
    assert "systemctl --user start podman.socket" in message
    assert f"podman system service --time=0 unix://{USER_SOCKET}" in message
    assert info.value.endpoint == f"unix://{USER_SOCKET}"


def test_root_hint_uses_system_unit() -> None:
    with pytest.raises(DiscoveryError, match=r"systemctl start podman\.socket"):
        run({}, {}, uid=0)


@pytest.mark.parametrize(
    ("path", "text", "reason"),
    [
        (USER_JSON, "{not json", "not valid JSON"),
        (USER_JSON, '{"Connection": {"Connections": {"a": {"Identity": "/k"}}}}', "has no URI"),
        (USER_JSON, '{"Connection": []}', "not a table/object"),
        (USER_CONF, "[engine\n", "not valid TOML"),
        (USER_CONF, "[engine.service_destinations.a]\nidentity = 1\n", "has no URI"),
    ],
)
def test_broken_config_files_raise_naming_the_file(path: str, text: str, reason: str) -> None:
    with pytest.raises(DiscoveryError) as info:
        run({"DOCKER_HOST": "tcp://d:2"}, {path: text}, (USER_SOCKET,))
    assert info.value.endpoint == path
    assert reason in info.value.reason
    assert info.value.trail[-1].startswith(f"{path}: unreadable")


def test_unreadable_file_raises() -> None:
    def read_text(path: str) -> str | None:
        raise PermissionError(13, "Permission denied", path)

    with pytest.raises(DiscoveryError, match="Permission denied"):
        discover({"HOME": HOME}, uid=1000, read_text=read_text, is_socket=lambda _: True)


def test_file_locations_follow_env() -> None:
    env = {"HOME": HOME, "XDG_CONFIG_HOME": "/cfg"}
    assert connections_json_path(env) == "/cfg/containers/podman-connections.json"
    assert containers_conf_paths(env)[-1] == "/cfg/containers/containers.conf"
    env["PODMAN_CONNECTIONS_CONF"] = "/my/conn.json"
    assert connections_json_path(env) == "/my/conn.json"
    env["CONTAINERS_CONF"] = "/only.conf"
    env["CONTAINERS_CONF_OVERRIDE"] = "/override.conf"
    assert containers_conf_paths(env) == ["/only.conf", "/override.conf"]


def test_default_socket_without_xdg_runtime_dir() -> None:
    assert default_socket_path({}, 1234) == "/run/user/1234/podman/podman.sock"
    assert default_socket_path({"XDG_RUNTIME_DIR": "/x"}, 1234) == "/x/podman/podman.sock"
    assert default_socket_path({"XDG_RUNTIME_DIR": "/x"}, 0) == "/run/podman/podman.sock"


def test_parsers_read_real_formats() -> None:
    podman5 = {
        "Connection": {
            "Default": "podman-machine-default",
            "Connections": {
                "podman-machine-default": {
                    "URI": "ssh://core@127.0.0.1:41027/run/user/501/podman/podman.sock",
                    "Identity": "/Users/a/.local/share/containers/podman/machine/machine",
                    "IsMachine": True,
                }
            },
        },
        "Farm": {"Default": "", "List": {}},
    }
    default, found = parse_connections_json(json.dumps(podman5), "f.json")
    assert default == "podman-machine-default"
    assert found["podman-machine-default"].identity == (
        "/Users/a/.local/share/containers/podman/machine/machine"
    )
    conf = (
        '[engine]\nactive_service = "prod"\n'
        '[engine.service_destinations.prod]\nuri = "ssh://root@p/run/podman/podman.sock"\n'
        'identity = "~/.ssh/id"\n'
    )
    active, found = parse_containers_conf(conf, "c.conf")
    assert active == "prod"
    assert found["prod"].identity == "~/.ssh/id"
    assert found["prod"].origin == "c.conf"
    assert parse_containers_conf("", "empty.conf") == (None, {})
    assert parse_connections_json("{}", "empty.json") == (None, {})
