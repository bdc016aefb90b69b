"""The exception hierarchy, the status mapping and transport-error translation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import podman_sdk._exceptions as errors_module
import pytest
from podman_sdk._core._error_mapping import (
    error_for_status,
    raise_for_response,
    translate_transport_error,
)
from podman_sdk._exceptions import (
    TRANSCRIPT_LINES,
    APIError,
    BadRequest,
    BuildError,
    Conflict,
    ImageNotFound,
    InvalidArgument,
    NotFound,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    ServerError,
    StreamError,
)

URL = "http://d/v5.0.0/libpod/images/foo/json"
LIBPOD_404 = {"cause": "image not known", "message": "foo: image not known", "response": 404}


def response(status: int, body: bytes | dict[str, object] | list[object] = b"") -> httpx.Response:
    request = httpx.Request("GET", URL)
    if isinstance(body, bytes):
        return httpx.Response(status, content=body, request=request)
    return httpx.Response(status, json=body, request=request)


def raised(resp: httpx.Response, **kwargs: type[NotFound]) -> APIError:
    with pytest.raises(APIError) as info:
        raise_for_response(resp, **kwargs)
    return info.value


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that exists only as a stream, as from a real socket.

    (A Response built with content= is read at construction, so it cannot show
    whether raise_for_response reads a body that was not read yet.)
    """

    def __init__(self, *chunks: bytes) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def streamed(status: int, body: dict[str, object] | bytes) -> httpx.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    # Split the body so that reading it really takes several chunks.
    return httpx.Response(status, stream=_Chunks(data[:5], data[5:]))


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://d")


# -- hierarchy --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (APIError, PodmanError),
        (BadRequest, APIError),
        (NotFound, APIError),
        (ImageNotFound, NotFound),
        (Conflict, APIError),
        (ServerError, APIError),
        (PodmanConnectionError, PodmanError),
        (PodmanTimeoutError, PodmanError),
        (InvalidArgument, PodmanError),
        (InvalidArgument, ValueError),
        (StreamError, PodmanError),
        (BuildError, StreamError),
    ],
)
def test_hierarchy(child: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(child, parent)


def test_transport_errors_are_not_api_errors() -> None:
    # Code catching APIError to inspect status_code must not catch a refused connection.
    assert not issubclass(PodmanConnectionError, APIError)
    assert not issubclass(PodmanTimeoutError, APIError)
    assert not issubclass(PodmanTimeoutError, PodmanConnectionError)


def test_module_docstring_draws_every_exception() -> None:
    doc = errors_module.__doc__ or ""
    for name in errors_module.__all__:
        if isinstance(getattr(errors_module, name), type):
            assert name in doc


# -- error_for_status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequest),
        (404, NotFound),
        (409, Conflict),
        (500, ServerError),
        (502, ServerError),
        (599, ServerError),
        (401, APIError),
        (403, APIError),
        (418, APIError),
        (304, APIError),
        (600, APIError),
    ],
)
def test_error_for_status(status: int, expected: type[APIError]) -> None:
    assert error_for_status(status) is expected


def test_error_for_status_uses_the_routes_not_found_class() -> None:
    assert error_for_status(404, not_found=ImageNotFound) is ImageNotFound
    assert error_for_status(409, not_found=ImageNotFound) is Conflict


# -- raise_for_response -----------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 204, 299])
def test_success_is_a_no_op(status: int) -> None:
    raise_for_response(response(status, b"not even json"))


def test_libpod_body() -> None:
    resp = response(404, LIBPOD_404)
    error = raised(resp, not_found=ImageNotFound)
    assert type(error) is ImageNotFound
    assert error.status_code == 404
    assert error.message == "foo: image not known"
    assert error.explanation == "image not known"
    assert error.response is resp
    assert str(error) == "404 Client Error: Not Found (foo: image not known)"


def test_not_found_default_class() -> None:
    assert type(raised(response(404, LIBPOD_404))) is NotFound


def test_cause_not_in_message_is_shown() -> None:
    error = raised(response(409, {"cause": "image is in use", "message": "cannot remove"}))
    assert type(error) is Conflict
    assert str(error) == "409 Client Error: Conflict (cannot remove: image is in use)"


def test_docker_body() -> None:
    error = raised(response(400, {"message": "invalid reference format"}))
    assert type(error) is BadRequest
    assert error.message == "invalid reference format"
    # podman-py's explanation of a body without a cause is its message (test_login).
    assert error.explanation == "invalid reference format"
    assert str(error) == "400 Client Error: Bad Request (invalid reference format)"


def test_empty_body_falls_back_to_status_line() -> None:
    error = raised(response(500))
    assert type(error) is ServerError
    assert error.message == "HTTP 500 Internal Server Error"
    assert error.explanation is None
    assert str(error) == "500 Server Error: Internal Server Error"


def test_body_without_message_keeps_the_cause() -> None:
    error = raised(response(500, {"cause": "disk full", "message": "", "response": 500}))
    assert error.message == "HTTP 500 Internal Server Error"
    assert error.explanation == "disk full"
    assert str(error) == "500 Server Error: Internal Server Error (disk full)"


def test_plain_text_body() -> None:
    error = raised(response(502, b"upstream connect error\n"))
    assert type(error) is ServerError
    assert error.message == "upstream connect error"
    assert str(error) == "502 Server Error: Bad Gateway (upstream connect error)"


def test_huge_text_body_is_cut() -> None:
    error = raised(response(503, b"<html>" + b"x" * 100_000))
    assert error.message.startswith("<html>xxx")
    assert len(error.message) <= 500


@pytest.mark.parametrize("body", [b"[1, 2]", b"42", b"null", b"{}", b'{"message": 7}'])
def test_json_without_a_message(body: bytes) -> None:
    error = raised(response(500, body))
    assert type(error) is ServerError
    assert error.message  # never empty: either the raw text or the status line


def test_json_string_body() -> None:
    assert raised(response(400, json.dumps("bad filter").encode())).message == "bad filter"


def test_other_4xx_is_a_plain_api_error() -> None:
    error = raised(response(401, {"message": "unauthorized"}))
    assert type(error) is APIError
    assert error.is_client_error()
    assert not error.is_server_error()
    assert str(error) == "401 Client Error: Unauthorized (unauthorized)"


def test_redirect_is_not_success() -> None:
    error = raised(response(301))
    assert type(error) is APIError
    assert str(error).startswith("301 Unexpected Status: Moved Permanently")


def test_unknown_status_has_a_readable_message() -> None:
    error = raised(response(599))
    assert type(error) is ServerError
    assert error.message == "HTTP 599"


def test_streamed_response_is_read_and_closed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return streamed(404, LIBPOD_404)

    with mock_client(handler) as client, client.stream("GET", "/images/foo/json") as resp:
        with pytest.raises(httpx.ResponseNotRead):
            _ = resp.content
        with pytest.raises(ImageNotFound) as info:
            raise_for_response(resp, not_found=ImageNotFound)
        assert resp.is_closed
    assert info.value.message == "foo: image not known"
    assert info.value.explanation == "image not known"


def test_streamed_success_is_left_unread() -> None:
    # A download must stream: checking the status may not buffer the body.
    def handler(request: httpx.Request) -> httpx.Response:
        return streamed(200, b"tar bytes")

    with mock_client(handler) as client, client.stream("GET", "/images/foo/get") as resp:
        raise_for_response(resp)
        assert not resp.is_stream_consumed
        assert resp.read() == b"tar bytes"


def test_stream_already_closed_uses_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return streamed(409, {"message": "in use"})

    with mock_client(handler) as client:
        with client.stream("DELETE", "/images/foo") as resp:
            pass
        with pytest.raises(Conflict) as info:
            raise_for_response(resp)
    assert info.value.message == "HTTP 409 Conflict"


class _BrokenStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'{"message": "half'
        raise httpx.ReadError("connection reset")


def test_body_that_breaks_off_uses_status_and_releases_the_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, stream=_BrokenStream())

    with mock_client(handler) as client, client.stream("GET", "/x") as resp:
        with pytest.raises(ServerError) as info:
            raise_for_response(resp)
        assert resp.is_closed
    assert info.value.message == "HTTP 500 Internal Server Error"


def test_unread_async_response_uses_status() -> None:
    async def scenario() -> APIError:
        async def handler(request: httpx.Request) -> httpx.Response:
            return streamed(404, LIBPOD_404)

        transport = httpx.MockTransport(handler)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://d") as client,
            client.stream("GET", "/images/foo/json") as resp,
        ):
            with pytest.raises(ImageNotFound) as info:
                raise_for_response(resp, not_found=ImageNotFound)
            return info.value

    assert asyncio.run(scenario()).message == "HTTP 404 Not Found"


def test_read_async_response_uses_body() -> None:
    async def scenario() -> APIError:
        async def handler(request: httpx.Request) -> httpx.Response:
            return streamed(404, LIBPOD_404)

        transport = httpx.MockTransport(handler)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://d") as client,
            client.stream("GET", "/images/foo/json") as resp,
        ):
            await resp.aread()
            with pytest.raises(ImageNotFound) as info:
                raise_for_response(resp, not_found=ImageNotFound)
            return info.value

    assert asyncio.run(scenario()).explanation == "image not known"


# -- APIError used directly -------------------------------------------------------


def test_api_error_without_response() -> None:
    error = APIError("boom", explanation="because")
    assert error.status_code is None
    assert error.response is None
    assert not error.is_client_error()
    assert not error.is_server_error()
    assert str(error) == "boom: because"


def test_api_error_positional_arguments_like_podman_py() -> None:
    resp = response(404)
    error = NotFound("no such image: foo", resp, "image not known")
    assert error.status_code == 404
    assert str(error) == "404 Client Error: Not Found (no such image: foo: image not known)"


# -- transport errors -------------------------------------------------------------

ENDPOINT = "unix:///run/podman/podman.sock"
REQUEST = httpx.Request("GET", "http://d/_ping")


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectTimeout("timed out", request=REQUEST),
        httpx.ReadTimeout("timed out", request=REQUEST),
        httpx.WriteTimeout("timed out", request=REQUEST),
        httpx.PoolTimeout("timed out", request=REQUEST),
    ],
)
def test_timeouts(exc: httpx.TransportError) -> None:
    error = translate_transport_error(exc, ENDPOINT)
    assert type(error) is PodmanTimeoutError
    assert error.endpoint == ENDPOINT
    assert ENDPOINT in str(error)
    assert type(exc).__name__ in str(error)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST),
        httpx.RemoteProtocolError("Server disconnected", request=REQUEST),
        httpx.ReadError("reset", request=REQUEST),
        httpx.UnsupportedProtocol("bad scheme", request=REQUEST),
    ],
)
def test_connection_errors(exc: httpx.TransportError) -> None:
    error = translate_transport_error(exc, ENDPOINT)
    assert type(error) is PodmanConnectionError
    assert error.endpoint == ENDPOINT
    assert ENDPOINT in str(error)
    assert str(exc) in str(error)


def test_empty_transport_message_still_says_what_happened() -> None:
    error = translate_transport_error(httpx.ReadTimeout("", request=REQUEST), ENDPOINT)
    assert isinstance(error, PodmanTimeoutError)
    assert error.reason == "ReadTimeout"


def test_translation_through_a_client() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 2] No such file or directory", request=request)

    def ping(client: httpx.Client) -> None:
        try:
            client.get("/_ping")
        except httpx.TransportError as exc:
            raise translate_transport_error(exc, ENDPOINT) from exc

    with mock_client(handler) as client, pytest.raises(PodmanConnectionError) as info:
        ping(client)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "No such file or directory" in str(info.value)


# -- stream errors ----------------------------------------------------------------


def test_stream_error_keeps_the_last_lines() -> None:
    lines = [f"line {i}" for i in range(50)]
    error = StreamError("pull failed", lines)
    assert error.message == "pull failed"
    assert str(error) == "pull failed"
    assert error.transcript == lines[-TRANSCRIPT_LINES:]


def test_stream_error_transcript_defaults_empty() -> None:
    assert StreamError("x").transcript == []


def test_build_error_like_podman_py() -> None:
    log = [{"stream": "STEP 1/2: FROM alpine\n"}, {"error": "no such file"}]
    error = BuildError("no such file", iter(log))
    assert isinstance(error, StreamError)
    assert error.msg == error.message == "no such file"
    assert error.build_log == log
    assert error.transcript == []
