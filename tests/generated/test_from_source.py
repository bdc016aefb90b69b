"""scripts/from_source.py: the pieces of make check-releases' from-source comparison that
run without a Go toolchain (the comparison itself: test_spec_build's slow test and
make check-releases)."""

from __future__ import annotations

import os
from pathlib import Path

import from_source
import pytest
import spec_source


def test_the_mirror_is_set_for_the_block_and_restored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPEC_MIRROR", "/before")
    with from_source.spec_mirror(tmp_path):
        assert spec_source.writable_mirror() == tmp_path
        assert spec_source.search_dirs()[0] == tmp_path
    assert os.environ["SPEC_MIRROR"] == "/before"
    monkeypatch.delenv("SPEC_MIRROR")
    with pytest.raises(RuntimeError), from_source.spec_mirror(tmp_path):
        raise RuntimeError
    assert "SPEC_MIRROR" not in os.environ


def test_the_handed_over_side_reads_only_source_only_releases_from_the_rebuilt_files(
    tmp_path: Path,
) -> None:
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    for pin in spec_source.load_pins()[1].values():
        (rebuilt / pin.file).write_text(pin.version)
    from_source.handed_over_mirror(rebuilt, tmp_path / "handed-over")
    assert sorted(p.name for p in (tmp_path / "handed-over").iterdir()) == ["swagger-v5.8.3.yaml"]


def test_a_comparison_says_identical_or_names_the_files() -> None:
    same = from_source.Comparison("v5.8.2", 1200, [], 61.2)
    assert same.line() == (
        "v5.8.2 from source: identical, 1200 files and provenance.json byte for byte (61 s)"
    )
    other = from_source.Comparison("v5.4.2", 1100, ["differs: models/id_response.py"], 3)
    assert other.line() == "v5.4.2 from source: 1 differences: differs: models/id_response.py (3 s)"
