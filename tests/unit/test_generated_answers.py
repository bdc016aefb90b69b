"""What the generated functions return and raise (issue #17): the success type, or one
exception. Through ``client.api`` (both clients) podman_sdk's `APIError` subclasses;
through a standalone ``libpod_client.Client`` its own ``libpod_client.errors``. A
malformed answer is never a ValueError, KeyError, TypeError or JSONDecodeError."""

from __future__ import annotations

import asyncio
import json
import types
from collections.abc import Callable

import httpx
import libpod_client
import pytest
from libpod_client import errors
from libpod_client._checks import MISSING
from libpod_client.api.containers import (
    container_inspect_libpod,
    container_pause_libpod,
    container_wait_libpod,
)
from libpod_client.api.images import image_list_libpod
from libpod_client.api.secrets import secret_create_libpod
from libpod_client.api.system import system_events_libpod
from libpod_client.api.volumes import volume_list_libpod
from libpod_client.errors import ShapeError
from libpod_client.types import File
from podman_sdk import AsyncPodmanClient, MalformedAnswerError, NotFound, PodmanClient

from tests.unit.test_async_client import async_transport
from tests.unit.test_client import FakePodman, answer

LIST = ("GET", "/libpod/images/json")
# One entry as entities.ImageSummary writes it: every field without omitempty.
SUMMARY = {
    "Id": "abc", "Names": ["x"], "ParentId": "", "RepoTags": None, "RepoDigests": None,
    "Created": 0, "Size": 0, "SharedSize": 0, "Labels": None, "Containers": 0,
}  # fmt: skip
# Bodies a documented JSON list of image summaries cannot be. A field of the wrong type
# is the models' check (ShapeError, branch i17-models); its path is rendered below.
MALFORMED = {
    "not JSON": answer(200, b"<html>proxy error</html>"),
    "empty": answer(200, b""),
    "an object": answer(200, {"Id": "abc"}),
    "a list of numbers": answer(200, [1, 2]),
    "a number": answer(200, 5),
    "a bad second item": answer(200, [SUMMARY, {**SUMMARY, "Size": "big"}]),
}


def _sync_list(fake: FakePodman) -> object:
    with fake.client() as client:
        return image_list_libpod.sync(client=client.api)


def _async_list(fake: FakePodman) -> object:
    async def main() -> object:
        async with AsyncPodmanClient(transport=async_transport(fake)) as client:
            return await image_list_libpod.asyncio(client=client.api)

    return asyncio.run(main())


CLIENTS = {"sync": _sync_list, "async": _async_list}


@pytest.mark.parametrize("call", CLIENTS.values(), ids=list(CLIENTS))
@pytest.mark.parametrize("handler", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_answer_through_api_is_one_sdk_error(
    call: Callable[[FakePodman], object], handler: Callable[[httpx.Request], httpx.Response]
) -> None:
    with pytest.raises(MalformedAnswerError) as info:
        call(FakePodman({LIST: handler}))
    error = info.value
    assert not isinstance(error, ValueError | KeyError | TypeError)
    assert error.operation == "image_list_libpod (GET /libpod/images/json)"
    assert error.path.startswith("$")
    assert error.status_code == 200
    assert "image_list_libpod (GET /libpod/images/json)" in str(error)
    assert isinstance(error.__cause__, errors.MalformedAnswer)


def test_a_body_that_is_not_json_says_what_arrived() -> None:
    fake = FakePodman({LIST: answer(200, b"<html>proxy error</html>")})
    with pytest.raises(MalformedAnswerError) as info:
        _sync_list(fake)
    assert info.value.path == "$"
    assert info.value.expected == "JSON list[LibpodImageSummary]"
    assert info.value.got == "<html>proxy error</html>"
    assert "<html>proxy error</html>" in str(info.value)


def test_a_success_through_api_is_the_success_type() -> None:
    fake = FakePodman({LIST: answer(200, [SUMMARY])})
    summaries = _sync_list(fake)
    assert isinstance(summaries, list)
    assert [summary.id for summary in summaries] == ["abc"]


def test_an_answer_without_body_is_none() -> None:
    fake = FakePodman({("POST", "/libpod/containers/web/pause"): answer(204, b"")})
    with fake.client() as client:
        assert container_pause_libpod.sync("web", client=client.api) is None
        detailed = container_pause_libpod.sync_detailed("web", client=client.api)
    assert detailed.status_code == 204
    assert detailed.parsed is None


# -- a standalone libpod_client.Client -----------------------------------------------------


def _standalone(handler: Callable[[httpx.Request], httpx.Response]) -> libpod_client.Client:
    client = libpod_client.Client(base_url="http://podman")
    return client.set_httpx_client(
        httpx.Client(base_url="http://podman", transport=httpx.MockTransport(handler))
    )


def test_an_error_status_raises_status_error_with_the_error_model() -> None:
    body = {"cause": "no such container", "message": "web: no such container", "response": 404}
    with _standalone(answer(404, body)) as client, pytest.raises(errors.StatusError) as info:
        container_inspect_libpod.sync("web", client=client)
    error = info.value
    assert error.status_code == 404
    assert error.operation == "container_inspect_libpod (GET /libpod/containers/{name}/json)"
    assert error.error is not None
    assert error.error.cause == "no such container"
    assert json.loads(error.content) == body
    assert "web: no such container" in str(error)


def test_an_undocumented_status_raises_status_error_even_without_a_json_body() -> None:
    with (
        _standalone(answer(502, b"bad gateway")) as client,
        pytest.raises(errors.StatusError) as info,
    ):
        volume_list_libpod.sync(client=client)
    assert info.value.status_code == 502
    assert info.value.error is None
    assert "bad gateway" in str(info.value)


@pytest.mark.parametrize("handler", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_answer_raises_malformed_answer_on_a_standalone_client(
    handler: Callable[[httpx.Request], httpx.Response],
) -> None:
    with _standalone(handler) as client, pytest.raises(errors.MalformedAnswer) as info:
        image_list_libpod.sync(client=client)
    assert not isinstance(info.value, ValueError | KeyError | TypeError)
    assert isinstance(info.value, errors.LibpodError)
    assert info.value.operation == "image_list_libpod (GET /libpod/images/json)"


def test_the_hook_decides_what_is_raised() -> None:
    class Refused(Exception):
        pass

    class Mine(libpod_client.Client):
        def error_for_answer(
            self, problem: errors.LibpodError, response: httpx.Response
        ) -> Exception:
            return Refused(type(problem).__name__, response.status_code)

    client = Mine(base_url="http://podman").set_httpx_client(
        httpx.Client(base_url="http://podman", transport=httpx.MockTransport(answer(500, {})))
    )
    with client, pytest.raises(Refused) as info:
        volume_list_libpod.sync(client=client)
    assert info.value.args == ("StatusError", 500)


def test_a_shape_error_names_the_path_the_models_report() -> None:
    response = httpx.Response(200, json={})
    found = errors.malformed_answer(
        "op (GET /x)", "Model", response, ShapeError(("State", "ExitCode"), "int", "zero")
    )
    assert (found.path, found.expected, found.got) == (("State", "ExitCode"), "int", "zero")
    assert "at $.State.ExitCode: expected int, got 'zero'" in str(found)
    missing = errors.malformed_answer(
        "op (GET /x)", "list[M]", response, ShapeError((3, "Id"), "str", MISSING)
    )
    assert "at $[3].Id: expected str, got nothing (missing)" in str(missing)


# What each answer shape reports: the path to the first wrong value, as the user reads it.
WHERE = [
    (image_list_libpod, b"[1]", "at $[0]: expected LibpodImageSummary, got 1"),
    (image_list_libpod, b'{"Id": "abc"}', "at $: expected list, got {'Id': 'abc'}"),
    (container_wait_libpod, b'"exited"', "at $: expected int, got 'exited'"),
    (container_wait_libpod, b"true", "at $: expected int, got True"),
    (system_events_libpod, b'{"Action": 5}\n', "at $[0].Action: expected str, got 5"),
    (system_events_libpod, b"{}\nnot json\n", "at $[1]: expected JSON, got b'not json'"),
    (container_wait_libpod, b"", "at $: expected JSON int, got ''"),
]  # fmt: skip


@pytest.mark.parametrize(("module", "body", "where"), WHERE)
def test_a_malformed_answer_names_where_it_went_wrong(
    module: types.ModuleType, body: bytes, where: str
) -> None:
    client = libpod_client.Client(base_url="http://d")
    response = httpx.Response(200, content=body, request=httpx.Request("GET", "http://d/x"))
    with pytest.raises(errors.MalformedAnswer) as info:
        module._parse_response(client=client, response=response)
    assert where in str(info.value)
    assert isinstance(info.value.__cause__, ShapeError)


def test_a_well_formed_scalar_answer_parses() -> None:
    client = libpod_client.Client(base_url="http://d")
    response = httpx.Response(200, content=b"137", request=httpx.Request("GET", "http://d/x"))
    assert container_wait_libpod._parse_response(client=client, response=response) == 137


def test_through_api_the_path_is_rendered_as_json_path() -> None:
    refused = errors.MalformedAnswer("op (GET /x)", 200, (0, "Names", 1), "str", 5)
    with PodmanClient(transport=FakePodman().transport()) as client:
        mapped = client.api.error_for_answer(refused, httpx.Response(200))
    assert isinstance(mapped, MalformedAnswerError)
    assert (mapped.path, mapped.expected, mapped.got) == ("$[0].Names[1]", "str", 5)
    assert not isinstance(mapped, NotFound)


# -- JSON query parameters -----------------------------------------------------------------


def test_json_query_parameters_take_python_values() -> None:
    request = image_list_libpod.request_kwargs(
        filters={"reference": ["a", "b"], "dangling": ["true"]}
    )
    assert request["params"]["filters"] == '{"dangling":["true"],"reference":["a","b"]}'
    secret = secret_create_libpod.request_kwargs(
        body=File(payload=b"s"), name="s", labels={"b": "2", "a": "1"}
    )
    assert secret["params"]["labels"] == '{"a":"1","b":"2"}'


def test_a_string_where_a_list_of_strings_is_documented_is_refused() -> None:
    with pytest.raises(TypeError, match=r"filters\['label'\] must be a sequence of str"):
        image_list_libpod.request_kwargs(filters={"label": "a=b"})


# -- a body of JSON lines (events, stats) ------------------------------------------------

EVENTS = ("GET", "/libpod/events")
EVENT = {
    "Type": "container",
    "Action": "start",
    "Actor": {"ID": "c1", "Attributes": {"name": "web"}},
}


def test_events_without_stream_are_the_list_of_their_lines() -> None:
    body = b"".join(
        json.dumps({**EVENT, "Action": action}).encode() + b"\n" for action in ("create", "start")
    )
    fake = FakePodman({EVENTS: answer(200, body)})
    with fake.client() as client:
        events = system_events_libpod.sync(client=client.api, stream=False)
    assert [(event.type_, event.action, event.actor.id) for event in events] == [
        ("container", "create", "c1"),
        ("container", "start", "c1"),
    ]
    with FakePodman({EVENTS: answer(200, b"")}).client() as client:
        assert system_events_libpod.sync(client=client.api, stream=False) == []


def test_a_line_that_is_not_json_names_its_index() -> None:
    body = json.dumps(EVENT).encode() + b"\n{broken\n"
    refused = pytest.raises(MalformedAnswerError, match=r"at \$\[1\]: expected JSON")
    with FakePodman({EVENTS: answer(200, body)}).client() as client, refused:
        system_events_libpod.sync(client=client.api, stream=False)
