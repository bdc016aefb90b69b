"""``version`` and ``info``."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

import click

from podman_sdk._cli.connect import settings
from podman_sdk._cli.output import emit, emit_json, human_size, render_pairs


def sdk_version() -> str:
    try:
        return package_version("podman-sdk")
    except PackageNotFoundError:
        return "unknown"


@click.command(short_help="Client and server versions.")
def version() -> None:
    """Client and server versions (GET /libpod/version)."""
    state = settings()
    client = state.client()
    server = client.version()
    client_info = {
        "Version": sdk_version(),
        "Python": platform.python_version(),
        "Endpoint": client.endpoint,
        "PathVersion": client.api_version,
    }
    if state.as_json:
        emit_json({"Client": client_info, "Server": server})
        return
    emit(
        render_pairs(
            [
                ("Client", f"podman-sdk {client_info['Version']}"),
                ("Python", client_info["Python"]),
                ("Endpoint", client.endpoint),
                ("Server", f"Podman {server.get('Version', '?')}"),
                ("API path", f"/v{client.api_version}/libpod"),
                ("Compat API", server.get("ApiVersion", "?")),
                ("Go version", server.get("GoVersion", "?")),
                ("OS/Arch", f"{server.get('Os', '?')}/{server.get('Arch', '?')}"),
            ]
        )
    )


def _section(info: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = info.get(key)
    return value if isinstance(value, Mapping) else {}


def info_summary(info: Mapping[str, object]) -> list[tuple[str, object]]:
    """The lines of ``info`` a troubleshooter reads first, from the server's answer."""
    host, store = _section(info, "host"), _section(info, "store")
    server = _section(info, "version")
    distribution = _section(host, "distribution")
    runtime = _section(host, "ociRuntime")
    security = _section(host, "security")
    images = _section(store, "imageStore")
    registries = info.get("registries")
    memory = host.get("memTotal")
    return [
        ("Version", server.get("Version", "?")),
        ("Host", f"{host.get('hostname', '?')} ({host.get('os', '?')}/{host.get('arch', '?')})"),
        (
            "Distribution",
            f"{distribution.get('distribution', '?')} {distribution.get('version', '')}".strip(),
        ),
        ("Kernel", host.get("kernel", "?")),
        ("CPUs", host.get("cpus", "?")),
        ("Memory", human_size(memory) if isinstance(memory, int) else "?"),
        ("Rootless", security.get("rootless", "?")),
        ("OCI runtime", runtime.get("name", "?")),
        ("Cgroups", f"{host.get('cgroupVersion', '?')} ({host.get('cgroupManager', '?')})"),
        ("Storage driver", store.get("graphDriverName", "?")),
        ("Graph root", store.get("graphRoot", "?")),
        ("Run root", store.get("runRoot", "?")),
        ("Images", images.get("number", "?")),
        (
            "Registries",
            ", ".join(sorted(k for k in registries if k != "search"))
            if isinstance(registries, Mapping)
            else "?",
        ),
    ]


@click.command(short_help="Host, storage and registry details.")
def info() -> None:
    """Host, storage and registry details (GET /libpod/info); --json for all of it."""
    state = settings()
    details = state.client().info()
    if state.as_json:
        emit_json(details)
        return
    emit(render_pairs(info_summary(details)))
