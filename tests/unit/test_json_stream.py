"""Progress stream decoding: values however the chunks fall, and errors inside streams.

The values are split and decoded by the generated package's decoder
(``libpod_client._streams``); the facade's `ProgressDecoder` (`iter_progress`) reads them
as events and raises `StreamError` with a transcript."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from libpod_client.errors import ShapeError
from libpod_client.streams import JsonValueSplitter, decode_value
from podman_sdk._core._error_mapping import Transcript, stream_error_of
from podman_sdk._exceptions import TRANSCRIPT_LINES, StreamError
from podman_sdk.images._progress import ProgressDecoder, iter_progress

# Everything a body may hold between and inside values: CRLF, blank lines, indentation,
# values back to back, brackets and quotes inside strings, escapes (including an
# escaped backslash right before a closing quote), multi-byte UTF-8 (2, 3 and 4 bytes),
# nesting deeper than the scanner's regex handles, and top-level strings and scalars.
VALUES: list[object] = [
    {"status": "Pulling fs layer", "id": "a1"},
    {"stream": "STEP 1/2: FROM alpine\n"},
    {"stream": 'echo "}{][" \\ done\\'},
    {"progressDetail": {"current": 1, "total": 2}, "progress": "[=>   ]"},
    {"stream": "héllo 日本 🚀"},
    [1, [2, [3, [4, [5, [6, {"deep": ["x"]}]]]]]],
    {},
    [],
    'top-level string with } and \\"',
    {"images": ["sha256:" + "a" * 64], "id": "a" * 64},
    -1.5e3,
    True,
    None,
    {"error": "", "stream": "\u0000\u001f"},
]
BODY = (
    json.dumps(VALUES[0]).encode()
    + b"\r\n"
    + json.dumps(VALUES[1]).encode()
    + b"\n\n\r\n"
    + json.dumps(VALUES[2]).encode()
    + json.dumps(VALUES[3], indent=2).encode()
    + b"\n"
    + json.dumps(VALUES[4], ensure_ascii=False).encode()
    + b"  \t"
    + json.dumps(VALUES[5]).encode()
    + json.dumps(VALUES[6]).encode()
    + json.dumps(VALUES[7]).encode()
    + b"\n"
    + json.dumps(VALUES[8]).encode()
    + json.dumps(VALUES[9]).encode()
    + b"\n"
    + json.dumps(VALUES[10]).encode()
    + b" "
    + json.dumps(VALUES[11]).encode()
    + b"\n"
    + json.dumps(VALUES[12]).encode()
    + b"\n"
    + json.dumps(VALUES[13]).encode()
    + b"\n"
)


def split(chunks: list[bytes]) -> list[bytes]:
    splitter = JsonValueSplitter()
    values: list[bytes] = []
    for chunk in chunks:
        values.extend(splitter.feed(chunk))
    values.extend(splitter.end())
    assert splitter.count == len(values)
    return values


def decode(chunks: list[bytes]) -> list[object]:
    return [decode_value(value, index) for index, value in enumerate(split(chunks))]


def events(chunks: list[bytes]) -> list[dict[str, object]]:
    return [event for event, _ in iter_progress(chunks, StreamError)]


def test_whole_body() -> None:
    assert decode([BODY]) == VALUES


def test_byte_by_byte() -> None:
    assert decode([BODY[i : i + 1] for i in range(len(BODY))]) == VALUES


def test_every_split_point() -> None:
    for i in range(len(BODY) + 1):
        assert decode([BODY[:i], BODY[i:]]) == VALUES, f"split at {i}"


def test_every_pair_of_split_points() -> None:
    body = (
        b'{"a": "x\\\\", "b": ["]", "\\""]}\r\n' + '{"s": "é🚀"}'.encode() + b'[1,{"c":{}}]"t"\n7 '
    )
    expected: list[object] = [{"a": "x\\", "b": ["]", '"']}, {"s": "é🚀"}, [1, {"c": {}}], "t", 7]
    for i in range(len(body) + 1):
        for j in range(i, len(body) + 1):
            assert decode([body[:i], body[i:j], body[j:]]) == expected, (i, j)


def test_values_come_out_as_soon_as_complete() -> None:
    # No newline needed: a progress update must not wait for the next one.
    splitter = JsonValueSplitter()
    assert splitter.feed(b'{"status": "a"}') == [b'{"status": "a"}']
    assert splitter.feed(b'{"status": "b"}{"sta') == [b'{"status": "b"}']
    assert splitter.feed(b'tus": "c"') == []
    assert splitter.feed(b"}") == [b'{"status": "c"}']
    assert splitter.end() == []


def test_escape_split_from_its_character() -> None:
    splitter = JsonValueSplitter()
    assert splitter.feed(b'{"a": "x\\') == []
    assert splitter.feed(b'"') == []  # an escaped quote, not the end of the string
    assert splitter.feed(b'"}') == [b'{"a": "x\\""}']


def test_multibyte_character_split_across_chunks() -> None:
    encoded = json.dumps({"s": "🚀"}, ensure_ascii=False).encode()
    rocket = encoded.index("🚀".encode())
    assert decode(
        [encoded[: rocket + 1], encoded[rocket + 1 : rocket + 3], encoded[rocket + 3 :]]
    ) == [{"s": "🚀"}]


def test_whitespace_only() -> None:
    assert decode([b"", b"\r\n", b"  \n\t", b""]) == []


def test_deep_nesting() -> None:
    depth = 500
    body = b"[" * depth + b"]" * depth
    values = decode([body[i : i + 7] for i in range(0, len(body), 7)])
    assert len(values) == 1
    value = values[0]
    for _ in range(depth - 1):
        assert isinstance(value, list)
        value = value[0]
    assert value == []


def test_nesting_too_deep_for_json_is_a_stream_error() -> None:
    with pytest.raises(ShapeError, match="nested too deeply"):
        decode([b"[" * 100_000 + b"]" * 100_000])
    with pytest.raises(StreamError, match="nested too deeply"):
        events([b"[" * 100_000 + b"]" * 100_000])


def test_large_value_in_small_chunks() -> None:
    # A 5 MB value in 64 KiB chunks: each byte is scanned a bounded number of times, so
    # this stays fast; a decoder that re-parses the buffer per chunk would not.
    value = {
        "stream": 'line with "quotes" and \\ escapes\n' * 90_000,
        "images": [{"id": f"{i:064x}", "tags": [f"t{i}"]} for i in range(20_000)],
    }
    body = json.dumps(value).encode() + b"\n" + b'{"status": "done"}\n'
    assert len(body) > 5_000_000
    chunk = 64 * 1024
    assert decode([body[i : i + chunk] for i in range(0, len(body), chunk)]) == [
        value,
        {"status": "done"},
    ]


def test_large_string_value_in_small_chunks() -> None:
    value = "x" * 5_000_000
    body = json.dumps({"stream": value}).encode()
    chunk = 64 * 1024
    assert decode([body[i : i + chunk] for i in range(0, len(body), chunk)]) == [{"stream": value}]


def test_bare_scalar_at_the_end_is_returned_by_close() -> None:
    splitter = JsonValueSplitter()
    assert splitter.feed(b"1 2") == [b"1"]
    assert splitter.end() == [b"2"]


# -- truncated and malformed bodies ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b'{"status": "Downloading"', b'{"a": "unterminated', b"[1, 2", b'"abc', b'{"a": "x\\'],
)
def test_truncated_body(body: bytes) -> None:
    splitter = JsonValueSplitter()
    assert splitter.feed(b'{"status": "ok"}\n' + body) == [b'{"status": "ok"}']
    with pytest.raises(ShapeError, match="the body ended inside it") as problem:
        splitter.end()
    assert problem.value.got == body.decode()
    assert problem.value.path == (1,)
    decoder = ProgressDecoder(StreamError)
    assert [event for event, _ in decoder.feed(b'{"status": "ok"}\n' + body)] == [{"status": "ok"}]
    with pytest.raises(StreamError, match="the body ended inside it") as info:
        list(decoder.close())
    assert body.decode() in info.value.message
    assert info.value.transcript == ['{"status": "ok"}']


@pytest.mark.parametrize(
    ("body", "excerpt"),
    [
        (b'{"a": }\n', '{"a": }'),
        (b'{"a": 1]\n', '{"a": 1]'),
        (b"}\n", "}"),
        (b"]", "]"),
        (b"garbage\n", "garbage"),
        (b"nul\n", "nul"),
        (b",\n", ","),
        (b'{"a" 1}', '{"a" 1}'),
    ],
)
def test_malformed_json(body: bytes, excerpt: str) -> None:
    with pytest.raises(ShapeError, match="expected JSON"):
        decode([body])
    with pytest.raises(StreamError, match="malformed JSON") as info:
        events([body])
    assert repr(excerpt) in info.value.message


def test_malformed_value_after_good_ones_keeps_them_in_the_transcript() -> None:
    good = [json.dumps({"status": f"step {i}"}) for i in range(30)]
    body = "\n".join([*good, '{"status": oops}']).encode()
    with pytest.raises(StreamError) as info:
        events([body])
    transcript = info.value.transcript
    assert len(transcript) == TRANSCRIPT_LINES
    assert transcript[-1] == '{"status": oops}'
    assert transcript[-2] == good[-1]


def test_huge_malformed_value_is_quoted_briefly() -> None:
    body = b'{"stream": "' + b"x" * 1_000_000 + b'" oops}\n'
    with pytest.raises(StreamError) as info:
        events([body])
    assert "oops" in info.value.message  # the excerpt is taken around the error
    assert len(info.value.message) < 500
    assert all(len(line) < 500 for line in info.value.transcript)


def test_truncated_huge_value_is_quoted_briefly() -> None:
    with pytest.raises(StreamError) as info:
        events([b'{"stream": "' + b"x" * 1_000_000])
    assert len(info.value.message) < 500


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert decode([b'{"stream": "caf\xc3"}\n']) == [{"stream": "caf\ufffd"}]


def test_a_value_longer_than_the_limit_is_refused_before_it_ends() -> None:
    splitter = JsonValueSplitter()
    splitter.feed(b'{}{"stream": "' + b"x" * (2**24 - 20))  # under 16 MiB so far
    with pytest.raises(ShapeError, match="at most 16 MiB") as problem:
        splitter.feed(b"x" * 20)
    assert problem.value.path == (1,)


# -- iter_progress ----------------------------------------------------------------


def test_iter_progress_yields_lazily() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"a": 1}\n{"b"'
        yield b": 2}\n"
        raise AssertionError("read past the values the test consumed")

    values = iter_progress(chunks(), StreamError)
    assert next(values) == ({"a": 1}, b'{"a": 1}')
    assert next(values) == ({"b": 2}, b'{"b": 2}')


def test_iter_progress_raises_on_truncation_after_yielding() -> None:
    values = iter_progress([b'{"a": 1}\n{"b": '], StreamError)
    assert next(values)[0] == {"a": 1}
    with pytest.raises(StreamError):
        next(values)


def test_the_splitter_accepts_any_chunking_and_keeps_each_values_bytes() -> None:
    assert decode([BODY[:100], BODY[100:101], BODY[101:]]) == VALUES
    assert split([b'{"a": 1}\r\n\n{"b":\n 2}[3]']) == [b'{"a": 1}', b'{"b":\n 2}', b"[3]"]


# -- stream_error_of --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"error": "manifest unknown"}, "manifest unknown"),
        ({"error": "a", "errorDetail": {"message": "b"}}, "a"),
        ({"errorDetail": {"message": "denied: access forbidden"}}, "denied: access forbidden"),
        ({"errorDetail": {"code": 1, "message": "x"}, "error": ""}, "x"),
        ({"errorDetail": "plain detail"}, "plain detail"),
        ({"errorDetail": {"code": 125}}, '{"code": 125}'),
        ({"error": {"message": "nested"}}, "nested"),
        ({"error": "  padded \n"}, "padded"),
        ({"stream": "ok", "error": "failed"}, "failed"),
    ],
)
def test_stream_error_of_reports(value: object, message: str) -> None:
    assert stream_error_of(value) == message


@pytest.mark.parametrize(
    "value",
    [
        {"status": "Downloading"},
        {"stream": "error: this is build output, not a failure"},
        {"error": ""},
        {"error": None},
        {"error": "", "errorDetail": None},
        {"errorDetail": {}},
        {"error": "   "},
        "error",
        ["error"],
        None,
        42,
    ],
)
def test_stream_error_of_quiet(value: object) -> None:
    assert stream_error_of(value) is None


# -- Transcript -------------------------------------------------------------------


def test_transcript_keeps_the_last_lines() -> None:
    transcript = Transcript(maxlen=3)
    for i in range(5):
        transcript.append(f"line {i}\r\n")
    assert transcript.lines() == ["line 2", "line 3", "line 4"]
    assert list(transcript) == transcript.lines()
    assert len(transcript) == 3


def test_transcript_cuts_long_lines() -> None:
    transcript = Transcript(width=10)
    transcript.append("x" * 100)
    assert transcript.lines() == ["x" * 10 + "..."]


def test_stream_error_takes_a_transcript() -> None:
    transcript = Transcript()
    transcript.append("one")
    transcript.append("two")
    assert StreamError("failed", transcript).transcript == ["one", "two"]


def test_decoder_transcript_feeds_a_stream_error() -> None:
    decoder = ProgressDecoder(StreamError)
    with pytest.raises(StreamError) as info:
        list(decoder.feed(b'{"status": "Pulling"}\n{"error": "denied"}\n'))
    assert info.value.message == "denied"
    assert info.value.transcript == ['{"status": "Pulling"}', '{"error": "denied"}']
