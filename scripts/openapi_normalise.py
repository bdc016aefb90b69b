"""Generic rewrites on the converted OpenAPI 3 document (see spec_normalise for the
Swagger 2.0 ones). Each rule is a small pure function with its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Json = Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Bodies sent as they are, never encoded: a YAML document too is bytes the handler reads.
BINARY_MEDIA_TYPES = ("application/octet-stream", "application/x-tar", "application/yaml")


def iter_operations(spec: Json) -> Iterator[tuple[str, str, dict[str, Json]]]:
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def _media_objects(operation: dict[str, Json]) -> Iterator[tuple[str, dict[str, Json]]]:
    body = operation.get("requestBody", {})
    yield from body.get("content", {}).items()
    for response in operation.get("responses", {}).values():
        yield from response.get("content", {}).items()


def binary_strings_are_binary(spec: Json) -> None:
    """Podman declares tarballs and image archives as plain `type: string` (load, import,
    export, get, build, archive), which the generator reads as text it must encode;
    a string under a binary media type is bytes. Bodies that several operations share
    (put archive, kube play and apply) stand in components/requestBodies."""
    shared = spec.get("components", {}).get("requestBodies", {}).values()
    media_objects = [
        *(
            pair
            for _p, _m, operation in iter_operations(spec)
            for pair in _media_objects(operation)
        ),
        *(pair for body in shared for pair in body.get("content", {}).items()),
    ]
    for media_type, media in media_objects:
        schema = media.get("schema", {})
        if (
            media_type in BINARY_MEDIA_TYPES
            and schema.get("type") == "string"
            and "format" not in schema
        ):
            schema["format"] = "binary"


OPENAPI_RULES: tuple[Callable[[Json], None], ...] = (binary_strings_are_binary,)


def normalise_openapi(spec: Json) -> None:
    """Apply every OpenAPI 3 rule in place."""
    for rule in OPENAPI_RULES:
        rule(spec)


def json_query_table(spec: Json, mark: str) -> dict[str, dict[str, str]]:
    """Operation id -> query parameter -> the Go type its JSON decodes into, for every
    parameter carrying ``mark`` (spec_normalise.json_query_parameters sets it): what the
    endpoint template reads, staged as json_query.jinja, since the generator passes no
    vendor extension of a parameter on to templates."""
    table: dict[str, dict[str, str]] = {}
    for _path, _method, operation in iter_operations(spec):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and mark in parameter:
                table.setdefault(operation["operationId"], {})[parameter["name"]] = parameter[mark]
    return table
