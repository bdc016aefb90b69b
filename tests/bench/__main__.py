"""`make bench`: run every benchmark and print each figure as a ratio against its
reference measured in the same run. Exit 1 if any misses its bar.

    .venv/bin/python -m tests.bench [NAME ...]     (names: startup, list_get, save_load, pull_push, build, parse, streams, containers, domains)
"""

from __future__ import annotations

import importlib
import sys

from tests.bench.report import Ratio

# Each module exposes run() -> list[Ratio].
BENCHES = {
    "startup": "tests.bench.bench_startup",
    "list_get": "tests.bench.bench_list_get",
    "save_load": "tests.bench.bench_save_load",
    "pull_push": "tests.bench.bench_pull_push",
    "build": "tests.bench.bench_build",
    "parse": "tests.bench.bench_parse",
    "streams": "tests.bench.bench_streams",
    "containers": "tests.bench.bench_containers",
    "domains": "tests.bench.bench_domains",
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    unknown = [name for name in names if name not in BENCHES]
    if unknown:
        print(f"unknown benchmark {unknown}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    results: list[Ratio] = []
    for name in names:
        print(f"== {name}", flush=True)
        for result in importlib.import_module(BENCHES[name]).run():
            print(result.line(), flush=True)
            results.append(result)
    missed = [result for result in results if not result.met]
    print(f"\n{len(results) - len(missed)} of {len(results)} figures meet their bar")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
