"""The committed generated package: complete, importable, marked, lazy and typed."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import io
import json
import pkgutil
import subprocess
import sys
import types
import typing
from http import HTTPStatus
from pathlib import Path

import generator_venv
import httpx
import jinja2
import libpod_client
import libpod_client.api
import pytest
from generate import SPEC_DIR, stage_templates
from libpod_client import models
from libpod_client.api.containers import (
    generate_kube_libpod,
    kube_apply_libpod,
    play_kube_libpod,
    put_container_archive_libpod,
)
from libpod_client.api.containers_compat import put_container_archive
from libpod_client.api.images import image_load_libpod, image_pull_libpod
from libpod_client.api.images_compat import image_build
from libpod_client.api.quadlets import quadlet_file_libpod
from libpod_client.api.volumes import volume_import_libpod
from libpod_client.models.generate_systemd_libpod_restart_policy import (
    GenerateSystemdLibpodRestartPolicy,
)
from libpod_client.types import File, Response

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "libpod_client"
JINJA_VERSION = "import importlib.metadata as m; print(m.version('jinja2'))"
TEMPLATE = ROOT / "spec" / "templates" / "models_init.py.jinja"
TYPES_TEMPLATE = ROOT / "spec" / "templates" / "types.py.jinja"


def test_the_installed_package_is_the_committed_tree() -> None:
    assert Path(libpod_client.__file__).resolve().parent == PACKAGE


def test_every_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(libpod_client.__path__, "libpod_client.")]
    assert len(names) > 650
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


def _run(code: str) -> list[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()


def test_importing_an_endpoint_loads_no_model_no_client_and_no_attrs() -> None:
    """Building requests costs no attrs: models and Client load when first used."""
    loaded = _run(
        "import sys\n"
        "import libpod_client.api.images.image_list_libpod\n"
        "print(*sorted(m for m in sys.modules if m.startswith(('attr', 'libpod_client.'))))\n"
    )
    assert loaded == [
        "libpod_client._checks",
        "libpod_client._query_json",
        "libpod_client._release",  # two string constants
        "libpod_client._streams",  # call_timeout (stdlib and httpx only)
        "libpod_client.api",
        "libpod_client.api.images",
        "libpod_client.api.images.image_list_libpod",
        "libpod_client.errors",
        "libpod_client.types",
    ]


@pytest.mark.parametrize(
    ("status", "status_models"),
    [
        ("None", []),
        ("{'a': 1}", ["libpod_client.models.volume_config_response_status_type_0"]),
    ],
)
def test_parsing_an_answer_loads_just_its_models(status: str, status_models: list[str]) -> None:
    """A nested model's module loads when a value of it arrives, not on every parse; a
    string map (Labels, Options) is a plain dict and loads no module at all."""
    loaded = _run(
        "import sys, httpx\n"
        "from libpod_client.api.volumes import volume_list_libpod\n"
        "from libpod_client import Client\n"
        # Every field entities.VolumeConfigResponse writes without omitempty is required.
        "volume = {'Name': 'v', 'Driver': 'local', 'Mountpoint': '/v', 'Scope': 'local',\n"
        f"    'MountCount': 0, 'Labels': {{'a': 'b'}}, 'Options': None, 'Status': {status}}}\n"
        "answer = httpx.Response(200, json=[volume])\n"
        "parsed = volume_list_libpod._parse_response(client=Client('http://d'), response=answer)\n"
        "print(type(parsed[0]).__name__, parsed[0].name, parsed[0].labels == {'a': 'b'})\n"
        "print(*sorted(m for m in sys.modules if m.startswith('libpod_client.models.')))\n"
    )
    assert loaded == [
        "VolumeConfigResponse",
        "v",
        "True",
        "libpod_client.models.volume_config_response",
        *status_models,
    ]


def test_the_package_exports_its_clients_on_first_use() -> None:
    assert _run(
        "import sys, libpod_client\n"
        "print('libpod_client.client' in sys.modules, 'attr' in sys.modules)\n"
        "print(libpod_client.Client.__module__, libpod_client.AuthenticatedClient.__name__)\n"
    ) == ["False", "False", "libpod_client.client", "AuthenticatedClient"]
    with pytest.raises(AttributeError, match="NoSuchClient"):
        libpod_client.NoSuchClient  # noqa: B018


def test_response_and_file_keep_the_generators_fields_and_constructor() -> None:
    """types.py makes them with dataclasses instead of attrs: same fields, same calls."""
    assert [f.name for f in dataclasses.fields(Response)] == [
        "status_code",
        "content",
        "headers",
        "parsed",
    ]
    made = Response(status_code=HTTPStatus.OK, content=b"x", headers={}, parsed=None)
    assert made == Response(HTTPStatus.OK, b"x", {}, None)
    assert made != Response(HTTPStatus.OK, b"y", {}, None)
    payload = io.BytesIO(b"tar")
    assert File(payload=payload, file_name="a.tar").to_tuple() == ("a.tar", payload, None)


def test_lazy_models_resolve_list_and_refuse_unknown_names() -> None:
    assert models.LibpodImageSummary.__module__ == "libpod_client.models.libpod_image_summary"
    assert "LibpodImageSummary" in dir(models)
    assert set(models.__all__) == set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_goldens_render_with_the_generators_jinja() -> None:
    """The generator runs in a venv of its own; the goldens below render our templates
    here, which says nothing about the generator's output unless the Jinja is the same."""
    theirs = subprocess.run(
        [str(generator_venv.executable("python")), "-c", JINJA_VERSION],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert importlib.metadata.version("jinja2") == theirs, (
        "pin Jinja2 in pyproject's dev group to the generator venv's version"
    )


def test_models_init_template_golden() -> None:
    environment = jinja2.Environment(
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    rendered = environment.from_string(TEMPLATE.read_text()).render(
        imports={"from .beta_model import BetaModel", "from .alpha import Alpha"},
        alls={"BetaModel", "Alpha"},
    )
    assert rendered == (Path(__file__).parent / "golden" / "models_init.py.txt").read_text()


def render(template: Path, upstream: str, **context: object) -> str:
    """Our ``template`` rendered with ``upstream`` standing in for the generator's own
    template of the same name, in the generator's Jinja settings."""
    environment = jinja2.Environment(
        loader=jinja2.DictLoader({f"upstream/{template.name}": upstream}),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.from_string(template.read_text()).render(**context)


# One operation of each kind the endpoint template treats apart: a model answer with
# error statuses and a JSON query parameter, and an answer without body.
GOLDEN_OPENAPI = {
    "openapi": "3.0.0",
    "info": {"title": "golden", "version": "1"},
    "paths": {
        "/things/{name}/json": {
            "get": {
                "operationId": "ThingInspect",
                "tags": ["things"],
                "parameters": [
                    {"in": "path", "name": "name", "required": True, "schema": {"type": "string"}},
                    {
                        "in": "query",
                        "name": "filters",
                        "description": "JSON encoded map[string][]string",
                        "x-podman-json-query": "map[string][]string",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the thing",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    },
                    "404": {"description": "no such thing"},
                },
            }
        },
        "/things/{name}/pause": {
            "post": {
                "operationId": "ThingPause",
                "tags": ["things"],
                "parameters": [
                    {"in": "path", "name": "name", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "paused"}, "500": {"description": "boom"}},
            }
        },
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"Id": {"type": "string"}}}}
    },
}


_RENDER_ENDPOINTS = """
import json, sys
from pathlib import Path
from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData

config_file, templates, work = sys.argv[1:]
openapi = json.load(sys.stdin)
config = Config.from_sources(
    ConfigFile.load_from_path(Path(config_file)),
    MetaType.NONE,
    document_source=Path(work) / "openapi.json",
    file_encoding="utf-8",
    overwrite=True,
    output_path=None,
)
data = GeneratorData.from_dict(openapi, config=config)
if not isinstance(data, GeneratorData):
    sys.exit(f"the generator refused the golden spec: {data}")
project = Project(openapi=data, config=config, custom_template_path=Path(templates))
template = project.env.get_template("endpoint_module.py.jinja", globals={"isbool": bool})
sys.stdout.write("".join(
    f"# --- {endpoint.name}.py\\n" + template.render(endpoint=endpoint)
    for collection in data.endpoint_collections_by_tag.values()
    for endpoint in collection.endpoints
))
"""


def render_endpoints(tmp_path: Path) -> str:
    """The endpoint modules of GOLDEN_OPENAPI, rendered by the pinned generator (in its
    own venv) with our templates staged as scripts/generate.py stages them."""
    templates = stage_templates(tmp_path, GOLDEN_OPENAPI)
    command = [
        str(generator_venv.executable("python")), "-c", _RENDER_ENDPOINTS,
        str(SPEC_DIR / "generator.yaml"), str(templates), str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(
        command, input=json.dumps(GOLDEN_OPENAPI), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_endpoint_template_golden(tmp_path: Path) -> None:
    """Success types only, errors through the client's hook, a JSON query parameter
    taking a Python mapping, models imported in _parse_response, the builder's name.
    Unformatted, as the generator renders it (scripts/generate.py formats with ruff)."""
    golden = Path(__file__).parent / "golden" / "endpoint_module.py.txt"
    assert render_endpoints(tmp_path) == golden.read_text()


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


def test_a_quadlet_file_is_its_text() -> None:
    """Override: the unit file comes back as text, where sync() returned None."""
    client = libpod_client.Client(base_url="http://d")
    unit = "[Container]\nImage=busybox\n"
    response = httpx.Response(200, text=unit)
    assert quadlet_file_libpod._parse_response(client=client, response=response) == unit


def test_load_takes_a_binary_body() -> None:
    """Rule binary_strings_are_binary: the load body is bytes sent as-is, not a str."""
    payload = io.BytesIO(b"\x00tar bytes\xff")
    kwargs = image_load_libpod._get_kwargs(body=File(payload=payload))
    assert kwargs["content"] is payload
    assert kwargs["headers"]["Content-Type"] == "application/x-tar"


def test_raw_bodies_are_sent_as_bytes() -> None:
    """Rule raw_string_bodies and the kube overrides: bodies the handlers read raw go as
    they are, under the media type the handler wants; before, a tar was JSON-encoded."""
    tar = io.BytesIO(b"tar bytes\xff")
    sent = [
        (put_container_archive_libpod.request_kwargs("c", path="/", body=File(payload=tar)), "application/x-tar"),
        (put_container_archive.request_kwargs("c", path="/", body=File(payload=tar)), "application/x-tar"),
        (volume_import_libpod.request_kwargs("v", body=File(payload=tar)), "application/x-tar"),
        (image_build.request_kwargs(body=File(payload=tar)), "application/x-tar"),
        (kube_apply_libpod.request_kwargs(body=File(payload=tar)), "application/yaml"),
        (play_kube_libpod.request_kwargs(body=File(payload=tar)), "application/yaml"),
    ]  # fmt: skip
    for request, media_type in sent:
        assert request["content"] is tar
        assert "json" not in request
        assert request.get("headers", {}).get("Content-Type") == media_type


def test_a_chosen_content_type_wins_over_the_body_default() -> None:
    """Rule content_type_parameters: play kube's documented default ("plain/text", which
    its handler refuses) is gone; a caller's choice is sent, else the body's type."""
    tar = File(payload=io.BytesIO(b"tar"))
    chosen = play_kube_libpod.request_kwargs(body=tar, content_type="application/x-tar")
    assert chosen.get("headers", {})["Content-Type"] == "application/x-tar"
    default = play_kube_libpod.request_kwargs(body=tar).get("headers", {})
    assert default["Content-Type"] == "application/yaml"


def test_pull_asks_for_layer_progress_only_when_told() -> None:
    """Override: libpod 6.0's pullProgress is a parameter of the pull in every release's
    tree, and absent from the query unless given (older services never see it)."""
    assert "pullProgress" not in image_pull_libpod._get_kwargs(reference="r")["params"]
    asked = image_pull_libpod._get_kwargs(reference="r", pull_progress=True)
    assert asked["params"]["pullProgress"] is True


def test_restart_policy_no_is_the_string_no() -> None:
    """JSON between the converter and the generator keeps the enum value "no" a string."""
    values = typing.get_args(GenerateSystemdLibpodRestartPolicy)
    assert "no" in values
    assert all(isinstance(value, str) for value in values)


def test_types_template_swaps_attrs_for_dataclasses_and_parsed_is_the_success_type() -> None:
    abc = "from collections.abc import Mapping, MutableMapping\n"
    typing_line = "from typing import BinaryIO, Generic, TypeVar, Literal, IO\n"
    exports = '__all__ = ["UNSET", "File", "FileTypes", "RequestFiles", "Response", "Unset"]\n'
    upstream = (
        f"{abc}{typing_line}from attrs import define\n\n\n@define\nclass Response(Generic[T]):\n"
        f"    status_code: int\n    parsed: T | None\n\n\n{exports}"
    )
    rendered = render(TYPES_TEMPLATE, upstream)
    assert "from dataclasses import dataclass as define\n" in rendered
    assert "from attrs" not in rendered
    assert "    parsed: T\n" in rendered
    assert "parsed: T | None" not in rendered
    assert "class RequestArguments(TypedDict):" in rendered
    assert '    "RequestArguments",\n' in rendered
    assert "NotRequired, TypedDict" in rendered
    for cut in ("from attrs import define\n", "    parsed: T | None\n", abc, typing_line, exports):
        with pytest.raises(jinja2.UndefinedError, match="upstream_types_template_changed"):
            render(TYPES_TEMPLATE, upstream.replace(cut, ""))


CLIENT_TEMPLATE = ROOT / "spec" / "templates" / "client.py.jinja"


def render_client(upstream: str) -> str:
    environment = jinja2.Environment(
        loader=jinja2.DictLoader({"upstream/client.py.jinja": upstream}),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["config"] = types.SimpleNamespace(docstrings_on_attributes=False)
    return environment.from_string(CLIENT_TEMPLATE.read_text()).render()


def test_client_template_adds_the_hook_to_both_clients() -> None:
    templates = Path(generator_venv.info()["templates"])
    upstream = (templates / "client.py.jinja").read_text()
    rendered = render_client(upstream)
    clients, _, senders = rendered.partition("class SyncSender(Protocol):")
    assert clients.count("def error_for_answer(self, problem: LibpodError") == 2
    # The protocols each flavour of function takes (issue #27): both declare the hooks.
    assert senders.count("def error_for_answer(self, problem: LibpodError") == 2
    assert "def get_httpx_client(self) -> httpx.Client: ..." in senders
    assert "class AsyncSender(Protocol):" in senders
    assert "errors.UnexpectedStatus" not in rendered
    with pytest.raises(jinja2.UndefinedError, match="upstream_client_template_changed"):
        render_client(upstream.replace("import httpx\n", ""))
