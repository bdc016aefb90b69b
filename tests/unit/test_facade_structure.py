"""The facade's shape, as the style guide asks for it: no import circle (type-checking
imports included), no module over 700 lines, no route or query name spelled by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FACADE = Path(__file__).resolve().parents[2] / "facade" / "podman_sdk"
MAX_LINES = 700  # issue 24: a cap that fits a concept (sync and async twins in one file)
ROUTE_PREFIXES = ("/libpod", "/images", "/containers", "/pods", "/volumes", "/networks")
ROUTE_PREFIXES += ("/build", "/_ping", "/version", "/info", "/manifests", "/v1", "/v4", "/v5")


def module_name(path: Path) -> str:
    parts = path.relative_to(FACADE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def facade_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(FACADE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Every podman_sdk module ``path`` imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("podman_sdk")}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle_among_private_modules() -> None:
    modules = facade_modules()
    # The package's __init__ re-exports everything, and the CLI sits on top of it:
    # neither is imported by the modules below.
    graph = {
        name: {target for target in imports_of(path) if target in modules}
        for name, path in modules.items()
        if name != "podman_sdk"
    }
    for name, targets in graph.items():
        if not name.startswith("podman_sdk._cli"):
            assert "podman_sdk" not in targets, f"{name} imports the package's __init__"
    assert cycle_in(graph) is None


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(facade_modules()))
def test_no_module_is_over_700_lines(name: str) -> None:
    assert len(facade_modules()[name].read_text().splitlines()) <= MAX_LINES


def route_literals(path: Path) -> list[str]:
    """String literals (docstrings excepted) that look like a route."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # In an f-string only the first piece can start a route; later ones are text
    # around a value ("path /v{version}/libpod" in a message).
    inner = {
        id(piece)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for piece in node.values[1:]
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | inner
        and node.value.startswith(ROUTE_PREFIXES)
    ]


def test_no_route_is_spelled_in_facade_code() -> None:
    found = {name: route_literals(path) for name, path in facade_modules().items()}
    assert {name: routes for name, routes in found.items() if routes} == {}


def test_the_route_finder_finds_routes(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""GET /libpod/x is fine here."""\n'
        'URL = "/libpod/images/json"\n'
        'PUSH = f"/libpod/images/{name}/push"\n'
        'SHOWN = f"path /v{version}/libpod"\n'
    )
    assert route_literals(module) == ["/libpod/images/json", "/libpod/images/"]
