"""Which service a command talks to, and the client for it.

``--url`` wins, then ``--connection NAME`` (a named connection from podman's config
files, as ``podman --connection``), then the SDK's `from_env` search. The choice keeps
the trail of places looked at, so ``doctor`` can show why this endpoint was chosen.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import click
import httpx

from podman_sdk import PodmanClient
from podman_sdk._cli.trace import HttpTracer
from podman_sdk._core._discovery import discover
from podman_sdk._exceptions import DiscoveryError

# PodmanClient's own defaults: the CLI narrows only the connect timeout to --timeout.
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Choice:
    """The URL chosen, its ssh identity, why, and every place looked at on the way."""

    url: str
    identity: str | None
    source: str
    trail: list[str] = field(default_factory=list)


def choose_endpoint(
    url: str | None,
    connection: str | None,
    *,
    env: Mapping[str, str],
    uid: int,
    read_text: Callable[[str], str | None],
    is_socket: Callable[[str], bool],
) -> Choice:
    """Where to connect. Raises `DiscoveryError` (with its trail) when the search
    finds nothing or a named connection does not exist."""
    if url is not None:
        return Choice(url, None, "--url", [f"--url {url}: chosen"])
    search_env = dict(env)
    if connection is not None:
        # As `podman --connection`: the named connection, whatever CONTAINER_HOST says.
        search_env.pop("CONTAINER_HOST", None)
        search_env["CONTAINER_CONNECTION"] = connection
    try:
        found = discover(search_env, uid=uid, read_text=read_text, is_socket=is_socket)
    except DiscoveryError as exc:
        if connection is None:
            raise
        raise DiscoveryError(
            _as_option(exc.endpoint), exc.reason, _option_trail(exc.trail, connection)
        ) from None
    if connection is None:
        return Choice(found.url, found.identity, found.source, list(found.trail))
    trail = _option_trail(found.trail, connection)
    return Choice(found.url, found.identity, _as_option(found.source), trail)


def _as_option(text: str) -> str:
    return text.replace("CONTAINER_CONNECTION=", "--connection ")


def _option_trail(trail: list[str], connection: str) -> list[str]:
    """The search's trail as ``--connection`` saw it: CONTAINER_HOST was not consulted."""
    first = f"--connection {connection}: look it up in the config files (CONTAINER_HOST ignored)"
    return [first, *(_as_option(line) for line in trail[1:])]


def read_text_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None


def is_socket(path: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def choose_from_os(url: str | None, connection: str | None) -> Choice:
    return choose_endpoint(
        url,
        connection,
        env=os.environ,
        uid=os.getuid(),
        read_text=read_text_file,
        is_socket=is_socket,
    )


@dataclass
class Settings:
    """The global options, and the one client a command opens from them."""

    url: str | None = None
    connection: str | None = None
    timeout: float | None = None
    as_json: bool = False
    trace: bool = False
    secrets: set[str] = field(default_factory=set)
    tracer: HttpTracer | None = None
    choice: Choice | None = None
    # Tests inject httpx.MockTransport here; the URL is then only a name.
    transport: httpx.BaseTransport | None = None
    _client: PodmanClient | None = field(default=None, init=False, repr=False)

    def choose(self) -> Choice:
        if self.choice is None:
            self.choice = choose_from_os(self.url, self.connection)
        return self.choice

    def client(self) -> PodmanClient:
        """The client, opened on first use and closed when the command ends."""
        if self._client is None:
            choice = self.choose()
            timeout = self.timeout or DEFAULT_TIMEOUT
            if self.trace:
                self.tracer = HttpTracer(lambda text: click.echo(text, err=True), self.secrets)
            client = PodmanClient(
                choice.url,
                identity=choice.identity,
                timeout=timeout,
                connect_timeout=min(timeout, DEFAULT_CONNECT_TIMEOUT),
                transport=self.transport,
                event_hooks=self.tracer.hooks() if self.tracer is not None else None,
            )
            click.get_current_context().call_on_close(client.close)
            self._client = client
        return self._client

    def add_secret(self, secret: str | None) -> None:
        """A value that must never be shown (a password from the command line)."""
        if secret:
            self.secrets.add(secret)
            if self.tracer is not None:
                self.tracer.secrets.add(secret)


def settings() -> Settings:
    """The `Settings` of the running command."""
    found = click.get_current_context().find_object(Settings)
    if found is None:
        raise RuntimeError("podman-sdk: command run outside the CLI group")
    return found
