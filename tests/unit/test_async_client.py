"""AsyncPodmanClient's one send path on httpx.MockTransport with an async handler:
negotiation, the version prefix, status mapping, transport errors, closing; and the
same answers as PodmanClient's for the same exchange (tests/unit/test_client.py's
FakePodman serves both)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import httpx
import pytest
import trio
from libpod_client.api.volumes import volume_list_libpod
from podman_sdk import (
    APIError,
    AsyncImage,
    AsyncImagesManager,
    AsyncPodmanClient,
    BadRequest,
    Conflict,
    ImageNotFound,
    InvalidArgument,
    PodmanConnectionError,
    PodmanTimeoutError,
    ServerError,
    UnsupportedServer,
)

from tests.unit.test_client import INFO_BODY, VERSION_BODY, FakePodman, answer, system_fake

IMAGE = {"Id": "a" * 64, "RepoTags": ["localhost/x:1"], "Labels": None}


def async_transport(fake: FakePodman, closed: list[int] | None = None) -> httpx.MockTransport:
    """``fake`` behind an async handler, as an AsyncClient's transport runs it."""

    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)  # a real suspension point, as on a socket
        return fake(request)

    class Transport(httpx.MockTransport):
        async def aclose(self) -> None:
            if closed is not None:
                closed.append(1)

    return Transport(handler)


def run(
    fake: FakePodman,
    body: Callable[[AsyncPodmanClient], Awaitable[object]],
    **kwargs: object,
) -> object:
    """``body(client)`` on an AsyncPodmanClient over ``fake``, closed afterwards."""

    async def main() -> object:
        async with AsyncPodmanClient(transport=async_transport(fake), **kwargs) as client:  # type: ignore[arg-type]
            return await body(client)

    return asyncio.run(main())


# -- negotiation and the prefix -----------------------------------------------------------


def test_negotiates_once_and_prefixes_every_libpod_route() -> None:
    fake = system_fake()

    async def body(client: AsyncPodmanClient) -> object:
        assert await client.negotiate() == "5.4.2"
        assert await client.api_version == "5.4.2"
        return await client.version(), await client.info(), await client.ping()

    version, info, ping = run(fake, body)  # type: ignore[misc]
    assert version == VERSION_BODY
    assert info == INFO_BODY
    assert ping is True
    assert fake.paths == [
        "/libpod/_ping",
        "/v5.4.2/libpod/version",
        "/v5.4.2/libpod/info",
        "/libpod/_ping",
    ]


def test_concurrent_first_calls_share_one_negotiation() -> None:
    fake = system_fake()

    async def body(client: AsyncPodmanClient) -> object:
        return await asyncio.gather(*(client.version() for _ in range(10)))

    assert run(fake, body) == [VERSION_BODY] * 10
    assert fake.paths.count("/libpod/_ping") == 1


def test_a_pinned_version_sends_no_ping() -> None:
    fake = system_fake()
    run(fake, lambda client: client.version(), version="4.3.1")
    assert fake.paths == ["/v4.3.1/libpod/version"]


def test_compat_routes_carry_the_docker_api_version_the_ping_announced() -> None:
    fake = FakePodman(
        {("GET", "/images/x/json"): answer(200, IMAGE)},
        ping_headers={"Libpod-Api-Version": "5.4.2", "Api-Version": "1.44"},
    )
    image = AsyncImage(IMAGE)

    async def body(client: AsyncPodmanClient) -> object:
        image._connection = client._connection
        image._raw = {**IMAGE, "Id": "x"}
        return await image.reload(compatible=True)

    run(fake, body)
    assert fake.paths[-1] == "/v1.44/images/x/json"


def test_a_server_without_libpod_ping_is_unsupported() -> None:
    def not_podman(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="page not found", headers={"Server": "Docker"})

    with pytest.raises(UnsupportedServer, match="Docker"):
        asyncio.run(
            _with_client(httpx.MockTransport(_async(not_podman)), lambda client: client.version())
        )


def _async(
    handler: Callable[[httpx.Request], httpx.Response],
) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    async def run_handler(request: httpx.Request) -> httpx.Response:
        return handler(request)

    return run_handler


async def _with_client(
    transport: httpx.AsyncBaseTransport,
    body: Callable[[AsyncPodmanClient], Awaitable[object]],
) -> object:
    async with AsyncPodmanClient(transport=transport) as client:
        return await body(client)


def test_the_generated_asyncio_functions_take_the_same_path() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(500, {"message": "boom"})})

    async def body(client: AsyncPodmanClient) -> object:
        return await volume_list_libpod.asyncio(client=client.api)

    with pytest.raises(ServerError, match="boom"):
        run(fake, body)
    assert fake.paths == ["/libpod/_ping", "/v5.4.2/libpod/volumes/json"]


# -- status mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequest),
        (404, ImageNotFound),
        (409, Conflict),
        (500, ServerError),
        (503, ServerError),
        (401, APIError),
        (304, APIError),
    ],
)
def test_an_error_status_is_the_exception_the_sync_client_raises(
    status: int, expected: type[APIError]
) -> None:
    body = {"cause": "the cause", "message": "the message", "response": status}
    fake = FakePodman({("GET", "/libpod/images/x/json"): answer(status, body)})

    async def get(client: AsyncPodmanClient) -> object:
        return await client.images.get("x")

    with pytest.raises(expected) as raised:
        run(fake, get)
    assert type(raised.value) is expected
    assert raised.value.status_code == status
    assert raised.value.message == "the message"
    assert raised.value.explanation == "the cause"
    with fake.client() as sync_client, pytest.raises(expected) as sync_raised:
        sync_client.images.get("x")
    assert str(sync_raised.value) == str(raised.value)


def test_a_streamed_error_answer_is_read_for_its_message() -> None:
    fake = FakePodman(
        {("GET", "/libpod/images/x/get"): answer(404, {"message": "no such image x"})}
    )
    image = AsyncImage({**IMAGE, "Id": "x"})

    async def save(client: AsyncPodmanClient) -> object:
        image._connection = client._connection
        async with image.save() as stream:
            return [chunk async for chunk in stream]

    with pytest.raises(ImageNotFound, match="no such image x"):
        run(fake, save)


def test_exists_reads_404_as_false_and_raises_other_errors() -> None:
    fake = FakePodman(
        {
            ("GET", "/libpod/images/gone/exists"): answer(404, {"message": "missing"}),
            ("GET", "/libpod/images/here/exists"): answer(204, b""),
            ("GET", "/libpod/images/bad/exists"): answer(500, {"message": "boom"}),
        }
    )

    async def body(client: AsyncPodmanClient) -> object:
        return await client.images.exists("gone"), await client.images.exists("here")

    assert run(fake, body) == (False, True)
    with pytest.raises(ServerError):
        run(fake, lambda client: client.images.exists("bad"))


def test_a_2xx_that_does_not_parse_raises() -> None:
    fake = FakePodman({("GET", "/libpod/images/json"): answer(200, b"not json")})
    with pytest.raises(APIError, match="expected JSON"):
        run(fake, lambda client: client.images.list())


# -- transport errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("refused"), PodmanConnectionError),
        (httpx.ReadError("reset"), PodmanConnectionError),
        (httpx.ReadTimeout("slow"), PodmanTimeoutError),
        (httpx.ConnectTimeout("slow"), PodmanTimeoutError),
    ],
)
def test_transport_errors_become_podman_errors(
    error: httpx.TransportError, expected: type[Exception]
) -> None:
    async def failing(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(expected) as raised:
        asyncio.run(_with_client(httpx.MockTransport(failing), lambda client: client.ping()))
    assert isinstance(raised.value.__cause__, httpx.TransportError)


# -- closing ------------------------------------------------------------------------------------


def test_async_with_closes_and_a_closed_client_refuses_calls() -> None:
    closed: list[int] = []

    async def main() -> None:
        client = AsyncPodmanClient(transport=async_transport(system_fake(), closed))
        async with client:
            assert await client.ping() is True
            assert closed == []
        assert closed == [1]
        with pytest.raises(PodmanConnectionError, match="the client was closed"):
            await client.version()
        with pytest.raises(PodmanConnectionError, match="closed"):
            await client.images.list()
        await client.aclose()  # twice is fine

    asyncio.run(main())


def test_images_is_one_async_manager_bound_to_the_client() -> None:
    async def body(client: AsyncPodmanClient) -> object:
        assert isinstance(client.images, AsyncImagesManager)
        assert client.images is client.images
        assert client.images._api() is client._connection
        return repr(client)

    assert run(system_fake(), body) == "AsyncPodmanClient('http://podman.invalid')"


def test_detached_objects_refuse_verbs() -> None:
    with pytest.raises(InvalidArgument, match="AsyncImagesManager is not attached"):
        asyncio.run(AsyncImagesManager().list())
    with pytest.raises(InvalidArgument, match="AsyncImage is not attached"):
        asyncio.run(AsyncImage(IMAGE).history())


def test_event_hooks_may_be_plain_or_async() -> None:
    seen: list[str] = []

    async def on_response(response: httpx.Response) -> None:
        seen.append(f"response {response.status_code}")

    fake = system_fake()
    run(
        fake,
        lambda client: client.version(),
        event_hooks={
            "request": [lambda request: seen.append(f"request {request.url.path}")],
            "response": [on_response],
        },
    )
    assert seen == [
        "request /libpod/_ping",
        "response 200",
        "request /v5.4.2/libpod/version",
        "response 200",
    ]


def test_model_of_a_listed_async_image_asks_for_a_reload() -> None:
    fake = FakePodman({("GET", "/libpod/images/json"): answer(200, [IMAGE])})

    async def body(client: AsyncPodmanClient) -> object:
        (image,) = await client.images.list()
        return image

    image = run(fake, body)
    assert isinstance(image, AsyncImage)
    with pytest.raises(InvalidArgument, match="reload"):
        image.model  # noqa: B018
    assert json.loads(json.dumps(image.attrs))["Id"] == IMAGE["Id"]


@pytest.mark.parametrize(
    "call",
    [
        lambda client: client.ping(),
        lambda client: client.images.list(),
        lambda client: client.images.get("alpine"),
    ],
)
def test_trio_is_refused_before_any_request(
    call: Callable[[AsyncPodmanClient], Awaitable[object]],
) -> None:
    """httpx runs under trio, but the SDK's locks, threads and socket reads are
    asyncio's: one clear error, and nothing sent."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async def main() -> None:
        with pytest.raises(InvalidArgument, match="runs on asyncio, not trio"):
            await _with_client(httpx.MockTransport(_async(record)), call)

    trio.run(main)
    assert sent == []
