"""The compatibility suite's own parts, without a service: the differences table and its
Markdown, the shim, and how pytest's reports are read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.compat import differences
from tests.compat.podman_py_suite import declared_tests, extract, parse_junit
from tests.compat.shim import NAMES, write_shim


@pytest.fixture(scope="module")
def podman_py_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract(tmp_path_factory.mktemp("podman-py"))


def test_podman_py_has_56_integration_tests_in_11_files(podman_py_tree: Path) -> None:
    tests = declared_tests(podman_py_tree)
    assert len(tests) == 56
    assert len({test.split("::")[0] for test in tests}) == 11


def test_docs_page_matches_the_table() -> None:
    assert differences.DOCS.read_text() == differences.render(differences.load()), (
        "docs/compat.md is out of date: run python -m tests.compat.differences"
    )


def test_every_entry_names_a_podman_py_test(podman_py_tree: Path) -> None:
    listed = {entry.test for entry in differences.load()}
    unknown = sorted(listed - declared_tests(podman_py_tree))
    assert not unknown


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "nope"\nreason = "r"\n',
         "category must be one of"),
        ('[[difference]]\ntest = "test_b"\ncategory = "host"\nreason = "r"\n',
         "test must be"),
        ('[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\nreason = " "\n',
         "a reason is required"),
        ('[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\nreason = "r"\n'
         'majors = ["podman3"]\n', "majors must be"),
        ('[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\nreason = "r"\n'
         '[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\nreason = "s"\n',
         "listed twice"),
        ('[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\nreason = "r"\n'
         'why = "x"\n', "unknown keys"),
    ],
)  # fmt: skip
def test_a_malformed_table_is_refused(text: str, problem: str) -> None:
    with pytest.raises(differences.TableError, match=problem):
        differences.parse(text)


def test_an_entry_applies_to_the_majors_it_names() -> None:
    entries = differences.parse(
        '[[difference]]\ntest = "test_a.py::A::test_b"\ncategory = "host"\n'
        'reason = """needs\n  cgroups"""\nmajors = ["podman4"]\n'
    )
    assert differences.for_major(entries, "podman4")["test_a.py::A::test_b"].reason == (
        "needs cgroups"
    )
    assert differences.for_major(entries, "podman6") == {}
    assert "| `test_a.py` `test_b` | `host` | 4 | needs cgroups |" in differences.render(entries)


def run_in_shim(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    write_shim(tmp_path / "podman")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_shim_serves_podman_sdk_classes_under_podman_py_names(tmp_path: Path) -> None:
    proc = run_in_shim(
        tmp_path,
        "import podman, podman_sdk\n"
        "from podman.errors import NotFound, APIError\n"
        "from podman.domain.images import Image\n"
        "assert podman.PodmanClient is podman_sdk.PodmanClient\n"
        "assert (NotFound, APIError, Image) == "
        "(podman_sdk.NotFound, podman_sdk.APIError, podman_sdk.Image)\n"
        "print(sorted(podman.__all__))\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(sorted(NAMES["podman"]))


def test_shim_names_what_podman_sdk_lacks_when_used(tmp_path: Path) -> None:
    proc = run_in_shim(
        tmp_path,
        "import podman._podman_sdk_shim as shim\n"
        "ns = {}\n"
        # A name podman_sdk lacks, standing for podman-py's NotFound.
        "shim.bind(ns, 'podman.errors', {'NotFound': 'NoSuchName'})\n"
        "try:\n"
        "    raise ns['NotFound']('x')\n"
        "except shim.MissingInPodmanSdk as exc:\n"
        "    print(exc)\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "podman_sdk lacks 'NoSuchName', which stands for podman-py's podman.errors.NotFound"
    )


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="podman.tests.integration.test_a.ATest" name="test_ok"
  file="podman/tests/integration/test_a.py" />
<testcase classname="podman.tests.integration.test_a.ATest" name="test_sub"
  file="podman/tests/integration/test_a.py">
  <failure message="AssertionError: 1 != 2">trace</failure></testcase>
<testcase classname="podman.tests.integration.test_a.ATest" name="test_sub"
  file="podman/tests/integration/test_a.py" />
<testcase classname="podman.tests.integration.test_a.ATest" name="test_skip"
  file="podman/tests/integration/test_a.py">
  <skipped message="needs Podman 5" /></testcase>
<testcase classname="" name="podman.tests.integration.test_b"
  file="podman/tests/integration/test_b.py"><error message="collection failure">ImportError
Traceback:
podman/tests/integration/test_b.py:1: in &lt;module&gt;
E   ImportError: cannot import name 'X' from 'podman.errors'</error></testcase>
</testsuite></testsuites>
"""


def test_junit_report_is_read_per_file_and_test(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT)
    results = parse_junit(report, ["test_a.py", "test_b.py"])
    a, b = results["test_a.py"], results["test_b.py"]
    assert a.passed == ["test_a.py::ATest::test_ok"]
    assert a.failed == {"test_a.py::ATest::test_sub": "AssertionError: 1 != 2"}
    assert a.skipped == {"test_a.py::ATest::test_skip": "needs Podman 5"}
    b.account_for({"test_b.py::BTest::test_one", "test_b.py::BTest::test_two"})
    assert b.counts() == {"passed": 0, "failed": 2, "skipped": 0}
    assert b.errors == [
        "collection failure: ImportError: cannot import name 'X' from 'podman.errors'"
    ]
