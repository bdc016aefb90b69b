"""Read Go type declarations, as far as `encoding/json` sees them, without a Go toolchain.

Grammar read (a subset of the Go spec; everything else is skipped by bracket depth):

    import "path" | import name "path" | import ( ... )
    type Name Type | type Name = Type | type Name[Params] Type | type ( ... )
    func (recv [*]Name) MarshalJSON | MarshalText ...     (only noted: the type marshals itself)
    Type := *Type | []Type | [N]Type | map[Type]Type | chan Type | func(...) ...
          | struct { Field... } | interface { ... } | Name | pkg.Name | Name[Args] | (Type)
    Field := Name {, Name} Type [tag] | [*]TypeName [tag]        (the second: embedded)

A qualified name is resolved through the imports of the file it is written in, to the
package's import path; builtin names get the path "". Files are chosen as `go build`
on linux/amd64 without extra tags would: `_test.go`, other systems' `_GOOS.go` files
and files whose `//go:build` line is false are left out. A package is found in the
module's own tree or under vendor/; the few standard library types Podman's API uses
are declared in STDLIB below, with their `encoding/json` behaviour.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path


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
GOOS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
GOARCH = frozenset(
    [
        "386",
        "amd64",
        "arm",
        "arm64",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "ppc64",
        "ppc64le",
        "riscv64",
        "s390x",
        "wasm",
    ]
)
TRUE_TAGS = frozenset({"linux", "amd64", "unix", "cgo", "gc"})


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


def build_constraint_holds(expression: str) -> bool:
    """Evaluate a `//go:build` expression for linux/amd64, default tags."""

    def tag(match: re.Match[str]) -> str:
        name = match.group()
        if name in ("and", "or", "not"):
            return name
        holds = name in TRUE_TAGS or name.startswith("go1.")
        return "True" if holds else "False"

    python = expression.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    python = re.sub(r"[A-Za-z0-9_.]+", tag, python)
    # Every name is now True or False: what is left is a boolean expression.
    return bool(eval(python, {"__builtins__": {}}))


def file_selected(path: Path, text: str) -> bool:
    parts = path.stem.split("_")
    if path.name.endswith("_test.go"):
        return False
    suffix = parts[1:][-2:]
    for part in suffix:
        if (part in GOOS and part != "linux") or (part in GOARCH and part != "amd64"):
            return False
    for line in text.splitlines():
        if line.startswith("//go:build "):
            return build_constraint_holds(line.removeprefix("//go:build "))
        if line.startswith("package "):
            break
    return True


class _Parser:
    """One file's tokens -> declarations in `package`."""

    def __init__(self, tokens: list[tuple[str, str]], package: Package, loader: Loader):
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


def parse_type_expression(text: str, package: Package, loader: Loader) -> GoType:
    """A Go type written out (`struct { Stream string `json:"stream"` }`), read as if in
    `package`: for a handler's anonymous struct."""
    return _Parser(tokenize(text), package, loader).parse_type()


class Loader:
    """Packages of one source tree (the module, its vendor/ and STDLIB), parsed once."""

    def __init__(self, root: Path, stdlib: dict[str, str] | None = None):
        self.root = root
        module = re.search(r"^module\s+(\S+)", (root / "go.mod").read_text(), re.M)
        if module is None:
            raise GoSourceError(f"{root}/go.mod names no module")
        self.module = module.group(1)
        self.stdlib = STDLIB if stdlib is None else stdlib
        self.packages: dict[str, Package | None] = {}
        self.names: dict[str, str] = {}

    def directory(self, path: str) -> Path:
        if path == self.module or path.startswith(self.module + "/"):
            return self.root / path.removeprefix(self.module).lstrip("/")
        return self.root / "vendor" / path

    def sources(self, path: str) -> list[tuple[Path, str]]:
        if path in self.stdlib:
            return [(Path(f"{path}/stub.go"), self.stdlib[path])]
        directory = self.directory(path)
        files = sorted(directory.glob("*.go")) if directory.is_dir() else []
        texts = [(f, f.read_text(errors="replace")) for f in files]
        return [(f, text) for f, text in texts if file_selected(f, text)]

    def package_name(self, path: str) -> str:
        if path not in self.names:
            name = path.rsplit("/", 1)[-1]
            for _, text in self.sources(path)[:1]:
                found = re.search(r"^package\s+(\w+)", text, re.M)
                name = found.group(1) if found else name
            self.names[path] = name
        return self.names[path]

    def package(self, path: str) -> Package | None:
        """The parsed package, or None when the tree does not have it."""
        if path not in self.packages:
            sources = self.sources(path)
            package = Package(path, self.package_name(path)) if sources else None
            for file, text in sources:
                assert package is not None
                try:
                    _Parser(tokenize(text), package, self).parse_file()
                except (GoSourceError, IndexError, ValueError) as exc:
                    raise GoSourceError(f"{file}: {exc}") from exc
            self.packages[path] = package
        return self.packages[path]

    def decl(self, named: Named) -> TypeDecl | None:
        package = self.package(named.pkg) if named.pkg else None
        return package.decls.get(named.name) if package else None

    def resolve_alias(self, named: Named) -> Named:
        """Follow `type A = B` to the type A stands for."""
        seen = set()
        while named not in seen:
            seen.add(named)
            decl = self.decl(named)
            if decl is None or not decl.alias or not isinstance(decl.type, Named):
                return named
            named = decl.type
        return named

    def marshals(self, named: Named) -> bool:
        package = self.package(named.pkg) if named.pkg else None
        return package is not None and named.name in package.marshalers

    def marshals_text(self, named: Named) -> bool:
        package = self.package(named.pkg) if named.pkg else None
        return package is not None and named.name in package.text_marshalers


# The standard library types that Podman's API types hold, declared as Go so the one
# parser reads them; a Marshal method here says the type writes itself (time.Time as
# an RFC 3339 string, net.IP as text).
STDLIB = {
    "time": "package time\ntype Time struct{}\nfunc (t Time) MarshalJSON()\n"
    "type Duration int64\ntype Month int\ntype Weekday int\n",
    "net": "package net\ntype IP []byte\nfunc (ip IP) MarshalText()\ntype IPMask []byte\n"
    "type IPNet struct {\n IP IP\n Mask IPMask\n}\ntype HardwareAddr []byte\n",
    "net/netip": "package netip\ntype Addr struct{}\nfunc (a Addr) MarshalText()\n"
    "type Prefix struct{}\nfunc (p Prefix) MarshalText()\n",
    "os": 'package os\nimport "io/fs"\ntype FileMode = fs.FileMode\n',
    "io/fs": "package fs\ntype FileMode uint32\n",
    "syscall": "package syscall\ntype Signal int\n",
    "encoding/json": "package json\ntype RawMessage []byte\nfunc (m RawMessage) MarshalJSON()\n",
    "math/big": "package big\ntype Int struct{}\nfunc (x *Int) MarshalJSON()\n",
    "net/url": "package url\ntype URL struct{}\nfunc (u *URL) MarshalBinary()\n",
}
