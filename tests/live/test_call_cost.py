"""What a call costs the client besides its I/O: no search for a module. httpcore
imports sniffio for every async lock it makes; where sniffio is not installed, each of
those failed imports searched sys.path, four times a request (a third of the CPU of
an async call), so podman-sdk depends on sniffio."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

from podman_sdk import PodmanClient


class ImportSpy(importlib.abc.MetaPathFinder):
    """Notes every module the import system looks for (and finds none itself)."""

    def __init__(self) -> None:
        self.looked_for: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        self.looked_for.append(fullname)
        return None


def test_calls_look_for_no_module(client: PodmanClient) -> None:
    # The first calls negotiate and load what the verbs need.
    client.images.list()
    assert client.images.exists("localhost/sdk-call-cost/missing:1") is False
    spy = ImportSpy()
    sys.meta_path.insert(0, spy)
    try:
        for _ in range(3):
            client.images.list()
            client.images.exists("localhost/sdk-call-cost/missing:1")
    finally:
        sys.meta_path.remove(spy)
    assert spy.looked_for == []
