"""``api``, ``events`` and ``logs`` with click's CliRunner over a mock transport: the
arguments checked against the generated annotations before anything is sent (exit 2,
no request at all), how each kind of answer prints, ``--list``, shell completion, and
the pure pieces (value decoding, event lines)."""

from __future__ import annotations

import datetime
import io
import json
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

import click
import httpx
import pytest
from click.testing import Result
from libpod_client.api.containers import container_list_libpod
from libpod_client.models import Event, VolumeCreateOptions
from libpod_client.types import UNSET, File, Frame, Unset
from podman_sdk._cli import cli
from podman_sdk._cli.api import (
    find_operation,
    list_operations,
    operation_candidates,
    parameter_candidates,
)
from podman_sdk._cli.arguments import NotAccepted, argument_value, call_arguments, describe
from podman_sdk._cli.connect import Settings
from podman_sdk._cli.streams import event_line, short_actor_id, write_item

from tests.harness.click_runner import cli_runner
from tests.unit.test_client import FakePodman, Handler, answer

URL = "http://podman.test"
CONTAINER_ID = "0123456789abcdef" * 4
VOLUME = {
    "Name": "v1",
    "Driver": "local",
    "Mountpoint": "/var/lib/containers/storage/volumes/v1/_data",
    "CreatedAt": "2025-01-02T10:00:00Z",
    "Labels": {},
    "Options": {},
    "Scope": "local",
    "MountCount": 0,
}
EVENT = {
    "Action": "create",
    "Actor": {"ID": CONTAINER_ID, "Attributes": {"name": "web", "image": "busybox"}},
    "Type": "container",
    "time": 1_735_812_000,
    "timeNano": 1_735_812_000_123_456_789,
}

Invoke = Callable[..., Result]


def frame(stream: int, data: bytes) -> bytes:
    return struct.pack(">BxxxI", stream, len(data)) + data


def streamed(*chunks: bytes, headers: dict[str, str] | None = None) -> Handler:
    """A 200 whose body arrives chunk by chunk, as a stream reads it (a body given
    whole is read at once, and a stream then finds nothing left)."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, content=iter(chunks))

    return handler


def multiplexed(*frames: bytes) -> Handler:
    return streamed(*frames, headers={"Content-Type": "application/vnd.docker.multiplexed-stream"})


def invoker(fake: FakePodman) -> Invoke:
    def run(*args: str) -> Result:
        settings = Settings(transport=fake.transport())
        return cli_runner().invoke(cli, ["--url", URL, *args], obj=settings)

    return run


def unreachable(path: str) -> io.BytesIO:
    raise AssertionError(f"opened {path}")


# -- values: decoded, then checked against the annotation -------------------------------

Diff = Literal["all", "container", "image"]
FILTERS = Mapping[str, Sequence[str]] | Unset
LABELS = Mapping[str, str] | Unset


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("abc", str, "abc"),
        ('"quoted"', str, "quoted"),
        ("123", str, "123"),  # a name that looks like a number is still a name
        ("true", str | Unset, "true"),
        ("null", str, "null"),  # a required string: the text itself
        ("null", str | Unset, UNSET),  # an optional one: left unset
        ("true", bool | Unset, True),
        ("false", bool, False),
        ("10", int | Unset, 10),
        ("1.5", float | Unset, 1.5),
        ("2", float, 2.0),
        ("image", Diff | Unset, "image"),
        ('"all"', Diff, "all"),
        ('["a", "b"]', list[str] | Unset, ["a", "b"]),
        ("one", list[str] | Unset, ["one"]),  # one string is a list of one
        ("42", list[str], ["42"]),
        ('{"name": ["a"], "label": "k=v"}', FILTERS, {"name": ["a"], "label": ["k=v"]}),
        ('{"k": "v"}', LABELS, {"k": "v"}),
    ],
)
def test_values_that_fit(text: str, kind: object, expected: object) -> None:
    assert argument_value(text, kind, "x", unreachable) == expected


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("maybe", bool | Unset, 'x: expected true or false, got "maybe"'),
        ("1", bool, "x: expected true or false, got 1"),
        ("abc", int | Unset, 'x: expected an integer, got "abc"'),
        ("1.5", int, "x: expected an integer, got 1.5"),
        ("true", int, "x: expected an integer, got true"),
        ("nope", Diff | Unset, "x: expected one of 'all', 'container', 'image'"),
        ("[1]", list[str], "x[0]: expected a string, got 1"),
        ('{"a": 1}', str, 'x: expected a string, got {"a": 1}'),
        ('{"name": [3]}', FILTERS, "x.name[0]: expected a string, got 3"),
        ('["a"]', FILTERS, 'expected an object of (a list of (a string)), got ["a"]'),
        ("null", int, "x: expected an integer, got null"),
        ('{"Name": 5}', VolumeCreateOptions | Unset, "x: at $.Name: expected str, got 5"),
        ("[]", VolumeCreateOptions, "x: expected the JSON of VolumeCreateOptions, got []"),
    ],
)
def test_values_that_do_not_fit_name_the_place(text: str, kind: object, message: str) -> None:
    with pytest.raises(NotAccepted) as refused:
        argument_value(text, kind, "x", unreachable)
    assert message in str(refused.value)


def test_a_model_body_is_built_with_from_dict() -> None:
    body = argument_value(
        '{"Name": "v1", "Labels": {"a": "b"}}', VolumeCreateOptions, "body", unreachable
    )
    assert isinstance(body, VolumeCreateOptions)
    assert body.to_dict() == {"Name": "v1", "Labels": {"a": "b"}}


def test_a_file_body_is_read_from_at_path_or_is_the_text() -> None:
    opened: list[str] = []

    def open_file(path: str) -> io.BytesIO:
        opened.append(path)
        return io.BytesIO(b"archive")

    from_file = argument_value("@dir/image.tar", File | Unset, "body", open_file)
    assert isinstance(from_file, File)
    assert (from_file.payload.read(), from_file.file_name, opened) == (
        b"archive",
        "image.tar",
        ["dir/image.tar"],
    )
    inline = argument_value("[Container]\nImage=x", File, "body", open_file)
    assert isinstance(inline, File)
    assert inline.payload.read() == b"[Container]\nImage=x"
    assert opened == ["dir/image.tar"]


def test_describe_reads_like_the_help() -> None:
    assert describe(bool | Unset) == "true or false"
    assert describe(FILTERS) == "an object of (a list of (a string))"
    assert describe(VolumeCreateOptions | Unset) == "the JSON of VolumeCreateOptions"


def arguments_of(operation: str, *pairs: str) -> dict[str, object]:
    found = find_operation(operation)
    return call_arguments(found.name, found.parameters(), pairs, unreachable)


def test_call_arguments_take_path_parameters_and_the_all_alias() -> None:
    assert arguments_of("volume_delete_libpod", "name=v1", "force=true") == {
        "name": "v1",
        "force": True,
    }
    assert arguments_of("container_list_libpod", "all=true") == {"all_": True}
    assert arguments_of("container_list_libpod", "all_=false") == {"all_": False}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["bogus=1"], "container_list_libpod has no parameter 'bogus' (its parameters: all_,"),
        (["client=x"], "has no parameter 'client'"),
        (["limit"], "'limit': expected NAME=VALUE"),
        (["=1"], "expected NAME=VALUE"),
        (["limit=1", "limit=2"], "limit given twice"),
        (["limit=ten"], 'limit: expected an integer, got "ten"'),
    ],
)
def test_call_arguments_refuse_with_a_usage_error(pairs: list[str], message: str) -> None:
    with pytest.raises(click.BadParameter) as refused:
        arguments_of("container_list_libpod", *pairs)
    assert message in refused.value.message


def test_a_missing_required_parameter_is_named() -> None:
    with pytest.raises(click.BadParameter) as refused:
        arguments_of("container_create_libpod")
    assert refused.value.message == "container_create_libpod needs body="


# -- nothing is sent when the command line is wrong ---------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["api", "container_lst_libpod"], "did you mean container_list_libpod"),
        (["api", "container_list_libpod", "bogus=1"], "no parameter 'bogus'"),
        (
            ["api", "container_list_libpod", "all=maybe"],
            'all_: expected true or false, got "maybe"',
        ),
        (["api", "container_list_libpod", "limit=1.5"], "limit: expected an integer"),
        (["api", "container_list_libpod", 'filters={"id": 1}'], "filters.id"),
        (["api", "volume_delete_libpod"], "volume_delete_libpod needs name="),
        (["api", "volume_create_libpod", 'body={"Name": 5}'], "body: at $.Name: expected str"),
        (["api", "--stream", "volume_list_libpod"], "volume_list_libpod has no stream"),
        (["api", "-o", "x.json", "volume_list_libpod"], "does not answer bytes"),
        (["api"], "give an OPERATION"),
        (["api", "--list", "a", "b"], "--list takes one WORD at most"),
        (["events", "--filter", "=x"], "expected KEY=VALUE"),
        (["logs", "c1", "--tail", "-1"], "--tail"),
    ],
)
def test_bad_usage_exits_2_naming_it_with_nothing_sent(args: list[str], named: str) -> None:
    fake = FakePodman()
    result = invoker(fake)(*args)
    assert result.exit_code == 2, result.output
    assert named in result.stderr
    assert fake.requests == []


def test_an_unreadable_body_file_exits_2_with_nothing_sent(tmp_path: Path) -> None:
    fake = FakePodman()
    result = invoker(fake)("api", "image_load_libpod", f"body=@{tmp_path}/none.tar")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"podman-sdk: error: cannot read {tmp_path}/none.tar: No such file or directory [Errno 2]"
    )
    assert fake.requests == []


def test_a_bad_value_after_a_body_file_leaves_no_file_open(tmp_path: Path) -> None:
    archive = tmp_path / "image.tar"
    archive.write_bytes(b"tar")
    fake = FakePodman()
    # Run under -W error::ResourceWarning: an unclosed file would fail the test.
    result = invoker(fake)("api", "image_load_libpod", f"body=@{archive}", "bogus=1")
    assert result.exit_code == 2
    assert fake.requests == []


# -- what each answer prints ---------------------------------------------------------------


def test_a_list_answer_prints_as_a_json_array_and_sends_the_checked_query() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [VOLUME])})
    filters = '{"label": ["a=b"]}'
    result = invoker(fake)("api", "volume_list_libpod", f"filters={filters}")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert [volume["Name"] for volume in printed] == ["v1"]
    assert printed[0]["Mountpoint"] == VOLUME["Mountpoint"]
    sent = fake.requests[-1]
    assert json.loads(sent.url.params["filters"]) == {"label": ["a=b"]}


def test_a_body_is_sent_as_the_models_json() -> None:
    fake = FakePodman({("POST", "/libpod/volumes/create"): answer(201, VOLUME)})
    result = invoker(fake)(
        "api", "volume_create_libpod", 'body={"Name": "v1", "Label": {"a": "b"}}'
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(fake.requests[-1].content) == {"Name": "v1", "Label": {"a": "b"}}
    assert json.loads(result.stdout)["Name"] == "v1"


def test_no_content_prints_nothing_and_a_path_parameter_is_quoted() -> None:
    # FakePodman routes by the decoded path; the raw path shows the quoting.
    fake = FakePodman({("DELETE", "/libpod/volumes/a/b"): answer(204, b"")})
    result = invoker(fake)("api", "volume_delete_libpod", "name=a/b")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert fake.requests[-1].url.raw_path.decode().endswith("/libpod/volumes/a%2Fb")


def test_a_refusal_exits_1_with_the_servers_message() -> None:
    body = {"cause": "no such volume", "message": "nope: no such volume", "response": 404}
    fake = FakePodman({("DELETE", "/libpod/volumes/nope"): answer(404, body)})
    result = invoker(fake)("api", "volume_delete_libpod", "name=nope")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "podman-sdk: error: 404 Client Error: Not Found (nope: no such volume)"
    ]


def test_text_prints_as_text_and_as_json_with_json() -> None:
    fake = FakePodman({("GET", "/libpod/_ping"): answer(200, b"OK")})
    assert invoker(fake)("api", "system_ping").stdout == "OK\n"
    assert invoker(fake)("--json", "api", "system_ping").stdout == '"OK"\n'


def test_bytes_go_raw_to_stdout_or_whole_to_output(tmp_path: Path) -> None:
    tar = bytes(range(256)) * 10
    fake = FakePodman({("GET", "/libpod/containers/c1/export"): answer(200, tar)})
    result = invoker(fake)("api", "container_export_libpod", "name=c1")
    assert result.exit_code == 0
    assert result.stdout_bytes == tar
    target = tmp_path / "rootfs.tar"
    result = invoker(fake)("api", "container_export_libpod", "name=c1", "-o", str(target))
    assert (result.exit_code, result.stdout_bytes) == (0, b"")
    assert target.read_bytes() == tar
    assert [path.name for path in tmp_path.iterdir()] == ["rootfs.tar"]


def test_container_output_keeps_stdout_and_stderr_apart() -> None:
    body = multiplexed(frame(1, b"out\n"), frame(2, b"err\n"), frame(1, b"\xff\x00binary"))
    fake = FakePodman({("GET", "/libpod/containers/c1/logs"): body})
    result = invoker(fake)("api", "container_logs_libpod", "name=c1", "stdout=true", "stderr=true")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"out\n\xff\x00binary"
    assert result.stderr_bytes == b"err\n"


def test_stream_prints_one_json_line_per_item() -> None:
    second = {**EVENT, "Action": "start"}
    lines = [json.dumps(value).encode() + b"\n" for value in (EVENT, second)]
    fake = FakePodman({("GET", "/libpod/events"): streamed(*lines)})
    result = invoker(fake)(
        "api", "--stream", "system_events_libpod", 'filters={"type": "container"}'
    )
    assert result.exit_code == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [event["Action"] for event in printed] == ["create", "start"]
    assert printed[0]["Actor"]["ID"] == CONTAINER_ID
    assert fake.requests[-1].url.params["filters"] == '{"type":["container"]}'


def interrupted_after(first: bytes) -> Handler:
    def chunks() -> Iterator[bytes]:
        yield first
        raise KeyboardInterrupt

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    return handler


def test_ctrl_c_during_a_stream_exits_0_quietly() -> None:
    line = json.dumps(EVENT).encode() + b"\n"
    fake = FakePodman({("GET", "/libpod/events"): interrupted_after(line)})
    for args in (["api", "--stream", "system_events_libpod"], ["--json", "events"]):
        result = invoker(fake)(*args)
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        assert json.loads(result.stdout)["Action"] == "create"


def test_ctrl_c_during_a_byte_stream_to_a_file_leaves_nothing(tmp_path: Path) -> None:
    fake = FakePodman({("GET", "/libpod/containers/c1/export"): interrupted_after(b"partial")})
    target = tmp_path / "rootfs.tar"
    result = invoker(fake)(
        "api", "--stream", "container_export_libpod", "name=c1", "-o", str(target)
    )
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_trace_shows_the_request() -> None:
    fake = FakePodman({("GET", "/libpod/volumes/json"): answer(200, [])})
    result = invoker(fake)("--trace", "api", "volume_list_libpod", "filters={}")
    assert result.exit_code == 0
    assert "> GET /v5.4.2/libpod/volumes/json?filters=%7B%7D" in result.stderr
    assert "< 200 OK" in result.stderr
    assert result.stdout == "[]\n"


# -- events and logs -------------------------------------------------------------------------


def test_an_event_line_has_time_type_action_short_id_and_name() -> None:
    event = Event.from_dict(EVENT)
    assert event_line(event, datetime.UTC) == (
        "2025-01-02T10:00:00.123+00:00 container create 0123456789ab web"
    )
    nameless = Event.from_dict(
        {**EVENT, "Actor": {"ID": "v1", "Attributes": None}, "Type": "volume"}
    )
    assert event_line(nameless, datetime.UTC).endswith(" volume create v1")
    assert short_actor_id("sha256:" + CONTAINER_ID) == "0123456789ab"


def test_events_send_the_filters_and_print_a_line_each() -> None:
    line = json.dumps(EVENT).encode() + b"\n"
    fake = FakePodman({("GET", "/libpod/events"): streamed(line[:20], line[20:])})
    result = invoker(fake)("events", "--filter", "container=web", "--until", "10s")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split()[1:] == ["container", "create", "0123456789ab", "web"]
    params = fake.requests[-1].url.params
    assert json.loads(params["filters"]) == {"container": ["web"]}
    assert (params["until"], params["stream"]) == ("10s", "true")
    assert "since" not in params


def test_logs_split_the_streams_and_send_follow_and_tail() -> None:
    body = multiplexed(frame(1, b"one\n"), frame(2, b"two\n"))
    fake = FakePodman({("GET", "/libpod/containers/c1/logs"): body})
    result = invoker(fake)("logs", "-f", "--tail", "5", "c1")
    assert result.exit_code == 0, result.stderr
    assert (result.stdout_bytes, result.stderr_bytes) == (b"one\n", b"two\n")
    params = fake.requests[-1].url.params
    assert (params["follow"], params["tail"], params["stdout"], params["stderr"]) == (
        "true",
        "5",
        "true",
        "true",
    )
    as_json = invoker(fake)("--json", "logs", "c1")
    assert [json.loads(line) for line in as_json.stdout.splitlines()] == [
        {"Stream": "stdout", "Data": "one\n"},
        {"Stream": "stderr", "Data": "two\n"},
    ]
    assert fake.requests[-1].url.params["tail"] == "all"


def test_write_item_flushes_each_item_where_it_belongs() -> None:
    class Recorder(io.BytesIO):
        flushes = 0

        def flush(self) -> None:
            self.flushes += 1

    out, err = Recorder(), Recorder()
    write_item(Frame(1, b"a"), out, err)
    write_item(Frame(2, b"b"), out, err)
    write_item(b"c", out, err)
    assert (out.getvalue(), err.getvalue(), out.flushes, err.flushes) == (b"ac", b"b", 2, 1)


# -- --list and completion ----------------------------------------------------------------


def test_list_shows_each_operation_with_its_route_filtered_by_a_word() -> None:
    result = invoker(FakePodman())("api", "--list", "CONTAINERS/JSON")
    assert result.stdout.splitlines() == [
        "container_list (GET /containers/json)",
        "container_list_libpod (GET /libpod/containers/json)",
    ]
    logs = invoker(FakePodman())("api", "--list", "container_logs_libpod").stdout
    assert logs == "container_logs_libpod (GET /libpod/containers/{name}/logs)  [--stream]\n"
    listed = json.loads(invoker(FakePodman())("--json", "api", "--list", "events").stdout)
    assert {
        "Operation": "system_events_libpod",
        "Method": "GET",
        "Path": "/libpod/events",
        "Stream": True,
    } in listed


def test_list_covers_every_generated_module() -> None:
    everything = list_operations("")
    assert len(everything) > 150
    assert find_operation("container_list_libpod").module is container_list_libpod


def test_completion_candidates() -> None:
    assert operation_candidates("container_li") == ["container_list", "container_list_libpod"]
    assert parameter_candidates("volume_delete_libpod", [], "") == ["name=", "force="]
    assert parameter_candidates("volume_delete_libpod", ["name=v1"], "f") == ["force="]
    assert parameter_candidates("volume_delete_libpod", [], "force=") == [
        "force=true",
        "force=false",
    ]
    assert parameter_candidates("container_changes_libpod", [], "diff_type=c") == [
        "diff_type=container"
    ]
    assert parameter_candidates("container_list_libpod", ["all=true"], "a") == []
    assert parameter_candidates("container_list_libpod", [], "all=t") == ["all=true"]
    assert parameter_candidates("no_such_operation", [], "") == []


def complete(words: Sequence[str]) -> list[str]:
    env = {
        "_PODMAN_SDK_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(["podman-sdk", *words]),
        "COMP_CWORD": str(len(words)),
    }
    result = cli_runner().invoke(cli, [], env=env, prog_name="podman-sdk")
    assert result.exit_code == 0, result.output
    return [line.partition(",")[2] for line in result.stdout.splitlines()]


def test_the_shell_completes_operations_and_parameter_names() -> None:
    assert complete(["api", "system_eve"]) == ["system_events", "system_events_libpod"]
    assert complete(["api", "system_events_libpod", "si"]) == ["since="]
    assert complete(["api", "volume_delete_libpod", "name=v1", ""]) == ["force="]
