"""Pull, push and build progress on a mock transport: how the body is chunked never
matters, errors inside a 200 raise with the server's message, streams are typed and
release their connection, and arguments are refused before any request. Each test that
drives a client runs for PodmanClient and AsyncPodmanClient (tests/harness/both_clients.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager

import httpx
import pytest
from podman_sdk import (
    BuildError,
    ImageNotFound,
    InvalidArgument,
    PodmanClient,
    PullError,
    PushError,
    StreamError,
)
from podman_sdk._exceptions import PodmanConnectionError
from podman_sdk.images._progress import (
    PullProgress,
    PushResult,
    build_image_id,
    iter_progress,
    pulled_image_ids,
)

from tests.harness.both_clients import client_for

IMAGE_ID = "c8620d743b7de85a1e64f3eccdb3439a6c402ceb03b03c1153d41ca66d32a9d2"
DIGEST = "sha256:" + "4b" * 32
PULL_VALUES: list[dict[str, object]] = [
    {"stream": "Trying to pull 127.0.0.1:5000/ns/app:v1...\n"},
    {"stream": "Copying blob sha256:4276d823fb9c\n"},
    {"stream": 'héllo 日本 🚀 } { "quoted"\n'},
    {"images": [IMAGE_ID], "id": IMAGE_ID},
]
INSPECT = {"Id": IMAGE_ID, "RepoTags": ["127.0.0.1:5000/ns/app:v1"]}

Handler = Callable[[httpx.Request], httpx.Response]


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of ``chunks``, for either client's transport."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class Cut(Chunks):
    """A body that breaks off after ``chunks`` (the connection dropped)."""

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        raise httpx.ReadError("connection reset by peer")


class Tracked(Chunks):
    """A body that records whether it was closed."""

    closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.close()


class Fake:
    """A service answering one streaming route and image inspect."""

    def __init__(self, route: str, body: object, status: int = 200) -> None:
        self.route = route
        self.body = body
        self.status = status
        self.requests: list[httpx.Request] = []
        # As they went out: the SDK redacts credentials in a request once it is sent.
        self.sent_headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.sent_headers.append(request.headers.copy())
        if request.url.path.endswith(self.route):
            request.read()
            if isinstance(self.body, Chunks):
                return httpx.Response(self.status, stream=self.body)
            assert isinstance(self.body, list)
            return httpx.Response(self.status, stream=Chunks(self.body))
        if request.url.path.endswith("/json") and "/images/" in request.url.path:
            return httpx.Response(200, json=INSPECT)
        return httpx.Response(404, json={"message": f"no route {request.url.path}"})

    def client(self, flavour: str, version: str = "4.3.1") -> AbstractContextManager[PodmanClient]:
        """A client of ``flavour`` on this fake (an async one driven through SyncView)."""
        return client_for(flavour, None, transport=httpx.MockTransport(self), version=version)

    @property
    def first(self) -> httpx.Request:
        return self.requests[0]


def body(values: Sequence[Mapping[str, object]], separator: bytes = b"\n") -> bytes:
    return b"".join(json.dumps(value, ensure_ascii=False).encode() + separator for value in values)


def split_every(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


CHUNKINGS: dict[str, Callable[[bytes], list[bytes]]] = {
    "one chunk": lambda data: [data],
    "byte by byte": lambda data: split_every(data, 1),
    "7-byte pieces": lambda data: split_every(data, 7),
}


@pytest.mark.parametrize("separator", [b"\n", b"\r\n", b"\n\n\r\n", b""], ids=repr)
@pytest.mark.parametrize("chunking", list(CHUNKINGS), ids=str)
def test_pull_decodes_however_the_body_is_chunked(
    separator: bytes, chunking: str, flavour: str
) -> None:
    chunks = CHUNKINGS[chunking](body(PULL_VALUES, separator))
    fake = Fake("/images/pull", chunks)
    seen: list[PullProgress] = []
    with fake.client(flavour) as client:
        image = client.images.pull("127.0.0.1:5000/ns/app", "v1", progress=seen.append)
    assert image.id == IMAGE_ID
    assert seen == PULL_VALUES
    # The image is looked up by the full id the server reported.
    assert fake.requests[-1].url.path.endswith(f"/images/{IMAGE_ID}/json")


def test_pull_sends_reference_platform_policy_and_auth(flavour: str) -> None:
    fake = Fake("/images/pull", [body(PULL_VALUES)])
    auth = {"username": "u", "password": "p+/=é"}
    with fake.client(flavour) as client:
        client.images.pull(
            "127.0.0.1:5000/ns/app",
            platform="linux/arm64/v8",
            policy="missing",
            auth_config=auth,
            tls_verify=False,
        )
    params = fake.first.url.params
    assert fake.first.url.path == "/v4.3.1/libpod/images/pull"
    assert params["reference"] == "127.0.0.1:5000/ns/app:latest"
    assert (params["OS"], params["Arch"], params["Variant"]) == ("linux", "arm64", "v8")
    assert params["policy"] == "missing"
    assert params["tlsVerify"] == "false"
    assert "allTags" not in params
    header = fake.sent_headers[0]["X-Registry-Auth"]
    assert json.loads(base64.urlsafe_b64decode(header)) == auth
    assert fake.first.headers["X-Registry-Auth"] == "<redacted>"  # once sent


@pytest.mark.parametrize(
    ("repository", "tag", "sent"),
    [
        ("app@sha256:" + "a" * 64, None, "app@sha256:" + "a" * 64),
        ("app", "sha256:" + "a" * 64, "app@sha256:" + "a" * 64),
        ("app:v1@sha256:" + "a" * 64, None, "app:v1@sha256:" + "a" * 64),
        ("localhost:5000/ns/app", None, "localhost:5000/ns/app:latest"),
        ("localhost:5000/ns/app:v2", None, "localhost:5000/ns/app:v2"),
    ],
)
def test_pull_references_never_glue_a_digest_as_a_tag(
    repository: str, tag: str | None, sent: str, flavour: str
) -> None:
    fake = Fake("/images/pull", [body(PULL_VALUES)])
    with fake.client(flavour) as client:
        client.images.pull(repository, tag)
    assert fake.first.url.params["reference"] == sent


def test_pull_all_tags_returns_every_reported_image_once(flavour: str) -> None:
    other = "d" * 64
    values: list[dict[str, object]] = [
        {"stream": "x\n"},
        {"images": [IMAGE_ID, other, IMAGE_ID], "id": other},
    ]
    fake = Fake("/images/pull", [body(values)])
    with fake.client(flavour) as client:
        images = client.images.pull("localhost:5000/ns/app", all_tags=True)
    assert len(images) == 2
    assert fake.first.url.params["allTags"] == "true"
    assert fake.first.url.params["reference"] == "localhost:5000/ns/app"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"policy": "sometimes"},
        {"platform": "linux/amd64/v2/extra"},
        {"platform": "linux//v2"},
        {"all_tags": True, "tag": "v1"},
        {"auth_config": {"user": "x"}},
        {"auth_config": {"username": "x", "password": 1}},
    ],
)
def test_bad_pull_arguments_are_refused_before_any_request(
    kwargs: dict[str, object], flavour: str
) -> None:
    fake = Fake("/images/pull", [body(PULL_VALUES)])
    with fake.client(flavour) as client, pytest.raises(InvalidArgument):
        client.images.pull("localhost:5000/ns/app", **kwargs)  # type: ignore[call-overload]
    assert fake.requests == []


def test_error_value_under_200_raises_with_message_and_transcript(flavour: str) -> None:
    message = "initializing source docker://r/ns/app:nope: manifest unknown"
    values = [{"stream": "Trying to pull r/ns/app:nope...\n"}, {"error": message}]
    fake = Fake("/images/pull", [body(values)])
    with fake.client(flavour) as client, pytest.raises(PullError) as caught:
        client.images.pull("r.example/ns/app", "nope")
    assert message in str(caught.value)
    assert caught.value.reference == "r.example/ns/app:nope"
    assert "Trying to pull" in caught.value.transcript[0]
    assert message in caught.value.transcript[-1]


def test_error_detail_alone_raises(flavour: str) -> None:
    values = [{"errorDetail": {"message": "denied: requested access is denied"}}]
    fake = Fake("/images/pull", [body(values)])
    with (
        fake.client(flavour) as client,
        pytest.raises(PullError, match="requested access is denied"),
    ):
        client.images.pull("r.example/ns/app")


def test_404_with_error_body_raises_image_not_found_with_the_message(flavour: str) -> None:
    fake = Fake("/images/pull", [b'{"message":"manifest unknown: manifest unknown"}\n'], 404)
    with fake.client(flavour) as client, pytest.raises(ImageNotFound) as caught:
        client.images.pull("r.example/ns/app", "nope")
    assert "manifest unknown" in str(caught.value)
    assert caught.value.status_code == 404
    assert isinstance(caught.value, PullError)  # one class catches every pull failure
    assert caught.value.reference == "r.example/ns/app:nope"


def test_stream_without_final_id_is_an_error_not_an_empty_image(flavour: str) -> None:
    values = [{"status": "Download complete", "progressDetail": {}, "id": "4d7b9b529640"}]
    fake = Fake("/images/pull", [body(values)])
    with fake.client(flavour) as client, pytest.raises(PullError, match="without reporting"):
        client.images.pull("r.example/ns/app")


def test_truncated_last_value_is_a_stream_error(flavour: str) -> None:
    data = body(PULL_VALUES[:2]) + b'{"images":["' + IMAGE_ID.encode()
    fake = Fake("/images/pull", [data])
    with fake.client(flavour) as client, pytest.raises(StreamError, match="ended inside"):
        client.images.pull("r.example/ns/app")


def test_stream_cut_midway_raises_a_connection_error(flavour: str) -> None:
    fake = Fake("/images/pull", Cut([body(PULL_VALUES[:2])]))
    with fake.client(flavour) as client:
        stream = client.images.pull_stream("r.example/ns/app", decode=True)
        assert next(stream) == PULL_VALUES[0]
        assert next(stream) == PULL_VALUES[1]
        with pytest.raises(PodmanConnectionError, match="connection reset"):
            next(stream)


def test_pull_stream_yields_the_servers_bytes_then_the_ids(flavour: str) -> None:
    fake = Fake("/images/pull", split_every(body(PULL_VALUES, b"\r\n"), 5))
    with fake.client(flavour) as client, client.images.pull_stream("r.example/app") as stream:
        items = list(stream)
        assert stream.image_ids == [IMAGE_ID]
    assert items == [json.dumps(v, ensure_ascii=False).encode() for v in PULL_VALUES]
    assert all(isinstance(item, bytes) for item in items)


def test_abandoned_stream_releases_the_connection(flavour: str) -> None:
    tracked = Tracked([body(PULL_VALUES)])
    fake = Fake("/images/pull", tracked)
    with fake.client(flavour) as client:
        stream = client.images.pull_stream("r.example/app", decode=True)
        stream.close()  # never iterated
        assert tracked.closed
        tracked2 = Tracked([body(PULL_VALUES)])
        fake.body = tracked2
        with client.images.pull_stream("r.example/app") as stream2:
            next(stream2)
        assert tracked2.closed


def test_push_returns_the_servers_lines_and_the_digest(flavour: str) -> None:
    values = [
        {"stream": "Getting image source signatures\n"},
        {"stream": "Writing manifest to image destination\n"},
        {"manifestdigest": DIGEST},
    ]
    fake = Fake("/push", [body(values)])
    with fake.client(flavour) as client:
        result = client.images.push("localhost/ns/app", "v1", destination="r.example/ns/app:v1")
    assert isinstance(result, PushResult)
    assert result.manifest_digest == DIGEST
    assert [json.loads(line) for line in result.splitlines()] == values
    assert fake.first.url.raw_path.startswith(
        b"/v4.3.1/libpod/images/localhost%2Fns%2Fapp%3Av1/push?"
    )
    assert fake.first.url.params["destination"] == "r.example/ns/app:v1"
    assert fake.first.url.params["quiet"] == "false"


def test_a_whole_push_is_the_servers_text_even_with_decode(flavour: str) -> None:
    values = [{"stream": "Copying blob\n"}, {"manifestdigest": DIGEST}]
    fake = Fake("/push", [body(values)])
    with fake.client(flavour) as client:
        result = client.images.push("localhost/app", decode=True)
    assert [json.loads(line) for line in result.splitlines()] == values


def test_push_stream_yields_str_or_typed_events(flavour: str) -> None:
    values = [{"stream": "Copying blob\n"}, {"manifestdigest": DIGEST}]
    fake = Fake("/push", [body(values)])
    with fake.client(flavour) as client:
        with client.images.push("localhost/app", stream=True) as raw_stream:
            assert list(raw_stream) == [json.dumps(v) for v in values]
            assert raw_stream.manifest_digest == DIGEST
        fake.body = [body(values)]
        with client.images.push("localhost/app", stream=True, decode=True) as events:
            assert list(events) == values


def test_push_error_under_200_raises_push_error(flavour: str) -> None:
    message = "checking whether a blob exists in r/ns/app: unauthorized"
    fake = Fake("/push", [body([{"stream": "Getting\n"}, {"error": message}])])
    with fake.client(flavour) as client, pytest.raises(PushError, match="unauthorized") as caught:
        client.images.push("localhost/app")
    assert caught.value.name == "localhost/app:latest"


def test_push_rejects_bad_format_before_any_request(flavour: str) -> None:
    fake = Fake("/push", [b""])
    with fake.client(flavour) as client, pytest.raises(InvalidArgument):
        client.images.push("localhost/app", format="docker")
    assert fake.requests == []


BUILD_VALUES: list[dict[str, object]] = [
    {"stream": "STEP 1/2: FROM scratch\n"},
    {"stream": "COMMIT app\n"},
    {"stream": IMAGE_ID + "\n"},
]


def test_build_from_fileobj_text_streams_a_tar_and_returns_image_and_log(flavour: str) -> None:
    fake = Fake("/build", [body(BUILD_VALUES)])
    seen: list[object] = []
    with fake.client(flavour) as client:
        image, log = client.images.build(
            fileobj="FROM scratch\n", tag="localhost/app:1", progress=seen.append
        )
    assert image.id == IMAGE_ID
    # The log as podman-py gives it: each JSON line's bytes; the callback gets dicts.
    assert [json.loads(line) for line in log] == BUILD_VALUES == seen
    params = fake.first.url.params
    assert params["dockerfile"] == "Dockerfile"
    assert params.get_list("t") == ["localhost/app:1"]
    assert fake.first.headers["Content-Type"] == "application/x-tar"


def test_build_failure_raises_build_error_with_message_and_log(flavour: str) -> None:
    failure = 'building at STEP "RUN false": while running runtime: exit status 1\n'
    values: list[dict[str, object]] = [
        *BUILD_VALUES[:1],
        {"errorDetail": {"message": failure}, "error": failure},
    ]
    fake = Fake("/build", [body(values)])
    with fake.client(flavour) as client, pytest.raises(BuildError) as caught:
        client.images.build(fileobj=b"FROM scratch\nRUN false\n")
    assert "RUN false" in caught.value.msg
    assert caught.value.build_log == values[:1]


def test_build_stream_gives_the_log_as_it_happens(flavour: str) -> None:
    fake = Fake("/build", [body(BUILD_VALUES)])
    with (
        fake.client(flavour) as client,
        client.images.build_stream(fileobj=b"FROM x\n") as log,
    ):
        first = next(log)
        assert first == BUILD_VALUES[0]
        assert log.image_id is None
        rest = list(log)
        assert log.image().id == IMAGE_ID
    assert rest == BUILD_VALUES[1:]


def test_build_without_image_id_is_an_error(flavour: str) -> None:
    fake = Fake("/build", [body(BUILD_VALUES[:2])])
    with fake.client(flavour) as client, pytest.raises(BuildError, match="without reporting"):
        client.images.build(fileobj=b"FROM x\n")


def test_build_needs_a_context(flavour: str) -> None:
    fake = Fake("/build", [b""])
    with fake.client(flavour) as client, pytest.raises(InvalidArgument):
        client.images.build()
    assert fake.requests == []


def test_search_sends_list_tags_and_returns_typed_results() -> None:
    answer = [{"Index": "r", "Name": "r/ns/app", "Stars": 0, "Official": "", "Tag": "v1"}]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    with PodmanClient(transport=httpx.MockTransport(handler), version="4.3.1") as client:
        results = client.images.search("r.example/ns/app", list_tags=True, limit=3)
        with pytest.raises(InvalidArgument):
            client.images.search("r.example/ns/app:v1", list_tags=True)
    assert results == [
        {
            "Index": "r",
            "Name": "r/ns/app",
            "Description": "",
            "Stars": 0,
            "Official": "",
            "Automated": "",
            "Tag": "v1",
        }
    ]


def test_iter_progress_and_id_helpers() -> None:
    assert pulled_image_ids({"id": "4d7b9b529640"}) is None
    assert pulled_image_ids({"id": "sha256:" + IMAGE_ID}) == [IMAGE_ID]
    assert build_image_id({"aux": {"ID": "sha256:" + IMAGE_ID}}) == IMAGE_ID
    assert build_image_id({"stream": "--> 3aeb30ffc95\n"}) is None
    with pytest.raises(StreamError, match="expected a JSON object"):
        list(iter_progress([b'{"stream":"a"}\n"text"\n'], StreamError))
