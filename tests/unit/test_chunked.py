"""The chunked-body decoder behind bulk reads, fed like a socket would feed it: random
cuts, framing split anywhere, and the malformed framings it must refuse."""

from __future__ import annotations

import itertools
import random

import pytest
from podman_sdk._transport.chunked import (
    MAX_LINE,
    MAX_TRAILER,
    ChunkedDecoder,
    ChunkedFramingError,
    parse_chunk_size,
)


def frame(pieces: list[bytes], *, extension: bytes = b"", trailer: bytes = b"") -> bytes:
    framed = b"".join(b"%x%s\r\n%s\r\n" % (len(p), extension, p) for p in pieces if p)
    return framed + b"0\r\n" + trailer + b"\r\n"


def decode(wire: bytes, cuts: list[int]) -> tuple[bytes, ChunkedDecoder]:
    """Feed ``wire`` cut at ``cuts``, each part through a reused buffer as a socket
    reader would; return the body and the decoder."""
    decoder = ChunkedDecoder()
    body = bytearray()
    buffer = bytearray(max(len(wire), 1))
    bounds = [0, *sorted(cuts), len(wire)]
    for start, end in itertools.pairwise(bounds):
        buffer[: end - start] = wire[start:end]
        body += b"".join(decoder.feed(buffer, end - start))
        buffer[: end - start] = b"\xff" * (end - start)  # what was not copied is lost
    return bytes(body), decoder


@pytest.mark.parametrize("seed", range(300))
def test_any_cutting_of_the_wire_gives_the_body_back(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [rng.randbytes(rng.choice([1, 2, 13, rng.randint(1, 40_000)])) for _ in range(6)]
    extension = rng.choice([b"", b";name=value", b';a="b";c'])
    trailer = rng.choice([b"", b"X-Checksum: abc\r\n", b"A: 1\r\nB: 2\r\n"])
    wire = frame(pieces, extension=extension, trailer=trailer)
    cuts = [rng.randint(0, len(wire)) for _ in range(rng.choice([0, 1, 5, 40]))]
    body, decoder = decode(wire, cuts)
    assert body == b"".join(pieces)
    assert decoder.done


@pytest.mark.parametrize("wire_end", [1, 3, 7, 8, 30])
def test_not_done_until_the_last_chunk_and_trailer_arrive(wire_end: int) -> None:
    wire = frame([b"abc"])  # 3\r\nabc\r\n0\r\n\r\n
    body, decoder = decode(wire[:wire_end], [])
    assert decoder.done == (wire_end >= len(wire))
    assert body == b"abc"[: max(0, wire_end - 3)]


def test_pieces_are_views_of_the_buffer_not_copies() -> None:
    buffer = bytearray(frame([b"hello"]))
    (piece,) = ChunkedDecoder().feed(buffer, len(buffer))
    buffer[3:8] = b"HELLO"
    assert bytes(piece) == b"HELLO"


def test_bytes_after_the_end_are_ignored() -> None:
    wire = frame([b"abc"]) + b"HTTP/1.1 200 OK\r\n"
    body, decoder = decode(wire, [])
    assert (body, decoder.done) == (b"abc", True)


@pytest.mark.parametrize(
    "wire",
    [
        b"0x10\r\n",  # int(..., 16) would take these three
        b"+a\r\n",
        b"1_0\r\n",
        b"\r\n",
        b"zz\r\n",
        b"-1\r\n",
        b"1" * 17 + b"\r\n",
        b"3\nabc\r\n",  # a bare LF
        b"3\r\nabcX\r\n",  # data longer than declared
        # The same after a first chunk, where one match reads the framing in one go:
        b"1\r\na\r\n" + b"1" * 17 + b"\r\n",
        b"1\r\na\r\n0x10\r\n",
        b"1\r\na\r\nzz\r\n",
        b"1\r\na\n3\r\nabc\r\n",
        b"1\r\na\r\n3\nabc\r\n",
        b"1\r\naX\r\n3\r\nabc\r\n",
    ],
)
def test_malformed_framing_is_refused(wire: bytes) -> None:
    with pytest.raises(ChunkedFramingError):
        decode(wire, [])


def test_a_size_line_longer_than_the_limit_is_refused_even_when_cut() -> None:
    wire = b"1;" + b"x" * MAX_LINE
    cuts = list(range(0, len(wire), 100))
    with pytest.raises(ChunkedFramingError, match="over"):
        decode(wire, cuts)


def test_a_trailer_section_longer_than_the_limit_is_refused() -> None:
    line = b"X-Filler: " + b"y" * 1000 + b"\r\n"
    wire = b"0\r\n" + line * (MAX_TRAILER // len(line) + 2) + b"\r\n"
    with pytest.raises(ChunkedFramingError, match="trailer"):
        decode(wire, [])


@pytest.mark.parametrize(
    ("line", "size"),
    [(b"0", 0), (b"8000", 32768), (b"aBc", 0xABC), (b"10;x=y", 16), (b"10 ;x", 16)],
)
def test_chunk_size_lines(line: bytes, size: int) -> None:
    assert parse_chunk_size(line) == size
