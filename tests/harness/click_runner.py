"""click's CliRunner with stdout and stderr kept apart on every click the cli extra
allows: click 8.2 always keeps them apart and dropped the option, click 8.1 (the lowest
allowed, run by the test matrix's lowest cell) mixes them unless told not to."""

from __future__ import annotations

import importlib.metadata
from typing import Any

from click.testing import CliRunner

_CLICK = tuple(int(part) for part in importlib.metadata.version("click").split(".")[:2])


def cli_runner() -> CliRunner:
    options: dict[str, Any] = {"mix_stderr": False} if _CLICK < (8, 2) else {}
    return CliRunner(**options)
