"""`make bench`'s table (tests/bench/__main__.py): every figure with its bar and result,
a module that does not exist listed as not run, and a failing one as failed. No timing."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.bench.__main__ import REGISTRY, Bench, Outcome, markdown, run_bench
from tests.bench.report import Ratio


def test_the_table_gives_each_figure_its_bar_and_result() -> None:
    bench = Bench("streams", "tests.bench.bench_streams", "streams")
    outcome = Outcome(
        bench,
        [
            Ratio("body rate vs curl", 990.0, 1000.0, "MiB/s", 0.95, True),
            Ratio("start-up vs podman-py", 120.0, 100.0, "ms", 0.85, False),
            Ratio("end to end vs curl", 500.0, 1000.0, "MiB/s", None, True),
        ],
    )
    table = markdown([outcome], False, datetime(2026, 12, 7, 20, 0, tzinfo=UTC), 600.0)
    rows = [line for line in table.splitlines() if line.startswith("| streams")]
    assert rows[0].endswith("| 0.99 | >= 0.95 | pass |")
    assert rows[1].endswith("| 1.20 | <= 0.85 | **FAIL** |")
    assert rows[2].endswith("| 0.50 | information | info |")
    assert "2026-12-07 20:00 UTC; took 10.0 min" in table
    assert "- 2 of 3 figures meet their bar" in table


def test_a_module_that_does_not_exist_yet_is_listed_as_not_run() -> None:
    outcome = run_bench(Bench("containers", "tests.bench.bench_no_such_module", "c"), False)
    assert outcome.results == []
    assert outcome.problem is not None
    assert outcome.problem.startswith("not run")


def test_a_module_that_fails_is_listed_with_its_error() -> None:
    outcome = run_bench(Bench("broken", "tests.bench.report", "no run()"), False)
    assert outcome.problem is not None
    assert outcome.problem.startswith("failed: AttributeError")


def test_every_figure_the_issue_names_has_a_module() -> None:
    names = {bench.name for bench in REGISTRY}
    assert names >= {"startup", "list_get", "parse", "save_load", "pull_push", "build", "streams"}
    assert "containers" in names
