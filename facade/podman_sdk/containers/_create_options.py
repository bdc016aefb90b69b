"""PLACEHOLDER, to be replaced by the full creation keywords module at merge: only the
few keywords of podman-py's ``create()`` that the container verbs and their tests use,
mapped onto the generated `SpecGenerator`. Same names as the real module should have:
`CreateKeywords`, `RunKeywords` (``run()``'s share) and `spec_generator_from_keywords`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

from libpod_client.models import SpecGenerator

from podman_sdk._exceptions import InvalidArgument


class RunKeywords(TypedDict, total=False):
    """podman-py's ``create()`` keywords that ``run()`` passes on: all but those
    ``run()`` has as parameters of its own (``remove``, ``detach``), which a TypedDict
    given to ``**kwargs`` must not repeat (placeholder subset)."""

    name: str
    auto_remove: bool
    environment: Mapping[str, str] | Sequence[str]
    labels: Mapping[str, str]
    tty: bool
    stdin_open: bool
    cgroups_mode: str
    network_mode: str
    entrypoint: str | Sequence[str]
    working_dir: str
    user: str
    stop_signal: int


class CreateKeywords(RunKeywords, total=False):
    """podman-py's ``create()`` keywords (placeholder subset)."""

    detach: bool
    remove: bool


def _words(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def spec_generator_from_keywords(
    image: str, command: str | Sequence[str] | None, keywords: Mapping[str, object]
) -> SpecGenerator:
    """The `SpecGenerator` for ``image``, ``command`` and ``keywords``; an unknown
    keyword raises `InvalidArgument` naming it, before any request."""
    unknown = sorted(set(keywords) - set(CreateKeywords.__annotations__))
    if unknown:
        raise InvalidArgument(f"unknown create() keyword(s): {', '.join(unknown)}")
    body: dict[str, object] = {"image": image}
    if command is not None:
        body["command"] = _words(command)
    for key, field in (
        ("name", "name"),
        ("tty", "terminal"),
        ("stdin_open", "stdin"),
        ("cgroups_mode", "cgroups_mode"),
        ("working_dir", "work_dir"),
        ("user", "user"),
        ("stop_signal", "stop_signal"),
    ):
        if key in keywords:
            body[field] = keywords[key]
    if keywords.get("remove") or keywords.get("auto_remove"):
        body["remove"] = True
    environment = keywords.get("environment")
    if isinstance(environment, Mapping):
        body["env"] = dict(environment)
    elif isinstance(environment, Sequence) and not isinstance(environment, str):
        body["env"] = dict(str(item).partition("=")[::2] for item in environment)
    if "labels" in keywords:
        body["labels"] = keywords["labels"]
    entrypoint = keywords.get("entrypoint")
    if isinstance(entrypoint, str | Sequence):
        body["entrypoint"] = _words(entrypoint)
    network_mode = keywords.get("network_mode")
    if network_mode is not None:
        if network_mode != "none":
            raise InvalidArgument(f"network_mode={network_mode!r}: only 'none' in this placeholder")
        body["netns"] = {"nsmode": "none"}
    return SpecGenerator.from_dict(body)
