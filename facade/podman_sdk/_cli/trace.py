"""``--trace``: the HTTP transcript of a command, on stderr.

For each exchange: the request line and headers, the request body when it is held in
memory, the status and the time to the response headers, the response headers, and the
body's size, total time and first bytes once it has been read. Credentials never
appear: the headers that carry them are replaced by ``<redacted>`` whatever their value,
and every secret the command line was given (a password) is masked wherever it would
show, in a URL, a body or an error message.

The tracer is a pair of public hooks, given to ``PodmanClient(event_hooks=...)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

import httpx

from podman_sdk import EventHooks
from podman_sdk._core._registry_auth import CREDENTIAL_HEADERS, REDACTED

# Compared lower-case: the request headers the SDK redacts once sent, and cookies set.
SECRET_HEADERS = CREDENTIAL_HEADERS | {"set-cookie"}
MASK = "***"
# How much of a body a transcript shows.
BODY_EXCERPT = 300

Write = Callable[[str], None]


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers with every credential-carrying value replaced."""
    return [
        (name, REDACTED if name.lower() in SECRET_HEADERS else value) for name, value in headers
    ]


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced by ``***``."""
    # Longest first, so a secret containing another is masked whole.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def body_excerpt(body: bytes, total: int | None = None, limit: int = BODY_EXCERPT) -> str:
    """The start of a body as text: printable if it decodes, else a note that it is
    binary; marked when cut."""
    size = len(body) if total is None else total
    if size == 0:
        return "(empty)"
    head = body[:limit]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the limit is not binary data.
        if exc.start < len(head) - 3:
            return f"({size} bytes of binary data)"
        text = head[: exc.start].decode("utf-8")
    if sum(not (ch.isprintable() or ch in "\n\t\r") for ch in text) > len(text) // 10:
        return f"({size} bytes of binary data)"
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text + (f"... ({size} bytes)" if size > len(head) else "")


class _TracedStream(httpx.SyncByteStream):
    """A response body that passes through unchanged while keeping its first bytes and
    its size, and reports them when closed."""

    def __init__(self, inner: httpx.SyncByteStream, report: Callable[[bytes, int], None]) -> None:
        self._inner = inner
        self._report = report
        self._head = bytearray()
        self._size = 0
        self._reported = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if len(self._head) < BODY_EXCERPT:
                self._head += chunk[: BODY_EXCERPT - len(self._head)]
            self._size += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            if not self._reported:
                self._reported = True
                self._report(bytes(self._head), self._size)


class HttpTracer:
    """Writes the transcript of every exchange of one client through ``write``."""

    def __init__(self, write: Write, secrets: Iterable[str] = ()) -> None:
        self._write = write
        self.secrets: set[str] = set(secrets)
        self._started: dict[int, float] = {}

    def line(self, text: str) -> None:
        self._write(mask_secrets(text, self.secrets))

    def hooks(self) -> EventHooks:
        """For ``PodmanClient(event_hooks=...)``: response hooks run before the client
        checks the status, so an error answer is traced before it raises."""
        return {"request": [self.on_request], "response": [self.on_response]}

    def on_request(self, request: httpx.Request) -> None:
        self._started[id(request)] = time.monotonic()
        target = request.url.raw_path.decode("ascii", errors="replace")
        self.line(f"> {request.method} {target}")
        for name, value in redact_headers(request.headers.multi_items()):
            self.line(f">   {name}: {value}")
        try:
            content = request.content
        except httpx.RequestNotRead:
            self.line("> body: streamed from the caller")
            return
        if content:
            self.line(f"> body: {body_excerpt(content)}")

    def on_response(self, response: httpx.Response) -> None:
        started = self._started.pop(id(response.request), time.monotonic())
        waited = time.monotonic() - started
        self.line(f"< {response.status_code} {response.reason_phrase} in {_ms(waited)}")
        for name, value in redact_headers(response.headers.multi_items()):
            self.line(f"<   {name}: {value}")

        def report(head: bytes, size: int) -> None:
            total = time.monotonic() - started
            self.line(f"< body: {body_excerpt(head, size)} [{_ms(total)} in all]")

        try:
            # A body already in memory (a mock transport's) will not be streamed again.
            report(response.content, len(response.content))
        except httpx.ResponseNotRead:
            if isinstance(response.stream, httpx.SyncByteStream):
                response.stream = _TracedStream(response.stream, report)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
