"""Generate every pinned Podman release and check each tree, and the facade against it.

    python scripts/check_releases.py [v4.3.1 ...]      (make check-releases)

For each release (default: all of spec/versions.toml), in a temporary directory:
generate (which fails on any generator warning, skipped operation, name collision or
module that does not import), count endpoint modules against the spec's operations,
run `mypy --strict` over the tree, and `mypy --strict` over facade/podman_sdk with that
tree in place of the committed one. Prints one line per release; exit 0 only when every
release passes every check.

Without releases named, it also rebuilds every pinned spec from its source and compares
the package generated from those files with the one from the handed-over files, byte for
byte (from_source), and runs docs/regenerating.md's steps for adding a release, for a
release pinned from source only (maintainer_path).

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

import from_source
import maintainer_path
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
    r'(?: for "(?P<model>\w+)")?'
)
MISSING_MODEL = re.compile(
    r'^(?P<where>.+?:\d+): error: Module "libpod_client\.models" has no attribute "(?P<model>\w+)"'
)
INCOMPATIBLE_ARGUMENT = re.compile(
    r'^(?P<where>(?P<file>.+?):(?P<line>\d+)): error: Argument "(?P<keyword>\w+)" has incompatible type'
)
ANY_ERROR = re.compile(r"^(?P<where>(?P<file>.+?):(?P<line>\d+)): error: ")
CALLED_ENDPOINT = re.compile(r"\b(?P<name>\w+)\.request_kwargs\(")
DEFINED_IN = re.compile(
    r'^(?P<where>.+?:\d+): note: .*defined in "(?P<module>libpod_client\.api\.[\w.]+)"'
)


@dataclass(frozen=True)
class ApiDifference:
    """A facade call passing a parameter that the release's operation does not have and
    the default release's does, or a model the default release defines and this one does
    not (``keyword`` is then the model's name and ``module`` libpod_client.models): a
    genuine difference between the two APIs."""

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
        missing = MISSING_MODEL.match(line)
        if (
            missing
            and _has_model(default_root, missing["model"])
            and not _has_model(release_root, missing["model"])
        ):
            where, model = missing["where"], missing["model"]
            differences.append(ApiDifference(where, model, "libpod_client.models"))
            continue
        retyped = INCOMPATIBLE_ARGUMENT.match(line)
        module = _called_endpoint(retyped, default_root) if retyped else None
        if (
            retyped
            and module
            and _parameter_type(default_root, module, retyped["keyword"])
            != (_parameter_type(release_root, module, retyped["keyword"]))
        ):
            differences.append(ApiDifference(retyped["where"], retyped["keyword"], module))
            continue
        located = ANY_ERROR.match(line)
        module = _called_endpoint(located, default_root) if located else None
        if (
            located
            and module
            and _path_parameters(default_root, module) != _path_parameters(release_root, module)
        ):
            # The release documents the operation with other path parameters (Podman
            # 4.3.1's manifest create takes its name in the query): every error of the
            # call is that one difference.
            where = located["where"]
            moved = ApiDifference(
                where, "path parameters " + _path_parameters(default_root, module), module
            )
            if not any((d.module, d.keyword) == (module, moved.keyword) for d in differences):
                differences.append(moved)
            continue
        found = UNEXPECTED_KEYWORD.match(line)
        if found and found["model"] and _model_field_only_in(default_root, release_root, found):
            differences.append(ApiDifference(found["where"], found["keyword"], found["model"]))
            continue
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


def _called_endpoint(error: re.Match[str], default_root: Path) -> str | None:
    """The endpoint module whose ``request_kwargs`` the erroring call of the facade makes:
    the nearest ``<name>.request_kwargs(`` at or above the error's line."""
    source = Path(error["file"])
    if not source.is_absolute():
        source = ROOT / source
    if not source.exists():
        return None
    lines = source.read_text(encoding="utf-8").splitlines()
    for number in range(int(error["line"]) - 1, max(int(error["line"]) - 6, -1), -1):
        called = CALLED_ENDPOINT.search(lines[number])
        if called:
            found = sorted((default_root / "libpod_client" / "api").glob(f"*/{called['name']}.py"))
            if found:
                tag = found[0].parent.name
                return f"libpod_client.api.{tag}.{called['name']}"
    return None


def _path_parameters(root: Path, module: str) -> str:
    """The positional (path) parameters of the module's ``_get_kwargs``, as ``(a, b)``;
    ``-`` for a module the tree lacks."""
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists():
        return "-"
    found = re.search(
        r"^def _get_kwargs\((?P<head>.*?)(?:\*,|\))", path.read_text(), re.DOTALL | re.MULTILINE
    )
    names = re.findall(r"(\w+):", found["head"]) if found else []
    return f"({', '.join(names)})"


def _parameter_type(root: Path, module: str, keyword: str) -> str | None:
    """The annotation of ``keyword`` in the module's ``_get_kwargs`` (None: no such)."""
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists():
        return None
    found = re.search(
        rf"^    {re.escape(keyword)}: (.+?)(?: = .*)?,$", path.read_text(), re.MULTILINE
    )
    return found.group(1) if found else None


def _model_takes(root: Path, model: str, keyword: str) -> bool:
    """Whether the model class ``model`` of the tree at ``root`` has the field ``keyword``."""
    for path in (root / "libpod_client" / "models").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if f"\nclass {model}:" in text:
            return re.search(rf"^    {re.escape(keyword)}: ", text, re.MULTILINE) is not None
    return False


def _model_field_only_in(default_root: Path, release_root: Path, found: re.Match[str]) -> bool:
    """A model field the default release has and this release's model lacks."""
    model, keyword = found["model"], found["keyword"]
    return _model_takes(default_root, model, keyword) and not _model_takes(
        release_root, model, keyword
    )


def _has_model(root: Path, name: str) -> bool:
    """Whether the tree at ``root`` exports the model ``name`` from libpod_client.models."""
    index = root / "libpod_client" / "models" / "__init__.py"
    return bool(re.search(rf"\b{name}\b", index.read_text(encoding="utf-8")))


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


def print_report(report: ReleaseReport, seconds: float) -> None:
    print(f"{report.line()} ({seconds:.0f} s)", flush=True)
    for line in report.generated_mypy[:30]:
        print(f"    generated: {line}")
    for difference in report.api_differences:
        print(f"    API difference: {difference.line().replace(str(FACADE) + '/', 'facade/')}")
    for line in report.facade_errors[:30]:
        print(f"    facade: {line.replace(str(FACADE) + '/', 'facade/')}")
    if report.error is None and report.operations != report.endpoints:
        print(f"    {report.operations - report.endpoints} operations have no endpoint module")


def check_from_source(versions: list[str], work: Path) -> list[str]:
    """Each release checked with the handed-over files, and, where there is one, its
    package generated again from specs rebuilt from source and compared byte for byte
    (from_source). Returns the releases that failed."""
    failed = []
    rebuilt, handed_over = work / "rebuilt", work / "handed-over"
    try:
        for version, seconds in from_source.rebuild_mirror(rebuilt).items():
            print(f"{version}: spec rebuilt from source, the pinned canonical sha256 "
                  f"({seconds:.0f} s)", flush=True)  # fmt: skip
    except from_source.FAILURES as exc:
        print(f"rebuilding the specs from source FAILED: {exc}", flush=True)
        return ["from source"]
    from_source.handed_over_mirror(rebuilt, handed_over)
    pins = load_pins()[1]
    for version in versions:
        started = time.monotonic()
        with from_source.spec_mirror(handed_over):
            report = check_release(version, work / version / "handed-over")
        print_report(report, time.monotonic() - started)
        if not report.ok:
            failed.append(version)
            continue
        if pins[version].sha256 is None:
            continue  # no handed-over file to compare with
        try:
            comparison = from_source.compare_release(
                version, work / version / "handed-over", rebuilt, work / version / "rebuilt"
            )
        except from_source.FAILURES as exc:
            print(f"{version} from source: FAILED to generate: {exc}", flush=True)
            failed.append(f"{version} from source")
            continue
        print(comparison.line(), flush=True)
        if comparison.differences:
            failed.append(f"{version} from source")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="releases to check (default: all pinned)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    versions = args.versions or sorted(load_pins()[1])
    failed = []
    with tempfile.TemporaryDirectory(prefix="check-releases-") as tmp:
        if args.versions:
            for version in versions:
                began = time.monotonic()
                report = check_release(version, Path(tmp) / version)
                print_report(report, time.monotonic() - began)
                failed += [] if report.ok else [version]
        else:
            failed += check_from_source(versions, Path(tmp))
    if not args.versions:
        tag = maintainer_path.source_only_release()
        if tag is not None:
            print(f"maintainer's path ({maintainer_path.GUIDE.name}) for {tag}:", flush=True)
            if maintainer_path.main([tag]) != 0:
                failed.append(f"maintainer's path for {tag}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(versions)} releases pass ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
