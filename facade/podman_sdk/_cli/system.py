"""``version`` and ``info``."""

from __future__ import annotations

import platform
from collections.abc import Mapping

import click
import httpx

import podman_sdk
from podman_sdk._cli.connect import settings
from podman_sdk._cli.failure import one_line
from podman_sdk._cli.output import emit, emit_json, human_size, render_pairs
from podman_sdk._exceptions import PodmanError

# Every label `version` prints, so that the client's lines (printed before the server is
# asked) and the server's line up.
_LABEL_WIDTH = len("Spec sha256:")


def client_versions() -> dict[str, str]:
    """What this client is, known without a server: the SDK, Python, httpx, and the
    Podman release whose API spec the generated client follows."""
    return {
        "Version": podman_sdk.__version__,
        "Python": platform.python_version(),
        "Httpx": httpx.__version__,
        "PodmanRelease": podman_sdk.PODMAN_RELEASE,
        "SpecSha256": podman_sdk.SPEC_SHA256,
    }


@click.command(short_help="Client and server versions.")
def version() -> None:
    """Client versions, then the server's (GET /libpod/version). Without a server the
    client's are still printed, then why it cannot be reached (exit 3)."""
    state = settings()
    client_info: dict[str, str | None] = {**client_versions()}
    if not state.as_json:
        emit(
            render_pairs(
                [
                    ("Client", f"podman-sdk {client_info['Version']}"),
                    ("Python", client_info["Python"]),
                    ("httpx", client_info["Httpx"]),
                    ("API spec", f"Podman {client_info['PodmanRelease']}"),
                    ("Spec sha256", client_info["SpecSha256"]),
                ],
                width=_LABEL_WIDTH,
            )
        )
    try:
        client = state.client()
        server = client.version()
    except PodmanError as exc:
        if state.as_json:
            # The group still ends the command: the error on stderr, its exit code.
            emit_json({"Client": client_info, "Server": None, "Error": one_line(exc)})
        raise
    client_info |= {"Endpoint": client.endpoint, "PathVersion": client.api_version}
    if state.as_json:
        emit_json({"Client": client_info, "Server": server})
        return
    emit(
        render_pairs(
            [
                ("Endpoint", client.endpoint),
                ("Server", f"Podman {server.get('Version', '?')}"),
                ("API path", f"/v{client.api_version}/libpod"),
                ("Compat API", server.get("ApiVersion", "?")),
                ("Go version", server.get("GoVersion", "?")),
                ("OS/Arch", f"{server.get('Os', '?')}/{server.get('Arch', '?')}"),
            ],
            width=_LABEL_WIDTH,
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
