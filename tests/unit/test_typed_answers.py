"""Issue #27 on a mock transport, for what a real service will not produce on demand:
errors written inside a 2xx body (sync and stream(), both clients, the generated client
alone), a body that is neither, the two bound clients told apart before any I/O, the
per-call timeout and the waiting operations' read limit, read-only list parameters, and
the CLI's positional path parameters, filter and --list checks."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from libpod_client import Client
from libpod_client.api.containers import (
    container_list_libpod,
    container_wait_libpod,
    containers_stats_all_libpod,
)
from libpod_client.api.system import system_events_libpod
from libpod_client.api.volumes import volume_inspect_libpod, volume_list_libpod
from libpod_client.errors import MalformedAnswer, ReportedError, reported_error
from libpod_client.models import ContainerStatsReport
from podman_sdk import (
    APIError,
    AsyncPodmanClient,
    InvalidArgument,
    MalformedAnswerError,
    StreamError,
)

from tests.unit.test_async_client import async_transport
from tests.unit.test_cli_api import EVENT, VOLUME, invoker
from tests.unit.test_client import FakePodman, answer

EVENTS = ("GET", "/libpod/events")
STATS = ("GET", "/libpod/containers/stats")
BAD_FILTER = {
    "cause": "unknown filter",
    "message": 'failed to parse event filters: "frobnicate" is an invalid filter',
    "response": 500,
}


def lines(*values: object) -> bytes:
    return b"".join(json.dumps(value).encode() + b"\n" for value in values)


def body_200(content: bytes) -> FakePodman:
    return FakePodman({EVENTS: answer(200, content)})


# -- reported_error: the rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error_field", "expected"),
    [
        (BAD_FILTER, False, (BAD_FILTER["message"], "unknown filter")),
        ({"message": "m"}, False, ("m", None)),
        ({"message": "m", "cause": ""}, False, ("m", None)),
        # Another key: a success type that has a message field, not libpod's ErrorModel.
        ({"message": "m", "Id": "x"}, False, None),
        ({"message": ""}, False, None),
        ({"error": "pull failed"}, True, ("pull failed", None)),
        ({"error": "pull failed"}, False, None),
        ({"error": ""}, True, None),
        (["message"], True, None),
        ("message", True, None),
    ],
)
def test_reported_error_rule(
    value: object, error_field: bool, expected: tuple[str, str | None] | None
) -> None:
    assert reported_error(value, error_field=error_field) == expected


# -- an error inside a 200 ----------------------------------------------------------------


def test_an_error_body_under_200_raises_the_servers_message() -> None:
    fake = body_200(lines(BAD_FILTER))
    with fake.client() as client, pytest.raises(APIError) as raised:
        system_events_libpod.sync(client=client.api, stream=False)
    error = raised.value
    assert type(error) is APIError
    assert error.status_code == 200
    assert error.message == BAD_FILTER["message"]
    assert error.explanation == "unknown filter"
    assert isinstance(error.__cause__, ReportedError)
    assert "200 OK, with an error in the body" in str(error)
    assert BAD_FILTER["message"] in str(error)


def test_an_error_line_after_events_raises_too() -> None:
    fake = body_200(lines(EVENT, BAD_FILTER))
    with fake.client() as client, pytest.raises(APIError, match="failed to parse event"):
        system_events_libpod.sync(client=client.api, stream=False)


def test_an_error_field_in_a_single_body_that_is_not_the_success_type() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/v1/json"): answer(200, {"error": "gone"})})
    with fake.client() as client, pytest.raises(APIError) as raised:
        volume_inspect_libpod.sync("v1", client=client.api)
    assert not isinstance(raised.value, MalformedAnswerError)
    assert raised.value.message == "gone"


def test_a_body_neither_success_nor_error_is_malformed() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/v1/json"): answer(200, {**VOLUME, "Name": 3})})
    with fake.client() as client, pytest.raises(MalformedAnswerError) as raised:
        volume_inspect_libpod.sync("v1", client=client.api)
    assert raised.value.path == "$.Name"


def test_a_volume_answer_still_parses() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/v1/json"): answer(200, VOLUME)})
    with fake.client() as client:
        assert volume_inspect_libpod.sync("v1", client=client.api).name == "v1"


def test_an_error_line_in_a_stream_raises_stream_error() -> None:
    fake = FakePodman(
        {EVENTS: lambda request: httpx.Response(200, content=iter([lines(EVENT, BAD_FILTER)]))}
    )
    seen: list[str] = []
    with (
        fake.client() as client,
        pytest.raises(StreamError, match="failed to parse event filters"),
        system_events_libpod.stream(client=client.api) as events,
    ):
        seen.extend(event.action for event in events)
    assert seen == ["create"]


def test_the_error_body_raises_on_the_async_client() -> None:
    fake = body_200(lines(BAD_FILTER))

    async def main() -> None:
        async with AsyncPodmanClient(transport=async_transport(fake)) as client:
            await system_events_libpod.asyncio(client=client.api, stream=False)

    with pytest.raises(APIError, match="failed to parse event filters"):
        asyncio.run(main())


def test_the_generated_client_alone_raises_reported_error() -> None:
    fake = body_200(lines(BAD_FILTER))
    client = Client(base_url="http://podman.test/v5.0.0").set_httpx_client(
        httpx.Client(
            base_url="http://podman.test/v5.0.0",
            transport=httpx.MockTransport(fake),
        )
    )
    with client, pytest.raises(ReportedError) as raised:
        system_events_libpod.sync(client=client, stream=False)
    assert raised.value.message == BAD_FILTER["message"]
    assert raised.value.cause == "unknown filter"
    assert not isinstance(raised.value, MalformedAnswer)


# -- item 2: stats of all containers, as the handler writes them -------------------------

REPORT = {
    "Error": None,
    "Stats": [
        {
            "AvgCPU": 0.5,
            "ContainerID": "c" * 64,
            "Name": "web",
            "PerCPU": None,
            "CPU": 0.5,
            "CPUNano": 1,
            "CPUSystemNano": 1,
            "SystemNano": 1,
            "MemUsage": 1,
            "MemLimit": 2,
            "MemPerc": 50.0,
            "NetInput": 0,
            "NetOutput": 0,
            "BlockInput": 0,
            "BlockOutput": 0,
            "PIDs": 1,
            "UpTime": 1,
            "Duration": 1,
            "Network": None,
        }
    ],
}


def test_stats_all_parses_reports_sync_and_stream() -> None:
    fake = FakePodman(
        {STATS: lambda request: httpx.Response(200, content=iter([lines(REPORT, REPORT)]))}
    )
    with fake.client() as client, containers_stats_all_libpod.stream(client=client.api) as reports:
        streamed = list(reports)
    assert [type(report) for report in streamed] == [ContainerStatsReport] * 2
    assert streamed[0].stats is not None
    assert streamed[0].stats[0].name == "web"
    fake = FakePodman({STATS: answer(200, lines(REPORT))})
    with fake.client() as client:
        (report,) = containers_stats_all_libpod.sync(client=client.api, stream=False)
    assert report.error is None


# -- item 4: the bound clients told apart ------------------------------------------------


def test_a_sync_function_on_the_async_api_raises_before_any_io() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [])})

    async def main() -> None:
        async with AsyncPodmanClient(transport=async_transport(fake)) as client:
            with pytest.raises(InvalidArgument, match="PodmanClient"):
                volume_list_libpod.sync(client=client.api)  # type: ignore[arg-type]
            with (
                pytest.raises(InvalidArgument, match="PodmanClient"),
                system_events_libpod.stream(client=client.api),  # type: ignore[arg-type]
            ):
                pass

    asyncio.run(main())
    assert fake.requests == []


def test_with_timeout_points_to_call_timeout() -> None:
    with FakePodman().client() as client, pytest.raises(InvalidArgument, match="call_timeout"):
        client.api.with_timeout(httpx.Timeout(1.0))  # type: ignore[attr-defined]


# -- item 5: call_timeout, and no read limit for a wait ----------------------------------


def timeouts_of(fake: FakePodman) -> list[dict[str, float | None]]:
    return [request.extensions["timeout"] for request in fake.requests[1:]]


def test_a_wait_has_no_read_limit_and_call_timeout_overrides() -> None:
    fake = FakePodman(
        {
            ("POST", "/libpod/containers/c1/wait"): answer(200, 0),
            ("GET", "/libpod/containers/json"): answer(200, []),
        }
    )
    with fake.client(timeout=2) as client:
        assert container_wait_libpod.sync("c1", client=client.api) == 0
        container_list_libpod.sync(client=client.api)
        container_wait_libpod.sync("c1", client=client.api, call_timeout=7)
        container_list_libpod.sync(client=client.api, call_timeout=None)
    wait, listing, given, unlimited = timeouts_of(fake)
    assert wait["read"] is None
    assert wait["write"] == 2
    assert listing["read"] == 2
    assert given == {"connect": 7, "read": 7, "write": 7, "pool": 7}
    assert set(unlimited.values()) == {None}


def test_call_timeout_on_the_async_client() -> None:
    fake = FakePodman({("POST", "/libpod/containers/c1/wait"): answer(200, 0)})

    async def main() -> None:
        async with AsyncPodmanClient(transport=async_transport(fake), timeout=2) as client:
            await container_wait_libpod.asyncio("c1", client=client.api)
            await container_wait_libpod.asyncio("c1", client=client.api, call_timeout=3)

    asyncio.run(main())
    waited, given = timeouts_of(fake)
    assert waited["read"] is None
    assert given["read"] == 3


# -- item 6: list parameters read-only ---------------------------------------------------


def test_a_tuple_goes_where_a_list_parameter_is() -> None:
    fake = FakePodman({("POST", "/libpod/containers/c1/wait"): answer(200, 0)})
    with fake.client() as client:
        container_wait_libpod.sync("c1", client=client.api, condition=("exited", "stopped"))
    assert fake.requests[-1].url.params.get_list("condition") == ["exited", "stopped"]


# -- item 7: the CLI ----------------------------------------------------------------------


def test_cli_path_parameters_by_position() -> None:
    fake = FakePodman({("POST", "/libpod/containers/c1/wait"): answer(200, 0)})
    result = invoker(fake)("api", "container_wait_libpod", "c1", "interval=1s")
    assert result.exit_code == 0, result.output
    assert result.stdout == "0\n"
    assert fake.requests[-1].url.params["interval"] == "1s"


def test_cli_a_value_after_the_path_parameters_is_refused() -> None:
    fake = FakePodman()
    result = invoker(fake)("api", "container_wait_libpod", "c1", "c2")
    assert result.exit_code == 2
    assert "'c2': expected NAME=VALUE (every path parameter is given)" in result.stderr
    result = invoker(fake)("api", "volume_list_libpod", "v1")
    assert result.exit_code == 2
    assert "'v1': expected NAME=VALUE" in result.stderr
    assert fake.requests == []


def test_cli_events_filter_without_equals_exits_2() -> None:
    fake = FakePodman()
    result = invoker(fake)("events", "--filter", "type")
    assert result.exit_code == 2
    assert "'type': expected KEY=VALUE" in result.stderr
    assert fake.requests == []


def test_cli_list_without_a_match_exits_1() -> None:
    fake = FakePodman()
    result = invoker(fake)("api", "--list", "frobnicate")
    assert result.exit_code == 1
    assert "no operation matches 'frobnicate'" in result.stderr
    assert invoker(fake)("api", "--list", "volume_list").exit_code == 0
