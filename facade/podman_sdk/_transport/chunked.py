"""Decoding an HTTP/1.1 chunked body (RFC 9112, section 7.1) without doing any I/O.

Podman sends an image export as 32 KiB chunks. h11 turns every chunk into an event
that travels through httpcore and httpx, about 45 µs each: 1.5 s of CPU per GiB, which
made a save slower than curl. `ChunkedDecoder` instead takes a whole buffer of received
bytes and returns the body bytes in it as slices of that buffer, so the caller can
join a megabyte of body in one copy. It holds no socket, so a sync and an async reader
can share it.
"""

from __future__ import annotations

import re

__all__ = ["MAX_LINE", "MAX_TRAILER", "ChunkedDecoder", "ChunkedFramingError"]

# A chunk-size line is a few hex digits plus rarely used extensions; a trailer section
# is a few header lines. Anything far longer is not HTTP.
MAX_LINE = 4096
MAX_TRAILER = 64 * 1024

# 16 hex digits cover any size a 64-bit server can send; int(..., 16) alone would also
# take "0x10", "+a" and "1_0".
_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
# The framing between two chunks in its plain form (no extensions, no whitespace):
# one match instead of two lines through the general path. Podman writes nothing else,
# and at 32 KiB a chunk the general path cost about a quarter of a second per GiB.
_PLAIN_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,16})\r\n")
_PLAIN_NEXT_SIZE_LINE = re.compile(rb"\r\n([0-9A-Fa-f]{1,16})\r\n")

_SIZE_LINE = 0  # expecting "<hex>[;ext]\r\n"
_DATA = 1  # inside a chunk's data
_DATA_END = 2  # expecting the "\r\n" after a chunk's data
_TRAILER = 3  # after the last chunk: header lines up to an empty one
_DONE = 4


class ChunkedFramingError(ValueError):
    """The body is not valid chunked transfer coding."""


class ChunkedDecoder:
    """Feed it received bytes with `feed`; `done` turns True after the last chunk and
    its trailer section. Bytes after that are ignored (the connection is not reused)."""

    def __init__(self) -> None:
        self._state = _SIZE_LINE
        self._left = 0  # data bytes still to come in the current chunk
        self._line = b""  # the start of a line that the previous buffer cut
        self._trailer_size = 0

    @property
    def done(self) -> bool:
        return self._state == _DONE

    def feed(self, buffer: bytes | bytearray, end: int, start: int = 0) -> list[memoryview]:
        """The body bytes in ``buffer[start:end]``, as slices of ``buffer`` (valid until
        the caller overwrites it). Raises `ChunkedFramingError` for malformed framing."""
        view = memoryview(buffer)
        pieces: list[memoryview] = []
        pos = start
        while pos < end and self._state != _DONE:
            if self._state == _DATA:
                take = min(self._left, end - pos)
                pieces.append(view[pos : pos + take])
                pos += take
                self._left -= take
                if not self._left:
                    self._state = _DATA_END
                continue
            if not self._line and (size := self._plain_size(buffer, pos, end)) is not None:
                self._left, pos = size
                self._state = _DATA if self._left else _TRAILER
                continue
            line, pos = self._take_line(buffer, pos, end)
            if line is not None:
                self._on_line(line)
        return pieces

    def _plain_size(self, buffer: bytes | bytearray, pos: int, end: int) -> tuple[int, int] | None:
        """The next chunk's size and where its data starts, when the framing at ``pos``
        is whole in the buffer and plain; None sends it through the general path, which
        also reports what is wrong with it."""
        if self._state == _DATA_END:
            match = _PLAIN_NEXT_SIZE_LINE.match(buffer, pos, end)
        elif self._state == _SIZE_LINE:
            match = _PLAIN_SIZE_LINE.match(buffer, pos, end)
        else:
            return None
        return None if match is None else (int(match[1], 16), match.end())

    def _take_line(self, buffer: bytes | bytearray, pos: int, end: int) -> tuple[bytes | None, int]:
        """A whole line without its CRLF and the position after it, or (None, end)
        when the line goes on past ``end`` (its start is kept for the next feed)."""
        newline = buffer.find(b"\n", pos, end)
        if newline < 0:
            self._line += buffer[pos:end]
            self._check_line_length(len(self._line))
            return None, end
        line = self._line + buffer[pos:newline] if self._line else bytes(buffer[pos:newline])
        self._line = b""
        self._check_line_length(len(line))
        # A lone "\n" would let a confused server's framing drift: require CRLF.
        if not line.endswith(b"\r"):
            raise ChunkedFramingError(f"chunked body: a line ends without CRLF: {line[:80]!r}")
        return line[:-1], newline + 1

    def _check_line_length(self, length: int) -> None:
        if length > MAX_LINE:
            raise ChunkedFramingError(f"chunked body: a framing line is over {MAX_LINE} bytes")

    def _on_line(self, line: bytes) -> None:
        if self._state == _SIZE_LINE:
            self._left = parse_chunk_size(line)
            self._state = _DATA if self._left else _TRAILER
        elif self._state == _DATA_END:
            if line:
                raise ChunkedFramingError(
                    f"chunked body: expected CRLF after a chunk's data, got {line[:80]!r}"
                )
            self._state = _SIZE_LINE
        elif line:  # _TRAILER: trailer fields carry nothing an export needs
            self._trailer_size += len(line) + 2
            if self._trailer_size > MAX_TRAILER:
                raise ChunkedFramingError(
                    f"chunked body: the trailer section is over {MAX_TRAILER} bytes"
                )
        else:
            self._state = _DONE


def parse_chunk_size(line: bytes) -> int:
    """The size from a chunk-size line (``1a3f``, ``1a3f;name=value``), or raise."""
    size = line.split(b";", 1)[0].rstrip(b" \t")
    if not _SIZE.fullmatch(size):
        raise ChunkedFramingError(f"chunked body: invalid chunk size line {line[:80]!r}")
    return int(size, 16)
