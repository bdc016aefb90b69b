"""Build contexts: ignore rules with Docker's semantics, the Containerfile found or
added, and a tar streamed in bounded pieces that tarfile reads back intact."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from podman_sdk import InvalidArgument, LocalFileError
from podman_sdk.images._build_context import (
    BLOCK_SIZE,
    IgnoreRules,
    context_from_directory,
    context_from_dockerfile,
)


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        (["*.log"], "a.log", True),
        (["*.log"], "sub/a.log", False),  # "*" never crosses "/"
        (["**/*.log"], "sub/deep/a.log", True),
        (["**/*.log"], "a.log", True),  # "**/" matches zero directories too
        (["/build"], "build/out.o", True),  # leading "/" is the context root
        (["build"], "src/build", False),
        (["./docs/"], "docs/index.md", True),  # cleaned like a path
        (["*.log", "!keep.log"], "keep.log", False),
        (["*.log", "!keep.log", "keep*"], "keep.log", True),  # last match wins
        (["docs/**", "!docs/api/**"], "docs/api/x.md", False),
        (["docs/**", "!docs/api/**"], "docs/guide.md", True),
        (["a?c"], "abc", True),
        (["a?c"], "a/c", False),
        (["[a-c].txt"], "b.txt", True),
        (["[!a-c].txt"], "b.txt", False),
        (["# comment", "", "  spaced.txt  "], "spaced.txt", True),
        (["# x.txt"], "# x.txt", False),
        (["node_modules"], "node_modules/pkg/index.js", True),  # a dir excludes its tree
    ],
)
def test_ignore_semantics(patterns: list[str], path: str, excluded: bool) -> None:
    assert IgnoreRules(patterns).excluded(path) is excluded


def make_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def read_tar(chunks: list[bytes]) -> dict[str, bytes | None]:
    members: dict[str, bytes | None] = {}
    with tarfile.open(fileobj=io.BytesIO(b"".join(chunks)), mode="r:") as tar:
        for info in tar:
            extracted = tar.extractfile(info) if info.isfile() else None
            members[info.name] = extracted.read() if extracted is not None else None
    return members


def test_directory_context_honours_containerignore_with_exceptions(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "Containerfile": b"FROM scratch\n",
            ".containerignore": b"*.log\n**/*.tmp\n/secrets\nlogs\n!logs/keep.txt\nContainerfile\n",
            ".dockerignore": b"everything\n",
            "app.py": b"print()\n",
            "a.log": b"x",
            "sub/b.tmp": b"x",
            "sub/c.py": b"x",
            "secrets/key": b"x",
            "logs/keep.txt": b"kept",
            "logs/drop.txt": b"x",
        },
    )
    context = context_from_directory(tmp_path, None)
    assert context.dockerfile == "Containerfile"
    members = read_tar(list(context.chunks()))
    files = {name for name, data in members.items() if data is not None}
    # The Containerfile and the ignore file are sent even when excluded.
    assert files == {"Containerfile", ".containerignore", ".dockerignore", "app.py",
                     "sub/c.py", "logs/keep.txt"}  # fmt: skip
    assert members["logs/keep.txt"] == b"kept"


def test_dockerignore_is_read_when_there_is_no_containerignore(tmp_path: Path) -> None:
    make_tree(tmp_path, {"Dockerfile": b"FROM x\n", ".dockerignore": b"*.bin\n", "a.bin": b"1"})
    context = context_from_directory(tmp_path, None)
    assert context.dockerfile == "Dockerfile"
    assert "a.bin" not in read_tar(list(context.chunks()))


def test_dockerfile_outside_the_context_is_streamed_not_written(tmp_path: Path) -> None:
    context_dir = tmp_path / "ctx"
    make_tree(context_dir, {"app.py": b"x"})
    outside = tmp_path / "elsewhere" / "Build.containerfile"
    make_tree(tmp_path, {"elsewhere/Build.containerfile": b"FROM scratch\nCOPY app.py /\n"})
    before = sorted(os.listdir(context_dir))
    context = context_from_directory(context_dir, str(outside))
    members = read_tar(list(context.chunks()))
    assert sorted(os.listdir(context_dir)) == before
    assert context.dockerfile.startswith(".containerfile.")
    assert members[context.dockerfile] == b"FROM scratch\nCOPY app.py /\n"


def test_relative_dockerfile_is_relative_to_the_context(tmp_path: Path) -> None:
    make_tree(tmp_path, {"build/Containerfile.dev": b"FROM x\n"})
    assert context_from_directory(tmp_path, "build/Containerfile.dev").dockerfile == (
        "build/Containerfile.dev"
    )


def test_missing_containerfile_or_directory_is_invalid(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="no Containerfile or Dockerfile"):
        context_from_directory(tmp_path, None)
    with pytest.raises(LocalFileError, match="No such file or directory"):
        context_from_directory(tmp_path / "nope", None)
    with pytest.raises(InvalidArgument, match="not found"):
        context_from_directory(tmp_path, "Nope")


def test_large_file_streams_in_bounded_pieces(tmp_path: Path) -> None:
    size = 3 * BLOCK_SIZE + 123
    make_tree(tmp_path, {"Containerfile": b"FROM x\n", "big.bin": os.urandom(size)})
    chunks = list(context_from_directory(tmp_path, None).chunks())
    assert max(len(chunk) for chunk in chunks) <= BLOCK_SIZE
    assert read_tar(chunks)["big.bin"] == (tmp_path / "big.bin").read_bytes()


def test_symlinks_are_sent_as_links(tmp_path: Path) -> None:
    make_tree(tmp_path, {"Containerfile": b"FROM x\n", "target.txt": b"t"})
    (tmp_path / "link").symlink_to("target.txt")
    chunks = list(context_from_directory(tmp_path, None).chunks())
    with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as tar:
        link = tar.getmember("link")
    assert link.issym()
    assert link.linkname == "target.txt"


@pytest.mark.parametrize("fileobj", [b"FROM x\n", "FROM x\n", io.BytesIO(b"FROM x\n"),
                                     io.StringIO("FROM x\n")])  # fmt: skip
def test_fileobj_accepts_bytes_text_and_files(fileobj: object) -> None:
    context = context_from_dockerfile(fileobj)  # type: ignore[arg-type]
    assert read_tar(list(context.chunks())) == {"Dockerfile": b"FROM x\n"}
