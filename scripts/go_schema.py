"""Swagger definitions, and the Go types they stand for, in one table.

`GoDefinitions` knows which Go type each definition describes, finds the definition for
a Go type, and writes a new definition from a Go type when none exists (a response body
the spec declares without a schema, or a field whose Go type the spec's definition of
the same name is not). New definitions carry properties only: which fields are required
or nullable is go_presence's job, for response definitions alone.
"""

from __future__ import annotations

import re
from typing import Any

import generator_venv
from go_json import builtin_schema, json_fields, self_written_schema, shape, underlying
from go_loader import Loader
from go_types import Array, GoType, Interface, Map, Named, Opaque, Pointer, Slice, Struct

Json = Any
DEFINITIONS = "#/definitions/"


class GoSchemaError(Exception):
    """A Go type cannot be written as a definition."""


class GoDefinitions:
    def __init__(self, loader: Loader, definitions: dict[str, Json]):
        self.loader = loader
        self.definitions = definitions
        self.types: dict[str, Named] = {}  # definition -> the Go type it describes
        self.created: list[str] = []
        self.free_form: list[str] = []  # Go types written as `{}`: they marshal themselves

    def bind(self, name: str, named: Named) -> None:
        self.types[name] = self.loader.resolve_alias(named)

    def definition_for(self, named: Named) -> str | None:
        """The definition of this Go type, or of a same-named type encoded the same way."""
        named = self.loader.resolve_alias(named)
        exact = sorted(name for name, bound in self.types.items() if bound == named)
        if exact:
            return exact[0]
        wanted = shape(self.loader, named)
        for name, bound in sorted(self.types.items()):
            if bound.name == named.name and shape(self.loader, bound) == wanted:
                return name
        return None

    def new_name(self, named: Named) -> str:
        """The Go name, or, when a definition already has that Python name, the package's
        name before it (`define.Version` beside swarm's `Version`: DefineVersion)."""
        package = self.loader.package_name(named.pkg) if named.pkg else ""
        prefix = re.sub(r"[^A-Za-z0-9]", "", package.title())
        candidates = [named.name, prefix + named.name]
        names = generator_venv.python_names([*self.definitions, *candidates])
        taken = {names[name][0] for name in self.definitions}
        for candidate in candidates:
            if names[candidate][0] not in taken:
                return candidate
        raise GoSchemaError(f"no free definition name for {named.pkg}.{named.name}")

    def ref(self, named: Named) -> Json:
        """A schema for a value of a named Go type: a $ref where it is a struct."""
        named = self.loader.resolve_alias(named)
        if not named.pkg:
            schema = builtin_schema(named.name)
            if schema is None:
                raise GoSchemaError(f"no JSON for builtin {named.name}")
            return schema
        if self.loader.marshals(named):
            written = self_written_schema(self.loader, named)
            existing = self.definition_for(named)
            if written is not None:
                return written
            if existing is not None:
                return {"$ref": DEFINITIONS + existing}
            self.free_form.append(f"{named.pkg}.{named.name}")
            return {}
        inner = underlying(self.loader, named)
        if not isinstance(inner, Struct):
            if inner == named:
                raise GoSchemaError(f"{named.pkg}.{named.name} is not in this tag's source")
            return self.schema(inner)
        existing = self.definition_for(named)
        if existing is None:
            existing = self.new_name(named)
            self.definitions[existing] = {"type": "object"}  # placeholder: recursion
            self.bind(existing, named)
            self.created.append(existing)
            self.definitions[existing] = self.object_schema(inner)
        return {"$ref": DEFINITIONS + existing}

    def content(self, named: Named) -> Json:
        """A definition's schema for a named type (where `ref` would point to one)."""
        named = self.loader.resolve_alias(named)
        inner = underlying(self.loader, named)
        if self.loader.marshals(named) or not isinstance(inner, Struct):
            return self.ref(named)
        return self.object_schema(inner)

    def schema(self, go_type: GoType) -> Json:
        if isinstance(go_type, Named):
            return self.ref(go_type)
        if isinstance(go_type, Pointer):
            return self.schema(go_type.elem)
        if isinstance(go_type, Slice) and go_type.elem == Named("", "uint8"):
            return {"type": "string", "format": "byte"}
        if isinstance(go_type, (Slice, Array)):
            return {"type": "array", "items": self.schema(go_type.elem)}
        if isinstance(go_type, Map):
            return {"type": "object", "additionalProperties": self.schema(go_type.elem)}
        if isinstance(go_type, Struct):
            return self.object_schema(go_type)
        if isinstance(go_type, Interface):
            return {}
        assert isinstance(go_type, Opaque)
        raise GoSchemaError("a func or chan has no JSON form")

    def object_schema(self, struct: Struct) -> Json:
        fields = json_fields(self.loader, struct)
        properties = {name: self.schema(fields[name].type) for name in sorted(fields)}
        return {"type": "object", "properties": properties}
