"""Every generated operation, called live on each major, and the table that says so.

One pass per service (a module fixture): the shared objects are made once, every
operation of ``calls.CALLS`` runs in order through ``PodmanClient.api`` (so an answer
that does not parse as the success type raises ``MalformedAnswer``, a status the spec
does not document raises too), and ``stream()`` is read to its end where the module has
one. An operation that is not called has a reason in ``reasons.toml``; one with neither
is a gap. The tests then hold the committed ``docs/operations.md`` to what the pass
found: ``PODMAN_SDK_WRITE_TABLE=1`` writes the column of the major instead.
"""

from __future__ import annotations

import difflib
import http.server
import os
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from libpod_client.api.images import image_get_libpod
from podman_sdk import PodmanClient

from tests.harness import PodmanService, Registry, busybox_image
from tests.harness.containers import busybox_context
from tests.live.operations.calls import CALLS, Live
from tests.live.operations.table import (
    BEGIN,
    END,
    GAP,
    MISMATCH,
    NOT_CALLED,
    PENDING_FILE,
    TABLE_FILE,
    load_reasons,
    merged,
    operations,
    read_column,
    reason_for,
    render,
)

pytestmark = pytest.mark.timeout(600)
KINDS = ("libpod", "compat")


class Pass:
    """What one pass on one service found: a cell per operation, and the failures."""

    def __init__(self, major: str) -> None:
        self.major = major
        self.cells: dict[str, str] = {}
        self.failures: dict[str, str] = {}
        self.seconds = 0.0


def serve(data: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    """An HTTP server on 127.0.0.1 that answers ``data`` to any GET; it and its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-tar")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/context.tar"


def report_time(config: pytest.Config, what: str, seconds: float) -> None:
    """Print the pass's time in the run's output (CI's budget is watched per major)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"{what} in {seconds:.1f} s")


def call_one(live: Live, key: str) -> str:
    """Send ``key``'s call (and read its stream); the cell, or raise what went wrong."""
    call = CALLS[key]
    response = call.send(live)
    cell = str(int(response.status_code))
    if call.stream is not None:
        with call.stream(live) as items:
            for _ in items:
                pass
        cell += ", stream"
    return cell


def run_pass(live: Live) -> Pass:
    major = live.service.name
    reasons = load_reasons()
    pending = load_reasons(PENDING_FILE)
    found = Pass(major)
    known = {op.key: op for op in operations()}
    began = time.monotonic()
    for key in [*CALLS, *sorted(set(known) - set(CALLS))]:
        reason = reason_for(reasons, key, major)
        if reason is not None:
            found.cells[key] = NOT_CALLED + reason
        elif key not in CALLS:
            found.cells[key] = GAP
        else:
            try:
                found.cells[key] = call_one(live, key)
            except Exception as exc:
                why = reason_for(pending, key, major)
                if why is not None:
                    found.cells[key] = MISMATCH + why
                    continue
                found.failures[key] = f"{type(exc).__name__}: {exc}"
                found.cells[key] = f"FAILED ({type(exc).__name__})"
    found.seconds = time.monotonic() - began
    return found


@pytest.fixture(scope="module")
def live_pass(
    request: pytest.FixtureRequest,
    podman_service: PodmanService,
    registry: Registry,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Pass]:
    # Prunes and removals run below: only ever against a service of the harness, whose
    # storage is its own (never the host's default socket).
    assert podman_service.url == f"unix://{podman_service.socket_path}"
    assert "podman-sdk-test-" in str(podman_service.socket_path), podman_service.socket_path
    work = tmp_path_factory.mktemp(f"everyop-{podman_service.name}")
    context = busybox_context()
    (work / "context.tar").write_bytes(context)
    with tarfile.open(work / "context.tar") as tar:
        tar.extractall(work, filter="tar")
    server, url = serve(context)
    try:
        with (
            busybox_image(podman_service, "everyop") as image,
            PodmanClient(podman_service.url, timeout=120) as client,
        ):
            archive = work / "image.tar"
            archive.write_bytes(
                image_get_libpod.sync_detailed(
                    image, client=client.api, format_="docker-archive"
                ).content
            )
            live = Live(
                api=client.api,
                service=podman_service,
                registry=registry,
                image=image,
                context_url=url,
                context_dir=work,
                archive_path=archive,
                tag=uuid.uuid4().hex[:8],
            )
            found = run_pass(live)
            report_time(request.config, f"{podman_service.name}: every operation", found.seconds)
            yield found
    finally:
        server.shutdown()
        server.server_close()


def test_every_operation_is_called_or_has_a_reason(live_pass: Pass) -> None:
    gaps = sorted(key for key, cell in live_pass.cells.items() if cell == GAP)
    assert not gaps, f"{live_pass.major}: neither called nor a reason in reasons.toml: {gaps}"


def test_every_call_answers_its_success_type(live_pass: Pass) -> None:
    problems = "\n".join(f"{key}: {why}" for key, why in sorted(live_pass.failures.items()))
    assert not live_pass.failures, f"{live_pass.major}:\n{problems}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_committed_table_is_what_the_pass_found(live_pass: Pass, kind: str) -> None:
    ops = operations()
    text = TABLE_FILE.read_text()
    if os.environ.get("PODMAN_SDK_WRITE_TABLE") == "1":
        text = merged(text, kind, ops, live_pass.major, live_pass.cells)
        TABLE_FILE.write_text(text)
    committed = read_column(text, kind, live_pass.major)
    table = render(kind, ops, {live_pass.major: live_pass.cells})
    marked = f"{BEGIN.format(kind=kind)}\n{table}\n{END.format(kind=kind)}"
    wanted = read_column(marked, kind, live_pass.major)
    if committed != wanted:
        diff = difflib.unified_diff(
            [f"{key}: {cell}" for key, cell in committed.items()],
            [f"{key}: {cell}" for key, cell in wanted.items()],
            f"{TABLE_FILE.name} ({live_pass.major})",
            "this run",
            lineterm="",
        )
        pytest.fail(
            f"{TABLE_FILE.name}'s {kind} table disagrees with the live run on "
            f"{live_pass.major} (PODMAN_SDK_WRITE_TABLE=1 rewrites it):\n" + "\n".join(diff)
        )
