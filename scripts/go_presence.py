"""Field presence of response models from Podman's Go types (the rule of issue #17).

For what the server writes, a field that the Go struct always encodes (go_json: exported,
no `omitempty`, not `json:"-"`, promoted fields of embedded structs included) is
`required`, and it is `x-nullable` exactly when its Go type can be nil. Steps, on the
Swagger 2.0 document:

1. Bind each definition to its Go type: go-swagger's `x-go-package` (+ `x-go-name`), put
   back from the raw file (spec_canonical drops it).
2. Give the response bodies that the spec declares without a schema the definition of
   the Go type their handler writes (spec/go_types.yaml `responses`).
3. Check every reference against the Go type of the field (or `swagger:response` body)
   it describes. A definition is the Go type its holders hold; where they hold two Go
   types of one name that encode differently (docker's swarm `Version` and Podman's
   `define.Version`), the group with a type of Podman's own module keeps the name and
   the other holders point to the definition of their type, written from Go if needed.
   This also makes the result independent of which of two same-named types go-swagger
   happened to record (its output varies there).
4. Inputs are not outputs: a definition reached from both a request body and a response,
   which the rule would give required fields, is copied for the request side as
   `<Name>Input`, keeping every field optional as before (request-only definitions are
   left alone), so nobody has to pass a field the server does not need.
5. Apply the rule to every response definition bound to a Go struct, and to inline
   response schemas. A response definition that cannot be bound is reported by name;
   spec/go_types.yaml `unresolved` lists the known ones with their reason, and any other
   stops the run.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from go_config import GoPresenceError, GoTypesConfig, Report, ResponseType
from go_json import json_fields, nullable, shape, underlying, writes_itself
from go_loader import Loader, parse_type_expression
from go_schema import DEFINITIONS, GoDefinitions
from go_types import (
    Array,
    GoType,
    Map,
    Named,
    Package,
    Pointer,
    Slice,
    Struct,
)
from openapi_normalise import HTTP_METHODS

Json = Any
INPUT_SUFFIX = "Input"
RESPONSES = "#/responses/"


def parse_go_type(text: str, loader: Loader) -> GoType:
    """`[]{podman}/libpod/define.Change` -> Slice(Named(<module>/libpod/define, Change));
    `struct {...}` (a handler's anonymous struct of builtin types) as written."""
    if text.startswith("[]"):
        return Slice(parse_go_type(text[2:], loader))
    if text.startswith("struct"):
        return parse_type_expression(text, Package("", ""), loader)
    path, _, name = text.replace("{podman}", loader.module).rpartition(".")
    return Named(path, name)


def _deref(go_type: GoType) -> GoType:
    while isinstance(go_type, Pointer):
        go_type = go_type.elem
    return go_type


def ref_name(node: Json) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith(DEFINITIONS):
        return ref.removeprefix(DEFINITIONS)
    return None


def operations(spec: Json) -> Iterator[dict[str, Json]]:
    for item in (spec.get("paths") or {}).values():
        for method in HTTP_METHODS:
            if method in item:
                yield item[method]


# On an operation whose success body is JSON lines (spec/go_types.yaml json_lines).
JSON_LINES_MARK = "x-podman-json-lines"


def response_bodies(loader: Loader) -> dict[str, GoType]:
    """`swagger:response` name -> the Go type of its `Body` field, over the API packages."""
    bodies: dict[str, GoType] = {}
    for directory in sorted({p.parent for p in (loader.root / "pkg").rglob("*.go")}):
        text = "".join(p.read_text(errors="replace") for p in directory.glob("*.go"))
        if "swagger:response" not in text:
            continue
        relative = directory.relative_to(loader.root).as_posix()
        package = loader.package(f"{loader.module}/{relative}")
        for response, type_name in (package.responses if package else {}).items():
            decl = package.decls[type_name] if package else None
            if decl is not None and isinstance(decl.type, Struct):
                body = [f.type for f in decl.type.fields if f.name == "Body"]
                if body:
                    bodies[response] = body[0]
    return bodies


class GoPresence:
    def __init__(self, spec: Json, loader: Loader, config: GoTypesConfig):
        self.spec = spec
        self.loader = loader
        self.config = config
        self.definitions: dict[str, Json] = spec.setdefault("definitions", {})
        self.table = GoDefinitions(loader, self.definitions)
        self.report = Report()
        self.missing: dict[str, str] = {}
        # (schema node, Go type) pairs whose references and presence come from Go
        self.typed_roots: list[tuple[Json, GoType, str]] = []

    def run(self) -> Report:
        self.bind_packages()
        self.attach_bodies()
        self.check_references()
        self.split_requests()
        self.apply_presence()
        self.report.created = list(self.table.created)
        self.report.free_form = sorted(set(self.table.free_form))
        return self.report

    def bind_packages(self) -> None:
        for name, schema in self.definitions.items():
            package = schema.pop("x-go-package", None) if isinstance(schema, dict) else None
            if package is None:
                continue
            named = self.loader.resolve_alias(Named(package, schema.get("x-go-name", name)))
            if self.loader.decl(named) is None:
                self.missing[name] = f"no type {named.name} in {package} in this tag's source"
            else:
                self.table.bind(name, named)

    def attach_bodies(self) -> None:
        by_id = {op.get("operationId"): op for op in operations(self.spec)}
        for entry in self.config.responses:
            operation = by_id.get(entry.operation)
            if operation is None:
                continue  # not in this release
            text, go_type = self.first_present(entry)
            responses = operation.setdefault("responses", {})
            response = responses.pop(entry.replaces, None) if entry.replaces else None
            response = response or responses.get(entry.status) or {"description": entry.reason}
            if "schema" in response:
                raise GoPresenceError(f"{entry.operation} {entry.status} already has a schema")
            item = self.table.schema(go_type)
            response["schema"] = {"type": "array", "items": item} if entry.json_lines else item
            if entry.json_lines:
                operation[JSON_LINES_MARK] = True  # the endpoint template reads it
            responses[entry.status] = response
            self.typed_roots.append((item, go_type, entry.operation))
            self.report.attached.append(f"{entry.operation} {entry.status}: {text}")

    def first_present(self, entry: ResponseType) -> tuple[str, GoType]:
        """The first candidate this tag's source has: its text, and the type."""
        for text in entry.go_type:
            go_type = parse_go_type(text, self.loader)
            named = _deref(go_type.elem if isinstance(go_type, Slice) else go_type)
            if isinstance(named, Struct) or (
                isinstance(named, Named) and self.loader.decl(named) is not None
            ):
                return text, go_type
        raise GoPresenceError(f"{entry.operation}: none of {entry.go_type} in this tag's source")

    def roots(self) -> Iterator[tuple[Json, GoType, str]]:
        for name, named in sorted(self.table.types.items()):
            yield self.definitions[name], named, name
        bodies = response_bodies(self.loader)
        for name, response in sorted((self.spec.get("responses") or {}).items()):
            if name in bodies and "schema" in response:
                yield response["schema"], bodies[name], f"responses/{name}"
        yield from self.typed_roots

    def holders(self, node: Json, go_type: GoType, where: str) -> Iterator[tuple[Json, Named, str]]:
        """(node with a $ref, Go type the field holds, where) under a schema node."""
        go_type = _deref(go_type)
        if not isinstance(node, dict):
            return
        if ref_name(node) is not None:
            if isinstance(go_type, Named) and go_type.pkg:
                yield node, self.loader.resolve_alias(go_type), where
            return
        if len(node.get("allOf") or []) == 1:
            yield from self.holders(node["allOf"][0], go_type, where)
        inner = go_type
        if isinstance(go_type, Named) and not writes_itself(self.loader, go_type):
            inner = underlying(self.loader, go_type)
        if isinstance(inner, (Slice, Array)) and isinstance(node.get("items"), dict):
            yield from self.holders(node["items"], inner.elem, where + "[]")
        if isinstance(inner, Map) and isinstance(node.get("additionalProperties"), dict):
            yield from self.holders(node["additionalProperties"], inner.elem, where + "{}")
        if isinstance(inner, Struct) and isinstance(node.get("properties"), dict):
            fields = json_fields(self.loader, inner)
            for prop, schema in node["properties"].items():
                if prop in fields:
                    yield from self.holders(schema, fields[prop].type, f"{where}.{prop}")

    def check_references(self) -> None:
        found: dict[str, list[tuple[Json, Named, str]]] = {}
        for root, go_type, where in list(self.roots()):
            for node, named, site in self.holders(root, go_type, where):
                if self.loader.decl(named) is not None:
                    found.setdefault(ref_name(node) or "", []).append((node, named, site))
        for name, held in sorted(found.items()):
            groups: dict[object, list[Named]] = {}
            for _, named, _ in held:
                groups.setdefault(shape(self.loader, named), []).append(named)
            chosen = min(groups.values(), key=lambda group: min(map(self.own_first, group)))
            bound = self.table.types.get(name)
            self.table.bind(name, min(chosen, key=self.own_first))
            self.missing.pop(name, None)
            if bound is not None and shape(self.loader, bound) != shape(self.loader, chosen[0]):
                # The definition described a type no field here holds: write the held one.
                self.definitions[name] = self.table.content(chosen[0])
                self.report.repointed.append(
                    f"{name}: now {chosen[0].pkg}.{chosen[0].name}, not {bound.pkg}.{bound.name}"
                )
            for node, named, site in held:
                if named in chosen:
                    continue
                target = self.table.definition_for(named) or ref_name(self.table.ref(named))
                node["$ref"] = DEFINITIONS + str(target)
                self.report.repointed.append(
                    f"{site}: {name} -> {target} ({named.pkg}.{named.name})"
                )

    def own_first(self, named: Named) -> tuple[bool, str, str]:
        return (not named.pkg.startswith(self.loader.module), named.pkg, named.name)

    def closure(self, roots: list[Json]) -> set[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = ref_name(node)
                if ref is not None and ref not in seen and ref in self.definitions:
                    seen.add(ref)
                    stack.append(self.definitions[ref])
                response = str(node.get("$ref", "")).removeprefix(RESPONSES)
                if response in (self.spec.get("responses") or {}):
                    stack.append(self.spec["responses"][response])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return seen

    def request_roots(self) -> list[Json]:
        roots = [
            parameter
            for operation in operations(self.spec)
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "body"
        ]
        return roots + list((self.spec.get("parameters") or {}).values())

    def response_roots(self) -> list[Json]:
        return [op.get("responses", {}) for op in operations(self.spec)]

    def gets_required(self, name: str) -> bool:
        named = self.table.types.get(name)
        struct = underlying(self.loader, named) if named else None
        if not isinstance(struct, Struct):
            return False
        fields = json_fields(self.loader, struct)
        properties = self.definitions[name].get("properties") or {}
        return any(fields[p].required for p in properties if p in fields)

    def split_requests(self) -> None:
        requests = self.closure(self.request_roots())
        responses = self.closure(self.response_roots())
        both = requests & responses
        copied = {name for name in both if self.gets_required(name)}
        while True:
            more = {n for n in both - copied if self.closure([self.definitions[n]]) & copied}
            if not more:
                break
            copied |= more
        renames = {name: name + INPUT_SUFFIX for name in sorted(copied)}
        for name, new in renames.items():
            if new in self.definitions:
                raise GoPresenceError(f"request-side copy {new} of {name} exists already")
            self.definitions[new] = copy.deepcopy(self.definitions[name])
        request_side = [self.definitions[n] for n in requests - responses]
        request_side += [self.definitions[new] for new in renames.values()]
        for node in self.request_roots() + request_side:
            _rewrite_refs(node, renames)
        self.report.request_copies = list(renames.values())

    def apply_presence(self) -> None:
        responses = self.closure(self.response_roots())
        report = self.report
        for name in sorted(responses):
            if not self.definitions[name].get("properties"):
                continue
            report.response_definitions.append(name)
            named = self.table.types.get(name)
            struct = underlying(self.loader, named) if named else None
            if not isinstance(struct, Struct):
                report.unresolved[name] = self.missing.get(
                    name,
                    "no x-go-package, and no field or response body of a known Go type holds it",
                )
                continue
            report.resolved.append(name)
            self.presence(self.definitions[name], struct, name)
        for root, go_type, where in self.roots():
            if where.startswith("responses/") or where in {
                e.operation for e in self.config.responses
            }:
                self.presence_inline(root, go_type, where)

    def presence_inline(self, node: Json, go_type: GoType, where: str) -> None:
        """The rule for an inline object (an anonymous Go struct) below a response."""
        inner = underlying(self.loader, _deref(go_type))
        if isinstance(inner, (Slice, Array)) and isinstance(node.get("items"), dict):
            self.presence_inline(node["items"], inner.elem, where)
        elif isinstance(inner, Map) and isinstance(node.get("additionalProperties"), dict):
            value = node["additionalProperties"]
            # A map's values are written as they are: null where the value type can be
            # nil (PodRmReport.RemovedCtrs is a map[string]error, null for a success).
            # Only for scalar values: the generator's map models cannot hold a nullable
            # object or list, so map[string]*Struct and map[string][]T stay as they were.
            scalar = value.get("type") in ("string", "integer", "number", "boolean")
            if scalar and nullable(self.loader, inner.elem):
                node["additionalProperties"] = with_nullable(value, is_nullable=True)
            self.presence_inline(node["additionalProperties"], inner.elem, where + "{}")
        elif isinstance(inner, Struct) and node.get("properties") and "$ref" not in node:
            self.presence(node, inner, where)

    def presence(self, schema: Json, struct: Struct, where: str) -> None:
        fields = json_fields(self.loader, struct)
        required = []
        for prop, property_schema in schema["properties"].items():
            self.report.fields_total += 1
            go_field = fields.get(prop)
            if go_field is None:
                self.report.unmatched_fields.append(f"{where}.{prop}")
                continue
            self.report.fields_from_go += 1
            if go_field.required:
                required.append(prop)
            is_nullable = nullable(self.loader, go_field.type)
            schema["properties"][prop] = with_nullable(property_schema, is_nullable=is_nullable)
            self.presence_inline(schema["properties"][prop], go_field.type, f"{where}.{prop}")
        if required:
            schema["required"] = sorted(required)
        else:
            schema.pop("required", None)


def with_nullable(schema: Json, *, is_nullable: bool) -> Json:
    if not is_nullable:
        schema.pop("x-nullable", None)
        return schema
    if "$ref" in schema:  # Swagger 2 ignores keys beside $ref: wrap it
        return {"allOf": [{"$ref": schema["$ref"]}], "x-nullable": True}
    schema["x-nullable"] = True
    return schema


def _rewrite_refs(node: Json, renames: dict[str, str]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = ref_name(current)
            if ref in renames:
                current["$ref"] = DEFINITIONS + renames[ref]
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def apply_go_presence(spec: Json, loader: Loader, config: GoTypesConfig) -> Report:
    """Run the steps in place; raise GoPresenceError on an unlisted unresolved definition."""
    report = GoPresence(spec, loader, config).run()
    new = sorted(set(report.unresolved) - set(config.unresolved))
    if new:
        details = "; ".join(f"{name}: {report.unresolved[name]}" for name in new)
        raise GoPresenceError(
            f"response definitions not resolved to a Go type: {details}. Fix the binding, "
            f"or list them under `unresolved` in spec/go_types.yaml with the reason."
        )
    for name in report.unresolved:
        report.unresolved[name] = config.unresolved[name]
    return report
