"""Find and parse the Go packages of one source tree (go_types reads the declarations).

Files are chosen as `go build` on linux/amd64 without extra tags would: `_test.go`,
other systems' `_GOOS.go` files and files whose `//go:build` line is false are left
out. A package is found in the module's own tree or under vendor/; the few standard
library types Podman's API uses are declared in STDLIB below, with their
`encoding/json` behaviour.
"""

from __future__ import annotations

import re
from pathlib import Path

from go_types import GoSourceError, GoType, Named, Package, Parser, TypeDecl, tokenize

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


def parse_type_expression(text: str, package: Package, loader: Loader) -> GoType:
    """A Go type written out (`struct { Stream string `json:"stream"` }`), read as if in
    `package`: for a handler's anonymous struct."""
    return Parser(tokenize(text), package, loader).parse_type()


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
                    Parser(tokenize(text), package, self).parse_file()
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
