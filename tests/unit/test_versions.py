"""The versions a program can read: the SDK's own, and the Podman release and spec the
generated client follows."""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from pathlib import Path

import libpod_client
import podman_sdk

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_installed_distributions() -> None:
    # pyproject.toml reads the literal (hatch's dynamic version): a stale editable install
    # (`make .venv/.installed` not run since _version.py changed) fails here.
    assert podman_sdk.__version__ == importlib.metadata.version("podman-sdk")
    assert re.fullmatch(r"\d+\.\d+\.\d+", podman_sdk.__version__)


def test_version_is_read_from_the_one_literal() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "facade/podman_sdk/_version.py"


def test_release_constants_are_the_generated_trees_provenance() -> None:
    provenance = json.loads((ROOT / "generated" / "provenance.json").read_text())
    assert provenance["podman"] == libpod_client.PODMAN_RELEASE
    assert provenance["spec"]["canonical_sha256"] == libpod_client.SPEC_SHA256
    assert (podman_sdk.PODMAN_RELEASE, podman_sdk.SPEC_SHA256) == (
        libpod_client.PODMAN_RELEASE,
        libpod_client.SPEC_SHA256,
    )


def test_release_constants_follow_the_default_pin() -> None:
    versions = tomllib.loads((ROOT / "spec" / "versions.toml").read_text())
    default = versions["default"]
    assert default == podman_sdk.PODMAN_RELEASE
    assert versions["versions"][default]["canonical_sha256"] == podman_sdk.SPEC_SHA256
