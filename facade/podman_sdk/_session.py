"""The I/O layer every manager shares: one httpx client, the generated client on top of
it, API version negotiation, timeouts, and error translation.

Error statuses are turned into exceptions in one place: an httpx response hook that
calls `raise_for_response` for every status >= 400, before the generated parser (which
would choke on a plain-text 404) or a stream consumer sees the body. Transport errors
become `PodmanConnectionError` / `PodmanTimeoutError` in `translating`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from libpod_client import Client as GeneratedClient
from libpod_client.types import Response as GeneratedResponse

from podman_sdk._api_version import Version, path_prefix, version_from_ping
from podman_sdk._bulk_read import BULK_READ
from podman_sdk._errors import (
    APIError,
    ImageNotFound,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    StreamError,
    raise_for_response,
    translate_transport_error,
)

T = TypeVar("T")

DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
# The server writes a whole export to a temporary file before it sends headers (6-7 s
# per GiB measured), and a push answers only after the whole attempt: wait long for the
# first byte, then expect data to keep flowing.
DEFAULT_FIRST_BYTE_TIMEOUT = 3600.0
DEFAULT_IDLE_TIMEOUT = 300.0


@dataclass(frozen=True)
class Timeouts:
    call: float = DEFAULT_TIMEOUT
    connect: float = DEFAULT_CONNECT_TIMEOUT
    first_byte: float = DEFAULT_FIRST_BYTE_TIMEOUT
    idle: float = DEFAULT_IDLE_TIMEOUT

    def for_calls(self) -> httpx.Timeout:
        return httpx.Timeout(self.call, connect=self.connect)

    def for_stream_headers(self) -> httpx.Timeout:
        return httpx.Timeout(self.idle, connect=self.connect, read=self.first_byte)

    def for_stream_body(self) -> dict[str, float]:
        # httpcore's own shape for request.extensions["timeout"].
        return {"connect": self.connect, "read": self.idle, "write": self.idle, "pool": self.idle}


def not_found_class(path: str) -> type[NotFound]:
    """What a 404 means on this route: image routes say the image is missing."""
    parts = path.split("/")
    return ImageNotFound if "images" in parts[:4] else NotFound


def _raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise_for_response(response, not_found=not_found_class(response.request.url.path))


class Session:
    """One connection to one service; see the module docstring."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        root_url: str,
        endpoint: str,
        *,
        timeouts: Timeouts,
        trust_env: bool,
        version: Version | None,
        on_close: Callable[[], None] | None = None,
        connection_hint: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.timeouts = timeouts
        self._root_url = root_url.rstrip("/")
        self._version = version
        self._lock = threading.Lock()
        self._on_close = on_close
        # Appended to connection errors: how this endpoint was chosen (from_env's trail)
        # and how to start a service.
        self._connection_hint = connection_hint
        self.http = httpx.Client(
            transport=transport,
            base_url=self._root_url,
            timeout=timeouts.for_calls(),
            trust_env=trust_env,
            event_hooks={"response": [_raise_for_status]},
            follow_redirects=False,
        )
        self._generated = GeneratedClient(base_url=self._root_url)
        self._generated.set_httpx_client(self.http)
        if version is not None:
            self.http.base_url = httpx.URL(self._root_url + path_prefix(version))

    # -- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        try:
            self.http.close()
        finally:
            if self._on_close is not None:
                on_close, self._on_close = self._on_close, None
                on_close()

    # -- negotiation --------------------------------------------------------------------

    @property
    def version(self) -> Version:
        """The libpod API version in use, asking the server once if not given."""
        with self._lock:
            if self._version is None:
                headers = self.ping_headers()
                self._version = version_from_ping(headers, self.endpoint)
                self.http.base_url = httpx.URL(self._root_url + path_prefix(self._version))
            return self._version

    def ping_headers(self) -> httpx.Headers:
        """GET /_ping (unversioned, so it works before negotiation)."""
        with self.translating():
            return self.http.get(self._root_url + "/_ping").headers

    def unversioned_get(self, path: str) -> httpx.Response:
        with self.translating():
            return self.http.get(self._root_url + path)

    # -- calls --------------------------------------------------------------------------

    @contextmanager
    def translating(self) -> Iterator[None]:
        """Turn httpx exceptions into podman_sdk ones; ours pass through."""
        if self.http.is_closed:
            # httpx would raise a bare RuntimeError.
            raise PodmanConnectionError(self.endpoint, "this PodmanClient is closed")
        try:
            yield
        except PodmanError:
            raise
        except httpx.TransportError as exc:
            error = translate_transport_error(exc, self.endpoint)
            if self._connection_hint and isinstance(error, PodmanConnectionError):
                error = PodmanConnectionError(
                    error.endpoint, f"{error.reason}\n{self._connection_hint}"
                )
            raise error from exc
        except httpx.DecodingError as exc:
            raise StreamError(f"undecodable response body from {self.endpoint}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise PodmanError(f"request to {self.endpoint} failed: {exc}") from exc

    def call(
        self, send: Callable[[GeneratedClient], GeneratedResponse[Any]], expected: type[T]
    ) -> T:
        """Run a generated ``sync_detailed`` call and return its parsed 2xx body, which
        must be an ``expected``: a 2xx the model cannot read is a spec gap and raises."""
        response = self.call_raw(send)
        parsed = response.parsed
        # Every model is a JSON object; the generated from_dict also accepts an array
        # (dict([]) is {}), which would turn a wrong answer into an empty model.
        if not isinstance(parsed, expected) or not response.content.lstrip().startswith(b"{"):
            raise APIError(
                f"the answer from {self.endpoint} is not a {expected.__name__} as the API "
                f"spec declares (got {type(parsed).__name__})"
            )
        return parsed

    def call_raw(
        self, send: Callable[[GeneratedClient], GeneratedResponse[Any]]
    ) -> GeneratedResponse[Any]:
        """Run a generated call for its status and raw body (error statuses raise)."""
        _ = self.version
        with self.translating():
            try:
                return send(self._generated)
            except PodmanError:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                # Only a 2xx body reaches the generated parser: errors raised in the hook.
                raise APIError(
                    f"the answer from {self.endpoint} does not match the API spec: {exc!r}"
                ) from exc

    # -- streams ------------------------------------------------------------------------

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str | list[str]] | None = None,
        content: Any = None,
        headers: dict[str, str] | None = None,
        bulk: bool = False,
    ) -> Iterator[httpx.Response]:
        """Send a request and yield the response once its headers are in, with the
        status already checked (an error body is read and raised). Long wait for the
        first byte, idle timeout after. Always closed on exit. ``bulk`` marks a large
        download without a request body: a Unix-socket transport then reads it on a
        connection of its own (``_bulk_read``)."""
        _ = self.version
        with self.translating():
            request = self.http.build_request(
                method,
                path,
                params=params,
                content=content,
                headers=headers,
                timeout=self.timeouts.for_stream_headers(),
                extensions={BULK_READ: True} if bulk else None,
            )
            response = self.http.send(request, stream=True)
        try:
            # httpcore reads the read timeout from the request when body iteration
            # starts: from here on, a stall longer than the idle timeout fails.
            response.request.extensions["timeout"] = self.timeouts.for_stream_body()
            yield response
        finally:
            response.close()

    def iter_body(self, response: httpx.Response, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body as it arrives, with transport errors translated."""
        with self.translating():
            yield from response.iter_bytes(chunk_size)
