"""The installed ``podman-sdk`` command, run as a subprocess against the live services:
each command's output (``--json`` parsed back), the transcript of ``--trace``, and the
exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import podman_sdk
import pytest

from tests.harness import (
    ImageFactory,
    PodmanService,
    Registry,
    image_exists,
    image_id,
    remove_image,
)

CLI = Path(sys.executable).with_name("podman-sdk")
# The test registries speak plain HTTP; the SDK always sends tlsVerify, which overrides
# the service's registries.conf, so say it explicitly as podman users do.
PLAIN_HTTP = "--no-tls-verify"


def run(
    service: PodmanService | str,
    *args: str,
    expect: int = 0,
    stdin: bytes | None = None,
    url: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command against ``service`` (or a URL; ``url=False``: let it
    choose) and check its exit code."""
    if not CLI.exists():
        pytest.fail(f"{CLI} is not installed (pip install -e '.[cli]')")
    target = ["--url", service if isinstance(service, str) else service.url]
    done = subprocess.run(
        [str(CLI), *(target if url else []), *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=300,
        env=env,
    )
    assert done.returncode == expect, (
        f"podman-sdk {' '.join(args)}: exit {done.returncode}, expected {expect}\n"
        f"stdout: {done.stdout[-2000:]!r}\nstderr: {done.stderr[-2000:]!r}"
    )
    return done


def run_json(service: PodmanService, *args: str) -> object:
    return json.loads(run(service, "--json", *args).stdout)


def tag_for(service: PodmanService, name: str) -> str:
    return f"localhost/cli-{name}-{service.name}:1"


def test_doctor(podman_service: PodmanService) -> None:
    found = run_json(podman_service, "doctor")
    assert isinstance(found, dict)
    assert found["endpoint"] == podman_service.url
    assert found["answers"] is True
    assert found["server_version"] == podman_service.version
    assert found["path_version"]
    assert found["latency_ms"] > 0
    assert found["error"] is None
    human = run(podman_service, "doctor").stdout.decode()
    assert f"Podman {podman_service.version}" in human
    assert "Result:     OK" in human


def test_doctor_without_a_service_says_what_to_do(tmp_path: Path) -> None:
    done = run(f"unix://{tmp_path}/none.sock", "doctor", expect=3)
    report = done.stdout.decode()
    assert "answers:  no" in report
    assert "Next step:" in report
    assert "podman system service --time=0" in report


def test_connection_option_and_environment(podman_service: PodmanService, tmp_path: Path) -> None:
    connections = tmp_path / "podman-connections.json"
    document = {"Connection": {"Connections": {"test": {"URI": podman_service.url}}}}
    connections.write_text(json.dumps(document))
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CONTAINERS_CONF": str(tmp_path / "absent.conf"),
        "PODMAN_CONNECTIONS_CONF": str(connections),
        "CONTAINER_HOST": "unix:///nonexistent/ignored.sock",
    }
    found = json.loads(
        run(podman_service, "--json", "--connection", "test", "doctor", url=False, env=env).stdout
    )
    assert found["endpoint"] == podman_service.url
    assert found["source"].startswith("--connection test")
    assert found["trail"][0].startswith("--connection test:")
    # Without --connection, CONTAINER_HOST wins, as in podman: and it leads nowhere.
    lost = json.loads(run(podman_service, "--json", "doctor", url=False, env=env, expect=3).stdout)
    assert lost["trail"] == ["CONTAINER_HOST=unix:///nonexistent/ignored.sock: chosen"]
    assert "podman system service" in lost["next_step"]


def test_version_and_info(podman_service: PodmanService) -> None:
    version = run_json(podman_service, "version")
    assert isinstance(version, dict)
    assert version["Server"]["Version"] == podman_service.version
    assert version["Client"]["PodmanRelease"] == podman_sdk.PODMAN_RELEASE
    human = run(podman_service, "version").stdout.decode().splitlines()
    assert human[0] == f"Client:       podman-sdk {podman_sdk.__version__}"
    assert f"Server:       Podman {podman_service.version}" in human[5:]
    info = run_json(podman_service, "info")
    assert isinstance(info, dict)
    assert info["version"]["Version"] == podman_service.version
    assert "Graph root:" in run(podman_service, "info").stdout.decode()


def test_version_without_a_service_prints_the_client_then_why(tmp_path: Path) -> None:
    """The stopped service's case: the socket is not there."""
    gone = f"unix://{tmp_path}/stopped.sock"
    done = run(gone, "version", expect=3)
    lines = done.stdout.decode().splitlines()
    assert lines[0] == f"Client:       podman-sdk {podman_sdk.__version__}"
    assert lines[3:] == [
        f"API spec:     Podman {podman_sdk.PODMAN_RELEASE}",
        f"Spec sha256:  {podman_sdk.SPEC_SHA256}",
    ]
    assert f"{tmp_path}/stopped.sock" in done.stderr.decode()
    found = json.loads(run(gone, "--json", "version", expect=3).stdout)
    assert found["Server"] is None
    assert found["Client"]["SpecSha256"] == podman_sdk.SPEC_SHA256


def test_ls_inspect_history(podman_service: PodmanService, image_factory: ImageFactory) -> None:
    tag = tag_for(podman_service, "ls")
    built = image_factory(podman_service, tag, labels={"cli": "yes"})
    listed = run_json(podman_service, "images", "ls")
    assert isinstance(listed, list)
    assert built in [entry["Id"].removeprefix("sha256:") for entry in listed]
    table = run(podman_service, "images", "ls").stdout.decode().splitlines()
    assert table[0].split()[:2] == ["REPOSITORY", "TAG"]
    assert any(line.split()[:3] == [tag.rsplit(":", 1)[0], "1", built[:12]] for line in table)
    inspected = run_json(podman_service, "images", "inspect", tag)
    assert isinstance(inspected, list)
    assert inspected[0]["Labels"]["cli"] == "yes"
    compat = run_json(podman_service, "images", "inspect", "--compat", tag)
    assert isinstance(compat, list)
    assert compat[0]["Id"].removeprefix("sha256:") == built
    history = run_json(podman_service, "images", "history", tag)
    assert isinstance(history, list)
    assert any("COPY" in layer["CreatedBy"] for layer in history)
    assert "CREATED BY" in run(podman_service, "images", "history", tag).stdout.decode()


def test_tag_untag_rm(podman_service: PodmanService, image_factory: ImageFactory) -> None:
    tag = tag_for(podman_service, "tag")
    built = image_factory(podman_service, tag)
    extra = tag.replace(":1", ":extra")
    run(podman_service, "images", "tag", tag, extra)
    assert image_id(podman_service, extra) == built
    untagged = run_json(podman_service, "images", "untag", built, extra)
    assert untagged == {"Id": built, "Untagged": [extra]}
    assert not image_exists(podman_service, extra)
    removed = run_json(podman_service, "images", "rm", tag)
    assert isinstance(removed, list)
    assert {"Deleted": built} in removed
    assert not image_exists(podman_service, tag)


def test_prune_reports(podman_service: PodmanService) -> None:
    report = run_json(podman_service, "images", "prune")
    assert isinstance(report, dict)
    assert set(report) == {"ImagesDeleted", "SpaceReclaimed"}


def test_save_and_load_round_trip(
    podman_service: PodmanService, image_factory: ImageFactory, tmp_path: Path
) -> None:
    tag = tag_for(podman_service, "save")
    built = image_factory(podman_service, tag, size_bytes=3 * 1024 * 1024)
    archive = tmp_path / "image.tar"
    saved = run(podman_service, "images", "save", tag, "--named", "-o", str(archive))
    stdout = saved.stdout.decode()
    sha256 = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert stdout.strip().endswith(f"sha256:{sha256}")
    assert "saving [" in saved.stderr.decode()  # the progress line, with bytes and rate
    assert "/s" in saved.stderr.decode()
    run(podman_service, "images", "rm", "--force", tag)
    loaded = run(podman_service, "images", "load", "-i", str(archive))
    assert loaded.stdout.decode().strip() == f"Loaded image: {tag}"
    assert image_id(podman_service, tag) == built


def test_save_to_a_pipe_and_load_from_stdin(
    podman_service: PodmanService, image_factory: ImageFactory
) -> None:
    tag = tag_for(podman_service, "pipe")
    built = image_factory(podman_service, tag)
    saved = run(podman_service, "images", "save", "--chunk-size", "64K", "--named", tag)
    archive = saved.stdout
    assert f"sha256:{hashlib.sha256(archive).hexdigest()}" in saved.stderr.decode()
    run(podman_service, "images", "rm", "--force", tag)
    loaded = json.loads(run(podman_service, "--json", "images", "load", stdin=archive).stdout)
    assert loaded == [{"Id": built, "RepoTags": [tag]}]


def test_trace_shows_the_exchange(podman_service: PodmanService) -> None:
    done = run(podman_service, "--trace", "images", "ls")
    transcript = done.stderr.decode()
    assert "> GET /libpod/_ping" in transcript
    assert "/libpod/images/json" in transcript
    assert "< 200 OK in" in transcript
    assert "< body: [" in transcript
    json_out = run(podman_service, "--trace", "--json", "images", "ls")
    json.loads(json_out.stdout)  # the transcript never mixes into stdout


def test_exit_codes(podman_service: PodmanService, tmp_path: Path) -> None:
    missing = run(podman_service, "images", "inspect", "localhost/no-such-image:1", expect=1)
    error = missing.stderr.decode().strip()
    assert len(error.splitlines()) == 1
    assert error.startswith("podman-sdk: error: 404")
    assert "Traceback" not in error
    run(podman_service, "images", "inspect", "Not A Reference", expect=2)
    run(podman_service, "images", "bogus", expect=2)
    run(podman_service, "images", "load", "-i", str(tmp_path / "absent.tar"), expect=2)
    run(f"unix://{tmp_path}/none.sock", "images", "ls", expect=3)
    traced = run(podman_service, "--trace", "images", "rm", "localhost/no-such-image:1", expect=1)
    assert "Traceback (most recent call last)" in traced.stderr.decode()


# -- registry verbs --------------------------------------------------------------------


def write_context(directory: Path, marker: str) -> Path:
    directory.mkdir()
    (directory / "Containerfile").write_text("FROM scratch\nCOPY marker.txt /marker.txt\n")
    (directory / "marker.txt").write_text(marker + "\n")
    return directory


def test_build_push_pull_search(
    podman_service: PodmanService, registry: Registry, tmp_path: Path
) -> None:
    tag = tag_for(podman_service, "build")
    remote = f"{registry.host}/cli/{podman_service.name}:1"
    context = write_context(tmp_path / "context", f"{tag} {tmp_path}")
    try:
        built = run(podman_service, "images", "build", str(context), "-t", tag, "--label", "k=v")
        built_id = built.stdout.decode().strip()
        assert image_id(podman_service, tag) == built_id
        assert "COPY marker.txt /marker.txt" in built.stderr.decode()  # the live build log
        pushed = run_json(podman_service, "images", "push", PLAIN_HTTP, tag, remote)
        assert isinstance(pushed, dict)
        assert pushed["Destination"] == remote
        assert str(pushed["Digest"]).startswith("sha256:")
        run(podman_service, "images", "rm", "--force", built_id)
        pulled = run(podman_service, "images", "pull", PLAIN_HTTP, remote)
        assert pulled.stdout.decode().strip() == built_id
        assert "Copying blob" in pulled.stderr.decode()  # progress, one line per layer
        assert "sha256:" + "0" * 8 not in pulled.stderr.decode()
        # Podman 6 sends each layer's progress: off a terminal, each bar's final line.
        bars = re.findall(
            r"^Copying blob [0-9a-f]{12} \[#{24}\] 100%", pulled.stderr.decode(), re.M
        )
        assert len(bars) == (2 if podman_service.name == "podman6" else 0)  # layer, config
        tags = run_json(
            podman_service, "images", "search", PLAIN_HTTP, "--list-tags", remote.rsplit(":", 1)[0]
        )
        assert isinstance(tags, list)
        assert "1" in [entry["Tag"] for entry in tags]
    finally:
        remove_image(podman_service, tag)
        remove_image(podman_service, remote)


def test_push_with_credentials_never_shows_the_secret(
    podman_service: PodmanService, auth_registry: Registry, image_factory: ImageFactory
) -> None:
    assert auth_registry.username is not None
    assert auth_registry.password is not None
    tag = tag_for(podman_service, "creds")
    image_factory(podman_service, tag)
    remote = f"{auth_registry.host}/cli/creds-{podman_service.name}:1"
    creds = f"{auth_registry.username}:{auth_registry.password}"
    try:
        done = run(
            podman_service, "--trace", "images", "push", PLAIN_HTTP, "--creds", creds, tag, remote
        )
        output = done.stdout.decode() + done.stderr.decode()
        assert auth_registry.password not in output
        assert "x-registry-auth: <redacted>" in output
        wrong = f"{auth_registry.username}:not-{auth_registry.password}"
        refused = run(
            podman_service,
            "--trace",
            "images",
            "push",
            PLAIN_HTTP,
            "--creds",
            wrong,
            tag,
            remote,
            expect=1,
        )
        refused_output = refused.stdout.decode() + refused.stderr.decode()
        assert f"not-{auth_registry.password}" not in refused_output
        assert auth_registry.password not in refused_output
    finally:
        remove_image(podman_service, remote)


def test_pull_of_a_missing_image_exits_1(podman_service: PodmanService, registry: Registry) -> None:
    done = run(
        podman_service, "images", "pull", PLAIN_HTTP, f"{registry.host}/cli/absent:1", expect=1
    )
    *progress, error = done.stderr.decode().strip().splitlines()
    assert error.startswith("podman-sdk: error: pull ")
    assert "manifest unknown" in error
    assert all("error" not in line for line in progress)
