"""`make spec`: a release's swagger rebuilt from its source archive, offline."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import spec_build
import spec_canonical
import spec_source
import spec_toolchain
from check_generated import compare_trees
from generate import PACKAGE

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
    # v5.8.3 vendors go-swagger 0.32.3, and its go.mod asks for Go 1.25
    assert spec_toolchain.toolchain_for("0.32.3", "1.25.0") == spec_toolchain.Toolchain(
        "1.26.6", "0.32.3", "gotypesalias=0"
    )
    assert spec_toolchain.go_required("module m\n\ngo 1.25.0\n\nrequire x v1\n") == "1.25.0"
    with pytest.raises(spec_toolchain.ToolchainError, match=r"needs Go >= 1\.27"):
        spec_toolchain.toolchain_for("0.32.3", "1.27")
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
        "v6.1.2",
        "ab" * 32,
        spec_toolchain.Toolchain("1.26.6", "0.33.2", "gotypesalias=0"),
        None,
        "cd" * 32,
    )
    versions = tmp_path / "versions.toml"
    versions.write_text('default = "v6.1.2"\n[versions]\n' + text)
    _, pins = spec_source.load_pins(versions)
    assert pins["v6.1.2"] == spec_source.PinnedSpec(
        "v6.1.2",
        "swagger-v6.1.2.yaml",
        "ab" * 32,
        None,
        "1.26.6",
        "0.33.2",
        None,
        "gotypesalias=0",
        "cd" * 32,
    )


def test_the_source_tarball_is_pinned_and_a_directory_is_not(tmp_path: Path) -> None:
    tarball = tmp_path / "podman-v6.1.2.tar.xz"
    tarball.write_bytes(b"not really xz")
    assert spec_build.tarball_sha256(tarball) == hashlib.sha256(b"not really xz").hexdigest()
    assert spec_build.tarball_sha256(tmp_path) is None


RUN_A = b"""swagger: '2.0'
paths: {}
definitions:
  IDResponse: {type: object, x-go-package: github.com/docker/docker/api/types/common}
  Other: {type: object, x-go-package: github.com/containers/podman/v5/libpod/define}
"""


def test_the_go_binding_of_each_run_is_read_and_what_varies_is_named() -> None:
    """go-swagger records one of two same-named Go types at random: the log names them."""
    run_b = RUN_A.replace(b"docker/docker/api/types/common", b"containers/podman/v5/pkg/x")
    first, second = spec_build.go_packages(RUN_A), spec_build.go_packages(run_b)
    assert first == {
        "IDResponse": "github.com/docker/docker/api/types/common",
        "Other": "github.com/containers/podman/v5/libpod/define",
    }
    assert spec_build.varying([first, second, first]) == ["IDResponse"]
    assert spec_build.varying([first, first]) == []


def test_the_pinned_releases_at_hand_nowhere_are_the_ones_to_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(spec_source, "SHARED_SPEC_DIR", tmp_path / "shared")
    monkeypatch.setenv("SPEC_MIRROR", str(tmp_path / "mirror"))
    (tmp_path / "shared").mkdir()
    (tmp_path / "mirror").mkdir()
    pins = spec_source.load_pins()[1]
    for version in pins:
        if version != "v5.8.3":
            (tmp_path / "shared" / pins[version].file).write_text("")
    assert [pin.version for pin in spec_build.missing_releases()] == ["v5.8.3"]
    (tmp_path / "mirror" / "swagger-v5.8.3.yaml").write_text("")
    assert spec_build.missing_releases() == []


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_make_spec_then_make_generate_from_source_give_the_committed_package(
    tmp_path: Path,
) -> None:
    """v5.8.2 from ../shared/podman-src/podman-v5.8.2.tar.xz alone: `make spec` writes
    a file of the pinned canonical sha256 that keeps go-swagger's x-go-package lines,
    and `make generate` from it gives generated/ (made from the handed-over file) byte for
    byte, although go-swagger may record the other of two same-named Go types (issue
    #28). About 30 s for the spec with the toolchain cached in
    /var/cache/podman-sdk/spec-build (the first run on a machine installs Go and builds
    go-swagger, about 2 minutes more), then one generation (about a minute; 3 on a
    loaded machine)."""
    pin = spec_source.pin_for("v5.8.2")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    # The other source-only releases, as `make` builds them into the usual mirror first.
    for other in spec_source.load_pins()[1].values():
        if other.sha256 is None:
            shutil.copyfile(spec_source.locate(other.version), mirror / other.file)
    env = {**os.environ, "SPEC_MIRROR": str(mirror)}
    result = subprocess.run(
        ["make", "--no-print-directory", "spec", "PODMAN_VERSION=v5.8.2"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    built = (mirror / pin.file).read_bytes()
    assert spec_canonical.canonical_sha256(built) == pin.canonical_sha256
    assert f"v5.8.2: matches the pinned canonical sha256 {pin.canonical_sha256}" in result.stdout
    assert f"run 1: canonical sha256 {pin.canonical_sha256}" in result.stderr
    assert spec_canonical.canonical_bytes(built) == (
        spec_canonical.canonical_bytes((spec_source.SHARED_SPEC_DIR / pin.file).read_bytes())
    )
    assert len(spec_build.go_packages(built)) > 300, "the Go binding is kept"
    result = subprocess.run(
        ["make", "--no-print-directory", "generate", f"OUT={tmp_path / 'out'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert compare_trees(ROOT / "generated" / PACKAGE, tmp_path / "out" / PACKAGE) == []
    assert (tmp_path / "out" / "provenance.json").read_bytes() == (
        ROOT / "generated" / "provenance.json"
    ).read_bytes()


def _fake_build(
    monkeypatch: pytest.MonkeyPatch, canonical: bytes, pin: spec_source.PinnedSpec | None
) -> None:
    toolchain = spec_toolchain.Toolchain("1.26.6", "0.33.2", "gotypesalias=0")
    digest = hashlib.sha256(canonical).hexdigest()
    monkeypatch.setattr(
        spec_build,
        "build",
        lambda tag, source, runs: spec_build.Built(
            canonical, canonical, [digest] * runs, toolchain, pin, []
        ),
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
