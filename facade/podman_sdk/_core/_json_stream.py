"""Decoding progress streams: the JSON values of pull, push, build and load bodies.

Podman writes one JSON value per line, but HTTP chunks split and join lines at will,
and some servers write values back to back with no separator. `JsonValueDecoder` finds
where each top-level value ends with a small resumable scanner (brackets and string
quotes only, skipping everything else with a regex), so every byte is scanned once
however the value is chunked, and hands each complete value to `json` exactly once.
Re-running a JSON parser on the whole buffer for every chunk would make a 10 MB value
in 64 KiB chunks cost 160 parses of up to 10 MB each.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator

from podman_sdk._exceptions import TRANSCRIPT_LINES, StreamError

__all__ = [
    "JsonValueDecoder",
    "Transcript",
    "iter_json_values",
    "stream_error_of",
]

# The scanner only needs brackets and string boundaries. These regexes let `re` skip
# everything else in C: `_STRING_REST` the rest of a string (up to its closing quote,
# or to the end of the data), `_SKIP` every complete element inside a container,
# including whole strings and containers nested up to three deep. Possessive
# quantifiers (*+, ++) make a failed match give up instead of backtracking, and the
# alternatives never overlap, so each attempt is linear in what it reads.
_STRING_BODY = rb'(?:[^"\\]++|\\.)*+'
_ATOM = rb'"' + _STRING_BODY + rb'"|[^"\[\]{}]++'


def _nest(inner: bytes) -> bytes:
    return rb"(?:" + _ATOM + rb"|[\[{](?:" + inner + rb")*+[\]}])"


_ELEMENT = _nest(_nest(_nest(_ATOM)))
_STRING_REST = re.compile(_STRING_BODY, re.DOTALL)
_SKIP = re.compile(rb"(?:" + _ELEMENT + rb")*+", re.DOTALL)
_NOT_WHITESPACE = re.compile(rb"[^ \t\r\n]")
# A bare top-level number or literal ends at the first byte that cannot continue it.
_SCALAR_END = re.compile(rb"[^-+.0-9A-Za-z]")
_QUOTE = ord('"')
_OPENERS = b"[{"
_CLOSERS = b"]}"

# Longest excerpt of offending text quoted in an error, and of a value in a transcript.
_EXCERPT = 200
_LINE_WIDTH = 300


class Transcript:
    """The last lines of a stream, oldest first, kept to explain a `StreamError`.

    Each line is cut to ``width`` characters so a huge value cannot bloat an error.
    """

    def __init__(self, maxlen: int = TRANSCRIPT_LINES, width: int = _LINE_WIDTH) -> None:
        self._lines: deque[str] = deque(maxlen=maxlen)
        self._width = width

    def append(self, line: str) -> None:
        line = line.rstrip("\r\n")
        if len(line) > self._width:
            line = line[: self._width] + "..."
        self._lines.append(line)

    def lines(self) -> list[str]:
        return list(self._lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines())

    def __len__(self) -> int:
        return len(self._lines)


class JsonValueDecoder:
    """Turns chunks of a body into the JSON values it holds, as soon as each is complete.

    Accepts values separated by newlines (``\\n`` or ``\\r\\n``), blank lines, any
    whitespace, or nothing at all (``{..}{..}``), split anywhere, including inside a
    multi-byte UTF-8 character. ``transcript`` holds the raw text of the last values.
    After it raises, a decoder must not be fed again.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._pos = 0  # next byte to scan
        self._start: int | None = None  # first byte of the value being scanned
        self._depth = 0  # open brackets in the current value
        self._in_string = False
        self._in_scalar = False  # a bare top-level number, true, false or null
        self.transcript = Transcript()

    def feed(self, chunk: bytes) -> list[object]:
        """Add ``chunk`` and return the values it completed, in order.

        Raises:
            StreamError: a value is not valid JSON.
        """
        self._buffer += chunk
        values: list[object] = []
        while (end := self._scan()) is not None:
            values.append(self._take(end))
        self._compact()
        return values

    def close(self) -> list[object]:
        """Signal the end of the body.

        Returns the value only the end could complete (a bare number or literal with
        nothing after it; never an object), usually nothing.

        Raises:
            StreamError: the body ended inside a value (truncated), or it is malformed.
        """
        if self._start is None:
            return []
        if self._in_scalar:
            return [self._take(len(self._buffer))]
        partial = self._buffer[self._start :].decode("utf-8", errors="replace")
        raise StreamError(
            f"stream ended inside a JSON value ({len(partial)} characters received): "
            f"{_excerpt(partial, 0)!r}",
            self.transcript,
        )

    def _scan(self) -> int | None:
        """End offset of the current value if it is complete, else None (state kept)."""
        buffer = self._buffer
        if self._start is None and not self._begin_value():
            return None
        if self._in_scalar:
            match = _SCALAR_END.search(buffer, self._pos)
            if match is None:
                self._pos = len(buffer)
                return None
            return match.start()
        while True:
            if self._in_string:
                self._pos = _match_end(_STRING_REST, buffer, self._pos)
                # The match stops at the closing quote, or at the end of the data (which
                # may leave a lone backslash whose escaped byte is still to come).
                if self._pos >= len(buffer) or buffer[self._pos] != _QUOTE:
                    return None
                self._pos += 1
                self._in_string = False
                if self._depth == 0:
                    return self._pos
                continue
            self._pos = _match_end(_SKIP, buffer, self._pos)
            if self._pos >= len(buffer):
                return None
            # What _SKIP stopped at: the start of a string or container not complete yet
            # (or nested too deep for it), or the closing bracket of the current one.
            byte = buffer[self._pos]
            self._pos += 1
            if byte == _QUOTE:
                self._in_string = True
            elif byte in _OPENERS:
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth == 0:
                    return self._pos

    def _begin_value(self) -> bool:
        """Skip whitespace to the next value and set up to scan it; False if none yet."""
        match = _NOT_WHITESPACE.search(self._buffer, self._pos)
        if match is None:
            self._pos = len(self._buffer)
            return False
        self._start = match.start()
        self._pos = self._start + 1
        byte = self._buffer[self._start]
        if byte in _OPENERS:
            self._depth = 1
        elif byte == _QUOTE:
            self._in_string = True
        elif byte in _CLOSERS:
            text = self._buffer[self._start :].decode("utf-8", errors="replace")
            raise StreamError(
                f"malformed JSON in stream (unexpected {chr(byte)!r}): {_excerpt(text, 0)!r}",
                self.transcript,
            )
        else:
            # Scanning resumes after the first byte, so even a lone stray byte (",")
            # is taken as a value and reported as malformed, rather than as empty text.
            self._in_scalar = True
        return True

    def _take(self, end: int) -> object:
        """Decode the value from ``_start`` to ``end`` and reset to look for the next."""
        assert self._start is not None
        # Go's encoder already replaces invalid UTF-8 with U+FFFD; do the same for other
        # servers rather than abort a pull over one mangled byte of log text.
        text = self._buffer[self._start : end].decode("utf-8", errors="replace")
        self._start = None
        self._pos = end
        self._in_scalar = False
        self._depth = 0
        self.transcript.append(text)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise StreamError(
                f"malformed JSON in stream ({exc.msg} at character {exc.pos}): "
                f"{_excerpt(text, exc.pos)!r}",
                self.transcript,
            ) from exc
        except RecursionError as exc:
            raise StreamError(
                f"JSON value in stream is nested too deeply: {_excerpt(text, 0)!r}",
                self.transcript,
            ) from exc

    def _compact(self) -> None:
        # Drop consumed bytes once per feed, not once per value: deleting a prefix
        # moves everything after it.
        cut = self._pos if self._start is None else self._start
        if cut:
            del self._buffer[:cut]
            self._pos -= cut
            if self._start is not None:
                self._start -= cut


def iter_json_values(chunks: Iterable[bytes]) -> Iterator[object]:
    """The JSON values in a body given as chunks, each as soon as it is complete.

    Raises:
        StreamError: malformed JSON, or the body ended inside a value.
    """
    decoder = JsonValueDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()


def stream_error_of(value: object) -> str | None:
    """The error a progress value reports, or None if it reports none.

    Docker and Podman report a failure inside a 200 stream as ``{"error": "..."}``,
    ``{"errorDetail": {"message": "..."}}`` or both; an empty ``error`` means none.
    """
    if not isinstance(value, dict):
        return None
    error = _message_of(value.get("error"))
    if error is not None:
        return error
    return _message_of(value.get("errorDetail"))


def _message_of(field: object) -> str | None:
    # Podman sends "error": "" on success in some reports; no falsy value is an error.
    if not field:
        return None
    if isinstance(field, str):
        return field.strip() or None
    if isinstance(field, dict):
        message = field.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    # An error without a readable message is still an error; show what there is.
    return json.dumps(field, ensure_ascii=False)[:_EXCERPT]


def _match_end(pattern: re.Pattern[bytes], buffer: bytearray, pos: int) -> int:
    # Both patterns can match the empty string, so a match always exists.
    match = pattern.match(buffer, pos)
    return pos if match is None else match.end()


def _excerpt(text: str, position: int) -> str:
    """At most `_EXCERPT` characters of ``text``, around ``position``."""
    if len(text) <= _EXCERPT:
        return text
    start = max(0, min(position - _EXCERPT // 2, len(text) - _EXCERPT))
    prefix = "..." if start else ""
    suffix = "..." if start + _EXCERPT < len(text) else ""
    return prefix + text[start : start + _EXCERPT] + suffix
