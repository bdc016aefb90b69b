"""What `make dist` builds, as a user gets it: the sdist and the wheel built by uv (the
wheel from the sdist, so a file the sdist misses fails here), the wheel's metadata, and
the wheel installed into a clean venv and used from outside the checkout: both packages
import, a program type-checks against them (their py.typed), and the command runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".cache" / "tools-venv" / "bin" / "uv"
TYPING = ROOT / "tests" / "typing"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

VERSIONS_PROGRAM = """
from typing import assert_type

import libpod_client
import podman_sdk

assert_type(podman_sdk.__version__, str)
assert_type(podman_sdk.PODMAN_RELEASE, str)
assert_type(libpod_client.SPEC_SHA256, str)
print(podman_sdk.__version__, podman_sdk.PODMAN_RELEASE, podman_sdk.SPEC_SHA256)
print(podman_sdk.__file__)
print(libpod_client.__file__)
"""
# Proof that the checker reads the wheel's types: this must be refused.
WRONG_PROGRAM = "import podman_sdk\n\nrelease: int = podman_sdk.PODMAN_RELEASE\n"


def source_version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "facade" / "podman_sdk" / "_version.py").read_text(), namespace)
    return namespace["__version__"]


def pins() -> dict[str, str]:
    """name -> exact pin, from every dependency group."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    found = {}
    for entries in groups.values():
        for entry in entries:
            if isinstance(entry, str):
                name, _, version = entry.partition("==")
                found[name.lower()] = version
    return found


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not UV.exists():
        pytest.fail(f"{UV} is missing: run `make .cache/tools-venv/.installed`", pytrace=False)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [str(UV), "build", "--quiet", "--out-dir", str(out)], cwd=ROOT, check=True, timeout=600
    )
    return out


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def metadata(dist: Path) -> Message:
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(wheel.read(name).decode())


def test_the_sdist_and_the_wheel_are_named_for_the_version(dist: Path) -> None:
    version = source_version()
    assert only(dist, "*.tar.gz").name == f"podman_sdk-{version}.tar.gz"
    assert only(dist, "*.whl").name == f"podman_sdk-{version}-py3-none-any.whl"


def test_the_wheel_holds_both_typed_packages_and_nothing_else(dist: Path) -> None:
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        names = wheel.namelist()
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"podman_sdk", "libpod_client"}
    for typed in ("podman_sdk/py.typed", "libpod_client/py.typed", "libpod_client/_release.py"):
        assert typed in names


def test_the_sdist_holds_the_sources_the_wheel_is_built_from(dist: Path) -> None:
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "facade/podman_sdk/_version.py"} <= names
    assert "generated/libpod_client/py.typed" in names
    assert not any(name.startswith(("tests/", "scripts/", ".cache/")) for name in names)


def test_metadata_license_readme_classifiers_urls(metadata: Message) -> None:
    assert metadata["Name"] == "podman-sdk"
    assert metadata["Version"] == source_version()
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["Description-Content-Type"] == "text/markdown"
    body = metadata.get_payload()
    assert isinstance(body, str)
    assert body.startswith("# podman-sdk\n")
    assert body == (ROOT / "README.md").read_text()
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    for minor in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {minor}" in classifiers
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())


def test_only_the_cli_extra_is_published(metadata: Message) -> None:
    assert metadata.get_all("Provides-Extra") == ["cli"]
    requires = metadata.get_all("Requires-Dist") or []
    names = {r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip() for r in requires}
    assert names == {"httpx", "attrs", "sniffio", "click"}
    extras = [r.replace("'", '"') for r in requires if "extra ==" in r]
    assert extras == ['click<9,>=8.1; extra == "cli"']


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A clean venv with the wheel (and its cli extra) and the type checkers."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = only(dist, "*.whl")
    checkers = [f"mypy=={pins()['mypy']}"]
    if "pyright" in pins():
        checkers.append(f"pyright=={pins()['pyright']}")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         f"podman-sdk[cli] @ {wheel.as_uri()}", *checkers],
        check=True, timeout=600, cwd=venv,
    )  # fmt: skip
    yield venv


def run_in(venv: Path, cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """A command of the venv, from a directory outside the checkout, with nothing of the
    checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


def test_both_packages_import_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "versions.py").write_text(VERSIONS_PROGRAM)
    done = run_in(installed, tmp_path, "python", "versions.py")
    assert done.returncode == 0, done.stderr
    versions, sdk_file, generated_file = done.stdout.splitlines()
    assert versions.split()[0] == source_version()
    assert versions.split()[1].startswith("v")
    for file in (sdk_file, generated_file):
        assert file.startswith(str(installed)), file
        assert not file.startswith(str(ROOT)), file


def test_programs_type_check_against_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "versions.py").write_text(VERSIONS_PROGRAM)
    for sample in ("sample_program.py", "async_sample_program.py"):
        (tmp_path / sample).write_text((TYPING / sample).read_text())
    programs = ["versions.py", "sample_program.py", "async_sample_program.py"]
    mypy = run_in(installed, tmp_path, "mypy", "--strict", "--no-incremental", *programs)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    if "pyright" in pins():
        pyright = run_in(installed, tmp_path, "pyright", *programs)
        assert pyright.returncode == 0, pyright.stdout + pyright.stderr
    (tmp_path / "wrong.py").write_text(WRONG_PROGRAM)
    wrong = run_in(installed, tmp_path, "mypy", "--strict", "--no-incremental", "wrong.py")
    assert wrong.returncode == 1
    assert 'expression has type "str", variable has type "int"' in wrong.stdout


def test_the_command_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    helped = run_in(installed, tmp_path, "podman-sdk", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "version" in helped.stdout
    assert "doctor" in helped.stdout
    socket = f"unix://{tmp_path}/no.sock"
    version = run_in(installed, tmp_path, "podman-sdk", "--url", socket, "version")
    assert version.returncode == 3, version.stdout + version.stderr
    lines = version.stdout.splitlines()
    assert lines[0] == f"Client:       podman-sdk {source_version()}"
    assert lines[3].startswith("API spec:     Podman v")
    assert f"{tmp_path}/no.sock" in version.stderr
