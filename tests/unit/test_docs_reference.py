"""The generated client's reference pages (scripts/docs_reference.py) cover it whole."""

from __future__ import annotations

import re
from pathlib import Path

import docs_reference
import libpod_client.api


def test_every_operation_module_has_an_entry() -> None:
    api = Path(libpod_client.api.__file__).parent
    modules = {
        f"libpod_client.api.{p.parent.name}.{p.stem}"
        for p in api.glob("*/*.py")
        if p.name != "__init__.py"
    }
    assert {op.module for op in docs_reference.operations()} == modules


def test_an_operation_reads_as_its_module_says() -> None:
    (found,) = [
        op
        for op in docs_reference.operations()
        if op.module == "libpod_client.api.volumes.volume_list_libpod"
    ]
    assert (found.method, found.path) == ("GET", "/libpod/volumes/json")
    assert found.returns == "list[VolumeConfigResponse]"
    assert [p.name for p in found.parameters] == ["filters", "call_timeout"]


def test_every_model_link_has_its_heading() -> None:
    pages = docs_reference.pages()
    models = pages["reference/libpod_client/models.md"]
    headings = set(re.findall(r"^## (\w+)$", models, re.MULTILINE))
    linked = {name for text in pages.values() for name in re.findall(r"\(models\.md#(\w+)\)", text)}
    assert linked, "no page links a model"
    assert linked <= {docs_reference.anchor(name) for name in headings}
