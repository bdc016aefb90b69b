"""Read Go type declarations, as far as `encoding/json` sees them, without a Go toolchain.

Grammar read (a subset of the Go spec; everything else is skipped by bracket depth):

    import "path" | import name "path" | import ( ... )
    type Name Type | type Name = Type | type Name[Params] Type | type ( ... )
    func (recv [*]Name) MarshalJSON | MarshalText ...     (only noted: the type marshals itself)
    Type := *Type | []Type | [N]Type | map[Type]Type | chan Type | func(...) ...
          | struct { Field... } | interface { ... } | Name | pkg.Name | Name[Args] | (Type)
    Field := Name {, Name} Type [tag] | [*]TypeName [tag]        (the second: embedded)

A qualified name is resolved through the imports of the file it is written in, to the
package's import path; builtin names get the path "". Which files make a package, and
where a package is found, is go_loader's business.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Named:
    """A named type: `pkg` is its import path ("" for builtins like string)."""

    pkg: str
    name: str


@dataclass(frozen=True)
class Pointer:
    elem: GoType


@dataclass(frozen=True)
class Slice:
    elem: GoType


@dataclass(frozen=True)
class Array:
    elem: GoType


@dataclass(frozen=True)
class Map:
    key: GoType
    elem: GoType


@dataclass(frozen=True)
class Interface:
    pass


@dataclass(frozen=True)
class Opaque:
    """A func or chan: encoding/json cannot write it (such fields are always `json:"-"`)."""


@dataclass(frozen=True)
class Field:
    name: str  # for an embedded field, the type's name
    type: GoType
    tag: str
    embedded: bool


@dataclass(frozen=True)
class Struct:
    fields: tuple[Field, ...]


GoType = Named | Pointer | Slice | Array | Map | Interface | Opaque | Struct


@dataclass(frozen=True)
class TypeDecl:
    pkg: str
    name: str
    type: GoType
    alias: bool  # `type A = B`: A is B (methods included)


@dataclass
class Package:
    path: str
    name: str
    decls: dict[str, TypeDecl] = field(default_factory=dict)
    marshalers: set[str] = field(default_factory=set)  # types with MarshalJSON/MarshalText
    text_marshalers: set[str] = field(default_factory=set)
    # `// swagger:response [name]` directives: response name -> type name
    responses: dict[str, str] = field(default_factory=dict)


class GoSourceError(Exception):
    """A Go file could not be read with this grammar."""


class PackageNames(Protocol):
    """What the parser asks of the tree it reads (go_loader.Loader is one): the name a
    package declares, to resolve `pkg.Name` through an import without an explicit name."""

    def package_name(self, path: str) -> str: ...


TOKEN = re.compile(
    r"(?P<nl>\n)|(?P<ws>[ \t\r]+)|(?P<comment>//[^\n]*)|(?P<block>/\*.*?\*/)"
    r"|(?P<raw>`[^`]*`)|(?P<str>\"(?:\\.|[^\"\\\n])*\")|(?P<rune>'(?:\\.|[^'\\\n])+')"
    r"|(?P<ident>[A-Za-z_][A-Za-z_0-9]*)|(?P<num>\.?[0-9][0-9A-Za-z_.]*)"
    r"|(?P<punct>\.\.\.|<-|[^\sA-Za-z_0-9])",
    re.S,
)
BUILTINS = frozenset(
    [
        "bool",
        "string",
        "byte",
        "rune",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "error",
        "any",
    ]
)


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens; comments kept (for directives), newlines kept (statement ends)."""
    tokens = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "ws":
            continue
        value = match.group()
        if kind == "block":
            kind, value = ("nl", "\n") if "\n" in value else ("ws", "")
            if kind == "ws":
                continue
        tokens.append((kind, value))
    return tokens


class Parser:
    """One file's tokens -> declarations in `package`."""

    def __init__(self, tokens: list[tuple[str, str]], package: Package, loader: PackageNames):
        self.tokens = tokens
        self.i = 0
        self.package = package
        self.loader = loader
        self.imports: dict[str, str] = {}  # explicit name -> path
        self.plain_imports: list[str] = []

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        index = self.i + ahead
        return self.tokens[index] if index < len(self.tokens) else ("eof", "")

    def next(self) -> tuple[str, str]:
        token = self.peek()
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        token = self.next()
        if token[1] != value:
            raise GoSourceError(f"expected {value!r}, found {token[1]!r}")

    def skip_newlines(self) -> None:
        while self.peek()[0] in ("nl", "comment") or self.peek()[1] == ";":
            self.i += 1

    def skip_balanced(self) -> None:
        """Skip from an opening bracket to its match."""
        depth = 0
        while True:
            kind, value = self.next()
            if kind == "eof":
                raise GoSourceError("unbalanced brackets")
            if kind == "punct" and value in "([{":
                depth += 1
            elif kind == "punct" and value in ")]}":
                depth -= 1
                if depth == 0:
                    return

    def qualify(self, qualifier: str) -> str:
        if qualifier in self.imports:
            return self.imports[qualifier]
        for path in self.plain_imports:
            if self.loader.package_name(path) == qualifier:
                return path
        raise GoSourceError(f"{self.package.path}: no import for {qualifier!r}")

    def parse_file(self) -> None:
        depth, line_start, comments = 0, True, []
        while self.peek()[0] != "eof":
            kind, value = self.peek()
            if kind == "comment":
                comments.append(value)
                self.i += 1
                continue
            if kind == "nl":
                self.i, line_start = self.i + 1, True
                continue
            if depth == 0 and line_start and kind == "ident" and value in ("import", "type"):
                self.i += 1
                if value == "import":
                    self.group(self.import_spec)
                else:
                    self.group(functools.partial(self.type_spec, comments))
                comments = []
                continue
            if depth == 0 and line_start and value == "func":
                self.note_marshaler()
            comments = [] if kind != "comment" else comments
            if kind == "punct" and value in "([{":
                depth += 1
            elif kind == "punct" and value in ")]}":
                depth -= 1
            line_start = value == ";"
            self.i += 1

    def group(self, spec: object) -> None:
        assert callable(spec)
        if self.peek()[1] == "(":
            self.i += 1
            self.skip_newlines()
            while self.peek()[1] != ")":
                spec()
                self.skip_newlines()
            self.i += 1
        else:
            spec()

    def import_spec(self) -> None:
        kind, value = self.next()
        if kind in ("ident", "punct"):  # a name, `.` or `_`
            path = self.next()[1].strip('"')
            self.imports[value] = path
        else:
            self.plain_imports.append(value.strip('"'))

    def type_spec(self, comments: list[str]) -> None:
        name = self.next()[1]
        if self.peek()[1] == "[" and self.peek(1)[0] == "ident" and self.peek(2)[1] != "]":
            self.skip_balanced()  # type parameters
        alias = self.peek()[1] == "="
        if alias:
            self.i += 1
        decl = TypeDecl(self.package.path, name, self.parse_type(), alias)
        self.package.decls.setdefault(name, decl)
        for comment in comments:
            directive = re.match(r"//\s*swagger:response\b\s*(\S*)", comment)
            if directive:
                self.package.responses[directive.group(1) or name] = name

    def note_marshaler(self) -> None:
        # func (r [*]T) MarshalJSON(  -- tokens: func ( [r] [*] T ) Name
        window = [value for _, value in self.tokens[self.i : self.i + 8]]
        if len(window) < 5 or window[1] != "(":
            return
        close = window.index(")") if ")" in window else -1
        if close < 0 or close + 1 >= len(window):
            return
        receiver = [v for v in window[2:close] if v != "*"][-1]
        method = window[close + 1]
        if method in ("MarshalJSON", "MarshalText"):
            self.package.marshalers.add(receiver)
        if method == "MarshalText":
            self.package.text_marshalers.add(receiver)

    def parse_type(self) -> GoType:
        kind, value = self.next()
        if value == "*":
            return Pointer(self.parse_type())
        if value == "(":
            inner = self.parse_type()
            self.expect(")")
            return inner
        if value == "[":
            if self.peek()[1] == "]":
                self.i += 1
                return Slice(self.parse_type())
            while self.next()[1] != "]":
                pass
            return Array(self.parse_type())
        if value == "map":
            self.expect("[")
            key = self.parse_type()
            self.expect("]")
            return Map(key, self.parse_type())
        if value in ("chan", "<-"):
            if self.peek()[1] in ("chan", "<-"):
                self.i += 1
            self.parse_type()
            return Opaque()
        if value == "func":
            self.i -= 1
            self.skip_func_type()
            return Opaque()
        if value == "struct":
            return self.parse_struct()
        if value == "interface":
            self.skip_balanced()
            return Interface()
        if kind != "ident":
            raise GoSourceError(f"{self.package.path}: unexpected {value!r} in a type")
        if self.peek()[1] == "." and self.peek(1)[0] == "ident":
            self.i += 1
            named = Named(self.qualify(value), self.next()[1])
        elif value in BUILTINS:
            named = Named("", "uint8" if value == "byte" else value)
        else:
            named = Named(self.package.path, value)
        if self.peek()[1] == "[":
            self.skip_balanced()  # type arguments
        return Interface() if named == Named("", "any") else named

    def skip_func_type(self) -> None:
        self.i += 1  # func
        self.skip_balanced()  # parameters
        if self.peek()[1] == "(":
            self.skip_balanced()
        elif self.peek()[0] in ("ident",) or self.peek()[1] in ("*", "[", "<-"):
            self.parse_type()

    def parse_struct(self) -> Struct:
        self.expect("{")
        fields: list[Field] = []
        while True:
            self.skip_newlines()
            if self.peek()[1] == "}":
                self.i += 1
                return Struct(tuple(fields))
            fields.extend(self.parse_field())

    def parse_field(self) -> list[Field]:
        first, second = self.peek(), self.peek(1)
        ends = ("nl", "raw", "str", "comment")
        embedded = first[1] == "*" or (
            first[0] == "ident" and (second[0] in ends or second[1] in (";", "}", "."))
        )
        if embedded:
            go_type = self.parse_type()
            base = go_type.elem if isinstance(go_type, Pointer) else go_type
            name = base.name if isinstance(base, Named) else "?"
            return [Field(name, go_type, self.tag(), embedded=True)]
        names = [self.next()[1]]
        while self.peek()[1] == ",":
            self.i += 1
            names.append(self.next()[1])
        go_type = self.parse_type()
        tag = self.tag()
        return [Field(name, go_type, tag, embedded=False) for name in names]

    def tag(self) -> str:
        kind, value = self.peek()
        if kind in ("raw", "str"):
            self.i += 1
            return value[1:-1]
        return ""
