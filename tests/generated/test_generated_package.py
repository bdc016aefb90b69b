"""The committed generated package: complete, importable, marked, lazy and typed."""

from __future__ import annotations

import importlib
import io
import pkgutil
import subprocess
import sys
import typing
from pathlib import Path

import httpx
import jinja2
import libpod_client
import libpod_client.api
import pytest
from libpod_client import models
from libpod_client.api.containers import generate_kube_libpod
from libpod_client.api.images import image_load_libpod
from libpod_client.models.generate_systemd_libpod_restart_policy import (
    GenerateSystemdLibpodRestartPolicy,
)
from libpod_client.types import File

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "libpod_client"
TEMPLATE = ROOT / "spec" / "templates" / "models_init.py.jinja"
ENDPOINT_TEMPLATE = ROOT / "spec" / "templates" / "endpoint_module.py.jinja"


def test_the_installed_package_is_the_committed_tree() -> None:
    assert Path(libpod_client.__file__).resolve().parent == PACKAGE


def test_every_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(libpod_client.__path__, "libpod_client.")]
    assert len(names) > 700
    for name in names:
        importlib.import_module(name)


def test_every_file_carries_the_do_not_edit_banner() -> None:
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    unmarked = [
        p
        for p in files
        if "Do not edit: change spec/ or scripts/ and run `make generate`" not in p.read_text()
    ]
    assert (PACKAGE / "py.typed") in files
    assert unmarked == []


def test_importing_one_endpoint_does_not_import_every_model() -> None:
    code = (
        "import sys\n"
        "import libpod_client.api.images.image_list_libpod\n"
        "print(sum(1 for m in sys.modules if m.startswith('libpod_client.models.')))\n"
    )
    loaded = int(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    total = len(list((PACKAGE / "models").glob("*.py"))) - 1
    assert 0 < loaded < 20 < total


def test_lazy_models_resolve_list_and_refuse_unknown_names() -> None:
    assert models.LibpodImageSummary.__module__ == "libpod_client.models.libpod_image_summary"
    assert "LibpodImageSummary" in dir(models)
    assert set(models.__all__) == set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_models_init_template_golden() -> None:
    environment = jinja2.Environment(
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    rendered = environment.from_string(TEMPLATE.read_text()).render(
        imports={"from .beta_model import BetaModel", "from .alpha import Alpha"},
        alls={"BetaModel", "Alpha"},
    )
    assert rendered == (Path(__file__).parent / "golden" / "models_init.py.txt").read_text()


def test_endpoint_template_golden() -> None:
    """Ours is the generator's endpoint module, whole, then the public builder name."""
    environment = jinja2.Environment(
        loader=jinja2.DictLoader(
            {"upstream/endpoint_module.py.jinja": "def _get_kwargs(): {{ endpoint }}\n"}
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    rendered = environment.from_string(ENDPOINT_TEMPLATE.read_text()).render(endpoint="x")
    assert rendered == (Path(__file__).parent / "golden" / "endpoint_module.py.txt").read_text()


def test_every_endpoint_module_exposes_its_request_builder() -> None:
    modules = [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(libpod_client.api.__path__, "libpod_client.api.")
        if not m.ispkg
    ]
    assert len(modules) > 150
    for module in modules:
        assert module.request_kwargs is module._get_kwargs, module.__name__


def test_generate_kube_yaml_is_text() -> None:
    """Override: the kube YAML response is text, not a binary File (BytesIO(str) fails)."""
    client = libpod_client.Client(base_url="http://d")
    response = httpx.Response(200, text="apiVersion: v1\nkind: Pod\n")
    assert (
        generate_kube_libpod._parse_response(client=client, response=response)
        == "apiVersion: v1\nkind: Pod\n"
    )


def test_load_takes_a_binary_body() -> None:
    """Rule binary_strings_are_binary: the load body is bytes sent as-is, not a str."""
    payload = io.BytesIO(b"\x00tar bytes\xff")
    kwargs = image_load_libpod._get_kwargs(body=File(payload=payload))
    assert kwargs["content"] is payload
    assert kwargs["headers"]["Content-Type"] == "application/x-tar"


def test_restart_policy_no_is_the_string_no() -> None:
    """JSON between the converter and the generator keeps the enum value "no" a string."""
    values = typing.get_args(GenerateSystemdLibpodRestartPolicy)
    assert "no" in values
    assert all(isinstance(value, str) for value in values)
