"""The arguments of ``podman-sdk api``: ``NAME=VALUE`` pairs checked against the
annotations of a generated ``sync()`` before anything is sent.

The grammar of one argument:

- VALUE is JSON when it parses as JSON, else the text as typed. A string parameter
  takes a JSON scalar as its text (``name=123`` is the name "123"); a list takes one
  string as a list of one; ``null`` leaves an optional parameter unset.
- ``body`` is the JSON of the operation's model, built with its ``from_dict``; a raw
  (``File``) body is ``@PATH`` (``@-``: stdin) or the text itself.
- ``all`` also names ``all_`` (the generator's spelling of names Python reserves).

The types checked: str, int, float, bool, literals, lists and sequences, maps (the
filters' ``Mapping[str, Sequence[str]]``), models, ``File``, each optional with
``Unset``. Pure functions: opening a ``@PATH`` is the caller's ``open_file``.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import types
from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO, Literal, Union, get_args, get_origin

import click
from libpod_client.errors import ShapeError
from libpod_client.types import UNSET, File, Unset

# The parameter of every generated function that is not the user's to give.
CLIENT = "client"
_SHOWN_VALUE = 60
OpenFile = Callable[[str], BinaryIO]


class NotAccepted(ValueError):
    """A value that does not fit its parameter's type."""


def union_members(kind: object) -> tuple[object, ...]:
    """A union's types, ``Unset`` left out; any other type alone."""
    if get_origin(kind) in (Union, types.UnionType):
        return tuple(member for member in get_args(kind) if member is not Unset)
    return (kind,)


def is_optional(kind: object) -> bool:
    return Unset in get_args(kind)


def describe(kind: object) -> str:
    """What a value of ``kind`` is, as a message says it."""
    origin, args = get_origin(kind), get_args(kind)
    if (alternatives := union_members(kind)) != (kind,):
        return " or ".join(dict.fromkeys(describe(member) for member in alternatives))
    if origin is Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (list, Sequence):
        return f"a list of ({describe(args[0])})"
    if origin is Mapping:
        return f"an object of ({describe(args[1])})"
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if kind is File:
        return "@FILE or text"
    if isinstance(kind, type):
        return names.get(kind, f"the JSON of {kind.__name__}")
    return str(kind)


def _shown(value: object) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 3] + "..."


def check_value(value: object, kind: object, where: str) -> object:
    """``value`` (decoded JSON) as a ``kind`` argument; `NotAccepted` naming ``where``
    (the parameter, then the place inside it) when it does not fit."""
    refused = NotAccepted(f"{where}: expected {describe(kind)}, got {_shown(value)}")
    alternatives = union_members(kind)
    if value is None and is_optional(kind):
        return UNSET
    if alternatives != (kind,):
        if len(alternatives) == 1:
            return check_value(value, alternatives[0], where)
        for member in alternatives:
            with contextlib.suppress(NotAccepted):
                return check_value(value, member, where)
        raise refused
    origin, args = get_origin(kind), get_args(kind)
    if origin is Literal:
        if isinstance(value, str) and value in args:
            return value
    elif origin in (list, Sequence):
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list):
            return [check_value(item, args[0], f"{where}[{i}]") for i, item in enumerate(items)]
    elif origin is Mapping:
        if isinstance(value, dict):
            return {
                key: check_value(item, args[1], f"{where}.{key}") for key, item in value.items()
            }
    elif kind in (str, bool):
        if type(value) is kind:
            return value
    elif kind is int:
        if type(value) is int:
            return value
    elif kind is float:
        if type(value) in (int, float):
            return float(value)  # type: ignore[arg-type]  # an int or a float
    elif callable(from_dict := getattr(kind, "from_dict", None)) and isinstance(value, dict):
        try:
            return from_dict(value)
        except (ShapeError, TypeError, ValueError, KeyError) as problem:
            raise NotAccepted(f"{where}: {problem}") from None
    raise refused


def decode(text: str) -> tuple[object, bool]:
    """``text`` as JSON when it parses, else the text itself; and whether it parsed."""
    try:
        return json.loads(text), True
    except ValueError:
        return text, False


def argument_value(text: str, kind: object, where: str, open_file: OpenFile) -> object:
    """The argument ``NAME=text`` gives a parameter of type ``kind``."""
    if File in union_members(kind):
        if text.startswith("@"):
            path = text[1:]
            return File(payload=open_file(path), file_name=os.path.basename(path) or None)
        return File(payload=io.BytesIO(text.encode()))
    value, parsed = decode(text)
    try:
        return check_value(value, kind, where)
    except NotAccepted:
        if not parsed or isinstance(value, dict | list):
            raise
        # A JSON scalar (123, true, null) is also its own text: a container named 123.
        with contextlib.suppress(NotAccepted):
            return check_value(text, kind, where)
        raise


def parameter_name(name: str, parameters: Mapping[str, inspect.Parameter]) -> str | None:
    """The parameter ``name`` stands for: itself, or ``all`` for ``all_``."""
    for candidate in (name, name + "_"):
        if candidate in parameters and candidate != CLIENT:
            return candidate
    return None


def _after_path_values(named: bool, left: Sequence[str], had_path: bool) -> str:
    """Why a bare value is refused: path parameters come first, and only so many."""
    if not had_path:
        return ""
    if named:
        return " (path parameters by value come before NAME=VALUE pairs)"
    return "" if left else " (every path parameter is given)"


def call_arguments(
    operation: str,
    parameters: Mapping[str, inspect.Parameter],
    pairs: Sequence[str],
    open_file: OpenFile,
) -> dict[str, object]:
    """The keyword arguments of ``operation``'s function with ``parameters`` from
    ``NAME=VALUE`` pairs; a usage error (exit 2) for a bad pair, an unknown, repeated
    or missing parameter, or a value that does not fit."""
    arguments: dict[str, object] = {}
    # Path parameters (sync's positional ones) may come first as bare values, in order.
    path_names = [
        name
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    named, had_path = False, bool(path_names)
    for pair in pairs:
        given, sep, text = pair.partition("=")
        if not sep and not named and path_names:
            given, text = path_names.pop(0), pair
        elif not sep or not given:
            raise click.BadParameter(
                f"{pair!r}: expected NAME=VALUE{_after_path_values(named, path_names, had_path)}",
                param_hint="'NAME=VALUE'",
            )
        else:
            named = True
        name = parameter_name(given, parameters)
        if name is None:
            known = ", ".join(parameters) or "none"
            raise click.BadParameter(
                f"{operation} has no parameter {given!r} (its parameters: {known})",
                param_hint="'NAME=VALUE'",
            )
        if name in arguments:
            raise click.BadParameter(f"{name} given twice", param_hint="'NAME=VALUE'")
        try:
            arguments[name] = argument_value(text, parameters[name].annotation, name, open_file)
        except NotAccepted as problem:
            raise click.BadParameter(str(problem), param_hint="'NAME=VALUE'") from None
    missing = [
        f"{name}="
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty and name not in arguments
    ]
    if missing:
        raise click.BadParameter(
            f"{operation} needs {', '.join(missing)}", param_hint="'NAME=VALUE'"
        )
    return arguments
