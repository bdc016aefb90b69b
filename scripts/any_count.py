"""Where ``Any`` stands in a public signature of libpod_client.api.

    python scripts/any_count.py [PACKAGE_DIR]     (default: generated/libpod_client)

A user of ``sync(...)`` cannot tell what an ``Any`` holds without reading the spec, and
their type checker stops checking there. Every endpoint module's public functions are
read with `ast` (nothing is imported): ``sync``, ``sync_detailed``, ``asyncio``,
``asyncio_detailed`` and ``request_kwargs`` (the module's ``_get_kwargs``), each
parameter's annotation and the return annotation. `make check-generated` prints the
places and fails on more than its pin.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

# Public name -> the function that defines it (request_kwargs = _get_kwargs).
PUBLIC_FUNCTIONS = {
    "sync": "sync",
    "sync_detailed": "sync_detailed",
    "asyncio": "asyncio",
    "asyncio_detailed": "asyncio_detailed",
    "request_kwargs": "_get_kwargs",
}


@dataclass(frozen=True, order=True)
class AnyPlace:
    """One annotation with ``Any`` in it: ``module: function(parameter)`` or
    ``module: function -> return``."""

    module: str
    function: str
    where: str  # a parameter name, or "return"
    annotation: str

    def __str__(self) -> str:
        at = (
            "-> " + self.annotation
            if self.where == "return"
            else f"({self.where}: {self.annotation})"
        )
        return f"{self.module}: {self.function} {at}"


def mentions_any(annotation: ast.expr) -> bool:
    """Whether ``Any`` (bare, ``typing.Any`` or inside a string annotation) occurs."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id == "Any":
            return True
        if isinstance(node, ast.Attribute) and node.attr == "Any":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            if mentions_any(inner):
                return True
    return False


def any_places_in_source(module: str, source: str) -> list[AnyPlace]:
    """The Any places of one endpoint module's source."""
    defined = {
        node.name: node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    places = []
    for public, name in PUBLIC_FUNCTIONS.items():
        function = defined.get(name)
        if function is None:
            continue
        arguments = function.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if argument.annotation is not None and mentions_any(argument.annotation):
                annotation = ast.unparse(argument.annotation)
                places.append(AnyPlace(module, public, argument.arg, annotation))
        if function.returns is not None and mentions_any(function.returns):
            places.append(AnyPlace(module, public, "return", ast.unparse(function.returns)))
    return places


def any_places(package_dir: Path) -> list[AnyPlace]:
    """Every Any place under package_dir/api, sorted."""
    places = []
    for path in sorted((package_dir / "api").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        module = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts)
        places += any_places_in_source(module, path.read_text())
    return sorted(places)


def main(argv: list[str]) -> int:
    package_dir = (
        Path(argv[0]) if argv else Path(__file__).parents[1] / "generated" / "libpod_client"
    )
    places = any_places(package_dir)
    print("\n".join(str(place) for place in places))
    print(f"{len(places)} Any in public signatures of {package_dir.name}.api")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
