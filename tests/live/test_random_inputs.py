"""Property tests against the live Podman 4.3.1 service: random strings to
``images.get``, ``exists``, ``Image.tag``, ``pull`` and ``save(named=)`` give a result,
`InvalidArgument` or an `APIError`: never another exception, never a hang (a bounded
number of examples, each call under the client's timeout, each test under a minute).

Pulls only ever reach the loopback: a string the SDK would send to another registry is
not tried (``assume``), and the others are pulled from 127.0.0.1:1, where nothing
listens."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from podman_sdk import APIError, Image, InvalidArgument, PodmanClient
from podman_sdk.images._reference import parse_reference

from tests.harness import ImageFactory, PodmanService
from tests.harness.both_clients import FLAVOURS, client_for, image_class, sdk_object
from tests.harness.random_strings import random_names

LIVE = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LOOPBACK = ("localhost", "127.0.0.1")


@pytest.fixture(scope="module", params=FLAVOURS)
def client(
    podman4_service: PodmanService, request: pytest.FixtureRequest
) -> Iterator[PodmanClient]:
    """PodmanClient and AsyncPodmanClient (tests/harness/both_clients.py)."""
    with client_for(request.param, podman4_service.url, timeout=15) as opened:
        yield opened


@pytest.fixture
def image(
    podman4_service: PodmanService, image_factory: ImageFactory, client: PodmanClient
) -> Image:
    image_factory(podman4_service, "localhost/sdk-random:1")
    return client.images.get("localhost/sdk-random:1")


def accepted(call: Callable[[], object]) -> object:
    """The call's result, or None when it raised what the SDK promises."""
    try:
        return call()
    except (InvalidArgument, APIError):
        return None


def stays_on_loopback(text: str) -> bool:
    """Whether a pull of ``text`` could only reach the loopback (or nothing)."""
    try:
        reference = parse_reference(text)
    except InvalidArgument:
        return True  # refused before any request
    domain = reference.domain
    return domain is not None and domain.split(":")[0] in LOOPBACK


@pytest.mark.timeout(120)
@settings(LIVE, max_examples=150)
@given(name=random_names)
def test_get_and_exists_of_random_names(client: PodmanClient, name: str) -> None:
    got = accepted(lambda: client.images.get(name))
    assert got is None or isinstance(sdk_object(got), image_class(client))
    exists = accepted(lambda: client.images.exists(name))
    assert exists is None or isinstance(exists, bool)


@pytest.mark.timeout(120)
@settings(LIVE, max_examples=100)
@given(repository=random_names, tag=st.one_of(st.none(), st.text(max_size=20)))
def test_tag_with_random_targets(image: Image, repository: str, tag: str | None) -> None:
    assert accepted(lambda: image.tag(repository, tag)) in (None, True)
    assert accepted(lambda: image.tag(repository, tag, force=True)) in (None, True, False)


@pytest.mark.timeout(120)
@settings(LIVE, max_examples=40)  # an unreachable registry costs up to 3 s a pull
@given(name=random_names, tag=st.one_of(st.none(), st.text(max_size=20)))
def test_pull_of_random_references(client: PodmanClient, name: str, tag: str | None) -> None:
    target = name if stays_on_loopback(name) else f"127.0.0.1:1/{name.lstrip('/')}"
    assume(stays_on_loopback(target))
    assert accepted(lambda: client.images.pull(target, tag)) is None  # nothing to pull


@pytest.mark.timeout(120)
@settings(LIVE, max_examples=60)
@given(named=st.one_of(st.booleans(), random_names))
def test_save_named_random_strings(image: Image, named: bool | str) -> None:
    def first_chunk() -> bytes:
        with image.save(named=named) as chunks:
            return next(chunks)

    chunk = accepted(first_chunk)
    assert chunk is None or (isinstance(chunk, bytes) and len(chunk) > 0)
