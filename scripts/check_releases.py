"""Generate every pinned Podman release and check each tree, and the facade against it.

    python scripts/check_releases.py [v4.3.1 ...]      (make check-releases)

For each release (default: all of spec/versions.toml), in a temporary directory:
generate (which fails on any generator warning, skipped operation, name collision or
module that does not import), count endpoint modules against the spec's operations,
run `mypy --strict` over the tree, and `mypy --strict` over facade/podman_sdk with that
tree in place of the committed one. Prints one line per release; exit 0 only when every
release passes every check.

The facade is written against the default release (the committed generated/ tree).
Where an older release's API really differs, the facade cannot type-check against it,
and the spec must not be bent to hide it: an error that is a facade call passing a
parameter the default release's operation has and this release's lacks is reported as
an API difference; any other facade error fails the run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generate import PACKAGE, GenerationError, generate
from generated_checks import CheckError, import_failures, mypy_errors
from spec_collisions import CollisionError
from spec_overrides import OverrideError
from spec_source import ROOT, SpecError, load_canonical, load_pins

FACADE = ROOT / "facade"
COMMITTED = ROOT / "generated"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


UNEXPECTED_KEYWORD = re.compile(
    r'^(?P<where>.+?:\d+): error: Unexpected keyword argument "(?P<keyword>\w+)"'
)
DEFINED_IN = re.compile(
    r'^(?P<where>.+?:\d+): note: .*defined in "(?P<module>libpod_client\.api\.[\w.]+)"'
)


@dataclass(frozen=True)
class ApiDifference:
    """A facade call passing a parameter that the release's operation does not have and
    the default release's does: a genuine difference between the two APIs."""

    where: str
    keyword: str
    module: str

    def line(self) -> str:
        return f"{self.where}: {self.module} has no {self.keyword!r} in this release"


def _takes_keyword(root: Path, module: str, keyword: str) -> bool:
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    return path.exists() and re.search(rf"\b{re.escape(keyword)}: ", path.read_text()) is not None


def classify_facade_errors(
    lines: list[str], release_root: Path, default_root: Path = COMMITTED
) -> tuple[list[ApiDifference], list[str]]:
    """Split the facade's mypy errors against a release's tree into API differences
    (an unexpected keyword that the default tree's function takes and this one's does
    not) and everything else."""
    modules = {m["where"]: m["module"] for line in lines if (m := DEFINED_IN.match(line))}
    differences, other = [], []
    for line in lines:
        if ": error: " not in line:
            continue
        found = UNEXPECTED_KEYWORD.match(line)
        module = modules.get(found["where"]) if found else None
        if (
            found
            and module
            and _takes_keyword(default_root, module, found["keyword"])
            and not _takes_keyword(release_root, module, found["keyword"])
        ):
            differences.append(ApiDifference(found["where"], found["keyword"], module))
        else:
            other.append(line)
    return differences, other


@dataclass
class ReleaseReport:
    version: str
    operations: int = 0
    endpoints: int = 0
    modules: int = 0
    error: str | None = None
    generated_mypy: list[str] = field(default_factory=list)
    facade_mypy: list[str] = field(default_factory=list)
    api_differences: list[ApiDifference] = field(default_factory=list)
    facade_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.operations == self.endpoints
            and not self.generated_mypy
            and not self.facade_errors
        )

    def line(self) -> str:
        if self.error is not None:
            return f"{self.version}: FAILED to generate: {self.error.splitlines()[0]}"
        return (
            f"{self.version}: {self.operations} operations, {self.endpoints} endpoint modules, "
            f"0 warnings, 0 skipped, {self.modules} modules import; mypy --strict: "
            f"{len(self.generated_mypy)} errors; facade against it: "
            f"{len(self.facade_errors)} errors, {len(self.api_differences)} API differences"
        )


def operation_count(version: str) -> int:
    spec = load_canonical(version)
    return sum(1 for item in spec["paths"].values() for method in item if method in HTTP_METHODS)


def check_release(version: str, out: Path) -> ReleaseReport:
    report = ReleaseReport(version, operations=operation_count(version))
    try:
        package = generate(version, out)
    except (GenerationError, SpecError, OverrideError, CollisionError, CheckError) as exc:
        report.error = str(exc)
        return report
    report.endpoints = sum(1 for p in (package / "api").rglob("*.py") if p.name != "__init__.py")
    report.modules, failures = import_failures(out)
    if failures:  # generate() already refuses this; kept so the report can never lie
        report.error = "; ".join(failures)
    report.generated_mypy = mypy_errors(out, [PACKAGE])
    report.facade_mypy = mypy_errors(out, ["podman_sdk"], (FACADE,))
    report.api_differences, report.facade_errors = classify_facade_errors(report.facade_mypy, out)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="releases to check (default: all pinned)")
    args = parser.parse_args(argv)
    versions = args.versions or sorted(load_pins()[1])
    reports = []
    for version in versions:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"libpod-{version}-") as tmp:
            report = check_release(version, Path(tmp))
        reports.append(report)
        print(f"{report.line()} ({time.monotonic() - started:.0f} s)", flush=True)
        for line in report.generated_mypy[:30]:
            print(f"    generated: {line}")
        for difference in report.api_differences:
            print(f"    API difference: {difference.line().replace(str(FACADE) + '/', 'facade/')}")
        for line in report.facade_errors[:30]:
            print(f"    facade: {line.replace(str(FACADE) + '/', 'facade/')}")
        if report.error is None and report.operations != report.endpoints:
            print(f"    {report.operations - report.endpoints} operations have no endpoint module")
    failed = [r.version for r in reports if not r.ok]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(reports)} releases pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
