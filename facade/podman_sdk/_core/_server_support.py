"""Whether the connected server has a route, and reads a query parameter, decided before
anything is sent, from the API specs of the pinned Podman releases
(``libpod_client.releases``, written by ``make generate``), not from a list kept by hand.

The rule, for a server of version V and a route (or one of its query parameters): take
the newest pinned release at or below V and the oldest at or above it (one release when
V is pinned). When every release taken agrees, that is the answer; when they disagree
(V lies between the release that lacked it and the one that has it), the specs do not
tell, and the request is sent: a 5.7 server is sent what 5.4.2 lacks and 5.8.2 has. A
name no pinned spec documents is not judged either.

A query parameter sent with a default the specs document is not judged: the
generated builders send defaults (pull's ``compatMode=false``), and a server that does
not read the parameter acts on the default anyway.

Every request passes here on its way out (`refuse_unsupported`, called by both send
paths), the facade's and those a user sends through ``client.api``: a route is told by
its method and path (``releases.ROUTES``), a parameter by its query name, compared as
Podman's decoder compares them (without regard to case). Header parameters are not
judged: the specs document some late (``Content-Type`` of a build) that every release
reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

import httpx

from podman_sdk._core._api_version import Version, format_version
from podman_sdk._exceptions import UnsupportedServer

_RC = re.compile(r"-rc(\d+)")


class Route(NamedTuple):
    operation: str
    method: str
    template: str


@lru_cache(maxsize=64)
def release_order(version: Version) -> tuple[int, int, int, int]:
    """``version`` on the scale of ``releases.release_key``: a release candidate before
    its release, any other pre-release (``-dev``) before its candidates."""
    from libpod_client import releases

    base = releases.release_key(f"{version.major}.{version.minor}.{version.patch}")
    if not version.pre:
        return base
    candidate = _RC.fullmatch(version.pre)
    return (*base[:3], int(candidate.group(1)) if candidate else 0)


@lru_cache(maxsize=1024)
def presence(having: tuple[str, ...], server: Version) -> bool | None:
    """Whether a server of version ``server`` has what the pinned releases ``having``
    have: True, False, or None when the pinned releases around it disagree (see the
    module docstring)."""
    from libpod_client import releases

    order = release_order(server)
    at_or_below = [r for r in releases.RELEASES if releases.release_key(r) <= order]
    at_or_above = [r for r in releases.RELEASES if releases.release_key(r) >= order]
    neighbours = at_or_below[-1:] + at_or_above[:1]
    verdicts = {release in having for release in neighbours}
    return verdicts.pop() if len(verdicts) == 1 else None


def _segments(path: str) -> list[str]:
    """A route's path (after the root's own) as segments, without an API version."""
    parts = [part for part in path.split("/") if part]
    if parts and parts[0][:1] == "v" and parts[0][1:2].isdigit():
        parts = parts[1:]
    return parts


@lru_cache(maxsize=1)
def _route_index() -> Mapping[tuple[str, int], tuple[tuple[tuple[str, ...], Route], ...]]:
    """(method, number of segments) -> the routes of that shape, those with the most
    literal segments first (a literal wins over a parameter, as in Podman's router)."""
    from libpod_client import releases

    index: dict[tuple[str, int], list[tuple[tuple[str, ...], Route]]] = {}
    for operation, (method, template) in releases.ROUTES.items():
        segments = tuple(_segments(template))
        entry = (segments, Route(operation, method, template))
        index.setdefault((method, len(segments)), []).append(entry)
    return {
        shape: tuple(sorted(entries, key=lambda e: -sum(not s.startswith("{") for s in e[0])))
        for shape, entries in index.items()
    }


def route_of_request(method: str, path: str) -> Route | None:
    """The pinned specs' route that a request for ``path`` (after the root's own path,
    with or without an API version) takes, or None for a path no spec has."""
    segments = _segments(path)
    for template, route in _route_index().get((method.upper(), len(segments)), ()):
        if all(t.startswith("{") or t == s for t, s in zip(template, segments, strict=True)):
            return route
    return None


def _dated(having: tuple[str, ...], server: Version) -> str:
    """Which pinned releases bound ``having`` around ``server``, for the message."""
    from libpod_client import releases

    order = release_order(server)
    newer = [r for r in having if releases.release_key(r) > order]
    if newer:
        lacking = [
            r
            for r in releases.RELEASES
            if r not in having and releases.release_key(r) < releases.release_key(newer[0])
        ]
        since = f", not in {lacking[-1].removeprefix('v')}" if lacking else ""
        return f"added by Podman {newer[0].removeprefix('v')}{since}"
    return f"last in Podman {having[-1].removeprefix('v')}"


@lru_cache(maxsize=4096)
def _defaults_of(operation: str, name: str) -> tuple[str, ...]:
    """The documented defaults of a query parameter spelled in any case, as sent."""
    from libpod_client import releases

    defaults = releases.QUERY_DEFAULTS.get(operation, {})
    wanted = name.lower()
    return next((values for key, values in defaults.items() if key.lower() == wanted), ())


# Paths name objects: a bounded cache, which repeated calls on one object hit.
@lru_cache(maxsize=4096)
def refusal(
    method: str, path: str, query: tuple[tuple[str, str], ...], server: Version
) -> str | None:
    """Why a server of version ``server`` cannot take this request (``query``: its
    query's name and value pairs), as the message of `UnsupportedServer`; None when it
    can, or the specs do not tell. Pure."""
    from libpod_client import releases

    route = route_of_request(method, path)
    if route is None:
        return None
    running = format_version(server)
    call = f"{route.method} {route.template} ({route.operation})"
    having = releases.releases_with(route.operation)
    if presence(having, server) is False:
        return (
            f"the service runs Podman {running}, whose API has no {call}: "
            f"{_dated(having, server)} (per the pinned API specs)"
        )
    for sent, value in query:
        with_it = _releases_reading(route.operation, sent)
        if value in _defaults_of(route.operation, sent) or not with_it:
            # The generated builders send documented defaults: they ask nothing of a
            # server that does not read the parameter (it acts on the default anyway).
            continue
        if presence(with_it, server) is False:
            return (
                f"the service runs Podman {running}, which does not read the query "
                f"parameter {sent!r} of {call}: {_dated(with_it, server)} "
                "(per the pinned API specs); it would ignore it silently"
            )
    return None


@lru_cache(maxsize=4096)
def _releases_reading(operation: str, name: str) -> tuple[str, ...]:
    """The pinned releases whose ``operation`` documents the query parameter ``name``,
    spelled in any case (4.3.1 to 5.8.3 spell stop's ``Ignore``, 6.0 ``ignore``)."""
    from libpod_client import releases

    wanted = name.lower()
    return tuple(
        release
        for release in releases.RELEASES
        if any(p.lower() == wanted for p in releases.parameters_of(release, operation))
    )


def refuse_unsupported(request: httpx.Request, root_path: str, server: Version) -> None:
    """Raise `UnsupportedServer` for a request the server cannot take (`refusal`):
    called by both send paths, before anything goes out."""
    why = _refusal_of_target(request.method, request.url.raw_path, root_path, server)
    if why is not None:
        raise UnsupportedServer(why)


# Keyed by the raw target (path and query): a repeated call costs one lookup, not a parse.
@lru_cache(maxsize=4096)
def _refusal_of_target(method: str, target: bytes, root_path: str, server: Version) -> str | None:
    raw_path, _, raw_query = target.decode("ascii").partition("?")
    path = raw_path[len(root_path) :] if root_path and raw_path.startswith(root_path) else raw_path
    query = tuple(httpx.QueryParams(raw_query).multi_items())
    return refusal(method, path, query, server)


def unpinned_operation(operation: str, what: str) -> UnsupportedServer | None:
    """The error for a verb whose operation no pinned release's spec has (so no
    generated builder exists for it, whatever the server runs), else None. Pure."""
    from libpod_client import releases

    if releases.first_release_with(operation) is not None:
        return None
    return UnsupportedServer(
        f"{what}: no pinned Podman release's API has {operation} (pinned: "
        f"{', '.join(r.removeprefix('v') for r in releases.RELEASES)}), so podman-sdk "
        "cannot send it; it needs a newer pinned spec (spec/versions.toml)"
    )
