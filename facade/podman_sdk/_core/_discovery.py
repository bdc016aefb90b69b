"""Where `PodmanClient.from_env()` connects, and the trail of places it looked.

The search, first match wins:

1. ``CONTAINER_HOST`` (with ``CONTAINER_SSHKEY`` as the ssh identity);
2. the connection named by ``CONTAINER_CONNECTION``, else the default
   connection, from podman-connections.json (podman 5) and containers.conf's
   ``[engine.service_destinations]``; for the same name the JSON file wins, as
   in podman;
3. ``DOCKER_HOST``;
4. the default socket: ``/run/podman/podman.sock`` for root,
   ``$XDG_RUNTIME_DIR/podman/podman.sock`` (or ``/run/user/<uid>/...``)
   otherwise, if a socket is there.

Anything configured explicitly is used as is, reachable or not: a missing
connection name or broken config file raises `DiscoveryError`, never a quiet
fallback to another host. Files, as podman 5 reads them (containers/common
``userConfigPath`` has no root special case):

- podman-connections.json: ``$PODMAN_CONNECTIONS_CONF``, else
  ``$XDG_CONFIG_HOME/containers/`` or ``~/.config/containers/``;
- containers.conf: ``$CONTAINERS_CONF`` alone, else
  ``/usr/share/containers/containers.conf``, ``/etc/containers/containers.conf``
  and the user's ``containers.conf``, later files overriding earlier ones; then
  ``$CONTAINERS_CONF_OVERRIDE``. Drop-in ``containers.conf.d`` directories are
  not read.

The functions take the environment and a file reader, so tests pass fakes;
`discover_from_os` supplies the real ones.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from podman_sdk._exceptions import DiscoveryError

__all__ = [
    "DiscoveryResult",
    "ReadText",
    "SystemConnection",
    "config_home",
    "connections_json_path",
    "containers_conf_paths",
    "default_socket_path",
    "discover",
    "discover_from_os",
    "format_not_found",
    "parse_connections_json",
    "parse_containers_conf",
    "start_service_hint",
]

ReadText = Callable[[str], str | None]
"""Returns a file's text, or None when there is no such file."""

ROOTFUL_SOCKET = "/run/podman/podman.sock"


@dataclass(frozen=True)
class DiscoveryResult:
    """The URL to connect to, its ssh identity, why it was chosen, and the trail."""

    url: str
    identity: str | None
    source: str
    trail: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SystemConnection:
    """A named service destination from a config file: one entry of what ``podman
    system connection list`` shows (not the SDK's open `_connection.Connection`)."""

    name: str
    uri: str
    identity: str | None
    origin: str


@dataclass(frozen=True)
class _SystemConnections:
    """Connections from all files merged, with the default name if any."""

    by_name: dict[str, SystemConnection]
    default: str | None
    default_origin: str | None
    files: list[str]


def config_home(env: Mapping[str, str]) -> str:
    """``$XDG_CONFIG_HOME``, else ``$HOME/.config``."""
    if env.get("XDG_CONFIG_HOME"):
        return env["XDG_CONFIG_HOME"]
    return os.path.join(env.get("HOME", "/"), ".config")


def connections_json_path(env: Mapping[str, str]) -> str:
    """The podman-connections.json podman 5 reads."""
    if "PODMAN_CONNECTIONS_CONF" in env:
        return env["PODMAN_CONNECTIONS_CONF"]
    return os.path.join(config_home(env), "containers", "podman-connections.json")


def containers_conf_paths(env: Mapping[str, str]) -> list[str]:
    """containers.conf files in the order podman merges them (later wins)."""
    if env.get("CONTAINERS_CONF"):
        paths = [env["CONTAINERS_CONF"]]
    else:
        paths = [
            "/usr/share/containers/containers.conf",
            "/etc/containers/containers.conf",
            os.path.join(config_home(env), "containers", "containers.conf"),
        ]
    if env.get("CONTAINERS_CONF_OVERRIDE"):
        paths.append(env["CONTAINERS_CONF_OVERRIDE"])
    return paths


def default_socket_path(env: Mapping[str, str], uid: int) -> str:
    """The socket ``podman system service`` / podman.socket listens on by default."""
    if uid == 0:
        return ROOTFUL_SOCKET
    runtime_dir = env.get("XDG_RUNTIME_DIR") or f"/run/user/{uid}"
    return os.path.join(runtime_dir, "podman", "podman.sock")


def parse_connections_json(
    text: str, origin: str
) -> tuple[str | None, dict[str, SystemConnection]]:
    """Default name and connections of a podman-connections.json.

    Format: ``{"Connection": {"Default": name, "Connections": {name: {"URI",
    "Identity", "IsMachine"}}}, "Farm": {...}}``. Raises ValueError.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    section = _mapping(document, "top level").get("Connection", {})
    section = _mapping(section, '"Connection"')
    default = section.get("Default") or None
    if default is not None and not isinstance(default, str):
        raise ValueError('"Connection.Default" is not a string')
    found: dict[str, SystemConnection] = {}
    for name, entry in _mapping(section.get("Connections", {}), '"Connections"').items():
        fields = _mapping(entry, f"connection {name!r}")
        found[name] = _connection(name, fields.get("URI"), fields.get("Identity"), origin)
    return default, found


def parse_containers_conf(text: str, origin: str) -> tuple[str | None, dict[str, SystemConnection]]:
    """``[engine] active_service`` and ``[engine.service_destinations.*]``.

    Raises ValueError for TOML that does not parse or has the wrong shape.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    engine = _mapping(document.get("engine", {}), "[engine]")
    active = engine.get("active_service") or None
    if active is not None and not isinstance(active, str):
        raise ValueError("engine.active_service is not a string")
    found: dict[str, SystemConnection] = {}
    destinations = _mapping(engine.get("service_destinations", {}), "service_destinations")
    for name, entry in destinations.items():
        fields = _mapping(entry, f"service_destinations.{name}")
        found[name] = _connection(name, fields.get("uri"), fields.get("identity"), origin)
    return active, found


def _mapping(value: object, what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not a table/object")
    return value


def _connection(name: str, uri: object, identity: object, origin: str) -> SystemConnection:
    if not isinstance(uri, str) or not uri:
        raise ValueError(f"connection {name!r} has no URI")
    if identity is not None and not isinstance(identity, str):
        raise ValueError(f"connection {name!r} has a non-string identity")
    return SystemConnection(name=name, uri=uri, identity=identity or None, origin=origin)


def _load_connections(
    env: Mapping[str, str], read_text: ReadText, trail: list[str]
) -> _SystemConnections:
    """Merge connections: containers.conf in order, then the JSON file on top."""
    by_name: dict[str, SystemConnection] = {}
    default: str | None = None
    default_origin: str | None = None
    sources: list[tuple[str, Callable[[str, str], tuple[str | None, dict[str, SystemConnection]]]]]
    sources = [(path, parse_containers_conf) for path in containers_conf_paths(env)]
    sources.append((connections_json_path(env), parse_connections_json))
    for path, parse in sources:
        try:
            text = read_text(path)
        except OSError as exc:
            trail.append(f"{path}: unreadable ({exc.strerror})")
            raise DiscoveryError(path, f"cannot read {path}: {exc.strerror}", trail) from None
        if text is None:
            trail.append(f"{path}: not found")
            continue
        try:
            file_default, found = parse(text, path)
        except ValueError as exc:
            trail.append(f"{path}: unreadable ({exc})")
            raise DiscoveryError(path, f"cannot read {path}: {exc}", trail) from None
        by_name.update(found)
        if file_default is not None:
            default, default_origin = file_default, path
        names = ", ".join(sorted(found)) or "none"
        note = f"; default {file_default!r}" if file_default else ""
        trail.append(f"{path}: connections {names}{note}")
    return _SystemConnections(by_name, default, default_origin, [path for path, _ in sources])


def discover(
    env: Mapping[str, str],
    *,
    uid: int,
    read_text: ReadText,
    is_socket: Callable[[str], bool],
    socket_required: bool = True,
) -> DiscoveryResult:
    """Choose the service URL from ``env`` and config files; see the module doc.

    Raises DiscoveryError when a named connection is missing, a config file
    does not parse, or nothing is configured and no default socket exists (unless
    ``socket_required`` is False: then the default socket is chosen all the same, as
    podman-py's from_env does, and a client finds out on its first call).
    """
    trail: list[str] = []
    if env.get("CONTAINER_HOST"):
        url = env["CONTAINER_HOST"]
        trail.append(f"CONTAINER_HOST={url}: chosen")
        return DiscoveryResult(url, env.get("CONTAINER_SSHKEY") or None, "CONTAINER_HOST", trail)
    trail.append("CONTAINER_HOST: not set")

    connections = _load_connections(env, read_text, trail)
    wanted = env.get("CONTAINER_CONNECTION") or None
    if wanted is not None:
        chosen = connections.by_name.get(wanted)
        if chosen is None:
            trail.append(f"CONTAINER_CONNECTION={wanted}: no such connection")
            files = ", ".join(connections.files)
            reason = f"no such connection in {files}"
            raise DiscoveryError(f"CONTAINER_CONNECTION={wanted}", reason, trail)
        return _from_connection(chosen, f"CONTAINER_CONNECTION={wanted}", trail)
    trail.append("CONTAINER_CONNECTION: not set")
    if connections.default is not None:
        chosen = connections.by_name.get(connections.default)
        why = f"default connection {connections.default!r} set in {connections.default_origin}"
        if chosen is None:
            trail.append(f"{why}: no such connection")
            files = ", ".join(connections.files)
            reason = f"{why} is defined in none of {files}"
            raise DiscoveryError(f"connection {connections.default!r}", reason, trail)
        return _from_connection(chosen, why, trail)
    trail.append("default connection: none configured")

    if env.get("DOCKER_HOST"):
        url = env["DOCKER_HOST"]
        trail.append(f"DOCKER_HOST={url}: chosen")
        return DiscoveryResult(url, None, "DOCKER_HOST", trail)
    trail.append("DOCKER_HOST: not set")

    path = default_socket_path(env, uid)
    if is_socket(path):
        trail.append(f"{path}: socket found, chosen")
        return DiscoveryResult(f"unix://{path}", None, "default socket", trail)
    if not socket_required:
        trail.append(f"{path}: no socket yet, chosen (the first call connects there)")
        return DiscoveryResult(f"unix://{path}", None, "default socket", trail)
    trail.append(f"{path}: no socket")
    raise DiscoveryError(f"unix://{path}", format_not_found(trail, path, uid), trail)


def _from_connection(chosen: SystemConnection, why: str, trail: list[str]) -> DiscoveryResult:
    source = f"{why}, defined in {chosen.origin}"
    trail.append(f"{source}: {chosen.uri}, chosen")
    return DiscoveryResult(chosen.uri, chosen.identity, source, trail)


def start_service_hint(socket_path: str, uid: int) -> str:
    """The command that starts a service listening on ``socket_path``."""
    unit = "systemctl start podman.socket" if uid == 0 else "systemctl --user start podman.socket"
    return f"{unit}, or: podman system service --time=0 unix://{socket_path}"


def format_not_found(trail: list[str], socket_path: str, uid: int) -> str:
    """The error for "no service found": every place tried, then how to start one."""
    places = "\n".join(f"  - {line}" for line in trail)
    return (
        f"no Podman service found; looked at, in order:\n{places}\n"
        f"Start one with: {start_service_hint(socket_path, uid)}"
    )


def _read_text_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None


def _is_socket(path: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def discover_from_os(*, socket_required: bool = True) -> DiscoveryResult:
    """`discover` over ``os.environ``, the real files and the current uid."""
    return discover(
        os.environ,
        uid=os.getuid(),
        read_text=_read_text_file,
        is_socket=_is_socket,
        socket_required=socket_required,
    )
