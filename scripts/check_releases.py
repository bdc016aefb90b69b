"""Generate every pinned Podman release and check each tree, and the facade against it.

    python scripts/check_releases.py [v4.3.1 ...]      (make check-releases)

For each release (default: all of spec/versions.toml), in a temporary directory:
generate (which fails on any generator warning, skipped operation, name collision or
module that does not import), count endpoint modules against the spec's operations,
run `mypy --strict` over the tree, and `mypy --strict` over facade/podman_sdk with that
tree in place of the committed one. Prints one line per release; exit 0 only when every
release passes every check.

The facade is written against the default release. Where an older release's API really
differs, the facade cannot type-check against it, and the spec must not be bent to hide
it: those errors are listed in KNOWN_FACADE_GAPS with the reason. Any other facade
error fails, and so does a listed gap that no longer occurs (the list must not go stale).
"""

from __future__ import annotations

import argparse
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
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class FacadeGap:
    """A mypy error the facade is known to have against one release's tree."""

    file: str
    message: str
    reason: str

    def matches(self, line: str) -> bool:
        return self.file in line and ": error: " in line and self.message in line


_V4_MODEL_NAMES = (
    "v4.3.1 names the models of GET /libpod/version and GET /libpod/info ComponentVersion "
    "and Info; the facade imports the names 5.x gives them (SystemComponentVersion, "
    "LibpodInfo), which the lazy models/__init__.py's __getattr__ types as object"
)
KNOWN_FACADE_GAPS: dict[str, tuple[FacadeGap, ...]] = {
    "v4.3.1": (
        FacadeGap(
            "podman_sdk/_images_registry.py",
            'Unexpected keyword argument "tls_verify" for "_get_kwargs"',
            "GET /libpod/manifests/{name}/json has no tlsVerify parameter in v4.3.1",
        ),
        FacadeGap("podman_sdk/_client.py", 'Need type annotation for "model"', _V4_MODEL_NAMES),
        FacadeGap(
            "podman_sdk/_client.py",
            'Argument 2 to "call" of "Session" has incompatible type "object"',
            _V4_MODEL_NAMES,
        ),
    ),
}


@dataclass
class ReleaseReport:
    version: str
    operations: int = 0
    endpoints: int = 0
    modules: int = 0
    error: str | None = None
    generated_mypy: list[str] = field(default_factory=list)
    facade_mypy: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.operations == self.endpoints
            and not self.generated_mypy
            and not unexpected_facade_errors(self)
            and not missing_facade_gaps(self)
        )

    def line(self) -> str:
        if self.error is not None:
            return f"{self.version}: FAILED to generate: {self.error.splitlines()[0]}"
        return (
            f"{self.version}: {self.operations} operations, {self.endpoints} endpoint modules, "
            f"0 warnings, 0 skipped, {self.modules} modules import; mypy --strict: "
            f"{len(self.generated_mypy)} errors; facade against it: "
            f"{len(facade_errors(self))} errors"
            + (
                f" ({len(facade_errors(self)) - len(unexpected_facade_errors(self))} of them "
                f"known API differences)"
                if KNOWN_FACADE_GAPS.get(self.version)
                else ""
            )
        )


def facade_errors(report: ReleaseReport) -> list[str]:
    return [line for line in report.facade_mypy if ": error: " in line]


def unexpected_facade_errors(report: ReleaseReport) -> list[str]:
    gaps = KNOWN_FACADE_GAPS.get(report.version, ())
    return [line for line in facade_errors(report) if not any(g.matches(line) for g in gaps)]


def missing_facade_gaps(report: ReleaseReport) -> list[FacadeGap]:
    """Listed gaps that did not occur: the facade or the spec changed; update the list."""
    lines = facade_errors(report)
    return [
        gap
        for gap in KNOWN_FACADE_GAPS.get(report.version, ())
        if not any(gap.matches(line) for line in lines)
    ]


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
        gaps = KNOWN_FACADE_GAPS.get(version, ())
        for line in report.facade_mypy[:30]:
            known = next((g for g in gaps if g.matches(line)), None)
            label = f"known API difference: {known.reason}" if known else "facade"
            print(f"    {label}: {line.replace(str(FACADE) + '/', 'facade/')}")
        for gap in missing_facade_gaps(report):
            print(f"    listed in KNOWN_FACADE_GAPS but did not occur: {gap.file}: {gap.message}")
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
