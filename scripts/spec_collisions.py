"""Definitions that would become one Python module or class: fix the alias case, stop on
any other.

openapi-python-client turns a definition's name into a class name (PascalCase) and a
module name (snake_case of the class name). Two definitions that differ only in case or
punctuation (`IDResponse` and `IdResponse` both become `id_response.py`; `networkCreate`
and `NetworkCreate` both become class `NetworkCreate`) overwrite each other, and the
generator reports success over a package whose modules do not import.

In Podman's specs such a pair is always an alias beside the real definition: go-swagger
writes a Go type alias (`type IDResponse = IdResponse`) as a definition that is only a
`$ref`. So, in every release where the pattern occurs:

- an alias that collides is dropped, and whatever referred to it refers to its target;
- when the target is itself in the colliding group (the alias pointed at its twin), the
  target takes the alias's name: that is the name the operations used, and the one later
  releases give the real definition (v5.8.2's `IDResponse`), so the class name stays the
  same from release to release.

Any other collision (two real definitions) stops the run, naming both.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import generator_venv

Json = Any
DEFINITIONS = "#/definitions/"
ALIAS_KEYS = frozenset({"$ref", "description", "x-go-name", "x-go-package"})


class CollisionError(Exception):
    """Two definitions map to one module or class name and no rule can tell them apart."""


def python_names(definition: str) -> tuple[str, str]:
    """(class name, module name) the generator gives a definition."""
    return generator_venv.python_names([definition])[definition]


def alias_target(schema: Json) -> str | None:
    """The definition a pure alias points at, or None if `schema` is not an alias."""
    if not isinstance(schema, dict) or not set(schema) <= ALIAS_KEYS:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFINITIONS):
        return ref.removeprefix(DEFINITIONS)
    return None


def colliding_groups(definitions: dict[str, Json]) -> list[list[str]]:
    """Groups of definition names sharing a class or a module name, each sorted."""
    by_name: dict[str, set[str]] = defaultdict(set)
    names = generator_venv.python_names(list(definitions))
    for name in definitions:
        class_name, module_name = names[name]
        by_name[f"class {class_name}"].add(name)
        by_name[f"module {module_name}"].add(name)
    groups: list[set[str]] = []
    for members in by_name.values():
        if len(members) < 2:
            continue
        overlapping = next((group for group in groups if group & members), None)
        if overlapping is None:
            groups.append(set(members))
        else:  # class and module groups that share a member are one collision
            overlapping.update(members)
    return sorted(sorted(group) for group in groups)


def _rewrite_refs(node: Json, old: str, new: str) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("$ref") == DEFINITIONS + old:
                current["$ref"] = DEFINITIONS + new
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def resolve_collisions(spec: Json) -> list[str]:
    """Apply the alias rule in place; return one line per change. Raise CollisionError
    for a collision the rule does not cover."""
    definitions: dict[str, Json] = spec.get("definitions") or {}
    changes: list[str] = []
    for group in colliding_groups(definitions):
        aliases = {
            name: target
            for name in group
            if (target := alias_target(definitions[name])) is not None
        }
        real = [name for name in group if name not in aliases]
        if not aliases or len(real) > 1:
            names = " and ".join(repr(name) for name in group)
            class_name, module_name = python_names(group[0])
            raise CollisionError(
                f"definitions {names} all become class {class_name} / module "
                f"{module_name}.py, and none is a plain alias of another. Rename one with a "
                f"rename-definition override in spec/overrides.yaml."
            )
        for alias, target in sorted(aliases.items()):
            del definitions[alias]
            _rewrite_refs(spec, alias, target)
            if target in group and target in definitions:
                definitions[alias] = definitions.pop(target)
                _rewrite_refs(spec, target, alias)
                changes.append(f"{alias}: alias of {target} merged into it, under the name {alias}")
            else:
                changes.append(f"{alias}: alias of {target} dropped, references point at {target}")
    if changes and colliding_groups(definitions):
        raise CollisionError(
            f"names still collide after {changes}: {colliding_groups(definitions)}"
        )
    return changes
