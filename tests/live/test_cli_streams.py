"""``api``, ``logs`` and ``events`` run as ``python -m podman_sdk`` against each live
service: JSON answers, path parameters and bodies, a refusal's exit code, container
output with stdout and stderr apart, streams that end by themselves (``--until``, an
exited container) and streams ended by Ctrl-C (SIGINT: exit 0, no traceback), and the
``--trace`` transcript of each command."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from libpod_client.api.containers import (
    container_create_libpod,
    container_delete_libpod,
    container_start_libpod,
    container_wait_libpod,
)
from libpod_client.models import SpecGenerator
from podman_sdk import PodmanClient

from tests.harness import RUNNABLE_SETTINGS, PodmanService, busybox_image

pytestmark = pytest.mark.timeout(180)

# The longest wait for a line a running command is expected to print.
WAIT = 60.0


def command(service: PodmanService, *args: str) -> list[str]:
    return [sys.executable, "-m", "podman_sdk", "--url", service.url, *args]


def run(service: PodmanService, *args: str, expect: int = 0) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(command(service, *args), capture_output=True, check=False, timeout=120)
    assert done.returncode == expect, (
        f"podman-sdk {' '.join(args)}: exit {done.returncode}, expected {expect}\n"
        f"stdout: {done.stdout[-2000:]!r}\nstderr: {done.stderr[-2000:]!r}"
    )
    return done


def read_until(pipe: IO[bytes], wanted: bytes, seen: bytearray) -> None:
    """Read ``pipe`` into ``seen`` until ``wanted`` is in it; fail after `WAIT`
    seconds or when the pipe ends first."""
    deadline = time.monotonic() + WAIT
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"no {wanted!r} within {WAIT} s; got {bytes(seen)!r}")
        ready, _, _ = select.select([pipe], [], [], left)
        if ready:
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                pytest.fail(f"the output ended before {wanted!r}: {bytes(seen)!r}")
            seen += chunk


def interrupt(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Ctrl-C: SIGINT, then the rest of the output once the command has ended."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT)
    return out, err


def stop(process: subprocess.Popen[bytes]) -> None:
    """After a failed check: the command must not outlive the test."""
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def busybox(podman_service: PodmanService) -> Iterator[str]:
    with busybox_image(podman_service, "cli-streams") as tag:
        yield tag


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[PodmanClient]:
    with PodmanClient(podman_service.url) as opened:
        yield opened


def unique(prefix: str) -> str:
    return f"cli-{prefix}-{uuid.uuid4().hex[:8]}"


def create(client: PodmanClient, image: str, script: str, name: str) -> str:
    body = SpecGenerator.from_dict(
        {
            "name": name,
            "image": image,
            "command": ["/bin/busybox", "sh", "-c", script],
            "stop_signal": 9,
            **RUNNABLE_SETTINGS,
        }
    )
    return container_create_libpod.sync(client=client.api, body=body).id


@pytest.fixture
def containers(client: PodmanClient) -> Iterator[list[str]]:
    """The containers a test made, removed after it."""
    made: list[str] = []
    yield made
    for container in made:
        container_delete_libpod.sync(container, client=client.api, force=True)


@pytest.fixture
def exited(client: PodmanClient, busybox: str, containers: list[str]) -> str:
    """The name of a container that wrote two lines to stdout and one to stderr."""
    name = unique("exited")
    containers.append(create(client, busybox, "echo out1; echo err >&2; echo out2", name))
    container_start_libpod.sync(name, client=client.api)
    container_wait_libpod.sync(name, client=client.api, condition=["exited"])
    return name


# -- api ----------------------------------------------------------------------------------


def test_api_lists_containers_as_json(
    podman_service: PodmanService, client: PodmanClient, busybox: str, containers: list[str]
) -> None:
    name = unique("listed")
    containers.append(create(client, busybox, "true", name))
    listed = json.loads(run(podman_service, "api", "container_list_libpod", "all_=true").stdout)
    assert [name] in [entry["Names"] for entry in listed]
    only = run(
        podman_service,
        "api",
        "container_list_libpod",
        "all=true",
        f'filters={{"name": ["{name}"]}}',
    )
    assert [entry["Names"] for entry in json.loads(only.stdout)] == [[name]]
    assert json.loads(only.stdout)[0]["Id"] == containers[0]


def test_api_with_a_body_then_a_path_parameter(podman_service: PodmanService) -> None:
    volume = unique("volume")
    created = run(
        podman_service,
        "api",
        "volume_create_libpod",
        f'body={{"Name": "{volume}", "Labels": {{"k": "v"}}}}',
    )
    answer = json.loads(created.stdout)
    assert (answer["Name"], answer["Labels"]) == (volume, {"k": "v"})
    inspected = json.loads(
        run(podman_service, "api", "volume_inspect_libpod", f"name={volume}").stdout
    )
    assert inspected["Mountpoint"] == answer["Mountpoint"]
    deleted = run(podman_service, "api", "volume_delete_libpod", f"name={volume}")
    assert (deleted.stdout, deleted.stderr) == (b"", b"")
    gone = run(podman_service, "api", "volume_exists_libpod", f"name={volume}", expect=1)
    assert gone.stderr.decode().startswith("podman-sdk: error: 404 Client Error: Not Found")


def test_api_refusal_exits_1_with_the_servers_message(podman_service: PodmanService) -> None:
    done = run(podman_service, "api", "container_inspect_libpod", "name=cli-no-such-ctr", expect=1)
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("podman-sdk: error: 404 Client Error: Not Found")
    assert "no such container" in lines[0]
    assert done.stdout == b""


def test_api_wrong_value_exits_2_before_sending(podman_service: PodmanService) -> None:
    done = run(podman_service, "--trace", "api", "container_list_libpod", "all=maybe", expect=2)
    assert 'all_: expected true or false, got "maybe"' in done.stderr.decode()
    assert "> GET" not in done.stderr.decode()  # the transcript is empty: nothing was sent


def test_api_container_output_whole_and_streamed(
    podman_service: PodmanService, exited: str
) -> None:
    pairs = [f"name={exited}", "stdout=true", "stderr=true"]
    whole = run(podman_service, "api", "container_logs_libpod", *pairs)
    assert (whole.stdout, whole.stderr) == (b"out1\nout2\n", b"err\n")
    streamed = run(podman_service, "api", "--stream", "container_logs_libpod", *pairs)
    assert (streamed.stdout, streamed.stderr) == (b"out1\nout2\n", b"err\n")


def test_api_bytes_answer_to_a_file(
    podman_service: PodmanService, exited: str, tmp_path: Path
) -> None:
    target = tmp_path / "rootfs.tar"
    done = run(
        podman_service, "api", "container_export_libpod", f"name={exited}", "-o", str(target)
    )
    assert done.stdout == b""
    with tarfile.open(target) as tar:
        assert tar.getmember("bin/busybox").size > 100_000


def test_a_reader_that_stops_reading_ends_a_stream_quietly(
    podman_service: PodmanService, exited: str
) -> None:
    """`| head -c 10`: the pipe closes under a large export; exit 0, nothing on stderr."""
    args = command(podman_service, "api", "--stream", "container_export_libpod", f"name={exited}")
    head = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert head.stdin is not None
    assert head.stdout is not None
    try:
        done = subprocess.run(
            args, stdout=head.stdin, stderr=subprocess.PIPE, check=False, timeout=120
        )
    finally:
        head.stdin.close()  # ours: head's stdin is the command's stdout alone
        shown = head.stdout.read()
        head.stdout.close()
        head.wait(timeout=WAIT)
    assert len(shown) == 10
    assert (done.returncode, done.stderr) == (0, b"")


def test_api_streams_an_image_out_and_loads_it_from_a_file(
    podman_service: PodmanService, busybox: str, tmp_path: Path
) -> None:
    archive = tmp_path / "busybox.tar"
    run(
        podman_service,
        "api",
        "--stream",
        "image_get_libpod",
        "format=docker-archive",
        f"name={busybox}",
        "-o",
        str(archive),
    )
    with tarfile.open(archive) as tar:
        assert "manifest.json" in tar.getnames()
    loaded = run(podman_service, "--trace", "api", "image_load_libpod", f"body=@{archive}")
    assert json.loads(loaded.stdout)["Names"]
    trace = loaded.stderr.decode()
    assert "/libpod/images/load" in trace
    assert "> body: streamed from the caller" in trace  # the file is not read into memory


# -- logs ---------------------------------------------------------------------------------


def test_logs_keep_stdout_and_stderr_apart(podman_service: PodmanService, exited: str) -> None:
    done = run(podman_service, "logs", exited)
    assert (done.stdout, done.stderr) == (b"out1\nout2\n", b"err\n")
    as_json = run(podman_service, "--json", "logs", exited)
    frames = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {"Stream": "stderr", "Data": "err\n"} in frames
    assert "".join(f["Data"] for f in frames if f["Stream"] == "stdout") == "out1\nout2\n"


def test_logs_tail(
    podman_service: PodmanService, client: PodmanClient, busybox: str, containers: list[str]
) -> None:
    # One stream only: the order of lines written to two pipes is not fixed.
    name = unique("tail")
    containers.append(create(client, busybox, "echo a; echo b; echo c", name))
    container_start_libpod.sync(name, client=client.api)
    container_wait_libpod.sync(name, client=client.api, condition=["exited"])
    assert run(podman_service, "logs", "--tail", "2", name).stdout == b"b\nc\n"
    assert run(podman_service, "logs", "--tail", "0", name).stdout == b""


def test_logs_follow_until_ctrl_c(
    podman_service: PodmanService, client: PodmanClient, busybox: str, containers: list[str]
) -> None:
    name = unique("talker")
    containers.append(create(client, busybox, "echo one; echo two >&2; sleep 300", name))
    container_start_libpod.sync(name, client=client.api)
    process = subprocess.Popen(
        command(podman_service, "logs", "--follow", name),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = bytearray(), bytearray()
        assert process.stdout is not None
        assert process.stderr is not None
        read_until(process.stdout, b"one\n", out)
        read_until(process.stderr, b"two\n", err)
        assert process.poll() is None  # following: still running
        rest_out, rest_err = interrupt(process)
    finally:
        stop(process)
    assert process.returncode == 0, bytes(err + rest_err)
    assert bytes(out + rest_out) == b"one\n"
    assert bytes(err + rest_err) == b"two\n"  # no traceback, no "Aborted!"


# -- events -------------------------------------------------------------------------------


def test_events_with_a_filter_until_ctrl_c(
    podman_service: PodmanService, client: PodmanClient, busybox: str, containers: list[str]
) -> None:
    name = unique("events")
    # --since a moment ago: the create is seen even if it happens before the command
    # has connected.
    since = str(int(time.time()) - 1)
    process = subprocess.Popen(
        command(podman_service, "events", "--filter", f"container={name}", "--since", since),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        container = create(client, busybox, "true", name)
        containers.append(container)
        out = bytearray()
        assert process.stdout is not None
        read_until(process.stdout, f" {name}\n".encode(), out)
        assert process.poll() is None  # a stream without --until goes on
        rest_out, err = interrupt(process)
    finally:
        stop(process)
    assert (process.returncode, err) == (0, b"")
    lines = bytes(out + rest_out).decode().splitlines()
    assert lines[0].split()[1:] == ["container", "create", container[:12], name]


def test_events_until_end_by_themselves_and_trace(
    podman_service: PodmanService, client: PodmanClient, busybox: str, containers: list[str]
) -> None:
    name = unique("until")
    since = str(int(time.time()) - 1)
    containers.append(create(client, busybox, "true", name))
    # Room for a slow CLI start on a loaded machine: Podman 4.3.1 sends nothing for an
    # until already past when the request arrives.
    until = str(int(time.time()) + 8)
    args = ["--filter", f"container={name}", "--since", since, "--until", until]
    done = run(podman_service, "--json", "--trace", "events", *args)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(e["Type"], e["Action"], e["Actor"]["ID"]) for e in events] == [
        ("container", "create", containers[0])
    ]
    trace = done.stderr.decode()
    assert "> GET /v" in trace
    assert "/libpod/events?" in trace
    assert "< 200 OK" in trace


# -- --trace ------------------------------------------------------------------------------


def test_trace_shows_the_requests_of_api_and_logs(
    podman_service: PodmanService, exited: str
) -> None:
    traced = run(podman_service, "--trace", "api", "volume_list_libpod", "filters={}")
    trace = traced.stderr.decode()
    assert "> GET /v" in trace
    assert "/libpod/volumes/json?filters=%7B%7D" in trace
    assert isinstance(json.loads(traced.stdout), list)
    logs = run(podman_service, "--trace", "logs", exited)
    assert logs.stdout == b"out1\nout2\n"
    lines = logs.stderr.decode().splitlines()
    requests = [line for line in lines if line.startswith("> GET /v")]
    assert len(requests) == 1, lines  # after the unversioned ping
    assert f"/libpod/containers/{exited}/logs?" in requests[0]
    assert "err" in lines  # the container's stderr, among the transcript's lines
