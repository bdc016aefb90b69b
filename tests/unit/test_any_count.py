"""any_count: where Any stands in a public signature of an endpoint module."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from any_count import AnyPlace, any_places, any_places_in_source
from libpod_client.types import RequestArguments

MODULE = """
from typing import Any
import typing


def _get_kwargs(*, filters: str | Unset = UNSET) -> dict[str, Any]:
    return {}


def _parse_response(*, response: Any) -> Any:
    return None


def sync_detailed(name: str, *, client: Client, body: typing.Any) -> Response[Any | None]:
    ...


def sync(name: str, *, client: Client) -> "list[Any]":
    ...


async def asyncio_detailed(name: str, *, client: Client) -> Response[Model]:
    ...


async def asyncio(name: Any, /, *, client: Client) -> Model:
    ...
"""


def test_every_public_annotation_with_any_is_found_and_nothing_else() -> None:
    assert sorted(any_places_in_source("m", MODULE)) == [
        AnyPlace("m", "asyncio", "name", "Any"),
        AnyPlace("m", "request_kwargs", "return", "dict[str, Any]"),
        AnyPlace("m", "sync", "return", "'list[Any]'"),
        AnyPlace("m", "sync_detailed", "body", "typing.Any"),
        AnyPlace("m", "sync_detailed", "return", "Response[Any | None]"),
    ]


def test_a_clean_module_has_none() -> None:
    clean = "def sync(*, client: Client) -> list[Model]:\n    ...\n"
    assert any_places_in_source("m", clean) == []


def test_places_read_as_module_function_and_annotation() -> None:
    assert str(AnyPlace("libpod_client.api.x.y", "sync", "return", "Any")) == (
        "libpod_client.api.x.y: sync -> Any"
    )
    assert str(AnyPlace("libpod_client.api.x.y", "sync", "body", "Any")) == (
        "libpod_client.api.x.y: sync (body: Any)"
    )


def test_a_tree_is_walked_by_module_name(tmp_path: Path) -> None:
    package = tmp_path / "libpod_client"
    (package / "api" / "things").mkdir(parents=True)
    (package / "api" / "__init__.py").write_text("def sync() -> Any: ...\n")
    (package / "api" / "things" / "thing_get.py").write_text(MODULE)
    found = any_places(package)
    assert {place.module for place in found} == {"libpod_client.api.things.thing_get"}
    assert len(found) == 5


def test_the_committed_tree_has_no_any_in_a_public_signature() -> None:
    generated = Path(__file__).parents[2] / "generated" / "libpod_client"
    assert any_places(generated) == []


def test_the_request_arguments_type_has_no_any() -> None:
    # request_kwargs returns RequestArguments: an Any in one of its fields would be an
    # Any in 192 public signatures that the syntactic count does not see.
    seen: list[object] = []

    def walk(hint: object) -> None:
        seen.append(hint)
        assert hint is not Any
        for argument in typing.get_args(hint):
            if isinstance(argument, typing.ForwardRef) or argument in seen:
                continue
            walk(argument)

    hints = typing.get_type_hints(RequestArguments)
    assert {"method", "url", "params", "headers", "json", "content"} <= set(hints)
    for hint in hints.values():
        walk(hint)
