"""`make spec`: a release's swagger rebuilt from its source archive, offline."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest
import spec_build
import spec_source
import spec_toolchain

ROOT = Path(__file__).resolve().parents[2]

# The spec line of each pinned tag's pkg/api/Makefile, as the tags have it.
MAKEFILE_4 = """\
.PHONY: ${SWAGGER_OUT}
${SWAGGER_OUT}:
\t# generate doesn't remove file on error
\trm -f ${SWAGGER_OUT}
\tswagger generate spec -o ${SWAGGER_OUT} -i tags.yaml -w ./ -m
"""
MAKEFILE_6 = """\
SWAGGER ?= ../../test/tools/build/swagger
validate: ${SWAGGER_OUT}
\t$(SWAGGER) validate ${SWAGGER_OUT}
${SWAGGER_OUT}:
\t$(SWAGGER) generate spec -c go.podman.io/podman -x github.com/sigstore/rekor -x github.com/moby/moby/api -o ${SWAGGER_OUT} -i tags.yaml -w ./ -m
"""


def test_the_spec_command_is_the_tags_own_with_our_binary_and_output(tmp_path: Path) -> None:
    makefile = tmp_path / "Makefile"
    makefile.write_text(MAKEFILE_4)
    assert spec_build.spec_command(makefile, Path("/c/swagger"), Path("/o.yaml")) == [
        "/c/swagger", "generate", "spec", "-o", "/o.yaml", "-i", "tags.yaml", "-w", "./", "-m",
    ]  # fmt: skip
    makefile.write_text(MAKEFILE_6)
    command = spec_build.spec_command(makefile, Path("/c/swagger"), Path("/o.yaml"))
    assert command[:5] == ["/c/swagger", "generate", "spec", "-c", "go.podman.io/podman"]
    assert "/o.yaml" in command
    assert "validate" not in command


def test_an_unknown_make_variable_is_refused(tmp_path: Path) -> None:
    makefile = tmp_path / "Makefile"
    makefile.write_text("x:\n\t$(SWAGGER) generate spec -o $(OUT_DIR)/s.yaml\n")
    with pytest.raises(spec_build.BuildError, match=r"unknown make variable"):
        spec_build.spec_command(makefile, Path("/s"), Path("/o"))


def _source_tree(root: Path, version_go: str, tools_modules: str | None = None) -> Path:
    (root / "version" / "rawversion").mkdir(parents=True)
    (root / "version" / "rawversion" / "version.go").write_text(version_go)
    if tools_modules is not None:
        (root / "test" / "tools" / "vendor").mkdir(parents=True)
        (root / "test" / "tools" / "vendor" / "modules.txt").write_text(tools_modules)
    return root


def test_the_source_must_be_the_tag_asked_for(tmp_path: Path) -> None:
    tree = _source_tree(tmp_path, 'package rawversion\n\nconst RawVersion = "5.4.2"\n')
    assert spec_build.source_release(tree) == "5.4.2"
    spec_build.check_release(tree, "v5.4.2", tree)
    with pytest.raises(spec_build.BuildError, match=r"holds Podman 5\.4\.2, not v5\.8\.2"):
        spec_build.check_release(tree, "v5.8.2", tree)


def test_a_4x_source_names_its_release_with_semver(tmp_path: Path) -> None:
    (tmp_path / "version").mkdir()
    (tmp_path / "version" / "version.go").write_text('var Version = semver.MustParse("4.3.1")\n')
    assert spec_build.source_release(tmp_path) == "4.3.1"


def test_the_vendored_go_swagger_chooses_the_go(tmp_path: Path) -> None:
    tree = _source_tree(
        tmp_path,
        'const RawVersion = "6.0.0-rc1"\n',
        "# github.com/go-openapi/spec v0.21.0\n# github.com/go-swagger/go-swagger v0.33.2\n"
        "## explicit; go 1.25.0\n",
    )
    toolchain, tools = spec_build.choose_toolchain("v6.0.0-rc1", tree, None, tmp_path / "w")
    assert toolchain == spec_toolchain.Toolchain("1.26.6", "0.33.2", "gotypesalias=0")
    assert tools == tree / "test" / "tools"
    assert spec_toolchain.toolchain_for("0.32.3").go == "1.24.11"
    with pytest.raises(spec_toolchain.ToolchainError, match=r"GO_FOR_GO_SWAGGER"):
        spec_toolchain.toolchain_for("0.40.0")


def test_a_tag_that_vendors_no_go_swagger_says_how_to_pin_one(tmp_path: Path) -> None:
    tree = _source_tree(tmp_path, 'const RawVersion = "4.9.9"\n', "# golang.org/x/tools v0.1\n")
    with pytest.raises(spec_build.BuildError, match=r"vendors no go-swagger.*go_swagger_from"):
        spec_build.choose_toolchain("v4.9.9", tree, None, tmp_path / "w")


def test_a_missing_source_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(spec_build.BuildError, match=r"PODMAN_SRC=DIR-or-\.tar\.xz"):
        spec_build.unpack(tmp_path / "podman-v9.9.9.tar.xz", tmp_path / "w")


def test_a_new_release_gets_an_entry_that_loads_as_a_pin(tmp_path: Path) -> None:
    text = spec_build.entry_text(
        "v6.1.2", "ab" * 32, spec_toolchain.Toolchain("1.26.6", "0.33.2", "gotypesalias=0"), None
    )
    versions = tmp_path / "versions.toml"
    versions.write_text('default = "v6.1.2"\n[versions]\n' + text)
    _, pins = spec_source.load_pins(versions)
    assert pins["v6.1.2"] == spec_source.PinnedSpec(
        "v6.1.2", "swagger-v6.1.2.yaml", "ab" * 32, None, "1.26.6", "0.33.2", None, "gotypesalias=0"
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_make_spec_reproduces_the_pinned_default_release_from_its_source(tmp_path: Path) -> None:
    """v5.8.2 from ../shared/podman-src/podman-v5.8.2.tar.xz: the canonical bytes are the
    pinned ones (so also those of the handed-over file), written to SPEC_MIRROR. About
    30 s with the toolchain cached in /var/cache/podman-sdk/spec-build; the first run on
    a machine installs Go and builds go-swagger (about 2 minutes more)."""
    pin = spec_source.pin_for("v5.8.2")
    cached = (spec_toolchain.CACHE_ROOT / f"go-{pin.go}" / ".complete").exists()
    started = time.monotonic()
    result = subprocess.run(
        ["make", "--no-print-directory", "spec", "PODMAN_VERSION=v5.8.2"],
        cwd=ROOT,
        env={**os.environ, "SPEC_MIRROR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = (tmp_path / pin.file).read_bytes()
    assert hashlib.sha256(built).hexdigest() == pin.canonical_sha256
    assert f"v5.8.2: matches the pinned canonical sha256 {pin.canonical_sha256}" in result.stdout
    assert f"run 1: canonical sha256 {pin.canonical_sha256}" in result.stderr
    assert (tmp_path / pin.file).read_bytes() == spec_build.spec_canonical.canonical_bytes(
        (spec_source.SHARED_SPEC_DIR / pin.file).read_bytes()
    )
    assert time.monotonic() - started < 180 or not cached, "slow even with a cached toolchain"


def _fake_build(
    monkeypatch: pytest.MonkeyPatch, canonical: bytes, pin: spec_source.PinnedSpec | None
) -> None:
    toolchain = spec_toolchain.Toolchain("1.26.6", "0.33.2", "gotypesalias=0")
    digest = hashlib.sha256(canonical).hexdigest()
    monkeypatch.setattr(
        spec_build, "build", lambda tag, source, runs: (canonical, [digest] * runs, toolchain, pin)
    )


def test_a_rebuilt_spec_that_is_not_the_pinned_one_is_kept_aside_and_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path))
    _fake_build(monkeypatch, b"swagger: '2.0'\npaths: {}\n", spec_source.pin_for("v5.8.2"))
    assert spec_build.main(["v5.8.2", "--no-diff"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the rebuilt v5.8.2 spec")
    assert "make spec-diff FROM=v5.8.2 TO=" in err
    assert (tmp_path / "swagger-v5.8.2.rebuilt.yaml").exists()
    assert not (tmp_path / "swagger-v5.8.2.yaml").exists(), "the mirror keeps only pinned files"


def test_a_new_release_is_written_and_pinned(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = tmp_path / "versions.toml"
    versions.write_text((ROOT / "spec" / "versions.toml").read_text())
    monkeypatch.setattr(spec_build, "VERSIONS_FILE", versions)
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path / "mirror"))
    canonical = b"paths: {}\nswagger: '2.0'\n"
    _fake_build(monkeypatch, canonical, None)
    assert spec_build.main(["v6.1.2", "--no-diff"]) == 0
    digest = hashlib.sha256(canonical).hexdigest()
    assert (
        f"v6.1.2: new entry in spec/versions.toml, canonical sha256 {digest}"
        in capsys.readouterr().out
    )
    assert (tmp_path / "mirror" / "swagger-v6.1.2.yaml").read_bytes() == canonical
    pin = spec_source.load_pins(versions)[1]["v6.1.2"]
    assert (pin.canonical_sha256, pin.go, pin.godebug) == (digest, "1.26.6", "gotypesalias=0")
    assert spec_source.locate_pin(pin, [tmp_path / "mirror"]) == tmp_path / "mirror" / pin.file


def test_a_name_that_is_not_a_tag_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_build.main(["5.8.2"]) == 1
    assert "is not a Podman release tag" in capsys.readouterr().err
