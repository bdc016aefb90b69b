"""Run podman-py 5.8.0's own integration tests, with podman-py or with podman_sdk.

podman-py's source tarball is read at test time, never copied into the project. Each
run gets a ``podman`` package directory of its own, put first on ``sys.path`` by pytest
(the test files are collected through it):

- ``podman-py``: every entry of the installed podman-py 5.8.0 linked in, plus ``tests``
  linked to the tarball's ``podman/tests`` (the installed wheel's ``tests`` lacks the
  integration tests);
- ``podman_sdk``: the shim (:mod:`tests.compat.shim`), plus the same ``tests`` link.

So the tests' helpers (``podman.tests.utils``, ``podman.tests.integration.base``) are
podman-py's own in both runs, and only the client classes differ.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.compat.shim import write_shim

REPO = Path(__file__).resolve().parents[2]
TARBALL = REPO.parent / "shared" / "podman-py" / "podman-py-v5.8.0.tar.xz"
INTEGRATION = Path("podman", "tests", "integration")
CLIENTS = ("podman-py", "podman_sdk")
# A test here takes seconds. podman-py's ssh adapter waits 300 s for a tunnel whose ssh
# has already failed (test_ssh_ping, no sshd here): a bound keeps that from costing
# minutes per run.
TEST_TIMEOUT = 60
RUN_TIMEOUT = 3600


def tarball() -> Path:
    """The podman-py 5.8.0 source tarball in the shared data beside the checkout."""
    if not TARBALL.is_file():
        raise FileNotFoundError(f"podman-py's source tarball is missing: {TARBALL}")
    return TARBALL


def extract(destination: Path) -> Path:
    """Extract the tarball below ``destination``; return the source tree's root."""
    with tarfile.open(tarball()) as tar:
        tar.extractall(destination, filter="data")
    (root,) = destination.iterdir()
    return root


def integration_files(tree: Path) -> list[str]:
    """The integration test files' names, sorted (``test_images.py``, ...)."""
    return sorted(path.name for path in (tree / INTEGRATION).glob("test_*.py"))


def declared_tests(tree: Path) -> set[str]:
    """Every ``file::Class::test`` that podman-py's integration files define."""
    found: set[str] = set()
    for path in sorted((tree / INTEGRATION).glob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                found.update(
                    f"{path.name}::{node.name}::{item.name}"
                    for item in node.body
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")
                )
    return found


def installed_podman_py() -> Path:
    """The installed podman-py package's directory (never a shim: looked up here)."""
    spec = importlib.util.find_spec("podman")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("podman-py (podman==5.8.0) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def write_package(client: str, tree: Path, directory: Path) -> Path:
    """The ``podman`` package for ``client`` below ``directory``; return ``directory``."""
    package = directory / "podman"
    package.mkdir(parents=True)
    if client == "podman-py":
        for entry in installed_podman_py().iterdir():
            if entry.name not in ("tests", "__pycache__"):
                (package / entry.name).symlink_to(entry)
    elif client == "podman_sdk":
        write_shim(package)
    else:
        raise ValueError(f"unknown client {client!r}; known {CLIENTS}")
    (package / "tests").symlink_to(tree / "podman" / "tests", target_is_directory=True)
    # An ini of its own: the project's pytest settings must not apply to podman-py's tests.
    (directory / "pytest.ini").write_text("[pytest]\n")
    return directory


@dataclass
class FileResult:
    """One test file's outcome: test ids by result, plus errors outside any test."""

    passed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # test id -> first message line
    skipped: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def account_for(self, tests: set[str]) -> None:
        """Count each of ``tests`` that was never reported (its file did not import) as
        failed, with the file's error."""
        reported = {*self.passed, *self.failed, *self.skipped}
        for test in sorted(tests - reported):
            self.failed[test] = "not run: " + ("; ".join(self.errors) or "no report")

    def counts(self) -> dict[str, int]:
        return {
            "passed": len(self.passed),
            "failed": len(self.failed),
            "skipped": len(self.skipped),
        }


@dataclass
class SuiteResult:
    client: str
    seconds: float
    exit_status: int
    files: dict[str, FileResult]
    output_tail: str

    def outcome(self, test_id: str) -> str:
        """ "passed", "failed", "skipped" or "absent" (not run, e.g. a collection error)."""
        result = self.files.get(test_id.split("::", 1)[0])
        if result is None:
            return "absent"
        if test_id in result.passed:
            return "passed"
        if test_id in result.failed:
            return "failed"
        if test_id in result.skipped:
            return "skipped"
        return "absent"

    def message(self, test_id: str) -> str:
        result = self.files.get(test_id.split("::", 1)[0], FileResult())
        return result.failed.get(test_id) or result.skipped.get(test_id) or "; ".join(result.errors)

    def passed(self) -> set[str]:
        return {test for result in self.files.values() for test in result.passed}

    def to_json(self) -> dict[str, object]:
        return {
            "client": self.client,
            "seconds": round(self.seconds, 1),
            "exit_status": self.exit_status,
            "files": {
                name: {
                    **result.counts(),
                    "passed_tests": result.passed,
                    "failed_tests": result.failed,
                    "skipped_tests": result.skipped,
                    "errors": result.errors,
                }
                for name, result in sorted(self.files.items())
            },
        }


def first_line(text: str | None) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[0].strip()[:300] if lines else ""


def parse_junit(path: Path, files: list[str]) -> dict[str, FileResult]:
    """Per file, the outcome of each test in pytest's JUnit XML.

    A test id is ``file::Class::test``. A test reported more than once (a unittest
    subTest that failed, then the test itself) fails if any report failed.
    """
    results = {name: FileResult() for name in files}
    for case in ET.parse(path).getroot().iter("testcase"):
        file = Path(case.get("file", "")).name
        if file not in results:
            raise ValueError(f"JUnit report names an unknown test file: {case.attrib}")
        classname = case.get("classname", "")
        if not classname:  # a collection error: pytest names the module, not a test
            problem = case.find("error")
            message = problem.get("message", "") if problem is not None else ""
            detail = (
                first_line((problem.text or "").split("\nE ", 1)[-1]) if problem is not None else ""
            )
            results[file].errors.append(f"{message}: {detail}" if detail else message)
            continue
        cls, name = classname.rpartition(".")[2], case.get("name", "")
        result = results[file]
        test_id = f"{file}::{cls}::{name}"
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        skip = case.find("skipped")
        if problem is not None:
            # The first report is the test's own; a failing tearDown reports after it.
            message = first_line(problem.get("message")) or first_line(problem.text)
            result.failed.setdefault(test_id, message)
            if test_id in result.passed:
                result.passed.remove(test_id)
            result.skipped.pop(test_id, None)
        elif skip is not None:
            if test_id not in result.failed and test_id not in result.passed:
                result.skipped[test_id] = first_line(skip.get("message"))
        elif test_id not in result.failed and test_id not in result.passed:
            result.skipped.pop(test_id, None)
            result.passed.append(test_id)
    return results


def run_suite(
    client: str, tree: Path, workdir: Path, env: dict[str, str], files: list[str] | None = None
) -> SuiteResult:
    """Run the integration tests (all files, or ``files``) for ``client``.

    pytest runs in a subprocess of its own, in ``env`` (:func:`offline.run_environment`),
    with the package of :func:`write_package` first on its path.
    """
    chosen = files or integration_files(tree)
    package_dir = write_package(client, tree, workdir / "package")
    junit = workdir / "junit.xml"
    tests = [str(package_dir / INTEGRATION / name) for name in chosen]
    argv = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
        "-c", str(package_dir / "pytest.ini"), "--rootdir", str(package_dir),
        f"--junitxml={junit}", "-o", "junit_family=xunit1",
        "--timeout", str(TEST_TIMEOUT), "--continue-on-collection-errors",
        "-q", "-rN", "--no-header", *tests,
    ]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.run(
        argv,
        cwd=package_dir,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    seconds = time.monotonic() - started
    output = (proc.stdout + proc.stderr)[-4000:]
    if not junit.is_file():
        raise RuntimeError(f"{client}: pytest wrote no report ({proc.returncode}):\n{output}")
    results = parse_junit(junit, chosen)
    declared = declared_tests(tree)
    for name, result in results.items():
        result.account_for({test for test in declared if test.startswith(f"{name}::")})
    return SuiteResult(client, seconds, proc.returncode, results, output)
