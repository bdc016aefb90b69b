"""The send path's decisions, as pure functions shared by the sync and the async
connection: which version goes in a path, what a 404 means on a route, how an httpx
failure reads as the SDK's, and the arguments of a streamed exchange."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

import httpx
from libpod_client.types import RequestArguments

from podman_sdk._core._api_version import Version, path_prefix
from podman_sdk._core._error_mapping import translate_transport_error
from podman_sdk._core._registry_auth import redact_credentials
from podman_sdk._exceptions import (
    ImageNotFound,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    StreamError,
)
from podman_sdk._transport import BULK_READ

if TYPE_CHECKING:
    from libpod_client.types import RequestContent

# What a PodmanConnectionError says after close(): for a request sent later, and for one
# in flight (its transport shut the sockets down under it).
CLOSED_BEFORE = "the client was closed: open a new client to send more requests"
CLOSED_DURING = "the client was closed while this request was in flight"


def not_found_class(path: str, root_path: str = "") -> type[NotFound]:
    """What a 404 means on this route: image routes (``/images/...`` once the root's
    path, the version and ``libpod`` are set aside) say the image is missing. A name
    further on is not a route: a container called "images" is no image."""
    rest = path[len(root_path) :] if path.startswith(root_path) else path
    parts = [part for part in rest.split("/") if part]
    if parts and parts[0][:1] == "v" and parts[0][1:2].isdigit():
        parts = parts[1:]
    if parts and parts[0] == "libpod":
        parts = parts[1:]
    return ImageNotFound if parts[:1] == ["images"] else NotFound


def versioned_path(path: str, version: Version, compat: str | None = None) -> str:
    """A route's path (after the root's own) with the API version: libpod's for libpod
    routes (``/libpod/x`` -> ``/v4.3.1/libpod/x``), the Docker API version for the
    others (``/images/x`` -> ``/v1.41/images/x``; unversioned when it is not known). A
    path that already names a version is left alone."""
    if path.startswith("/v") and path[2:3].isdigit():
        return path
    # libpod routes are the ones whose first segment is "libpod"; all others are Docker's.
    if path.split("/")[1:2] != ["libpod"]:
        return path if compat is None else f"/v{compat}{path}"
    return path_prefix(version) + path


def versioned_url(
    url: httpx.URL, root_path: str, version: Version, compat: str | None = None
) -> httpx.URL:
    """``url`` with the API version after the root's own path (`versioned_path`)."""
    # The raw path: an image name is percent-encoded there ("a%2Fb"), and must stay so.
    raw = url.raw_path.decode("ascii")
    rest = raw[len(root_path) :] if raw.startswith(root_path) else raw
    versioned = versioned_path(rest, version, compat)
    if versioned == rest:
        return url
    return url.copy_with(raw_path=(root_path + versioned).encode("ascii"))


def with_hint(error: PodmanError, hint: str | None) -> PodmanError:
    if hint and isinstance(error, PodmanConnectionError):
        return PodmanConnectionError(error.endpoint, f"{error.reason}\n{hint}")
    return error


@contextmanager
def translated_errors(
    endpoint: str, hint: str | None, closed: Callable[[], bool] = lambda: False
) -> Iterator[None]:
    """Turn httpx exceptions into podman_sdk ones (ours pass through); shared by the
    sync and the async connection. Once ``closed()``, any failure is the close's doing
    (its transport shut the sockets down under the request): "the client was closed"."""
    try:
        yield
    except PodmanError:
        raise
    except (httpx.HTTPError, RuntimeError) as exc:
        # httpx refuses to send on a closed client with a RuntimeError, and its
        # StreamError family (a stream closed under a reader) is one too.
        if closed():
            raise PodmanConnectionError(endpoint, CLOSED_DURING) from exc
        if isinstance(exc, httpx.TransportError):
            raise with_hint(translate_transport_error(exc, endpoint), hint) from exc
        if isinstance(exc, httpx.DecodingError):
            raise StreamError(f"undecodable response body from {endpoint}: {exc}") from exc
        if isinstance(exc, httpx.HTTPError):
            raise PodmanError(f"request to {endpoint} failed: {exc}") from exc
        raise


def redact_sent(response: httpx.Response) -> None:
    redact_credentials(response.request)


class StreamArguments(RequestArguments, total=False):
    """A generated request with what a streamed exchange adds (`stream_arguments`)."""

    timeout: httpx.Timeout
    extensions: dict[str, object] | None


def stream_arguments(
    request_kwargs: RequestArguments,
    head_timeout: httpx.Timeout,
    content: RequestContent | None = None,
    headers: Mapping[str, str] | None = None,
    bulk: bool = False,
) -> StreamArguments:
    """``build_request`` arguments for a streamed exchange: ``content`` replaces the
    body, ``headers`` are added, a long wait for the head; ``bulk`` marks a large
    download without a request body (see `Connection.stream`)."""
    arguments: StreamArguments = {
        **request_kwargs,
        "timeout": head_timeout,
        "extensions": {BULK_READ: True} if bulk else None,
    }
    if content is not None:
        arguments["content"] = content
    if headers:
        arguments["headers"] = {**request_kwargs.get("headers", {}), **headers}
    return arguments
