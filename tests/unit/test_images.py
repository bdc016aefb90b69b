"""ImagesManager and Image on a mock transport: the requests they send, how answers
become attrs and reports, and what is refused before any request."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, quote

import httpx
import pytest
from libpod_client.models import ImageData
from podman_sdk import (
    APIError,
    Conflict,
    Image,
    ImageNotFound,
    ImagesManager,
    InvalidArgument,
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PruneError,
    ServerError,
)
from podman_sdk.images._image import save_name

Handler = Callable[[httpx.Request], httpx.Response]

IMAGE_ID = "72df5decc548107e02726a4466419e9230251b247eee6a2f1029ef0cb075029e"
DIGEST = "sha256:" + "ab" * 32

INSPECT = {
    "Id": IMAGE_ID,
    "Digest": DIGEST,
    "RepoTags": ["localhost/app:v1", "localhost/app:latest"],
    "RepoDigests": [f"localhost/app@{DIGEST}"],
    "Created": "2026-11-27T18:58:31.123456789Z",
    "Size": 3584,
    "VirtualSize": 3584,
    "Labels": {"purpose": "test"},
    "Annotations": {},
    "Architecture": "amd64",
    "Os": "linux",
    "Version": "",
    "ManifestType": "application/vnd.oci.image.manifest.v1+json",
    "Author": "",
    "Comment": "",
    "User": "",
    "Parent": "",
    "Config": {"Labels": {"purpose": "test"}},
    "RootFS": {"Type": "layers", "Layers": ["sha256:" + "cd" * 32]},
    "History": [{"created": "2026-11-27T18:58:31Z", "created_by": "COPY x /x"}],
    "NamesHistory": ["localhost/app:v1"],
    "GraphDriver": {"Name": "overlay", "Data": {"UpperDir": "/x"}},
}
SUMMARY = {
    "Id": IMAGE_ID,
    "ParentId": "",
    "RepoTags": ["localhost/app:v1", "localhost/app:latest"],
    "RepoDigests": [f"localhost/app@{DIGEST}"],
    "Created": 1795805911,
    "Size": 3584,
    "SharedSize": 0,
    "VirtualSize": 3584,
    "Labels": {"purpose": "test"},
    "Containers": 0,
    "Names": ["localhost/app:v1"],
    "Digest": DIGEST,
    "History": ["localhost/app:v1"],
    "Arch": "amd64",
    "Os": "linux",
}
UNTAGGED = {**SUMMARY, "Id": "ef" * 32, "RepoTags": None, "Labels": None, "History": None}
UNTAGGED_NONE = {**UNTAGGED, "RepoTags": ["<none>:<none>"]}


class FakeImages:
    """Answers ``routes[(method, path without the version prefix)]``; records requests.
    With ``strict``, any request at all fails the test."""

    def __init__(self, routes: dict[tuple[str, str], Handler] | None = None) -> None:
        self.routes = routes or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.raw_path.decode().partition("?")[0]
        # libpod routes carry the version; Docker-compatible ones are sent without.
        rest = path.partition("/v5.4.2")[2] if path.startswith("/v5.4.2/") else path
        handler = self.routes.get((request.method, rest))
        if handler is None:
            return httpx.Response(404, text=f"no route for {request.method} {rest}")
        return handler(request)

    def last(self) -> httpx.Request:
        return self.requests[-1]

    def params(self, index: int = -1) -> dict[str, str]:
        return dict(parse_qsl(self.requests[index].url.query.decode()))


def answer(status: int, body: object = None) -> Handler:
    """``body``: bytes as is, anything else as JSON (None is ``null``)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status, content=b"null")
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return handler


def raising(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def enc(name: str) -> str:
    return quote(name, safe="")


@pytest.fixture
def fake() -> FakeImages:
    return FakeImages(
        {
            ("GET", f"/libpod/images/{IMAGE_ID}/json"): answer(200, INSPECT),
            ("GET", "/libpod/images/app/json"): answer(200, INSPECT),
            ("GET", "/libpod/images/json"): answer(200, [SUMMARY, UNTAGGED]),
        }
    )


@pytest.fixture
def client(fake: FakeImages) -> Iterator[PodmanClient]:
    # A pinned version: no /_ping, so requests[] holds only what the verbs send.
    with PodmanClient(transport=httpx.MockTransport(fake), version="5.4.2") as client:
        yield client


@pytest.fixture
def image(client: PodmanClient, fake: FakeImages) -> Image:
    image = client.images.get("app")
    fake.requests.clear()
    return image


# -- attrs and properties --------------------------------------------------------------


def test_get_returns_an_image_with_documented_attrs(client: PodmanClient) -> None:
    image = client.images.get("app")
    assert image.id == IMAGE_ID
    assert image.short_id == IMAGE_ID[:12]
    assert image.tags == ["localhost/app:v1", "localhost/app:latest"]
    assert image.labels == {"purpose": "test"}
    assert image.attrs["Created"] == 1795805911  # RFC 3339 with nanoseconds -> seconds
    assert image.attrs["Architecture"] == "amd64"
    assert image.attrs["Config"] == {"Labels": {"purpose": "test"}}
    assert isinstance(image.model, ImageData)


def test_list_and_get_share_one_shape(client: PodmanClient) -> None:
    listed = client.images.list()[0]
    got = client.images.get("app")
    required = ["Id", "RepoTags", "RepoDigests", "Digest", "Labels", "Created", "Size"]
    required += ["VirtualSize", "Architecture", "Os"]
    for key in required:
        assert key in listed.attrs
        assert key in got.attrs
        assert listed.attrs[key] == got.attrs[key], key  # type: ignore[literal-required]
    # list's spellings of the same data are gone, and its names history is not "History"
    for key in ("Arch", "Names", "ParentId", "SharedSize"):
        assert key not in listed.attrs
    assert "History" not in listed.attrs
    assert listed.attrs["NamesHistory"] == ["localhost/app:v1"]
    assert isinstance(got.attrs["History"][0], dict)
    assert listed == got
    assert hash(listed) == hash(got)


@pytest.mark.parametrize("raw", [UNTAGGED, UNTAGGED_NONE])
def test_untagged_image_has_no_tags_and_no_labels(raw: dict[str, object]) -> None:
    fake = FakeImages({("GET", "/libpod/images/json"): answer(200, [raw])})
    with PodmanClient(transport=httpx.MockTransport(fake), version="5.4.2") as client:
        (image,) = client.images.list()
    assert image.tags == []
    assert image.labels == {}
    assert image.attrs["RepoTags"] == []
    assert image.attrs["Labels"] == {}
    assert "untagged" in repr(image)


def test_tags_and_labels_are_copies(image: Image) -> None:
    image.tags.append("x")
    image.labels["x"] = "y"
    assert "x" not in image.tags
    assert "x" not in image.labels


def test_model_of_a_listed_image_is_fetched_lazily(client: PodmanClient, fake: FakeImages) -> None:
    listed = client.images.list()[0]
    fake.requests.clear()
    assert listed.model.id == IMAGE_ID
    assert [r.url.path for r in fake.requests] == [f"/v5.4.2/libpod/images/{IMAGE_ID}/json"]


def test_short_id_keeps_sha256_prefix(image: Image, fake: FakeImages) -> None:
    compat = {**INSPECT, "Id": "sha256:" + IMAGE_ID, "Created": "2026-11-27T18:58:31Z"}
    fake.routes["GET", f"/images/{IMAGE_ID}/json"] = answer(200, compat)
    image.reload(compatible=True)
    assert image.id == "sha256:" + IMAGE_ID
    assert image.short_id == "sha256:" + IMAGE_ID[:12]
    # Unversioned: Podman reads a version on a compat route as a Docker API version.
    assert [r.url.path for r in fake.requests] == [f"/images/{IMAGE_ID}/json"]
    # Still the same image as one from list().
    assert image == Image({"Id": IMAGE_ID})


def test_reload_uses_the_libpod_route(image: Image, fake: FakeImages) -> None:
    image.reload()
    assert [r.url.path for r in fake.requests] == [f"/v5.4.2/libpod/images/{IMAGE_ID}/json"]


def test_reload_of_a_removed_image_raises_image_not_found(image: Image, fake: FakeImages) -> None:
    body = {"cause": "image not known", "message": "x: image not known", "response": 404}
    fake.routes["GET", f"/libpod/images/{IMAGE_ID}/json"] = answer(404, body)
    with pytest.raises(ImageNotFound) as info:
        image.reload()
    assert info.value.explanation == "image not known"


@pytest.mark.parametrize("body", [{}, [], {"Id": 5}, {"Id": ""}, None, b"{oops", b""])
def test_inspect_without_an_id_raises_instead_of_an_empty_image(body: object) -> None:
    fake = FakeImages({("GET", "/libpod/images/app/json"): answer(200, body)})
    with (
        PodmanClient(transport=httpx.MockTransport(fake), version="5.4.2") as client,
        pytest.raises(APIError),
    ):
        client.images.get("app")


@pytest.mark.parametrize(
    "body", [b"{not json", b"", {"a": 1}, None, [1, 2], [{"RepoTags": []}], b"\x00"]
)
def test_list_answer_that_is_not_an_array_of_images_raises(body: object) -> None:
    fake = FakeImages({("GET", "/libpod/images/json"): answer(200, body)})
    with (
        PodmanClient(transport=httpx.MockTransport(fake), version="5.4.2") as client,
        pytest.raises(PodmanError) as info,
    ):
        client.images.list()
    assert isinstance(info.value, APIError)
    assert not isinstance(info.value, (json.JSONDecodeError, KeyError, TypeError))


def test_detached_image_refuses_verbs() -> None:
    image = Image({"Id": IMAGE_ID, "RepoTags": ["a:1"]})
    assert image.tags == ["a:1"]
    with pytest.raises(InvalidArgument):
        image.reload()
    with pytest.raises(InvalidArgument):
        ImagesManager().list()


# -- history ---------------------------------------------------------------------------


def test_history_returns_entries(image: Image, fake: FakeImages) -> None:
    fake.routes["GET", f"/libpod/images/{IMAGE_ID}/history"] = answer(
        200,
        [
            {
                "id": IMAGE_ID,
                "created": "2026-11-27T18:58:31.5Z",
                "createdBy": "/bin/sh -c #(nop) LABEL x",
                "tags": ["localhost/app:v1"],
                "size": 12,
                "comment": "",
            },
            {"id": "<missing>", "created": None, "createdBy": "COPY", "tags": None, "size": 0},
        ],
    )
    history = image.history()
    assert history[0] == {
        "Id": IMAGE_ID,
        "Created": 1795805911,
        "CreatedBy": "/bin/sh -c #(nop) LABEL x",
        "Tags": ["localhost/app:v1"],
        "Size": 12,
        "Comment": "",
    }
    assert history[1]["Tags"] == []
    assert history[1]["Created"] == 0
    assert fake.last().url.path == f"/v5.4.2/libpod/images/{IMAGE_ID}/history"


@pytest.mark.parametrize("body", [{}, None, b"nope", [1]])
def test_history_that_is_not_an_array_raises(image: Image, fake: FakeImages, body: object) -> None:
    fake.routes["GET", f"/libpod/images/{IMAGE_ID}/history"] = answer(200, body)
    with pytest.raises(APIError):
        image.history()


# -- remove ----------------------------------------------------------------------------


def delete_route(fake: FakeImages, name: str, status: int, body: object) -> None:
    fake.routes["DELETE", f"/libpod/images/{enc(name)}"] = answer(status, body)


def test_remove_report(image: Image, fake: FakeImages) -> None:
    delete_route(
        fake,
        IMAGE_ID,
        200,
        {
            "Deleted": [IMAGE_ID],
            "Untagged": ["localhost/app:v1", "localhost/app:latest"],
            "Errors": [],
            "ExitCode": 0,
        },
    )
    report = image.remove(force=True)
    assert report == [
        {"Untagged": "localhost/app:v1"},
        {"Untagged": "localhost/app:latest"},
        {"Deleted": IMAGE_ID},
        {"ExitCode": 0},
    ]
    assert fake.params() == {"force": "true"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Errors and ExitCode are always written (no omitempty); Deleted and Untagged not.
        ({"Errors": None, "ExitCode": 0}, [{"ExitCode": 0}]),
        ({"Deleted": None, "Untagged": None, "Errors": [], "ExitCode": 0}, [{"ExitCode": 0}]),
        (
            {"Deleted": [IMAGE_ID], "Errors": None, "ExitCode": 0},
            [{"Deleted": IMAGE_ID}, {"ExitCode": 0}],
        ),
        ({"Errors": ["busy"], "ExitCode": 2}, [{"Errors": "busy"}, {"ExitCode": 2}]),
    ],
)
def test_remove_tolerates_absent_optional_keys(
    client: PodmanClient, fake: FakeImages, body: object, expected: list[object]
) -> None:
    delete_route(fake, "app", 200, body)
    assert client.images.remove("app") == expected
    assert fake.params() == {"force": "false"}


def test_remove_in_use_is_conflict(client: PodmanClient, fake: FakeImages) -> None:
    body = {"cause": "image is in use by a container", "message": "image used by c1: image is in use by a container", "response": 409}  # fmt: skip
    delete_route(fake, "app", 409, body)
    with pytest.raises(Conflict) as info:
        client.images.remove("app")
    assert info.value.status_code == 409
    assert info.value.explanation == "image is in use by a container"


def test_remove_missing_is_image_not_found(client: PodmanClient, fake: FakeImages) -> None:
    delete_route(fake, "app", 404, {"cause": "image not known", "message": "m", "response": 404})
    with pytest.raises(ImageNotFound):
        client.images.remove("app")


def test_remove_noprune_uses_the_compat_route(image: Image, fake: FakeImages) -> None:
    fake.routes["DELETE", f"/images/{IMAGE_ID}"] = answer(
        200, [{"Untagged": "localhost/app:v1"}, {"Deleted": IMAGE_ID}, {"Other": 1}]
    )
    report = image.remove(noprune=True)
    assert report == [{"Untagged": "localhost/app:v1"}, {"Deleted": IMAGE_ID}]
    assert fake.last().url.path == f"/images/{IMAGE_ID}"
    assert fake.params() == {"force": "false", "noprune": "true"}


def test_remove_accepts_an_image(client: PodmanClient, image: Image, fake: FakeImages) -> None:
    delete_route(fake, IMAGE_ID, 200, {"Deleted": [IMAGE_ID], "Errors": None, "ExitCode": 0})
    assert client.images.remove(image) == [{"Deleted": IMAGE_ID}, {"ExitCode": 0}]


# -- tag and untag ----------------------------------------------------------------------


def tag_route(fake: FakeImages, status: int, body: object = None) -> None:
    fake.routes["POST", f"/libpod/images/{IMAGE_ID}/tag"] = answer(status, body)


@pytest.mark.parametrize(
    ("repository", "tag", "params"),
    [
        ("localhost/app", None, {"repo": "localhost/app", "tag": "latest"}),
        ("localhost/app", "v2", {"repo": "localhost/app", "tag": "v2"}),
        ("localhost/app:v3", None, {"repo": "localhost/app", "tag": "v3"}),
        ("localhost:5000/a/b", "c", {"repo": "localhost:5000/a/b", "tag": "c"}),
        ("quay.io/x/y", "1.0", {"repo": "quay.io/x/y", "tag": "1.0"}),
    ],
)
def test_tag_sends_repo_and_tag(
    image: Image, fake: FakeImages, repository: str, tag: str | None, params: dict[str, str]
) -> None:
    tag_route(fake, 201)
    assert image.tag(repository, tag) is True
    assert fake.params() == params
    assert fake.last().method == "POST"


@pytest.mark.parametrize("status", [400, 404, 409])
def test_tag_force_turns_a_client_error_into_false(
    image: Image, fake: FakeImages, status: int
) -> None:
    tag_route(fake, status, {"cause": "c", "message": "m", "response": status})
    assert image.tag("localhost/app", "v2", force=True) is False
    with pytest.raises(APIError):
        image.tag("localhost/app", "v2")


def test_tag_force_never_hides_a_server_error(image: Image, fake: FakeImages) -> None:
    tag_route(fake, 500, {"cause": "c", "message": "invalid reference format", "response": 500})
    with pytest.raises(ServerError, match="invalid reference format"):
        image.tag("localhost/app", "v2", force=True)


def test_tag_force_never_hides_a_connection_error(image: Image, fake: FakeImages) -> None:
    fake.routes["POST", f"/libpod/images/{IMAGE_ID}/tag"] = raising(httpx.ConnectError("gone"))
    with pytest.raises(PodmanConnectionError):
        image.tag("localhost/app", "v2", force=True)


def test_untag_one_and_all(image: Image, fake: FakeImages) -> None:
    fake.routes["POST", f"/libpod/images/{IMAGE_ID}/untag"] = answer(201)
    assert image.untag("localhost/app", "v1") is True
    assert fake.params() == {"repo": "localhost/app", "tag": "v1"}
    assert image.untag() is True
    assert fake.params() == {}


# -- exists ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "expected"), [(204, True), (404, False)])
def test_exists(client: PodmanClient, fake: FakeImages, status: int, expected: bool) -> None:
    fake.routes["GET", "/libpod/images/app/exists"] = answer(status, b"")
    assert client.images.exists("app") is expected


@pytest.mark.parametrize(
    ("status", "error"), [(500, ServerError), (409, Conflict), (400, APIError)]
)
def test_exists_raises_on_other_errors(
    client: PodmanClient, fake: FakeImages, status: int, error: type[APIError]
) -> None:
    fake.routes["GET", "/libpod/images/app/exists"] = answer(status, {"message": "boom"})
    with pytest.raises(error, match="boom"):
        client.images.exists("app")


def test_exists_raises_on_connection_errors(client: PodmanClient, fake: FakeImages) -> None:
    fake.routes["GET", "/libpod/images/app/exists"] = raising(httpx.ReadError("reset"))
    with pytest.raises(PodmanConnectionError):
        client.images.exists("app")


# -- valid references are never rejected --------------------------------------------------

VALID_REFERENCES = [
    "localhost:5000/a/b:c",
    f"img@{DIGEST}",
    f"img:tag@{DIGEST}",
    "quay.io/podman/hello:latest",
    "127.0.0.1:5000/x/y:z",
    "a_b.c/x",  # not a host name, so a path: localhost/a_b.c/x to Podman
    "registry.example.com/a/b/c/d",
    "localhost/a_b__c--d.e/f",
    IMAGE_ID,
    IMAGE_ID[:12],
    "sha256:" + IMAGE_ID,
]


@pytest.mark.parametrize("name", VALID_REFERENCES)
def test_valid_references_are_sent_as_written(
    client: PodmanClient, fake: FakeImages, name: str
) -> None:
    fake.routes["GET", f"/libpod/images/{enc(name)}/json"] = answer(200, INSPECT)
    fake.routes["GET", f"/libpod/images/{enc(name)}/exists"] = answer(204, b"")
    removed = {"Errors": None, "ExitCode": 0}
    fake.routes["DELETE", f"/libpod/images/{enc(name)}"] = answer(200, removed)
    assert client.images.get(name).id == IMAGE_ID
    assert client.images.exists(name) is True
    assert client.images.remove(name) == [{"ExitCode": 0}]
    assert len(fake.requests) == 3


# -- refused before any request ----------------------------------------------------------


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a request was sent: {request.method} {request.url}")


@pytest.fixture
def strict_image() -> Iterator[Image]:
    with PodmanClient(transport=httpx.MockTransport(no_request), version="5.4.2") as client:
        yield client.images._wrap({"Id": IMAGE_ID, "RepoTags": []})


@pytest.fixture
def strict_client() -> Iterator[PodmanClient]:
    with PodmanClient(transport=httpx.MockTransport(no_request)) as client:
        yield client


def manager_of(image: Image) -> ImagesManager:
    """The manager on the connection the image came from."""
    return ImagesManager._attached(image._api())


INVALID_CALLS: dict[str, Callable[[PodmanClient], object]] = {
    "get upper": lambda c: c.images.get("Alpine:latest"),
    "get empty": lambda c: c.images.get(""),
    "get spaces": lambda c: c.images.get("a b"),
    "get bare sha256 prefix": lambda c: c.images.get("sha256:"),
    "exists not a str": lambda c: c.images.exists(3),  # type: ignore[arg-type]
    "remove empty": lambda c: c.images.remove(""),
    "remove bad": lambda c: c.images.remove("a//b"),
    "list name": lambda c: c.images.list(name="Bad/Name"),
    "list filter value": lambda c: c.images.list(filters={"label": {"a": 1}}),  # type: ignore[dict-item]
    "list filter list": lambda c: c.images.list(filters={"reference": ["a", 2]}),  # type: ignore[list-item]
    "list filter name": lambda c: c.images.list(filters={"": "x"}),
    "prune filter": lambda c: c.images.prune(filters={"until": 1.5}),  # type: ignore[dict-item]
    "load nothing": lambda c: c.images.load(),
    "load both": lambda c: c.images.load(b"x", file_path="/x"),
}


@pytest.mark.parametrize("call", list(INVALID_CALLS), ids=str)
def test_invalid_arguments_are_refused_before_any_request(
    strict_client: PodmanClient, call: str
) -> None:
    with pytest.raises(InvalidArgument):
        INVALID_CALLS[call](strict_client)


@pytest.mark.parametrize(
    "name", ["InvalidManifestName", "UPPER", "alpine:-bad", "alpine@sha256:123", ""]
)
def test_exists_of_an_impossible_name_is_false_without_a_request(
    strict_client: PodmanClient, name: str
) -> None:
    # podman-py's test_images asserts exists("InvalidManifestName") is False (issue 25).
    assert strict_client.images.exists(name) is False


@pytest.mark.parametrize(
    ("repository", "tag"),
    [
        ("Bad Name", None),
        ("localhost/UPPER", "v1"),
        ("localhost/app", "-bad"),
        ("localhost/app:v1", "v2"),  # two tags
        (f"localhost/app@{DIGEST}", None),  # tagging with a digest
        ("localhost/app", DIGEST),
        ("", None),
        # Podman stores these under localhost/, where they must be lowercase (#11).
        ("MyHost/app", None),
        ("MyHost", "v1"),
        ("[::1]:5000/app", None),  # no IPv6 registries in Podman's grammar
        ("sha256", "v1"),  # "sha256:v1" reads as an image ID to libimage
    ],
)
def test_tag_refuses_invalid_repository_before_any_request(
    strict_image: Image, repository: str, tag: str | None
) -> None:
    with pytest.raises(InvalidArgument):
        strict_image.tag(repository, tag)
    # A target Podman would refuse is a refusal, which force=True turns into False.
    assert strict_image.tag(repository, tag, force=True) is False


def test_untag_refuses_a_tag_without_repository(strict_image: Image) -> None:
    with pytest.raises(InvalidArgument):
        strict_image.untag(tag="v1")


def test_save_named_on_untagged_image_sends_nothing(strict_image: Image) -> None:
    with pytest.raises(InvalidArgument, match="no tag"):
        strict_image.save(named=True)
    with pytest.raises(InvalidArgument):
        strict_image.save(named="localhost/app:v1")


# -- save_name ---------------------------------------------------------------------------

TAGS = ["localhost/x:1", "docker.io/library/alpine:latest", "quay.io/a/b:2"]


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        (False, IMAGE_ID),
        (True, "localhost/x:1"),
        ("localhost/x:1", "localhost/x:1"),
        ("alpine", "docker.io/library/alpine:latest"),
        ("alpine:latest", "docker.io/library/alpine:latest"),
        ("docker.io/alpine", "docker.io/library/alpine:latest"),
        ("library/alpine", "docker.io/library/alpine:latest"),
        ("quay.io/a/b:2", "quay.io/a/b:2"),
    ],
)
def test_save_name_matches_normalised_tags(named: bool | str, expected: str) -> None:
    assert save_name(IMAGE_ID, TAGS, named) == expected


@pytest.mark.parametrize(
    "named",
    ["x:1", "localhost/x", "localhost/x:2", "quay.io/a/b", "alpine:3", "Bad", "<none>:<none>"],
)
def test_save_name_refuses_names_that_are_not_tags(named: str) -> None:
    with pytest.raises(InvalidArgument):
        save_name(IMAGE_ID, TAGS, named)


def test_save_name_true_without_tags() -> None:
    with pytest.raises(InvalidArgument, match="named=False"):
        save_name(IMAGE_ID, [], True)
    assert save_name(IMAGE_ID, [], False) == IMAGE_ID


# -- list and its filters ------------------------------------------------------------------


def test_list_query_string(client: PodmanClient, fake: FakeImages) -> None:
    client.images.list(
        all=True,
        filters={
            "dangling": True,
            "label": {"purpose": "test", "present": None},
            "reference": ["localhost/a", "localhost/b"],
            "since": "localhost/a:v1",
        },
        name="localhost/c:1",
    )
    request = fake.last()
    assert request.url.path == "/v5.4.2/libpod/images/json"
    params = fake.params()
    assert params["all"] == "true"
    assert json.loads(params["filters"]) == {
        "dangling": ["true"],
        "label": ["purpose=test", "present"],
        "reference": ["localhost/a", "localhost/b", "localhost/c:1"],
        "since": ["localhost/a:v1"],
    }
    expected = (
        '{"dangling":["true"],"label":["purpose=test","present"],'
        '"reference":["localhost/a","localhost/b","localhost/c:1"],"since":["localhost/a:v1"]}'
    )
    assert request.url.query.decode() == "all=true&filters=" + quote(expected, safe="")


def test_list_without_filters_sends_none(client: PodmanClient, fake: FakeImages) -> None:
    client.images.list()
    assert fake.params() == {"all": "false"}


def test_list_dangling_false(client: PodmanClient, fake: FakeImages) -> None:
    client.images.list(filters={"dangling": False})
    assert json.loads(fake.params()["filters"]) == {"dangling": ["false"]}


# -- prune ---------------------------------------------------------------------------------


def prune_route(fake: FakeImages, status: int, body: object) -> None:
    fake.routes["POST", "/libpod/images/prune"] = answer(status, body)


@pytest.mark.parametrize("body", [b"null", b"null\n", []])
def test_prune_null_is_an_empty_report(
    client: PodmanClient, fake: FakeImages, body: object
) -> None:
    prune_route(fake, 200, body)
    assert client.images.prune() == {"ImagesDeleted": [], "SpaceReclaimed": 0}


def test_prune_report_and_parameters(client: PodmanClient, fake: FakeImages) -> None:
    prune_route(fake, 200, [{"Id": "a" * 64, "Size": 10}, {"Id": "b" * 64, "Size": 5}])
    report = client.images.prune(all=True, external=True, filters={"label": {"x": "1"}})
    assert report == {
        "ImagesDeleted": [{"Deleted": "a" * 64}, {"Deleted": "b" * 64}],
        "SpaceReclaimed": 15,
    }
    params = fake.params()
    assert params["all"] == "true"
    assert params["external"] == "true"
    assert json.loads(params["filters"]) == {"label": ["x=1"]}


def test_prune_errors_raise_with_what_was_deleted(client: PodmanClient, fake: FakeImages) -> None:
    prune_route(
        fake,
        200,
        [
            {"Id": "a" * 64, "Size": 10},
            {"Id": "b" * 64, "Size": 0, "Err": "image is in use by a container"},
        ],
    )
    with pytest.raises(PruneError) as info:
        client.images.prune()
    error = info.value
    assert isinstance(error, APIError)
    assert error.report == {"ImagesDeleted": [{"Deleted": "a" * 64}], "SpaceReclaimed": 10}
    assert error.errors == {"b" * 64: "image is in use by a container"}
    assert "in use" in str(error)


@pytest.mark.parametrize("body", [{"a": 1}, [1], "x", b"{oops"])
def test_prune_answer_of_the_wrong_shape_raises(
    client: PodmanClient, fake: FakeImages, body: object
) -> None:
    prune_route(fake, 200, body)
    with pytest.raises(APIError):
        client.images.prune()


def test_prune_with_a_non_integer_size_still_reports(
    client: PodmanClient, fake: FakeImages
) -> None:
    prune_route(fake, 200, [{"Id": "a" * 64, "Size": "big"}])
    assert client.images.prune()["ImagesDeleted"] == [{"Deleted": "a" * 64}]


def test_prune_server_error(client: PodmanClient, fake: FakeImages) -> None:
    prune_route(fake, 500, {"cause": "c", "message": "failed to parse value", "response": 500})
    with pytest.raises(ServerError, match="failed to parse value"):
        client.images.prune(filters={"until": "bad"})


# -- httpx exceptions never reach users ----------------------------------------------------

IMAGE_CALLS: dict[str, Callable[[Image], object]] = {
    "reload": lambda image: image.reload(),
    "reload compatible": lambda image: image.reload(compatible=True),
    "history": lambda image: image.history(),
    "remove": lambda image: image.remove(),
    "remove noprune": lambda image: image.remove(noprune=True),
    "tag": lambda image: image.tag("localhost/x", "1"),
    "tag force": lambda image: image.tag("localhost/x", "1", force=True),
    "untag": lambda image: image.untag(),
    "save": lambda image: b"".join(image.save()),
    "load": lambda image: manager_of(image).load(b"archive"),
    "list": lambda image: manager_of(image).list(),
    "prune": lambda image: manager_of(image).prune(),
}


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("bye")],
    ids=lambda exc: type(exc).__name__,
)
@pytest.mark.parametrize("call", list(IMAGE_CALLS), ids=str)
def test_image_verbs_translate_transport_errors(
    image: Image, fake: FakeImages, exc: Exception, call: str
) -> None:
    fake.routes.clear()
    failing = raising(exc)
    fake.routes.update(
        {
            (method, path): failing
            for method in ("GET", "POST", "DELETE")
            for path in (
                f"/libpod/images/{IMAGE_ID}/json",
                f"/images/{IMAGE_ID}/json",
                f"/libpod/images/{IMAGE_ID}/history",
                f"/libpod/images/{IMAGE_ID}",
                f"/images/{IMAGE_ID}",
                f"/libpod/images/{IMAGE_ID}/tag",
                f"/libpod/images/{IMAGE_ID}/untag",
                f"/libpod/images/{IMAGE_ID}/get",
                "/libpod/images/load",
                "/libpod/images/json",
                "/libpod/images/prune",
            )
        }
    )
    with pytest.raises(PodmanError) as info:
        IMAGE_CALLS[call](image)
    assert not isinstance(info.value, httpx.HTTPError)
    assert info.value.__cause__ is exc
    assert len(fake.requests) == 1


MALFORMED_CALLS: dict[str, tuple[str, str, Callable[[Image], object]]] = {
    "reload": ("GET", f"/libpod/images/{IMAGE_ID}/json", lambda image: image.reload()),
    "reload compatible": (
        "GET",
        f"/images/{IMAGE_ID}/json",
        lambda image: image.reload(compatible=True),
    ),
    "history": ("GET", f"/libpod/images/{IMAGE_ID}/history", lambda image: image.history()),
    "remove": ("DELETE", f"/libpod/images/{IMAGE_ID}", lambda image: image.remove()),
    "remove noprune": ("DELETE", f"/images/{IMAGE_ID}", lambda image: image.remove(noprune=True)),
}


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2", b"<html>", b"\xff"])
@pytest.mark.parametrize("call", list(MALFORMED_CALLS), ids=str)
def test_malformed_json_from_image_verbs_is_an_sdk_error(
    image: Image, fake: FakeImages, call: str, body: bytes
) -> None:
    method, path, verb = MALFORMED_CALLS[call]
    fake.routes[method, path] = answer(200, body)
    with pytest.raises(APIError) as info:
        verb(image)
    assert not isinstance(info.value, (json.JSONDecodeError, KeyError, httpx.HTTPError))


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [("Size", "12", "$.Size: expected int, got '12'"), ("Created", "noon", "$.Created")],
)
def test_a_field_of_another_type_in_an_inspect_is_an_sdk_error_naming_it(
    image: Image, fake: FakeImages, field: str, value: str, where: str
) -> None:
    """The generated model checks the answer: APIError names the field, never a
    ValueError from the model and never a str stored where the type says int."""
    body = json.dumps({**INSPECT, field: value}).encode()
    fake.routes["GET", f"/libpod/images/{IMAGE_ID}/json"] = answer(200, body)
    with pytest.raises(APIError, match=re.escape(where)) as info:
        image.reload()
    assert "ImageData" in str(info.value)


def test_load_returns_each_image_once_when_the_archive_names_it_twice() -> None:
    image_id = "a" * 64
    inspect = {"Id": image_id, "RepoTags": ["localhost/x:1", "localhost/x:2"]}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/images/load"):
            return httpx.Response(200, json={"Names": ["localhost/x:1", "localhost/x:2"]})
        return httpx.Response(200, json=inspect)

    with PodmanClient(transport=httpx.MockTransport(handler), version="4.3.1") as client:
        loaded = client.images.load(data=b"archive bytes")
    assert [image.id for image in loaded] == [image_id]
