"""The generated client's API reference: a page per tag of `libpod_client`, one of models.

Run by mkdocs-gen-files while `make docs` builds the site (mkdocs.yml). The pages are read
off the generated modules themselves, statically (``ast``, nothing is imported), so they
follow every regeneration and are never edited: for each operation its module, method and
path (the module's ``_OPERATION``), the parameters and success type of ``sync``, and the
first line of its docstring; each model named there links to its entry on the models page,
which lists every field with its type.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generated" / "libpod_client"
OUT = Path("reference") / "libpod_client"
# "volume_list_libpod (GET /libpod/volumes/json)"
OPERATION_LINE = re.compile(r"^(?P<name>\w+) \((?P<method>[A-Z]+) (?P<path>\S+)\)$")
IDENTIFIER = re.compile(r"\b([A-Z][A-Za-z0-9]+)\b")


@dataclass(frozen=True)
class Parameter:
    name: str
    annotation: str
    required: bool


@dataclass(frozen=True)
class Operation:
    tag: str
    module: str
    method: str
    path: str
    summary: str
    parameters: tuple[Parameter, ...]
    returns: str


@dataclass(frozen=True)
class Model:
    name: str
    module: str
    summary: str
    fields: tuple[Parameter, ...]


def _function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise LookupError(f"no function {name}")


def _operation_line(tree: ast.Module) -> re.Match[str]:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_OPERATION" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found = OPERATION_LINE.match(node.value.value)
            if found:
                return found
    raise LookupError("no _OPERATION line")


def _summary(node: ast.FunctionDef | ast.ClassDef) -> str:
    doc = ast.get_docstring(node) or ""
    first = next((line.strip() for line in doc.splitlines() if line.strip()), "")
    return "" if first.startswith("Attributes:") else first


def _parameters(function: ast.FunctionDef) -> tuple[Parameter, ...]:
    args = function.args
    positional = [(arg, None) for arg in args.args]
    keyword = list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    found = []
    for arg, default in positional + keyword:
        if arg.arg == "client" or arg.annotation is None:
            continue
        found.append(Parameter(arg.arg, ast.unparse(arg.annotation), default is None))
    return tuple(found)


def read_operation(tag: str, path: Path) -> Operation:
    """One endpoint module, read statically."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    line = _operation_line(tree)
    sync = _function(tree, "sync")
    returns = ast.unparse(sync.returns) if sync.returns is not None else "None"
    return Operation(
        tag=tag,
        module=f"libpod_client.api.{tag}.{path.stem}",
        method=line["method"],
        path=line["path"],
        summary=_summary(sync),
        parameters=_parameters(sync),
        returns=returns,
    )


def operations(package: Path = PACKAGE) -> Iterator[Operation]:
    """Every operation module under ``package/api``, by tag and name."""
    for tag_dir in sorted(p for p in (package / "api").iterdir() if p.is_dir()):
        for path in sorted(tag_dir.glob("*.py")):
            if path.name != "__init__.py":
                yield read_operation(tag_dir.name, path)


def models(package: Path = PACKAGE) -> Iterator[Model]:
    """Every model class under ``package/models``, with its annotated fields."""
    for path in sorted((package / "models").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                fields = tuple(
                    Parameter(item.target.id, ast.unparse(item.annotation), item.value is None)
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                )
                yield Model(node.name, f"libpod_client.models.{path.stem}", _summary(node), fields)


def anchor(name: str) -> str:
    """The models page's anchor for ``name``: its heading, which toc lowercases."""
    return name.lower()


def _linked(annotation: str, known: set[str]) -> str:
    """``annotation`` as code, each model in it a link to the models page."""
    out = []
    for part in IDENTIFIER.split(annotation):
        if part in known:
            out.append(f"[`{part}`](models.md#{anchor(part)})")
        elif part.strip():
            out.append(f"`{part}`")
    # A table cell: its pipes would end the cell.
    return " ".join(out).replace("|", "\\|")


def render_tag(tag: str, found: Iterable[Operation], known: set[str]) -> str:
    """The page of one tag: a section per operation."""
    lines = [f"# {tag}", ""]
    lines.append(
        f"The operations of the spec's `{tag}` tag. Each module has `sync`, "
        "`sync_detailed`, `asyncio` and `asyncio_detailed` with the parameters below "
        "(and `client=`); streaming ones also `stream` and `asyncio_stream`."
    )
    for operation in found:
        name = operation.module.rsplit(".", 1)[1]
        lines += ["", f"## {name}", "", f"`{operation.method} {operation.path}`"]
        if operation.summary:
            lines += ["", operation.summary]
        lines += ["", f"Module: `{operation.module}`", ""]
        lines += [f"Success type: {_linked(operation.returns, known)}", ""]
        if operation.parameters:
            lines += ["| Parameter | Type | Required |", "|---|---|---|"]
            lines += [
                f"| `{p.name}` | {_linked(p.annotation, known)} | {'yes' if p.required else ''} |"
                for p in operation.parameters
            ]
    return "\n".join(lines) + "\n"


def render_models(found: Iterable[Model], known: set[str]) -> str:
    lines = ["# Models", "", "The attrs classes of `libpod_client.models`, with their fields."]
    for model in found:
        lines += ["", f"## {model.name}", "", f"`{model.module}`"]
        if model.summary:
            lines += ["", model.summary]
        if model.fields:
            lines += ["", "| Field | Type |", "|---|---|"]
            lines += [f"| `{f.name}` | {_linked(f.annotation, known)} |" for f in model.fields]
    return "\n".join(lines) + "\n"


def render_index(by_tag: dict[str, list[Operation]]) -> str:
    lines = [
        "# libpod_client",
        "",
        "The generated client, one page per tag of Podman's spec, and its models. "
        "`PodmanClient.api` is this client bound to a connection "
        "([The whole libpod API](../../api.md)).",
        "",
        "| Tag | Operations |",
        "|---|---|",
    ]
    lines += [f"| [{tag}]({tag}.md) | {len(ops)} |" for tag, ops in by_tag.items()]
    lines += ["", "[Models](models.md)"]
    return "\n".join(lines) + "\n"


def pages(package: Path = PACKAGE) -> dict[str, str]:
    """Page path (below the docs) -> Markdown, for the whole generated client."""
    all_models = list(models(package))
    known = {model.name for model in all_models}
    by_tag: dict[str, list[Operation]] = {}
    for operation in operations(package):
        by_tag.setdefault(operation.tag, []).append(operation)
    out = {str(OUT / f"{tag}.md"): render_tag(tag, ops, known) for tag, ops in by_tag.items()}
    out[str(OUT / "models.md")] = render_models(all_models, known)
    out[str(OUT / "index.md")] = render_index(by_tag)
    return out


def main() -> None:
    import mkdocs_gen_files  # type: ignore[import-not-found]  # noqa: PLC0415 - only in the docs venv

    for name, text in pages().items():
        with mkdocs_gen_files.open(name, "w") as page:
            page.write(text)


if __name__ in ("__main__", "<run_path>"):
    main()
