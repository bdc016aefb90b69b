"""Generic rewrites for traits of Podman's swagger that the generator cannot take.

Where spec/overrides.yaml fixes one place, these rules fix a pattern that runs through
the whole document (and through every release), so they are code, each a small pure
function with the reason in its docstring. They run on the Swagger 2.0 document,
before conversion to OpenAPI 3, except where noted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Json = Any


def walk_dicts(node: Json) -> Iterator[dict[str, Json]]:
    """Yield every dict in a JSON document, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def strip_doc_titles(spec: Json) -> None:
    """go-swagger emits a doc paragraph as a schema's `title`, and the generator turns
    titles into class and file names (some longer than a file name may be). Without a
    title the generator names an inline schema after where it stands, which is stable.
    A property *named* title has a dict value, so only string values are dropped."""
    for node in walk_dicts(spec):
        if isinstance(node.get("title"), str):
            del node["title"]


def drop_global_tar_consumes(spec: Json) -> None:
    """The global `consumes` lists application/x-tar, so every operation's body looks
    like it might be a tarball. Operations that really take one declare it themselves
    (or get it from an override)."""
    spec["consumes"] = [media for media in spec.get("consumes", []) if media != "application/x-tar"]


def repeatable_query_parameters(spec: Json) -> None:
    """A string query parameter documented as repeatable ("You can provide several t
    parameters": the build's tags) is a list, sent once per value. Its default goes:
    sending "latest" as a tag nobody asked for would name the built image "latest"."""
    for node in walk_dicts(spec):
        description = node.get("description")
        if (
            node.get("in") == "query"
            and node.get("type") == "string"
            and isinstance(description, str)
            and "You can provide several" in description
        ):
            node["type"] = "array"
            node["items"] = {"type": "string"}
            node["collectionFormat"] = "multi"
            node.pop("default", None)


SWAGGER_RULES: tuple[Callable[[Json], None], ...] = (
    strip_doc_titles,
    drop_global_tar_consumes,
    repeatable_query_parameters,
)


def normalise_swagger(spec: Json) -> None:
    """Apply every Swagger 2.0 rule in place."""
    for rule in SWAGGER_RULES:
        rule(spec)
