"""``doctor``: the first command to run when something is wrong.

It reports which endpoint was chosen and why (each place looked at, in order), whether
the service answers, its server and API versions, the path version negotiated, the
round-trip latency, and, when a step fails, the next step to take. `next_step` and
`render` are pure; `diagnose` does the I/O.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import click

from podman_sdk._cli.connect import Settings, settings
from podman_sdk._cli.failure import ExitCode, exit_code_for, first_line
from podman_sdk._cli.output import emit, emit_json
from podman_sdk._core._discovery import start_service_hint
from podman_sdk._exceptions import (
    APIError,
    DiscoveryError,
    InvalidArgument,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    UnsupportedServer,
)

PINGS = 3


@dataclass
class Diagnosis:
    """What ``doctor`` found; ``--json`` prints exactly these fields."""

    endpoint: str | None = None
    source: str | None = None
    trail: list[str] = field(default_factory=list)
    answers: bool = False
    server_version: str | None = None
    compat_api_version: str | None = None
    path_version: str | None = None
    latency_ms: float | None = None
    error: str | None = None
    next_step: str | None = None
    exit_code: int = ExitCode.OK


def _socket_path(endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    for prefix in ("unix://", "http+unix://"):
        if endpoint.startswith(prefix):
            return endpoint.removeprefix(prefix)
    return None


def next_step(exc: BaseException, endpoint: str | None, uid: int) -> str:
    """What to do about ``exc``, in one sentence a newcomer can act on."""
    path = _socket_path(endpoint)
    reason = str(exc).lower()
    if isinstance(exc, DiscoveryError):
        if "connection" in exc.endpoint.lower() and "no such connection" in reason:
            return (
                "list the defined connections with `podman system connection list`, or pass --url"
            )
        if "cannot read" in reason:
            return f"fix or remove the config file {exc.endpoint}"
        socket = _socket_path(exc.endpoint) or "/run/podman/podman.sock"
        return f"start a service: {start_service_hint(socket, uid)}; or pass --url"
    if isinstance(exc, InvalidArgument):
        return "fix the URL: unix:///path/to/podman.sock, tcp://host:port or ssh://user@host/path"
    if isinstance(exc, UnsupportedServer):
        return "point --url at a Podman service socket (this one is not Podman, or too old)"
    if isinstance(exc, PodmanTimeoutError):
        return "the service accepted the connection but did not answer: check its log or restart it, or raise --timeout"
    if isinstance(exc, PodmanConnectionError):
        if path is not None:
            if "no such file" in reason or "errno 2]" in reason:
                return f"nothing at {path}: start a service: {start_service_hint(path, uid)}"
            if "refused" in reason:
                return f"the socket file is there but no service listens: start it again: {start_service_hint(path, uid)}"
            if "permission" in reason:
                return f"you may not open {path}: run as its owner (root?) or use your own rootless socket"
            return f"check that a Podman service listens on {path}"
        if endpoint is not None and endpoint.startswith("ssh://"):
            return "check that `ssh` to that host works without a prompt and that the remote socket path is right"
        return "check that the service runs and listens there (podman system service --time=0 tcp://HOST:PORT), and the firewall"
    if isinstance(exc, APIError):
        return "the service answered with an error: check its log"
    return "run again with --trace to see the HTTP exchange"


def diagnose(state: Settings) -> Diagnosis:
    found = Diagnosis()
    try:
        choice = state.choose()
        found.endpoint, found.source, found.trail = choice.url, choice.source, list(choice.trail)
        client = state.client()
        found.endpoint = client.endpoint
        found.path_version = client.api_version  # GET /_ping: negotiates the path
        found.answers = True
        found.latency_ms = _latency_ms(client.ping)
        server = client.version()
        found.server_version = server.get("Version")
        found.compat_api_version = server.get("ApiVersion")
    except PodmanError as exc:
        if isinstance(exc, DiscoveryError):
            found.trail = list(exc.trail)
        if isinstance(exc, PodmanConnectionError | PodmanTimeoutError):
            found.error = first_line(exc)
        else:
            found.error = str(exc).splitlines()[0]
        found.next_step = next_step(exc, found.endpoint, os.getuid())
        found.exit_code = exit_code_for(exc)
    return found


def _latency_ms(ping: Callable[[], object]) -> float:
    samples = []
    for _ in range(PINGS):
        started = time.perf_counter()
        ping()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def render(found: Diagnosis) -> str:
    """The human report."""
    lines = ["Endpoint"]
    if found.endpoint is not None:
        lines.append(f"  chosen:   {found.endpoint}  (from {found.source})")
    else:
        lines.append("  chosen:   none")
    lines.append("  looked at, in order:")
    lines += [f"    {number}. {place}" for number, place in enumerate(found.trail, 1)]
    lines.append("Service")
    if found.answers:
        lines.append("  answers:  yes")
        lines.append(f"  server:   Podman {found.server_version or '?'}")
        lines.append(
            f"  API:      libpod {found.path_version} (path /v{found.path_version}/libpod), "
            f"Docker-compatible {found.compat_api_version or '?'}"
        )
        if found.latency_ms is not None:
            lines.append(f"  latency:  {found.latency_ms:.2f} ms (median of {PINGS} pings)")
    else:
        lines.append("  answers:  no")
    if found.error is not None:
        lines.append(f"Problem:    {found.error}")
        lines.append(f"Next step:  {found.next_step}")
    else:
        lines.append("Result:     OK")
    return "\n".join(lines)


@click.command(short_help="Where it connects and why, and whether it works.")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Which endpoint was chosen and why, whether it answers, versions, latency, and
    what to do next when something fails."""
    state = settings()
    found = diagnose(state)
    if state.as_json:
        emit_json(asdict(found))
    else:
        emit(render(found))
    if found.exit_code:
        ctx.exit(found.exit_code)
