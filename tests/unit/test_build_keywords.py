"""podman-py's documented keywords of ``images.build()``, its log and ``pull(stream=True)``
as podman-py gives them, ``scp`` and ``prune_builds`` (both clients, mock transport):
every keyword reaches the request or raises `InvalidArgument` naming it."""

from __future__ import annotations

import io
import json
import tarfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from podman_sdk import APIError, InvalidArgument, PodmanClient

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]
IMAGE_ID = "c" * 64
BUILD_LOG = (
    b'{"stream":"STEP 1/1: FROM scratch\\n"}\n'
    b'{"stream":"--> Using cache ' + IMAGE_ID.encode() + b'\\n"}\n'
    b'{"stream":"' + IMAGE_ID.encode() + b'\\n"}\n'
)
IMAGE = {"Id": IMAGE_ID, "RepoTags": [], "Digest": "sha256:" + "d" * 64}


@contextmanager
def mocked(flavour: str, handler: Handler) -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version="5.8.2")
    ) as client:
        yield client


def build_service(seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path.endswith("/build"):
            return httpx.Response(200, content=BUILD_LOG)
        return httpx.Response(200, json=IMAGE)

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_every_documented_keyword_reaches_the_request(flavour: str) -> None:
    seen: list[httpx.Request] = []
    with mocked(flavour, build_service(seen)) as client:
        client.images.build(
            fileobj=io.StringIO("FROM scratch"),
            tag="localhost/t:1",
            quiet=True,
            nocache=True,
            rm=False,
            forcerm=True,
            pull=True,
            dockerfile="Containerfile",
            buildargs={"A": "1"},
            container_limits={"memory": 1 << 20, "cpusetcpus": "0", "cpushares": 2},
            shmsize=1 << 20,
            labels={"l": "v"},
            cache_from=["localhost/c:1"],
            target="final",
            network_mode="none",
            squash=True,
            extra_hosts={"db": "10.0.0.2"},
            platform="linux/amd64",
            isolation="chroot",
            http_proxy=False,
            layers=False,
            outputformat="application/vnd.docker.distribution.manifest.v2+json",
            manifest="localhost/list:1",
            secrets=["id=s,src=s.txt"],
            encoding=None,
            gzip=False,
        )
    params = seen[0].url.params
    assert params["dockerfile"] == "Containerfile"
    assert params.get_list("t") == ["localhost/t:1"]
    assert (params["q"], params["nocache"], params["rm"], params["forcerm"]) == (
        "true",
        "true",
        "false",
        "true",
    )
    assert json.loads(params["buildargs"]) == {"A": "1"}
    assert (params["memory"], params["cpusetcpus"], params["cpushares"]) == (
        str(1 << 20),
        "0",
        "2",
    )
    assert json.loads(params["cachefrom"]) == ["localhost/c:1"]
    assert json.loads(params["extrahosts"]) == ["db:10.0.0.2"]
    assert json.loads(params["secrets"]) == ["id=s,src=s.txt"]
    assert params["manifest"] == "localhost/list:1"
    assert params["isolation"] == "chroot"
    assert params["outputformat"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert (params["target"], params["networkmode"], params["platform"]) == (
        "final",
        "none",
        "linux/amd64",
    )
    with tarfile.open(fileobj=io.BytesIO(seen[0].content)) as tar:
        assert tar.getnames() == ["Containerfile"]


@pytest.mark.parametrize(
    ("keywords", "named"),
    [
        ({"no_such_keyword": 1}, "no_such_keyword"),
        ({"stream": True}, "stream"),
        ({"encoding": "gzip"}, "encoding"),
        ({"gzip": True}, "gzip"),
        ({"timeout": 10}, "timeout"),
        ({"output": "type=local"}, "output"),
        ({"use_config_proxy": True}, "use_config_proxy"),
        ({"container_limits": {"cpus": 1}}, "cpus"),
        ({"secrets": "id=s"}, "secrets"),
    ],
)
def test_a_keyword_not_honoured_raises_naming_it(
    flavour: str, keywords: dict[str, object], named: str
) -> None:
    with (
        mocked(flavour, no_request) as client,
        pytest.raises(InvalidArgument, match=named),
    ):
        client.images.build(fileobj="FROM scratch", **keywords)  # type: ignore[arg-type]


def test_a_custom_context_is_sent_as_it_is(flavour: str) -> None:
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        data = b"FROM scratch\n"
        info = tarfile.TarInfo("MyDockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    seen: list[httpx.Request] = []
    with mocked(flavour, build_service(seen)) as client:
        with pytest.raises(InvalidArgument, match="fileobj"):
            client.images.build(custom_context=True, path="invalid")
        with pytest.raises(InvalidArgument, match="dockerfile"):
            client.images.build(custom_context=True, fileobj=context)
        context.seek(0)
        image, _ = client.images.build(
            fileobj=context, dockerfile="MyDockerfile", custom_context=True
        )
    assert image.id == IMAGE_ID
    assert seen[0].content == context.getvalue()
    assert seen[0].url.params["dockerfile"] == "MyDockerfile"
    # podman-py's documented default: intermediate layers kept, so rebuilds use the cache.
    assert seen[0].url.params["layers"] == "true"
    assert seen[0].url.params["outputformat"] == "application/vnd.oci.image.manifest.v1+json"


def test_path_and_fileobj_together_send_the_directory_with_that_containerfile(
    flavour: str, tmp_path: Path
) -> None:
    root = tmp_path
    (root / "data.txt").write_text("x")
    seen: list[httpx.Request] = []
    with mocked(flavour, build_service(seen)) as client:
        client.images.build(path=root, fileobj=io.StringIO("FROM scratch\nCOPY data.txt /\n"))
    with tarfile.open(fileobj=io.BytesIO(seen[0].content)) as tar:
        names = tar.getnames()
        containerfile = seen[0].url.params["dockerfile"]
        member = tar.extractfile(containerfile)
        assert member is not None
        assert member.read().startswith(b"FROM scratch")
    assert "data.txt" in names


def test_the_build_log_is_json_lines_as_podman_py_gives_them(flavour: str) -> None:
    with mocked(flavour, build_service([])) as client:
        image, log = client.images.build(fileobj="FROM scratch")
        lines = list(log)
    assert image.id == IMAGE_ID
    assert all(isinstance(line, bytes) for line in lines)
    assert [json.loads(line)["stream"] for line in lines][1].startswith("--> Using cache")


def test_build_stream_gives_the_typed_log(flavour: str) -> None:
    with (
        mocked(flavour, build_service([])) as client,
        client.images.build_stream(fileobj="FROM scratch") as stream,
    ):
        events = list(stream)
        image = stream.image()
    assert events[0]["stream"].startswith("STEP 1/1")
    assert image.id == IMAGE_ID


PULL_BODY = (
    b'{"stream":"Copying blob\\n"}\n{"images":["'
    + IMAGE_ID.encode()
    + b'"],"id":"'
    + IMAGE_ID.encode()
    + b'"}\n'
)


def pull_service(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/images/pull"):
        return httpx.Response(200, content=PULL_BODY)
    if request.url.path.endswith("/_ping"):
        return httpx.Response(200, text="OK", headers={"Libpod-API-Version": "5.8.2"})
    return httpx.Response(200, json=IMAGE)


def test_a_streamed_pull_is_a_generator_as_podman_py_returns(flavour: str) -> None:
    with mocked(flavour, pull_service) as client:
        raw = client.images.pull("localhost/a", stream=True)
        decoded = client.images.pull("localhost/a", stream=True, decode=True)
        if flavour == "sync":
            assert isinstance(raw, types.GeneratorType)
        values = list(raw)
        events = list(decoded)
    assert [json.loads(value) for value in values] == [
        json.loads(line) for line in PULL_BODY.splitlines()
    ]
    assert events[-1]["images"] == [IMAGE_ID]


def test_pull_stream_keeps_the_typed_stream(flavour: str) -> None:
    with (
        mocked(flavour, pull_service) as client,
        client.images.pull_stream("localhost/a", decode=True) as stream,
    ):
        events = list(stream)
        ids = stream.image_ids
    assert events[0]["stream"] == "Copying blob\n"
    assert ids == [IMAGE_ID]


def test_scp_sends_its_request_and_maps_the_refusal(flavour: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            500,
            json={
                "cause": "no such host",
                "message": "failed to connect: dial tcp: lookup fake.ip.addr: no such host",
                "response": 500,
            },
        )

    with mocked(flavour, handler) as client, pytest.raises(APIError, match="no such host"):
        client.images.scp("user@fake.ip.addr:22::quay.io/libpod/alpine", quiet=False)
    assert (
        seen[0].url.path == "/v5.8.2/libpod/images/scp/user@fake.ip.addr:22::quay.io/libpod/alpine"
    )
    assert seen[0].url.params["quiet"] == "false"


def test_prune_builds_reports_nothing_to_delete(flavour: str) -> None:
    with mocked(flavour, no_request) as client:
        assert client.images.prune_builds() == {"CachesDeleted": [], "SpaceReclaimed": 0}
