"""The system calls and the event stream's arguments, both clients' (`Call`: the request
from its generated builder, the answer decoded here), and the checks before them:
everything the system verbs decide, none of their I/O."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

import httpx

from podman_sdk._core._answers import json_object, model_answer, unexpected
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import InvalidArgument, MalformedAnswerError
from podman_sdk.system._types import DiskUsage, Event, LoginReport, VersionInfo

if TYPE_CHECKING:
    from libpod_client.models import Event as EventModel

#: The keys a version answer always has as strings (Docker's types.Version, no omitempty).
_VERSION_STRINGS = ("Version", "ApiVersion", "GitCommit", "GoVersion", "Os", "Arch")


def ping_answered(response: httpx.Response) -> bool:
    """What a /_ping answer means: the service is up when it says OK."""
    return response.text.strip() == "OK"


def version_info(data: Mapping[str, Any], endpoint: str) -> VersionInfo:
    """The documented keys of a /libpod/version answer; one that lacks a key the server
    always writes, or has a non-string there, is malformed."""
    # Docker's types.Version nests the engine's details under "Server" in some
    # releases; Podman writes them at the top, but either reads the same.
    nested = data.get("Server")
    server: Mapping[str, Any] = nested if isinstance(nested, dict) else data
    for key in _VERSION_STRINGS:
        if not isinstance(server.get(key), str):
            raise MalformedAnswerError(
                f"version from {endpoint}: expected a string at {key!r}, got {server.get(key)!r}"
            )
    platform = data.get("Platform")
    if not (isinstance(platform, dict) and isinstance(platform.get("Name"), str)):
        raise unexpected("version", endpoint, 'a "Platform" object with a "Name"')
    info: dict[str, Any] = {
        key: server[key] for key in VersionInfo.__annotations__ if key in server
    }
    info["Platform"] = platform
    return cast(VersionInfo, info)


def version_call(api_version: bool) -> Call[VersionInfo]:
    """GET /libpod/version. podman-py's ``api_version=False`` would delete a key its
    server never writes (``APIVersion``) and fail; here it is refused before sending."""
    from libpod_client.api.system import system_version_libpod

    if api_version is not True:
        raise InvalidArgument(
            "version(api_version=False) is not supported: the answer always carries "
            "ApiVersion (podman-py's removal of it fails)"
        )
    return Call(
        system_version_libpod.request_kwargs(),
        lambda response, endpoint: version_info(
            json_object(response, "version", endpoint), endpoint
        ),
    )


def info_call() -> Call[dict[str, object]]:
    """GET /libpod/info: host, store, registries and version, as the server sent them."""
    from libpod_client.api.system import system_info_libpod

    return Call(
        system_info_libpod.request_kwargs(),
        lambda response, endpoint: json_object(response, "info", endpoint),
    )


def disk_usage(data: dict[str, object], endpoint: str) -> DiskUsage:
    """A /libpod/system/df answer, checked against the generated model; its lists as
    lists (Go writes an empty one as ``null``)."""
    from libpod_client.models import SystemDfReport

    model_answer(SystemDfReport, data, "disk usage", endpoint)
    for key in ("Images", "Containers", "Volumes"):
        if data[key] is None:
            data[key] = []
    return cast(DiskUsage, data)


def df_call() -> Call[DiskUsage]:
    """GET /libpod/system/df."""
    from libpod_client.api.system import system_data_usage_libpod

    return Call(
        system_data_usage_libpod.request_kwargs(),
        lambda response, endpoint: disk_usage(
            json_object(response, "disk usage", endpoint), endpoint
        ),
    )


def _login_report(response: httpx.Response, endpoint: str) -> LoginReport:
    from libpod_client.models import AuthReport

    data = json_object(response, "login", endpoint)
    model_answer(AuthReport, data, "login", endpoint)
    return cast(LoginReport, data)


def _optional_text(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidArgument(f"login: {name} must be a str, not {type(value).__name__}")
    return value


def login_call(
    username: object,
    password: object,
    email: object,
    registry: object,
    *,
    reauth: object,
    dockercfg_path: object,
    auth: object,
    identitytoken: object,
    registrytoken: object,
    tls_verify: object,
) -> Call[LoginReport]:
    """POST /auth (Docker-compatible, as podman-py sends it): the service logs in to
    ``registry`` and keeps no credentials (Podman's handler sets NoWriteBack). What it
    cannot honour is refused before sending."""
    from libpod_client.api.system_compat import system_auth
    from libpod_client.models import AuthConfig

    if not isinstance(username, str) or not username:
        raise InvalidArgument("login: username must be a non-empty str")
    if not isinstance(reauth, bool | None):
        raise InvalidArgument(f"login: reauth must be a bool, not {type(reauth).__name__}")
    # reauth needs nothing: the service logs in afresh each time, caching nothing.
    if dockercfg_path is not None:
        raise InvalidArgument(
            "login: dockercfg_path is not supported: the service checks the credentials "
            "and writes no configuration file"
        )
    if tls_verify is not None:
        raise InvalidArgument(
            "login: tls_verify is not supported here: the service decides how it reaches "
            "the registry; for the connection to the service pass PodmanClient(tls_verify=...)"
        )
    fields = {
        "username": username,
        "password": _optional_text(password, "password"),
        "email": _optional_text(email, "email"),
        "serveraddress": _optional_text(registry, "registry"),
        "auth": _optional_text(auth, "auth"),
        "identitytoken": _optional_text(identitytoken, "identitytoken"),
        "registrytoken": _optional_text(registrytoken, "registrytoken"),
    }
    body = AuthConfig(**{key: value for key, value in fields.items() if value is not None})
    return Call(system_auth.request_kwargs(body=body), _login_report)


# -- events -------------------------------------------------------------------------------

Moment = datetime | int | None


class EventQuery(TypedDict, total=False):
    """The generated events ``stream()``'s query arguments."""

    since: str
    until: str
    filters: dict[str, list[str]]


def unix_seconds(value: Moment, name: str) -> str | None:
    """podman-py's timestamp: an int as is, a datetime as UTC seconds (a naive one is
    read as UTC, as podman-py reads it)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | datetime):
        raise InvalidArgument(
            f"events: {name} must be a datetime or an int (seconds since the epoch), "
            f"not {type(value).__name__}"
        )
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return str(int(moment.timestamp()))
    return str(value)


def events_query(since: Moment, until: Moment, filters: Filters | None) -> EventQuery:
    """What ``events()`` sends, checked before any request."""
    query: EventQuery = {}
    start, end = unix_seconds(since, "since"), unix_seconds(until, "until")
    if start is not None:
        query["since"] = start
    if end is not None:
        query["until"] = end
    encoded = filter_values(filters)
    if encoded is not None:
        query["filters"] = encoded
    return query


def event_dict(event: EventModel, endpoint: str) -> Event:
    """One parsed event as the dict podman-py yields, with the keys the libpod route
    always writes checked (the generated model leaves them optional, as the Docker type
    they come from does)."""
    data = event.to_dict()
    for key in ("scope", "time", "timeNano"):
        if key not in data:
            raise unexpected("an event", endpoint, f"an event with {key!r}")
    actor = data["Actor"]
    if not isinstance(actor.get("Attributes"), dict):
        raise unexpected("an event", endpoint, "an event whose Actor has Attributes")
    return cast(Event, data)


def event_line(event: EventModel) -> bytes:
    """One event as podman-py yields it undecoded: a line of JSON, without its newline."""
    return json.dumps(event.to_dict(), separators=(",", ":")).encode()
