"""Which pinned release has which operation and parameter: the data of libpod_client.releases.

    python scripts/release_table.py OPERATION_ID     prints the releases that have it

Read from each pinned release's canonical spec (what `canonical_sha256` pins), so the
table changes exactly when a release is pinned or its pin changes. An operation is the
spec's operationId; a parameter its name on the wire, for path, query and header
parameters (a body has no name a caller passes). Each set of releases is written as a
bit mask over the releases in order, oldest first.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import spec_source
from openapi_normalise import HTTP_METHODS

Json = Any
NAMED_PARAMETERS = ("path", "query", "header")
TAG = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-rc(\d+))?$")
# operationId -> (releases mask, {parameter name: releases mask})
Table = dict[str, tuple[int, dict[str, int]]]
# operationId -> (HTTP method in capitals, path template as the spec writes it)
Routes = dict[str, tuple[str, str]]


def release_key(tag: str) -> tuple[int, int, int, int]:
    """Sort key of a Podman tag: v6.0.0-rc1 before v6.0.0, v5.10.0 after v5.9.0."""
    found = TAG.match(tag)
    if found is None:
        raise ValueError(f"{tag!r} is not a Podman release such as v5.8.2 or v6.0.0-rc1")
    major, minor, patch, rc = found.groups()
    return int(major), int(minor), int(patch), int(rc) if rc else sys.maxsize


def operation_parameters(spec: Json) -> dict[str, set[str]]:
    """operationId -> the names of its path, query and header parameters (shared
    parameters of the path item and `#/parameters/` references included)."""
    shared = spec.get("parameters") or {}

    def resolved(parameter: Json) -> Json:
        ref = str(parameter.get("$ref", ""))
        return shared.get(ref.removeprefix("#/parameters/"), {}) if ref else parameter

    table: dict[str, set[str]] = {}
    for item in (spec.get("paths") or {}).values():
        common = [resolved(p) for p in item.get("parameters") or []]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            parameters = common + [resolved(p) for p in operation.get("parameters") or []]
            table[operation["operationId"]] = {
                str(p["name"]) for p in parameters if p.get("in") in NAMED_PARAMETERS
            }
    return table


def release_table(specs: Mapping[str, Json]) -> tuple[tuple[str, ...], Table]:
    """The releases, oldest first, and for each operation the releases that have it and
    those that have each of its parameters."""
    releases = tuple(sorted(specs, key=release_key))
    table: Table = {}
    for index, release in enumerate(releases):
        bit = 1 << index
        for operation, names in operation_parameters(specs[release]).items():
            mask, parameters = table.setdefault(operation, (0, {}))
            for name in names:
                parameters[name] = parameters.get(name, 0) | bit
            table[operation] = (mask | bit, parameters)
    ordered = {
        operation: (mask, dict(sorted(parameters.items())))
        for operation, (mask, parameters) in sorted(table.items())
    }
    return releases, ordered


def operation_routes(spec: Json) -> Routes:
    """operationId -> its method and path template (``("GET", "/libpod/images/{name}/json")``)."""
    routes: Routes = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "operationId" in operation:
                routes[str(operation["operationId"])] = (method.upper(), str(path))
    return routes


def _wire(value: object) -> str | None:
    """A default as it goes on the wire (httpx writes booleans in lower case), or None
    for one that is no single value (an array's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def query_defaults(specs: Mapping[str, Json]) -> dict[str, dict[str, tuple[str, ...]]]:
    """operationId -> {query parameter: the defaults the releases document, as sent,
    sorted}: releases may disagree, and the generated builders send the default
    release's."""
    defaults: dict[str, dict[str, set[str]]] = {}
    for release in sorted(specs, key=release_key):
        spec = specs[release]
        shared = spec.get("parameters") or {}
        for item in (spec.get("paths") or {}).values():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                written = [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
                for parameter in written:
                    ref = str(parameter.get("$ref", ""))
                    found = shared.get(ref.removeprefix("#/parameters/"), {}) if ref else parameter
                    wire = _wire(found.get("default"))
                    if found.get("in") == "query" and wire is not None:
                        named = defaults.setdefault(str(operation["operationId"]), {})
                        named.setdefault(str(found["name"]), set()).add(wire)
    return {
        op: {name: tuple(sorted(values)) for name, values in sorted(named.items())}
        for op, named in sorted(defaults.items())
    }


def route_table(specs: Mapping[str, Json]) -> Routes:
    """Every pinned release's operations with their routes, sorted by operationId; where
    releases disagree on an operation's route, the newest one's."""
    routes: Routes = {}
    for release in sorted(specs, key=release_key):
        routes.update(operation_routes(specs[release]))
    return dict(sorted(routes.items()))


def releases_of(mask: int, releases: Iterable[str]) -> list[str]:
    return [release for index, release in enumerate(releases) if mask >> index & 1]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: release_table.py OPERATION_ID", file=sys.stderr)
        return 2
    pins = spec_source.load_pins()[1]
    releases, table = release_table({v: spec_source.load_canonical(v) for v in pins})
    mask, parameters = table.get(argv[1], (0, {}))
    print(f"{argv[1]}: {', '.join(releases_of(mask, releases)) or 'in no pinned release'}")
    for name, parameter_mask in parameters.items():
        if parameter_mask != mask:
            print(f"  {name}: {', '.join(releases_of(parameter_mask, releases))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
