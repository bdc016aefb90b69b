"""docs/regenerating.md's steps for adding a release are the ones make check-releases
runs (scripts/maintainer_path.py): parsed from the guide, made concrete, and checked."""

from __future__ import annotations

from pathlib import Path

import maintainer_path
import pytest
import spec_source

ROOT = Path(__file__).resolve().parents[2]


def test_the_guide_gives_the_four_steps_in_order() -> None:
    commands = maintainer_path.guide_commands(maintainer_path.GUIDE.read_text())
    assert [command.split()[1] for command in commands] == [
        "spec", "spec-diff", "generate", "check-releases",
    ]  # fmt: skip
    assert all(maintainer_path.EXAMPLE_TAG in command for command in commands)


def test_a_guide_whose_steps_differ_is_refused() -> None:
    guide = maintainer_path.GUIDE.read_text().replace("make spec-diff FROM=v5.8.2 TO=v6.1.2\n", "")
    with pytest.raises(maintainer_path.PathError, match=r"expected make spec, spec-diff"):
        maintainer_path.guide_commands(guide)
    with pytest.raises(maintainer_path.PathError, match=r"no ```sh block"):
        maintainer_path.guide_commands("# Regenerating\n\n## Adding a release\n\ntext\n")


def test_each_step_is_made_concrete_for_the_release() -> None:
    commands = maintainer_path.guide_commands(maintainer_path.GUIDE.read_text())
    source, out = Path("/src/podman-v5.8.3.tar.xz"), Path("/tmp/out")
    concrete = [maintainer_path.concrete(c, "v5.8.3", source, out) for c in commands]
    assert concrete[0] == [
        "make", "--no-print-directory", "spec", "PODMAN_VERSION=v5.8.3",
        f"PODMAN_SRC={source}", "RUNS=3",
    ]  # fmt: skip
    assert concrete[1][2:] == ["spec-diff", "FROM=v5.8.2", "TO=v5.8.3"]
    assert concrete[2][2:] == ["generate", "PODMAN_VERSION=v5.8.3", f"OUT={out}"]
    assert concrete[3][2:] == ["check-releases", "RELEASES=v5.8.3"]


def test_the_copy_lacks_exactly_the_release_to_add(tmp_path: Path) -> None:
    text = (ROOT / "spec" / "versions.toml").read_text()
    (tmp_path / "versions.toml").write_text(maintainer_path.without_release(text, "v5.8.3"))
    pins = spec_source.load_pins(tmp_path / "versions.toml")[1]
    assert sorted(pins) == ["v4.3.1", "v5.4.2", "v5.8.2", "v6.0.0-rc1"]
    assert pins["v6.0.0-rc1"] == spec_source.load_pins()[1]["v6.0.0-rc1"]
    with pytest.raises(maintainer_path.PathError, match=r"no table for v9\.9\.9"):
        maintainer_path.without_release(text, "v9.9.9")


def test_the_path_adds_the_release_handed_over_as_source_only() -> None:
    assert maintainer_path.source_only_release() == "v5.8.3"


def test_a_step_that_did_not_do_its_job_is_named(tmp_path: Path) -> None:
    pin = spec_source.pin_for("v5.8.3")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "versions.toml").write_text(
        'default = "v5.8.2"\n[versions."v5.8.3"]\nfile = "x"\ncanonical_sha256 = "00"\n'
    )
    with pytest.raises(maintainer_path.PathError, match=r"the pin it appended is"):
        maintainer_path.check_step(
            "spec", tag="v5.8.3", pin=pin, copy=tmp_path, out=tmp_path, output=""
        )
    with pytest.raises(maintainer_path.PathError, match=r"no passing line for v5\.8\.3"):
        maintainer_path.check_step(
            "check-releases", tag="v5.8.3", pin=pin, copy=tmp_path, out=tmp_path,
            output="v5.8.3: FAILED to generate: x\n",
        )  # fmt: skip
