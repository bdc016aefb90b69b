"""The facade's shape, as the style guide asks for it: no import circle (type-checking
imports included), no module over 700 lines, one subpackage per domain above the shared
machinery, and no route or query name spelled by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FACADE = Path(__file__).resolve().parents[2] / "facade" / "podman_sdk"
MAX_LINES = 700
ROUTE_PREFIXES = ("/libpod", "/images", "/containers", "/pods", "/volumes", "/networks")
ROUTE_PREFIXES += ("/build", "/_ping", "/version", "/info", "/manifests", "/v1", "/v4", "/v5")


def module_name(path: Path) -> str:
    parts = path.relative_to(FACADE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def facade_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(FACADE.rglob("*.py"))}


def all_imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def imports_of(path: Path) -> set[str]:
    """Every podman_sdk module ``path`` imports, wherever the import stands."""
    return {name for name in all_imports_of(path) if name.startswith("podman_sdk")}


def private_generated_imports(path: Path) -> list[str]:
    """The generated package's private modules ``path`` imports (libpod_client._x)."""
    return sorted(
        name
        for name in all_imports_of(path)
        if name.startswith("libpod_client.")
        and any(part.startswith("_") for part in name.split(".")[1:])
    )


def test_the_facade_uses_only_the_generated_packages_public_modules() -> None:
    found = {name: private_generated_imports(path) for name, path in facade_modules().items()}
    assert {name: modules for name, modules in found.items() if modules} == {}


def test_the_private_import_finder_finds_them(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from libpod_client._checks import ShapeError\nimport libpod_client.errors\n")
    assert private_generated_imports(module) == ["libpod_client._checks"]


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


# Where a module may live: the package's own few modules, the shared machinery beneath
# the domains (_core, _transport), the CLI on top, or a domain subpackage.
TOP_LEVEL = {"__init__", "__main__", "_client", "_exceptions", "_version"}
SHARED = ("podman_sdk._core", "podman_sdk._transport")


def domains() -> set[str]:
    """The domain subpackages: every public subpackage (images, containers, ...)."""
    return {
        f"podman_sdk.{init.parent.name}"
        for init in FACADE.glob("*/__init__.py")
        if not init.parent.name.startswith("_")
    }


def placement_errors(modules: dict[str, Path]) -> list[str]:
    errors = []
    for name, path in modules.items():
        parts = name.split(".")
        top_level = len(parts) == 1 or (len(parts) == 2 and path.name != "__init__.py")
        if top_level and path.stem not in TOP_LEVEL:
            errors.append(f"{name}: beside the domains; move it into one, or into _core")
        public = path.name != "__init__.py" and not path.stem.startswith("_")
        if not top_level and public and ".".join(parts[:2]) in domains():
            errors.append(f"{name}: a domain's modules are private (_{path.stem})")
    return errors


def test_every_module_is_in_a_domain_or_beneath_them() -> None:
    assert placement_errors(facade_modules()) == []


def test_the_placement_rule_finds_misplaced_modules() -> None:
    misplaced = {"podman_sdk._helpers": FACADE / "_helpers.py"}
    misplaced["podman_sdk.images.manager"] = FACADE / "images" / "manager.py"
    assert len(placement_errors(misplaced)) == 2
    assert placement_errors({"podman_sdk.images._manager": FACADE / "images" / "_manager.py"}) == []


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports from the shared machinery up into a domain, the client or the CLI."""
    above = (*domains(), "podman_sdk._client", "podman_sdk._cli")
    return sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        if name.startswith(SHARED) or name == "podman_sdk._exceptions"
        for target in targets
        if target.startswith(above)
    )


def test_the_shared_machinery_never_imports_a_domain() -> None:
    modules = facade_modules()
    graph = {name: imports_of(path) for name, path in modules.items()}
    assert upward_imports(graph) == []
    assert upward_imports({"podman_sdk._core._x": {"podman_sdk.images._manager"}}) != []


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
