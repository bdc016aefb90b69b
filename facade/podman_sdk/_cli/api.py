"""``api``: any operation of the generated client, called by name, for what the other
commands do not cover.

An operation is a module of ``libpod_client.api`` (``container_list_libpod``); its
parameters are those of its ``sync`` (path parameters included), given as ``NAME=VALUE``
(the grammar and the type check are `arguments`'). Every value is checked before the
client is even opened: an unknown operation or parameter, a missing required one or a
value of the wrong type is a usage error (exit 2) naming it, and nothing is sent.

The operations are indexed only when the command runs, and a module is imported only
when it is named (``--list`` imports them all, about 200, in a fraction of a second).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import inspect
import pkgutil
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Literal, get_args, get_origin

import click
import libpod_client.api
from click.shell_completion import CompletionItem
from libpod_client import _streams, client, models
from libpod_client import types as libpod_types
from libpod_client.types import File, Frame

from podman_sdk._cli.arguments import CLIENT, call_arguments, parameter_name, union_members
from podman_sdk._cli.connect import settings
from podman_sdk._cli.output import emit, emit_json, stdout_is_terminal
from podman_sdk._cli.streams import (
    binary_stderr,
    binary_stdout,
    json_value,
    until_interrupted,
    write_item,
)
from podman_sdk._core._error_mapping import local_file
from podman_sdk.images._archive import written_beside

# Every generated call takes it; the CLI leaves calls to the client's timeouts.
TIMEOUT = "call_timeout"


class _TypeNames(Mapping[str, object]):
    """The names the generated annotations use but import only for type checkers:
    the shared types, the client classes, the models (loaded on demand)."""

    _SOURCES = (libpod_types, client, contextlib, _streams)

    def __getitem__(self, name: str) -> object:
        for source in self._SOURCES:
            if hasattr(source, name):
                return getattr(source, name)
        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass(frozen=True)
class Operation:
    """One module of ``libpod_client.api``."""

    name: str
    module: types.ModuleType

    @property
    def label(self) -> str:
        """``container_list_libpod (GET /libpod/containers/json)``."""
        return str(self.module._OPERATION)

    @property
    def route(self) -> tuple[str, str]:
        """The method and the path template: ``("GET", "/libpod/containers/json")``."""
        method, _, path = self.label.partition(" (")[2].rstrip(")").partition(" ")
        return method, path

    @property
    def streams(self) -> bool:
        return hasattr(self.module, "stream")

    def signature(self, function: str = "sync") -> inspect.Signature:
        return _signature(getattr(self.module, function))

    def parameters(self) -> dict[str, inspect.Parameter]:
        """The user's parameters of ``sync``, annotations resolved to types."""
        found = self.signature().parameters
        return {
            name: parameter for name, parameter in found.items() if name not in (CLIENT, TIMEOUT)
        }

    def answers_bytes(self, *, stream: bool) -> bool:
        """Whether the answer is raw bytes (a ``File``, or a stream of ``bytes``)."""
        if not stream:
            return self.signature().return_annotation is File
        # AbstractContextManager[Stream[item]]
        (items,) = get_args(self.signature("stream").return_annotation)
        return get_args(items) == (bytes,)


@functools.cache
def _signature(function: Callable[..., object]) -> inspect.Signature:
    return inspect.signature(function, eval_str=True, locals=_TypeNames())


@functools.cache
def operation_index() -> dict[str, str]:
    """Every operation's name and its module's dotted path, found by walking the
    subpackages of ``libpod_client.api`` (one per tag) without importing them all."""
    index: dict[str, str] = {}
    root = libpod_client.api
    for tag in pkgutil.iter_modules(root.__path__, root.__name__ + "."):
        package = importlib.import_module(tag.name)
        for module in pkgutil.iter_modules(package.__path__, tag.name + "."):
            index[module.name.rpartition(".")[2]] = module.name
    return index


def find_operation(name: str) -> Operation:
    """The operation called ``name``, or a usage error suggesting close names."""
    path = operation_index().get(name)
    if path is None:
        close = difflib.get_close_matches(name, operation_index(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `api --list`)"
        raise click.BadParameter(f"unknown operation {name!r}{hint}", param_hint="'OPERATION'")
    return Operation(name, importlib.import_module(path))


def operation_entry(operation: Operation) -> dict[str, object]:
    method, path = operation.route
    return {
        "Operation": operation.name,
        "Method": method,
        "Path": path,
        "Stream": operation.streams,
    }


def list_operations(word: str) -> list[Operation]:
    """The operations whose name, method or route contains ``word`` (any case)."""
    found = (find_operation(name) for name in sorted(operation_index()))
    return [operation for operation in found if word.lower() in operation.label.lower()]


# -- completion --------------------------------------------------------------------


def operation_candidates(incomplete: str) -> list[str]:
    return [name for name in sorted(operation_index()) if name.startswith(incomplete)]


def parameter_candidates(operation: str, given: Sequence[str], incomplete: str) -> list[str]:
    """``NAME=`` for each parameter not given yet; after ``NAME=``, the values of a
    boolean or a literal."""
    if operation not in operation_index():
        return []
    parameters = find_operation(operation).parameters()
    name, sep, _ = incomplete.partition("=")
    if sep:
        known = parameter_name(name, parameters)
        kind = union_members(parameters[known].annotation)[0] if known else None
        values = ["true", "false"] if kind is bool else []
        if get_origin(kind) is Literal:
            values = [str(value) for value in get_args(kind)]
        return [f"{name}={value}" for value in values if f"{name}={value}".startswith(incomplete)]
    taken = {parameter_name(pair.partition("=")[0], parameters) for pair in given}
    return [f"{name}=" for name in parameters if name not in taken and name.startswith(incomplete)]


def complete_operation(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return [CompletionItem(name) for name in operation_candidates(incomplete)]


def complete_pair(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    operation = ctx.params.get("operation") or ""
    given = ctx.params.get("pairs") or ()
    return [CompletionItem(text) for text in parameter_candidates(operation, given, incomplete)]


# -- the command -------------------------------------------------------------------


def open_body_file(path: str) -> BinaryIO:
    """A raw body's file (``-``: stdin), closed when the command ends."""
    if path == "-":
        return sys.stdin.buffer
    with local_file("cannot read", path):
        file = open(path, "rb")  # noqa: SIM115  # closed with the command's context
    click.get_current_context().call_on_close(file.close)
    return file


@contextlib.contextmanager
def bytes_target(output: Path | None) -> Iterator[IO[bytes]]:
    """Where a bytes answer goes: ``output`` (complete, or not at all) or stdout."""
    if output is None:
        yield binary_stdout()
        return
    with written_beside(output) as file:
        yield file


def print_answer(answer: object, output: Path | None, as_json: bool) -> None:
    """A whole answer: bytes raw, text as text, container output demultiplexed,
    anything else as JSON; None prints nothing."""
    if answer is None:
        return
    if isinstance(answer, File):
        with bytes_target(output) as out:
            out.write(answer.payload.read())
        return
    if isinstance(answer, str) and not as_json:
        emit(answer.rstrip("\n"))
        return
    if isinstance(answer, list) and answer and not as_json and isinstance(answer[0], Frame):
        out, err = binary_stdout(), binary_stderr()
        for frame in answer:
            write_item(frame, out, err)
        return
    emit_json(json_value(answer))


@click.command(short_help="Call any API operation by name (see --list).")
@click.argument("operation", required=False, shell_complete=complete_operation)
@click.argument(
    "pairs", nargs=-1, metavar="[PATH-PARAMETER]... [NAME=VALUE]...", shell_complete=complete_pair
)
@click.option(
    "--list", "listing", is_flag=True, help="List the operations; OPERATION then filters them."
)
@click.option(
    "--stream", "streaming", is_flag=True, help="Print the items as they arrive (Ctrl-C ends)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a bytes answer (an export, an archive) to FILE.",
)
def api(
    operation: str | None,
    pairs: tuple[str, ...],
    listing: bool,
    streaming: bool,
    output: Path | None,
) -> None:
    """Call OPERATION, a module of libpod_client.api, with its sync() parameters.

    \b
      podman-sdk api --list volume
      podman-sdk api container_list_libpod all=true
      podman-sdk api volume_create_libpod 'body={"Name": "v1"}'
      podman-sdk api image_load_libpod body=@image.tar
      podman-sdk api --stream container_stats_libpod

    A path parameter may be given by its value alone, in the route's order
    (podman-sdk api container_wait_libpod mycontainer). NAME is a parameter of
    sync(), path parameters included (all stands for all_). VALUE is JSON when it parses as JSON, else the text: a string parameter
    takes a JSON scalar as its text, a list takes one string as a list of one,
    null leaves an optional parameter unset. body is the JSON of the operation's
    model; a raw body is @FILE (@- for stdin) or the text. Values are checked
    before anything is sent; a wrong one exits 2.

    The answer prints as JSON (a model's to_dict(), lists as arrays); text as text;
    bytes raw on stdout or to --output FILE; container output with its stdout and
    stderr apart. --stream prints each item as it arrives: a JSON line, raw bytes,
    or output frames. Without it the whole answer is read first, so an endless one
    (events, stats) needs --stream (Ctrl-C ends it) or stream=false.
    """
    state = settings()
    if listing:
        if pairs:
            raise click.UsageError("--list takes one WORD at most")
        found = list_operations(operation or "")
        if not found:
            raise click.ClickException(f"no operation matches {operation!r} (see `api --list`)")
        if state.as_json:
            emit_json([operation_entry(entry) for entry in found])
        else:
            emit(
                "\n".join(
                    entry.label + ("  [--stream]" if entry.streams else "") for entry in found
                )
            )
        return
    if operation is None:
        raise click.UsageError("give an OPERATION, or --list [WORD]")
    chosen = find_operation(operation)
    if streaming and not chosen.streams:
        raise click.UsageError(f"{chosen.name} has no stream; leave --stream out")
    raw = chosen.answers_bytes(stream=streaming)
    if output is not None and not raw:
        raise click.UsageError(f"{chosen.name} does not answer bytes; --output is for those")
    if output is None and raw and stdout_is_terminal():
        raise click.UsageError("give --output FILE, or redirect stdout to a file or pipe")
    arguments = call_arguments(chosen.name, chosen.parameters(), pairs, open_body_file)
    bound = state.client().api
    if not streaming:
        print_answer(chosen.module.sync(client=bound, **arguments), output, state.as_json)
        return
    with (
        until_interrupted(),
        bytes_target(output) as out,
        chosen.module.stream(client=bound, **arguments) as items,
    ):
        for item in items:
            write_item(item, out, binary_stderr())
