"""podman-py 5.8.0's integration tests, run with podman-py and with podman_sdk, per major.

The rule: every test that passes with podman-py on a service passes with podman_sdk on
the same service, except the tests in differences.toml; and no entry there is stale
(a listed test that podman_sdk passes fails the suite too).

Per major, one registry and one import of images serve both runs; each run has a fresh
store. The results, per file and per client, go to ``results-<major>.json`` in the
test's temporary directory, and a summary table to the run's output.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.compat import differences, offline
from tests.compat.majors import prepare
from tests.compat.podman_py_suite import CLIENTS, SuiteResult, declared_tests, extract, run_suite
from tests.compat.shim import missing_names
from tests.conftest import selected_services, unavailable
from tests.harness.mounts import claim, remove_stale, remove_tree
from tests.harness.registry import Registry

# podman-py's launcher runs a `podman` command: tests.compat.majors makes one per major.
COMPAT_MAJORS = ("podman4", "podman5", "podman6")
PREFIX = "podman-sdk-compat-"
STATE_NAMES = {"podman-py": "py", "podman_sdk": "sdk"}

pytestmark = pytest.mark.live


def say(config: pytest.Config, text: str) -> None:
    """A line in the run's output, outside any test's captured output."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        for line in text.splitlines():
            reporter.write_line(line)


@pytest.fixture(scope="session")
def compat_dir() -> Iterator[Path]:
    """A short private directory (Podman refuses a runroot path over 50 characters)."""
    remove_stale(Path(tempfile.gettempdir()), PREFIX)
    path = Path(tempfile.mkdtemp(prefix=PREFIX))
    claim(path)
    yield path
    remove_tree(path)


@pytest.fixture(scope="session")
def podman_py_tree(compat_dir: Path) -> Path:
    try:
        return extract(compat_dir / "src")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        unavailable(f"podman-py's integration tests: {exc}")


@pytest.fixture(scope="session")
def published(request: pytest.FixtureRequest, compat_dir: Path, tls_registry: Registry) -> Registry:
    """The TLS registry, serving every image the tests pull (pushed once per session)."""
    try:
        seconds = offline.publish_images(compat_dir / "pub", tls_registry)
    except Exception as exc:
        unavailable(f"compat: publishing the busybox images failed: {exc}")
    say(request.config, f"compat: images imported and pushed in {seconds:.1f} s")
    return tls_registry


@dataclass
class CompatRun:
    major: str
    results: dict[str, SuiteResult]
    json_path: Path

    def outcome(self, client: str, test: str) -> str:
        return self.results[client].outcome(test)


def summary(run: CompatRun) -> str:
    """The per-file table printed after a major's runs."""
    head = f"{'file':28} " + " ".join(f"{client + ' p/f/s':>18}" for client in CLIENTS)
    lines = [f"compat {run.major}: podman-py's integration tests, passed/failed/skipped", head]
    totals = {client: [0, 0, 0] for client in CLIENTS}
    for file in sorted(run.results[CLIENTS[0]].files):
        cells = []
        for client in CLIENTS:
            counts = run.results[client].files[file].counts()
            values = [counts["passed"], counts["failed"], counts["skipped"]]
            totals[client] = [a + b for a, b in zip(totals[client], values, strict=True)]
            cells.append(f"{'/'.join(map(str, values)):>18}")
        lines.append(f"{file:28} " + " ".join(cells))
    lines.append(
        f"{'total':28} "
        + " ".join(f"{'/'.join(map(str, totals[client])):>18}" for client in CLIENTS)
    )
    reference = run.results["podman-py"]
    for outcomes in reference.files.values():
        lines += [f"  podman-py failed {test}: {why}" for test, why in outcomes.failed.items()]
    times = ", ".join(f"{c} {run.results[c].seconds:.0f} s" for c in CLIENTS)
    lines.append(f"compat {run.major}: {times}; results in {run.json_path}")
    return "\n".join(lines)


def compat_params() -> list[object]:
    return [
        pytest.param(name, id=name, marks=getattr(pytest.mark, name))
        for name in selected_services()
        if name in COMPAT_MAJORS
    ]


@pytest.fixture(scope="session", params=compat_params())
def compat_run(
    request: pytest.FixtureRequest,
    compat_dir: Path,
    podman_py_tree: Path,
    published: Registry,
    tmp_path_factory: pytest.TempPathFactory,
) -> CompatRun:
    """Both clients' runs of the whole integration suite on one major."""
    name: str = request.param
    if shutil.which("docker-registry") is None:
        unavailable("docker-registry is not installed")
    started = time.monotonic()
    results = {}
    # Paths stay short: see compat_dir.
    with ExitStack() as stack:
        try:
            major = stack.enter_context(prepare(name, compat_dir / name.removeprefix("podman")))
        except Exception as exc:
            unavailable(f"{name}: {exc}")
        for client in CLIENTS:
            state = major.state_base / STATE_NAMES[client]
            env = offline.run_environment(state, published, major.command.parent)
            if major.link is not None:
                env["TMPDIR"] = str(major.link / state.name / "tmp")
            try:
                results[client] = run_suite(
                    client, podman_py_tree, compat_dir / f"w{name[-1]}{STATE_NAMES[client]}", env
                )
            finally:
                offline.remove_store(state, env, str(major.command), major.service_path(state))
    json_path = tmp_path_factory.mktemp(f"compat-{name}") / f"results-{name}.json"
    run = CompatRun(name, results, json_path)
    json_path.write_text(
        json.dumps(
            {
                "major": name,
                "seconds": round(time.monotonic() - started, 1),
                "podman_sdk_lacks": missing_names(),
                "clients": {client: result.to_json() for client, result in results.items()},
            },
            indent=2,
        )
    )
    say(request.config, summary(run))
    return run


def test_podman_py_ran_every_test(compat_run: CompatRun, podman_py_tree: Path) -> None:
    """The reference run reached every test: a broken harness must not pass for a rule kept."""
    reference = compat_run.results["podman-py"]
    ran = {
        test
        for file in reference.files.values()
        for test in (*file.passed, *file.failed, *file.skipped)
    }
    errors = {name: file.errors for name, file in reference.files.items() if file.errors}
    assert not errors, f"podman-py's run had errors outside tests: {errors}"
    assert ran == declared_tests(podman_py_tree), reference.output_tail
    assert reference.passed(), reference.output_tail


def test_podman_sdk_passes_what_podman_py_passes(compat_run: CompatRun) -> None:
    listed = differences.for_major(differences.load(), compat_run.major)
    sdk = compat_run.results["podman_sdk"]
    unexplained = {
        test: f"{sdk.outcome(test)}: {sdk.message(test)}"
        for test in sorted(compat_run.results["podman-py"].passed())
        if sdk.outcome(test) != "passed" and test not in listed
    }
    assert not unexplained, (
        f"{len(unexplained)} tests pass with podman-py on {compat_run.major} but not with "
        f"podman_sdk, and differences.toml does not list them:\n"
        + "\n".join(f"  {test}: {why}" for test, why in unexplained.items())
    )


def test_no_stale_difference(compat_run: CompatRun) -> None:
    listed = differences.for_major(differences.load(), compat_run.major)
    stale = sorted(test for test in listed if compat_run.outcome("podman_sdk", test) == "passed")
    assert not stale, (
        f"podman_sdk now passes these listed tests on {compat_run.major}: drop their "
        f"entries from differences.toml (or their majors) and regenerate docs/compat.md: "
        f"{stale}"
    )
