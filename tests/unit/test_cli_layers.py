"""``images pull``'s byte bar per layer (Podman 6's pullProgress) with CliRunner on a
mock stream, and `LayerBars` drawing on a terminal and off one."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from click.testing import Result
from podman_sdk import LayerProgress
from podman_sdk._cli import cli
from podman_sdk._cli.connect import Settings
from podman_sdk._cli.layers import LayerBars

from tests.harness.click_runner import cli_runner
from tests.unit.test_layer_progress import CONFIG, EXPECTED, LAYER, V6_VALUES
from tests.unit.test_progress import IMAGE_ID, PULL_VALUES, body

URL = "http://podman.test"
LAYER_LINE = "Copying blob " + LAYER[7:19]
CONFIG_LINE = "Copying blob " + CONFIG[7:19]


class Service:
    """A service of libpod API ``version`` answering a pull with ``values``."""

    def __init__(self, version: str, values: list[dict[str, object]]) -> None:
        self.version = version
        self.values = values
        self.pulls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path in ("/_ping", "/libpod/_ping"):
            return httpx.Response(200, text="OK", headers={"Libpod-Api-Version": self.version})
        if path == f"/v{self.version}/libpod/images/pull":
            self.pulls.append(request)
            return httpx.Response(200, content=body(self.values))
        if path == f"/v{self.version}/libpod/images/{IMAGE_ID}/json":
            return httpx.Response(200, json={"Id": IMAGE_ID, "RepoTags": ["r.example/app:1"]})
        raise AssertionError(f"unexpected {request.method} {request.url}")

    def pull(self, *args: str) -> Result:
        settings = Settings(transport=httpx.MockTransport(self))
        return cli_runner().invoke(cli, ["--url", URL, "images", "pull", *args], obj=settings)


def test_pull_from_podman_6_draws_a_bar_per_layer() -> None:
    service = Service("6.0.0-rc1", V6_VALUES)
    result = service.pull("r.example/app:1")
    assert result.exit_code == 0, result.output
    assert result.stdout == IMAGE_ID + "\n"
    assert service.pulls[0].url.params["pullProgress"] == "true"
    lines = result.stderr.splitlines()
    # Off a terminal each layer writes its final line once; the log lines stay, and the
    # progress events' own "stream" texts ("Pulling artifact") are no log lines.
    assert lines[:2] == ["Trying to pull r.example/ns/app:v1...", LAYER_LINE]
    assert lines[2].startswith(LAYER_LINE + " [########################] 100%  2.0 KiB / 2.0 KiB")
    assert lines[3] == CONFIG_LINE + " skipped: already exists"
    assert len(lines) == 4
    assert "artifact" not in result.stderr


def test_pull_from_podman_4_is_unchanged() -> None:
    service = Service("4.3.1", PULL_VALUES)
    result = service.pull("r.example/app:1")
    assert result.exit_code == 0, result.output
    assert "pullProgress" not in service.pulls[0].url.params
    assert result.stderr.splitlines() == [
        "Trying to pull 127.0.0.1:5000/ns/app:v1...",
        "Copying blob sha256:4276d823fb9c",
        'héllo 日本 🚀 } { "quoted"',
    ]


def test_quiet_pull_shows_neither_lines_nor_bars() -> None:
    result = Service("6.0.0-rc1", V6_VALUES).pull("-q", "r.example/app:1")
    assert (result.exit_code, result.stderr) == (0, "")


def test_json_pull_prints_the_images() -> None:
    result = Service("6.0.0-rc1", V6_VALUES).pull("r.example/app:1")
    settings = Settings(transport=httpx.MockTransport(Service("6.0.0-rc1", V6_VALUES)))
    as_json = cli_runner().invoke(cli, ["--url", URL, "--json", "images", "pull", "r.example/app:1"],
                                 obj=settings)  # fmt: skip
    assert result.exit_code == as_json.exit_code == 0
    assert json.loads(as_json.stdout) == [{"Id": IMAGE_ID, "RepoTags": ["r.example/app:1"]}]


def test_bars_on_a_terminal_redraw_in_place_below_the_log() -> None:
    ticks = iter(float(n) for n in range(100))
    out = io.StringIO()
    bars = LayerBars(stream=out, live=True, clock=lambda: next(ticks))
    first, half, done, skipped, _ = EXPECTED
    bars.update(first)
    bars.update(half)
    bars.update(skipped)
    bars.note("Writing manifest to image destination")
    bars.update(done)
    text = out.getvalue()
    # Each redraw goes back up over the bars drawn before it: one bar (twice), then two.
    assert text.count("\x1b[1A") == 2
    assert text.count("\x1b[2A") == 2
    # The note lands above both bars; the last frame shows both ended.
    last = text.rsplit("\x1b[2A", 1)[1]
    assert [line.removeprefix("\r").removesuffix("\x1b[K") for line in last.split("\n")] == [
        LAYER_LINE + " [########################] 100%  2.0 KiB / 2.0 KiB  " + rate(last),
        CONFIG_LINE + " skipped: already exists",
        "",
    ]
    assert "\rWriting manifest to image destination\x1b[K\n" in text


def rate(frame: str) -> str:
    return frame.split("2.0 KiB / 2.0 KiB  ", 1)[1].split("\x1b[K", 1)[0]


@pytest.mark.parametrize("total", [-1, 0])
def test_a_layer_of_unknown_size_shows_bytes_without_a_bar(total: int) -> None:
    out = io.StringIO()
    bars = LayerBars(stream=out, live=False, clock=lambda: 1.0)
    layer: LayerProgress = {
        "status": "success",
        "current": 3072,
        "total": total,
        "progressComponentID": "",
    }
    bars.update(layer)
    assert out.getvalue().startswith("Copying blob (unknown) 3.0 KiB ")
    bars.update(layer)  # an ended layer writes its line once
    assert out.getvalue().count("\n") == 1
