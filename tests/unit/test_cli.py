"""The CLI with click's CliRunner over a mock transport: parsing, output, exit codes,
the trace's redaction, and the pure pieces (tables, sizes, filters, doctor's advice)."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import click
import httpx
import podman_sdk
import pytest
from click.testing import Result
from podman_sdk._cli import cli
from podman_sdk._cli.connect import Settings, choose_endpoint
from podman_sdk._cli.doctor import next_step
from podman_sdk._cli.images import parse_filters, split_tag
from podman_sdk._cli.output import Progress, human_age, human_size, render_table
from podman_sdk._cli.registry import LiveLog, parse_creds, parse_pairs, short_digests
from podman_sdk._cli.trace import REDACTED, HttpTracer, body_excerpt, mask_secrets
from podman_sdk._cli.transfer import parse_byte_size
from podman_sdk._exceptions import (
    DiscoveryError,
    InvalidArgument,
    PodmanConnectionError,
    PodmanTimeoutError,
)

from tests.harness.click_runner import cli_runner

IMAGE_ID = "1438548dfd87f725b6f93fa6c6bdb7dd7924f296b2b94b11be268dcef9a57448"
ARCHIVE = b"pretend docker-archive " * 1000
URL = "http://podman.test"
SECRET = "hunter2-very-secret"


def json_response(value: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=value)


class FakePodman:
    """Just enough of a Podman 4.3.1 service for the CLI's local image commands."""

    def __init__(self) -> None:
        self.tags = ["localhost/demo:1"]
        self.requests: list[httpx.Request] = []
        self.loaded: bytes = b""

    def entry(self) -> dict[str, object]:
        return {
            "Id": IMAGE_ID,
            "RepoTags": self.tags,
            "Created": 1_700_000_000,
            "Size": 204_557,
            "Labels": {"a": "b"},
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        # The raw path keeps a name's %2F, so "localhost/demo:1" stays one segment.
        path = request.url.raw_path.decode().partition("?")[0]
        if path in ("/_ping", "/libpod/_ping"):
            return httpx.Response(200, text="OK", headers={"Libpod-Api-Version": "4.3.1"})
        prefix = "/v4.3.1/libpod"
        assert path.startswith(prefix), path
        route = path.removeprefix(prefix)
        if route == "/version":
            return json_response(
                {
                    "Version": "4.3.1",
                    "ApiVersion": "1.41",
                    "GitCommit": "",
                    "GoVersion": "go1.19.8",
                    "Os": "linux",
                    "Arch": "amd64",
                    "Platform": {"Name": "linux/amd64"},
                }
            )
        if route == "/images/json":
            return json_response([self.entry()])
        if route == "/images/load":
            self.loaded = request.read()
            return json_response({"Names": ["localhost/demo:1"]})
        quoted, _, verb = route.removeprefix("/images/").partition("/")
        name = unquote(quoted)
        if name not in (IMAGE_ID, *self.tags):
            body = {"cause": "image not known", "message": f"{name}: image not known"}
            return json_response({**body, "response": 404}, status=404)
        return self.image_route(request, verb)

    def image_route(self, request: httpx.Request, verb: str) -> httpx.Response:
        if verb == "json":
            created = "2023-11-14T22:13:20Z"
            return json_response({**self.entry(), "Created": created, "Config": {}})
        if verb == "history":
            layer = {"id": IMAGE_ID, "created": 1_700_000_000, "createdBy": "COPY x /x"}
            return json_response([{**layer, "size": 2048, "comment": ""}])
        if verb == "tag":
            self.tags.append(f"{request.url.params['repo']}:{request.url.params['tag']}")
            return httpx.Response(201)
        if verb == "get":
            # As podman sends it: chunked, no Content-Length.
            return httpx.Response(200, content=iter([ARCHIVE[:5000], ARCHIVE[5000:]]))
        if verb == "" and request.method == "DELETE":
            return json_response(
                {"Deleted": [IMAGE_ID], "Untagged": self.tags, "Errors": [], "ExitCode": 0}
            )
        raise AssertionError(f"unexpected {request.method} {request.url}")


@pytest.fixture
def fake() -> FakePodman:
    return FakePodman()


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(fake: FakePodman) -> Invoke:
    def run(*args: str, transport: httpx.BaseTransport | None = None) -> Result:
        settings = Settings(transport=transport or httpx.MockTransport(fake))
        return cli_runner().invoke(cli, ["--url", URL, *args], obj=settings)

    return run


# -- parsing and exit codes ------------------------------------------------------------


def test_url_and_connection_together_is_a_usage_error() -> None:
    result = cli_runner().invoke(cli, ["--url", URL, "--connection", "x", "version"])
    assert result.exit_code == 2
    assert "not both" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["nope"], ["--timeout", "0", "version"], ["images", "inspect"], ["images", "ls", "--bogus"]],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    assert cli_runner().invoke(cli, args).exit_code == 2


def test_missing_image_is_one_line_and_exit_1(invoke: Invoke) -> None:
    result = invoke("images", "inspect", "nope")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "podman-sdk: error: 404 Client Error: Not Found (nope: image not known)"
    ]
    assert "Traceback" not in result.stderr


def test_trace_adds_the_traceback(invoke: Invoke) -> None:
    result = invoke("--trace", "images", "inspect", "nope")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "< 404 Not Found" in result.stderr
    assert result.stderr.rstrip().endswith("(nope: image not known)")


def test_cannot_connect_exits_3(invoke: Invoke) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    result = invoke("images", "ls", transport=httpx.MockTransport(refuse))
    assert result.exit_code == 3
    assert "Connection refused" in result.stderr
    assert "podman-sdk doctor" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_timeout_exits_3(invoke: Invoke) -> None:
    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    result = invoke("--timeout", "0.5", "version", transport=httpx.MockTransport(stall))
    assert result.exit_code == 3
    assert "timed out" in result.stderr


def test_invalid_reference_exits_2_before_any_request(invoke: Invoke, fake: FakePodman) -> None:
    result = invoke("images", "tag", "localhost/demo:1", "Bad::Name")
    assert result.exit_code == 2
    assert "invalid image reference" in result.stderr
    assert not any("/tag" in request.url.path for request in fake.requests)


# -- output ----------------------------------------------------------------------------


def test_ls_prints_an_aligned_table(invoke: Invoke) -> None:
    result = invoke("images", "ls")
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split() == ["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"]
    assert row.split()[:3] == ["localhost/demo", "1", IMAGE_ID[:12]]
    assert row.index(IMAGE_ID[:12]) == header.index("IMAGE ID")
    assert row.endswith("204.6 kB")


def test_ls_json_parses_back(invoke: Invoke) -> None:
    result = invoke("--json", "images", "ls")
    listed = json.loads(result.stdout)
    assert [image["Id"] for image in listed] == [IMAGE_ID]
    assert listed[0]["RepoTags"] == ["localhost/demo:1"]


def test_ls_quiet_prints_ids(invoke: Invoke) -> None:
    assert invoke("images", "ls", "-q").stdout == IMAGE_ID[:12] + "\n"


def test_history_and_version_json(invoke: Invoke) -> None:
    history = json.loads(invoke("--json", "images", "history", "localhost/demo:1").stdout)
    assert history[0]["CreatedBy"] == "COPY x /x"
    version = json.loads(invoke("--json", "version").stdout)
    assert version["Server"]["Version"] == "4.3.1"
    assert version["Client"]["PathVersion"] == "4.3.1"


CLIENT_LINES = [
    f"Client:       podman-sdk {podman_sdk.__version__}",
    f"Python:       {platform.python_version()}",
    f"httpx:        {httpx.__version__}",
    f"API spec:     Podman {podman_sdk.PODMAN_RELEASE}",
    f"Spec sha256:  {podman_sdk.SPEC_SHA256}",
]


def test_version_prints_the_client_then_the_server(invoke: Invoke) -> None:
    result = invoke("version")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == CLIENT_LINES
    assert lines[5:7] == [f"Endpoint:     {URL}", "Server:       Podman 4.3.1"]


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def test_version_without_a_server_prints_the_client_and_why_then_exits_3(
    invoke: Invoke,
) -> None:
    result = invoke("version", transport=httpx.MockTransport(refuse))
    assert result.exit_code == 3
    assert result.stdout.splitlines() == CLIENT_LINES
    assert "Connection refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    as_json = invoke("--json", "version", transport=httpx.MockTransport(refuse))
    assert as_json.exit_code == 3
    found = json.loads(as_json.stdout)
    assert found["Client"] == {
        "Version": podman_sdk.__version__,
        "Python": platform.python_version(),
        "Httpx": httpx.__version__,
        "PodmanRelease": podman_sdk.PODMAN_RELEASE,
        "SpecSha256": podman_sdk.SPEC_SHA256,
    }
    assert found["Server"] is None
    assert "Connection refused" in found["Error"]


def test_tag_then_rm_reports(invoke: Invoke, fake: FakePodman) -> None:
    tagged = invoke("images", "tag", "localhost/demo:1", "localhost/demo:2")
    assert tagged.stdout == f"Tagged {IMAGE_ID[:12]} as localhost/demo:2\n"
    assert fake.tags == ["localhost/demo:1", "localhost/demo:2"]
    removed = json.loads(invoke("--json", "images", "rm", "localhost/demo:1").stdout)
    assert {"Deleted": IMAGE_ID} in removed


def test_save_writes_the_archive_and_its_sha256(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "demo.tar"
    result = invoke("--json", "images", "save", "localhost/demo:1", "-o", str(target))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert target.read_bytes() == ARCHIVE
    assert report["Sha256"] == hashlib.sha256(ARCHIVE).hexdigest()
    assert report["Size"] == len(ARCHIVE)
    assert "saving [" in result.stderr  # the progress line's final state
    assert [path.name for path in tmp_path.iterdir()] == ["demo.tar"]  # no .part left


def test_save_to_a_missing_directory_is_bad_input(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("images", "save", "localhost/demo:1", "-o", str(tmp_path / "no" / "x.tar"))
    assert result.exit_code == 2


def test_load_from_file(invoke: Invoke, fake: FakePodman, tmp_path: Path) -> None:
    archive = tmp_path / "in.tar"
    archive.write_bytes(ARCHIVE)
    result = invoke("images", "load", "-i", str(archive))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Loaded image: localhost/demo:1\n"
    assert fake.loaded == ARCHIVE


def test_doctor_reports_the_choice_and_versions(invoke: Invoke) -> None:
    result = invoke("--json", "doctor")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert found["endpoint"].startswith(URL)
    assert found["trail"] == [f"--url {URL}: chosen"]
    assert (found["answers"], found["server_version"], found["path_version"]) == (
        True,
        "4.3.1",
        "4.3.1",
    )
    assert found["latency_ms"] >= 0
    assert found["error"] is None


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = cli_runner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert "_PODMAN_SDK_COMPLETE" in result.stdout


def test_shell_completion_completes_commands() -> None:
    env = {
        "_PODMAN_SDK_COMPLETE": "bash_complete",
        "COMP_WORDS": "podman-sdk ima",
        "COMP_CWORD": "1",
    }
    result = cli_runner().invoke(cli, [], env=env, prog_name="podman-sdk")
    assert result.exit_code == 0
    assert "plain,images" in result.stdout.splitlines()


# -- the trace -------------------------------------------------------------------------


def test_trace_redacts_credentials_and_masks_secrets() -> None:
    lines: list[str] = []
    tracer = HttpTracer(lines.append, secrets={SECRET})

    def answer(request: httpx.Request) -> httpx.Response:
        # The body written out: httpx's json= spaces it differently from release to release.
        body = json.dumps({"echo": SECRET}, separators=(",", ":")).encode()
        headers = {"Set-Cookie": "s=1", "Content-Type": "application/json"}
        return httpx.Response(200, content=body, headers=headers)

    hooks: dict[str, list[Callable[..., object]]] = {
        "request": [tracer.on_request],
        "response": [tracer.on_response],
    }
    with httpx.Client(transport=httpx.MockTransport(answer), event_hooks=hooks) as client:
        client.post(
            f"http://d/push?password={SECRET}",
            headers={"X-Registry-Auth": "eyJzZWNyZXQi", "Authorization": "Basic Zm9vOmJhcg=="},
            content=json.dumps({"password": SECRET}).encode(),
        )
    transcript = "\n".join(lines)
    assert f"x-registry-auth: {REDACTED}" in transcript
    assert f"authorization: {REDACTED}" in transcript
    for secret in (SECRET, "eyJzZWNyZXQi", "Zm9vOmJhcg=="):
        assert secret not in transcript
    assert "> POST /push?password=***" in transcript
    assert "< 200 OK in" in transcript
    assert '< body: {"echo":"***"}' in transcript


def test_body_excerpt() -> None:
    assert body_excerpt(b"") == "(empty)"
    assert body_excerpt(b'{"a":1}\n') == '{"a":1}\\n'
    assert body_excerpt(b"\x00\x01\x02" * 100) == "(300 bytes of binary data)"
    assert body_excerpt(b"x" * 1000, limit=10) == "xxxxxxxxxx... (1000 bytes)"
    assert mask_secrets("a pw b pw", ["pw", ""]) == "a *** b ***"


# -- pure pieces -----------------------------------------------------------------------


def test_human_size_and_age() -> None:
    assert human_size(718) == "718 B"
    assert human_size(204_557) == "204.6 kB"
    assert human_size(5_593_000) == "5.593 MB"
    assert human_age(1000, now=1000 + 3 * 3600) == "3 hours ago"
    assert human_age(1000, now=1061) == "About a minute ago"
    assert human_age(0) == "unknown"


def test_render_table_aligns_columns_without_trailing_blanks() -> None:
    table = render_table(["A", "LONG HEADER", "C"], [["xx", "y", ""], ["z", "w", "end"]])
    assert table.splitlines() == ["A   LONG HEADER  C", "xx  y", "z   w            end"]


def test_progress_final_line_off_a_terminal() -> None:
    ticks = iter([0.0, 2.0])
    lines: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    progress = Progress("saving", 4096, stream=Sink(), clock=lambda: next(ticks))  # type: ignore[arg-type]
    progress.advance(2048)
    progress.advance(2048)
    progress.finish()
    assert lines == ["saving [########################] 100%  4.0 KiB / 4.0 KiB  2.0 KiB/s\n"]


def test_parse_filters_and_split_tag() -> None:
    assert parse_filters(["label=a=b", "dangling", "reference=x"]) == {
        "label": ["a=b"],
        "dangling": ["true"],
        "reference": ["x"],
    }
    assert split_tag("127.0.0.1:5000/x/y:v1") == ("127.0.0.1:5000/x/y", "v1")
    assert split_tag("127.0.0.1:5000/x") == ("127.0.0.1:5000/x", "<none>")


@pytest.mark.parametrize(
    ("text", "size"), [("65536", 65536), ("64K", 65536), ("2M", 2 << 20), ("1GiB", 1 << 30)]
)
def test_parse_byte_size(text: str, size: int) -> None:
    assert parse_byte_size(None, None, text) == size  # type: ignore[arg-type]


def no_files(path: str) -> str | None:
    return None


def test_choose_endpoint_with_connection_ignores_container_host() -> None:
    conf = '{"Connection": {"Connections": {"box": {"URI": "ssh://me@box/run/p.sock"}}}}'

    def read(path: str) -> str | None:
        return conf if path.endswith("podman-connections.json") else None

    env = {"CONTAINER_HOST": "unix:///elsewhere", "HOME": "/home/me"}
    choice = choose_endpoint(
        None, "box", env=env, uid=1000, read_text=read, is_socket=lambda path: False
    )
    assert choice.url == "ssh://me@box/run/p.sock"
    assert choice.trail[0].startswith("--connection box:")
    assert "CONTAINER_CONNECTION" not in " ".join(choice.trail)
    with pytest.raises(DiscoveryError) as missing:
        choose_endpoint(
            None, "nope", env=env, uid=1000, read_text=read, is_socket=lambda path: False
        )
    assert missing.value.trail[-1] == "--connection nope: no such connection"


def test_next_step_names_an_action() -> None:
    sock = "unix:///run/podman/podman.sock"
    absent = PodmanConnectionError(sock, "ConnectError: [Errno 2] No such file or directory")
    assert "podman system service --time=0" in next_step(absent, sock, 0)
    refused = PodmanConnectionError(sock, "ConnectError: [Errno 111] Connection refused")
    assert "no service listens" in next_step(refused, sock, 0)
    assert "--timeout" in next_step(PodmanTimeoutError(sock, "ReadTimeout"), sock, 0)
    assert "fix the URL" in next_step(InvalidArgument("bad"), None, 0)


def test_short_digests_and_pairs() -> None:
    line = "Copying blob sha256:" + "ab12" * 16
    assert short_digests(line) == "Copying blob ab12ab12ab12"
    assert parse_pairs(["a=1", "b=x=y"], "--label") == {"a": "1", "b": "x=y"}
    with pytest.raises(click.BadParameter):
        parse_pairs(["novalue"], "--label")


def test_creds_password_is_registered_as_a_secret() -> None:
    state = Settings()
    assert parse_creds("me:" + SECRET, state) == {"username": "me", "password": SECRET}
    assert SECRET in state.secrets
    assert parse_creds(None, state) is None


def test_live_log_prints_steps_but_not_the_final_id(capsys: pytest.CaptureFixture[str]) -> None:
    log = LiveLog(quiet=False)
    log({"stream": "STEP 1/2: FROM scratch\n"})
    log({"stream": IMAGE_ID + "\n"})
    log({"stream": "sha512:" + "ab" * 64 + "\n"})  # an id need not be sha256 hex
    log({"images": [IMAGE_ID]})
    assert capsys.readouterr().err == "STEP 1/2: FROM scratch\n"
    quiet = LiveLog(quiet=True)
    quiet({"stream": "STEP 1/2: FROM scratch\n"})
    assert capsys.readouterr().err == ""


def test_build_without_context_or_file_is_a_usage_error(invoke: Invoke) -> None:
    assert invoke("images", "build").exit_code == 2


# -- packaging -------------------------------------------------------------------------


# Records which module imports click first, then lets the import proceed.
_WHO_IMPORTS_CLICK = """
import sys
importers = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            frame = sys._getframe(1)
            while frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen")):
                frame = frame.f_back
            importers.append(frame.f_globals.get("__name__"))
        return None

sys.meta_path.insert(0, Watch())
import podman_sdk
print(",".join(importers))
print("podman_sdk._cli" in sys.modules)
"""


def test_importing_the_library_never_imports_click() -> None:
    # httpx 0.28 imports its own command line (httpx._main, which imports click) from
    # its __init__ whenever click is installed; podman_sdk itself must never.
    done = subprocess.run(
        [sys.executable, "-c", _WHO_IMPORTS_CLICK], capture_output=True, text=True, check=True
    )
    importers, cli_loaded = done.stdout.splitlines()
    assert set(filter(None, importers.split(","))) <= {"httpx._main"}
    assert cli_loaded == "False"


def test_the_library_works_without_click() -> None:
    # Also catches a podman_sdk module importing click after httpx already has.
    code = (
        "import sys; sys.modules['click'] = None\n"  # any `import click` now fails
        "import podman_sdk, httpx\n"
        "transport = httpx.MockTransport(lambda r: httpx.Response(200, text='OK'))\n"
        "print(podman_sdk.PodmanClient(transport=transport).ping())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_python_dash_m_without_click_says_what_to_install() -> None:
    code = (
        "import sys, runpy; sys.modules['click'] = None; "
        "runpy.run_module('podman_sdk', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.returncode == 2
    assert "pip install 'podman-sdk[cli]'" in done.stderr


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "podman_sdk", "--help"], capture_output=True, text=True, check=True
    )
    assert "doctor" in done.stdout
    assert "Usage: podman-sdk" in done.stdout
