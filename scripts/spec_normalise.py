"""Generic rewrites for traits of Podman's swagger that the generator cannot take.

Where spec/overrides.yaml fixes one place, these rules fix a pattern that runs through
the whole document (and through every release), so they are code, each a small pure
function with the reason in its docstring. They run on the Swagger 2.0 document,
before conversion to OpenAPI 3, except where noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from spec_source import SpecError

Json = Any

#: The vendor extension `json_query_parameters` marks a parameter with: the Go type the
#: handler decodes the JSON text into.
JSON_QUERY = "x-podman-json-query"
# What a description says the JSON holds, first match wins ("map[string][]string" also
# contains "map[string]"). Go's spelling where Podman writes it; its prose otherwise.
_JSON_SHAPES = (
    (re.compile(r"map\[string\]\[\]string"), "map[string][]string"),
    (re.compile(r"map\[string\]string|JSON map of"), "map[string]string"),
    (re.compile(r"JSON array of"), "[]string"),
)


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


def raw_string_bodies(spec: Json) -> None:
    """A body declared a plain string, in an operation that names no media type of its
    own, is read raw by Podman's handler (archives to extract, images to load, a build
    context, a volume's content): the global x-tar `consumes` (dropped above) was how the
    spec said so. Declared JSON, the generator JSON-encoded a str or a File. Such a body
    is a tar archive unless the operation (or spec/overrides.yaml) names another media
    type; openapi_normalise.binary_strings_are_binary then makes it bytes (a File)."""
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for body in operation.get("parameters", []):
                if body.get("in") != "body" or body.get("schema", {}).get("type") != "string":
                    continue
                operation.setdefault("consumes", ["application/x-tar"])


def tarball_answers(spec: Json) -> None:
    """An answer documented only as "tarball is returned in body" (container export) has
    no schema, so sync() returned None and dropped the archive. It is a binary string;
    binary_answers_are_raw then reads it as bytes. Checkpoint's "... if exported" is
    left alone: without `export` its body is a JSON report."""
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for answer in operation.get("responses", {}).values():
                described = answer.get("description", "").strip().lower()
                if "schema" not in answer and described == "tarball is returned in body":
                    answer["schema"] = {"type": "string", "format": "binary"}


def binary_answers_are_raw(spec: Json) -> None:
    """An answer declared a binary string (an archive, an export, a YAML document) under
    JSON alone is not JSON: the generated module read it with response.json(), which
    refuses every tar. It is raw bytes, as Podman writes it."""
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            produces = operation.get("produces", spec.get("produces", []))
            if any("json" not in media for media in produces):
                continue
            for answer in operation.get("responses", {}).values():
                if answer.get("schema", {}) == {"type": "string", "format": "binary"}:
                    operation["produces"] = ["application/octet-stream"]


# IANA's top-level media types: "plain/text" (play kube's documented default) is none.
MEDIA_TOP_LEVEL = frozenset(
    {"application", "audio", "font", "image", "message", "model", "multipart", "text", "video"}
)


def content_type_parameters(spec: Json) -> None:
    """A Content-Type header parameter chooses among the body's media types: its values
    are the operation's `consumes` and its own documented ones that are media types,
    and it has no default, so the body's own media type goes out unless the caller
    names another. Play kube documents "plain/text" (not a media type, refused by its
    handler) as the default, and the generated module sent it with every request."""
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "header" or parameter["name"].lower() != "content-type":
                    continue
                parameter.pop("default", None)
                if "enum" in parameter:
                    media = [*operation.get("consumes", []), *parameter["enum"]]
                    parameter["enum"] = list(
                        dict.fromkeys(m for m in media if m.split("/")[0] in MEDIA_TOP_LEVEL)
                    )


def bodiless_not_modified(spec: Json) -> None:
    """HTTP forbids a body on 304 (RFC 9110 15.4.5), and Podman's handlers send none
    ("already started/stopped"); the spec gives it the ErrorModel schema, which put
    ErrorModel into the success type of start and stop. A 304 is a success without body."""
    named = spec.get("responses", {})
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if not responses or "304" not in responses:
                continue
            answer = responses["304"]
            ref = answer.get("$ref", "")
            if ref.startswith("#/responses/"):
                answer = named.get(ref.removeprefix("#/responses/"), {})
            responses["304"] = {"description": answer.get("description", "Not Modified")}


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


def json_go_type(name: str, description: str) -> str | None:
    """The Go type a string query parameter's JSON text decodes into, from its
    description; None for a plain string. Every ``filters`` is a map[string][]string
    (Podman reads each through util.PrepareFilters, even where the description forgets to
    say so: 4.3.1's compat container list). A description that speaks of JSON in a shape
    not known here stops the pipeline, so a new shape is typed, not left a string."""
    for pattern, go_type in _JSON_SHAPES:
        if pattern.search(description):
            return go_type
    if name == "filters":
        return "map[string][]string"
    if "json" in description.lower():
        raise SpecError(
            f"query parameter {name!r} is JSON of an unknown shape: {description[:120]!r}; "
            "teach scripts/spec_normalise.py's _JSON_SHAPES its Go type"
        )
    return None


def json_query_parameters(spec: Json) -> None:
    """Podman takes maps and lists in the query as JSON text (``filters``, a build's
    ``labels`` and ``buildargs``, an archive's ``rename``), declared `type: string`.
    Marking each with the Go type it decodes into (JSON_QUERY) lets the endpoint
    template take Python values and encode them, instead of every caller json.dumps-ing
    by hand."""
    for node in walk_dicts(spec):
        if node.get("in") != "query" or node.get("type") != "string":
            continue
        go_type = json_go_type(str(node.get("name")), str(node.get("description") or ""))
        if go_type is not None:
            node[JSON_QUERY] = go_type


SWAGGER_RULES: tuple[Callable[[Json], None], ...] = (
    strip_doc_titles,
    drop_global_tar_consumes,
    raw_string_bodies,
    content_type_parameters,
    tarball_answers,
    binary_answers_are_raw,
    bodiless_not_modified,
    repeatable_query_parameters,
    json_query_parameters,
)


def normalise_swagger(spec: Json) -> None:
    """Apply every Swagger 2.0 rule in place."""
    for rule in SWAGGER_RULES:
        rule(spec)
