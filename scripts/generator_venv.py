"""openapi-python-client, run from a venv of its own.

The generator pins httpx<0.29; installed into .venv it would hold back the httpx the
tests run on below what a user's `pip install` picks. So it lives in
.cache/generator-venv (`make` builds it from pyproject's `generator` group;
PODMAN_SDK_GENERATOR_VENV points elsewhere), and the pipeline, running in .venv, reaches
it only through subprocesses: its version, its templates, the names it gives
definitions, and the generator itself.
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from pathlib import Path

from spec_source import ROOT

DEFAULT_VENV = ROOT / ".cache" / "generator-venv"
# openapi-python-client's default `field_prefix`; spec/generator.yaml keeps it.
FIELD_PREFIX = "field_"

_INFO = """
import importlib.metadata, json, pathlib, openapi_python_client
print(json.dumps({
    "version": importlib.metadata.version("openapi-python-client"),
    "templates": str(pathlib.Path(openapi_python_client.__file__).parent / "templates"),
}))
"""

_NAMES = """
import json, sys
from openapi_python_client.strings import ClassName, PythonIdentifier
prefix, names = json.load(sys.stdin)
answer = {}
for name in names:
    class_name = ClassName(name, prefix)
    answer[name] = [str(class_name), str(PythonIdentifier(class_name, prefix))]
print(json.dumps(answer))
"""

_MODULES = """
import json, sys
from openapi_python_client.strings import PythonIdentifier
print(json.dumps({name: str(PythonIdentifier(name, prefix="")) for name in json.load(sys.stdin)}))
"""


class GeneratorVenvError(Exception):
    """The generator's venv is missing or does not run."""


def venv_dir() -> Path:
    return Path(os.environ.get("PODMAN_SDK_GENERATOR_VENV") or DEFAULT_VENV)


def executable(name: str) -> Path:
    """A program of the generator's venv (its python, openapi-python-client)."""
    path = venv_dir() / "bin" / name
    if not path.exists():
        raise GeneratorVenvError(
            f"{path} does not exist: the generator has a venv of its own. Run "
            "`make .cache/generator-venv/.installed` (or any of `make generate`, "
            "`make check-generated`, `make test`), which installs pyproject's `generator` group."
        )
    return path


def _ask(script: str, stdin: str = "") -> str:
    result = subprocess.run(
        [str(executable("python")), "-c", script],
        input=stdin, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise GeneratorVenvError(f"{venv_dir()}: {result.stderr.strip()}")
    return result.stdout


@cache
def info() -> dict[str, str]:
    """{"version": the installed openapi-python-client, "templates": its template dir}."""
    answer: dict[str, str] = json.loads(_ask(_INFO))
    return answer


# Names already asked for: the pipeline asks for the same ones many times (go_schema
# checks every new definition against all the others), one subprocess each would take minutes.
_NAMES_SEEN: dict[str, tuple[str, str]] = {}


def python_names(definitions: list[str]) -> dict[str, tuple[str, str]]:
    """Each definition's (class name, module name) as the generator gives them: one
    subprocess for all those not asked for before."""
    missing = sorted(set(definitions) - _NAMES_SEEN.keys())
    if missing:
        answer = json.loads(_ask(_NAMES, json.dumps([FIELD_PREFIX, missing])))
        _NAMES_SEEN.update((name, (pair[0], pair[1])) for name, pair in answer.items())
    return {name: _NAMES_SEEN[name] for name in definitions}


def module_names(operations: list[str]) -> dict[str, str]:
    """Each operation id's endpoint module name as the generator gives it."""
    if not operations:
        return {}
    answer: dict[str, str] = json.loads(_ask(_MODULES, json.dumps(sorted(set(operations)))))
    return answer
