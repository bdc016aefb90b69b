"""`make bench`: run every benchmark, print each figure as a ratio against its reference
measured in the same run, and write them all as one Markdown table (with the date, the
machine and each figure's bar) to docs/benchmarks.md. Exit 1 if any misses its bar.

    .venv/bin/python -m tests.bench [--quick] [--out PATH] [NAME ...]

Names: see `REGISTRY`. ``--quick`` runs fewer rounds (a smoke run: the medians are
noisier, the table says so). A benchmark module exposes ``run(**options) -> list[Ratio]``;
adding one is adding a `Bench` line. A module that does not exist yet (the container
figures) is listed as not run; one that fails is listed with its error, and the others
still run.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.machine import describe_machine
from tests.bench.report import Ratio

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "docs" / "benchmarks.md"


@dataclass(frozen=True)
class Bench:
    """One benchmark module: what it measures, and ``run``'s options in each mode."""

    name: str
    module: str
    what: str
    full: dict[str, int] = field(default_factory=dict)
    quick: dict[str, int] = field(default_factory=dict)


REGISTRY = (
    Bench("startup", "tests.bench.bench_startup", "start-up: import, connect, list images",
          {"runs": 31}, {"runs": 11}),
    Bench("parse", "tests.bench.bench_parse", "typed parsing against json.loads"),
    Bench("streams", "tests.bench.bench_streams", "logs, events, container export 1 GiB",
          {"runs": 3}, {"runs": 2}),
    Bench("save_load", "tests.bench.bench_save_load", "save and load, 1 GiB",
          {"runs": 5}, {"runs": 2}),
    Bench("pull_push", "tests.bench.bench_pull_push", "pull and push, local registry",
          {"runs": 6}, {"runs": 2}),
    Bench("build", "tests.bench.bench_build", "build", {"runs": 4}, {"runs": 2}),
    # Its first run captures the answers of a store of 1000 images (minutes), then replays.
    Bench("list_get", "tests.bench.bench_list_get", "list and get against a replay server"),
    Bench("containers", "tests.bench.bench_containers", "containers"),
    Bench("domains", "tests.bench.bench_domains", "volumes, networks and pods list, 200 objects"),
    Bench("events", "tests.bench.bench_events", "events(decode=True) at 1,000/s, memory"),
)  # fmt: skip


@dataclass
class Outcome:
    bench: Bench
    results: list[Ratio] = field(default_factory=list)
    problem: str | None = None  # why it has no figures
    seconds: float = 0.0


def run_bench(bench: Bench, quick: bool) -> Outcome:
    outcome = Outcome(bench)
    if importlib.util.find_spec(bench.module) is None:
        outcome.problem = "not run: the module does not exist yet"
        return outcome
    started = time.monotonic()
    try:
        module = importlib.import_module(bench.module)
        outcome.results = module.run(**(bench.quick if quick else bench.full))
    except Exception as exc:  # one broken figure must not lose the table
        traceback.print_exc()
        outcome.problem = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    outcome.seconds = time.monotonic() - started
    return outcome


def markdown(outcomes: list[Outcome], quick: bool, started: datetime, seconds: float) -> str:
    """The table of every figure, with the date, the machine and how long it took."""
    met = sum(result.met for outcome in outcomes for result in outcome.results)
    total = sum(len(outcome.results) for outcome in outcomes)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (tests/bench/). Each figure is a ratio against a reference",
        "measured in the same run (medians of interleaved rounds); the bar is what the ratio",
        "must reach. A transfer's bar is on its body rate after the first byte, which is what",
        "the client controls; its end-to-end rate and CPU are given for information.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; took {seconds / 60:.1f} min"
        + (" (quick mode: fewer rounds, noisier medians)" if quick else ""),
        *(f"- {line}" for line in describe_machine()),
        f"- {met} of {total} figures meet their bar",
        "",
        "| Group | Figure | Ours | Reference | Ratio | Bar | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        group = outcome.bench.name
        if outcome.problem:
            lines.append(f"| {group} | {outcome.bench.what} | | | | | {outcome.problem} |")
        for result in outcome.results:
            verdict = "info" if result.bar is None else ("pass" if result.met else "**FAIL**")
            lines.append(
                f"| {group} | {result.name} | {result.measured:.3f} {result.unit} "
                f"| {result.reference:.3f} {result.unit} | {result.ratio:.2f} "
                f"| {result.bar_text} | {verdict} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    known = [bench.name for bench in REGISTRY]
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"of {', '.join(known)}")
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown table")
    options = parser.parse_args(argv)
    unknown = [name for name in options.names if name not in known]
    if unknown:
        parser.error(f"unknown benchmark {unknown}; known: {', '.join(known)}")
    chosen = [bench for bench in REGISTRY if not options.names or bench.name in options.names]
    started, clock = datetime.now(UTC), time.monotonic()
    outcomes = [Outcome(bench, problem="not run yet (the run was stopped)") for bench in chosen]
    options.out.parent.mkdir(parents=True, exist_ok=True)
    for index, bench in enumerate(chosen):
        print(f"== {bench.name}", flush=True)
        outcome = outcomes[index] = run_bench(bench, options.quick)
        for result in outcome.results:
            print(result.line(), flush=True)
        if outcome.problem:
            print(f"{bench.name}: {outcome.problem}", flush=True)
        print(f"   ({outcome.seconds:.0f} s)", flush=True)
        # After each module, so a run stopped halfway still leaves its figures.
        seconds = time.monotonic() - clock
        options.out.write_text(markdown(outcomes, options.quick, started, seconds))
    missed = [r for outcome in outcomes for r in outcome.results if not r.met]
    failed = [outcome for outcome in outcomes if outcome.problem and "failed" in outcome.problem]
    seconds = time.monotonic() - clock
    total = sum(len(outcome.results) for outcome in outcomes)
    print(f"\n{total - len(missed)} of {total} figures meet their bar; {seconds / 60:.1f} min")
    print(f"table written to {options.out}")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
