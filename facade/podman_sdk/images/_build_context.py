"""Build contexts: a directory (or a lone Containerfile) as a tar stream in bounded
memory, honouring ``.containerignore`` / ``.dockerignore``.

Ignore rules follow Docker's (moby/patternmatcher, which buildah shares): one pattern a
line, ``#`` starts a comment line, patterns are cleaned like paths (a leading ``/`` and
``./`` mean the context root), ``*`` and ``?`` never cross ``/``, ``**`` matches any
number of directories, ``!`` makes an exception, and the last matching pattern wins. A
pattern that matches a directory excludes everything below it. The Containerfile and
the ignore file are sent even when excluded, as Docker does.
"""

from __future__ import annotations

import errno
import io
import os
import posixpath
import re
import secrets
import stat
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast

from podman_sdk._core._error_mapping import local_file
from podman_sdk._exceptions import InvalidArgument, LocalFileError

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_CONTAINERFILES",
    "IGNORE_FILES",
    "BuildContext",
    "IgnoreRules",
    "context_from_directory",
    "context_from_dockerfile",
]

#: Bytes read from a file at a time; the most the context holds in memory per file.
BLOCK_SIZE = 1024 * 1024
DEFAULT_CONTAINERFILES = ("Containerfile", "Dockerfile")
IGNORE_FILES = (".containerignore", ".dockerignore")
_TAR_BLOCK = 512
_WILDCARD = re.compile(r"[*?\[\\]")
_FORMAT: Literal[2] = 2  # tarfile.PAX_FORMAT: long names and large files without GNU extensions
READ_CONTEXT = "cannot read the build context at"


@dataclass(frozen=True)
class _Pattern:
    text: str
    regex: re.Pattern[str]
    exclusion: bool
    depth: int  # path components in the pattern


def _compile(pattern: str) -> re.Pattern[str]:
    """Regex for one cleaned pattern, as moby/patternmatcher builds it."""
    out = ["^"]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1 : i + 2] == "*":
                i += 1
                if pattern[i + 1 : i + 2] == "/":
                    i += 1  # "**/" is "**"
                out.append(".*" if i + 1 >= len(pattern) else "(?:.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                raise InvalidArgument(f"ignore pattern {pattern!r}: unterminated '['")
            body = pattern[i + 1 : end]
            if body.startswith("^"):
                body = "!" + body[1:]
            out.append("[" + body.replace("!", "^", 1).replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    return re.compile("".join(out), re.DOTALL)


class IgnoreRules:
    """Parsed ignore patterns; `excluded` answers for a path relative to the context."""

    def __init__(self, lines: list[str]) -> None:
        self.patterns: list[_Pattern] = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
                if not line:
                    raise InvalidArgument("ignore file: '!' without a pattern")
            cleaned = posixpath.normpath(line)
            if len(cleaned) > 1 and cleaned.startswith("/"):
                cleaned = cleaned.lstrip("/")
            if cleaned == ".":
                continue
            self.patterns.append(
                _Pattern(cleaned, _compile(cleaned), exclusion, len(cleaned.split("/")))
            )

    @classmethod
    def parse(cls, text: str) -> IgnoreRules:
        return cls(text.splitlines())

    @property
    def has_exceptions(self) -> bool:
        return any(pattern.exclusion for pattern in self.patterns)

    def excluded(self, path: str) -> bool:
        """Whether ``path`` (posix, relative to the context) is left out: the last
        pattern matching it, or one of its parent directories, decides."""
        parts = path.split("/")
        result = False
        for pattern in self.patterns:
            matched = pattern.regex.match(path) is not None
            if not matched and len(parts) > 1:
                prefix = "/".join(parts[: pattern.depth])
                matched = prefix != path and pattern.regex.match(prefix) is not None
            if matched:
                result = not pattern.exclusion
        return result

    def may_include_below(self, directory: str) -> bool:
        """Whether an exception could bring back something below an excluded
        ``directory`` (Docker descends only then)."""
        prefix = directory + "/"
        for pattern in self.patterns:
            if not pattern.exclusion:
                continue
            text = pattern.text + "/"
            if text.startswith(prefix):
                return True
            literal = _WILDCARD.split(text, maxsplit=1)[0]
            if literal != text and (prefix.startswith(literal) or literal.startswith(prefix)):
                return True
        return False


def _header(name: str, st: os.stat_result, kind: bytes, linkname: str = "") -> bytes:
    info = tarfile.TarInfo(name)
    info.mode = stat.S_IMODE(st.st_mode)
    info.mtime = int(st.st_mtime)
    info.type = kind
    info.size = st.st_size if kind == tarfile.REGTYPE else 0
    info.linkname = linkname
    # Ownership is the builder's business (COPY --chown); numeric 0 like docker-py.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(_FORMAT, "utf-8", "surrogateescape")


def _file_member(name: str, path: str, st: os.stat_result) -> Iterator[bytes]:
    yield _header(name, st, tarfile.REGTYPE)
    remaining = st.st_size
    with open(path, "rb") as file:
        while remaining > 0:
            block = file.read(min(BLOCK_SIZE, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    if remaining > 0:
        # The file shrank while being sent: keep the archive consistent.
        yield bytes(remaining)
    yield _padding(st.st_size)


def _bytes_member(name: str, data: bytes, mode: int = 0o644) -> Iterator[bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    yield info.tobuf(_FORMAT, "utf-8", "surrogateescape")
    yield data
    yield _padding(len(data))


def _padding(size: int) -> bytes:
    return bytes(-size % _TAR_BLOCK)


@dataclass(frozen=True)
class BuildContext:
    """A context ready to send: ``dockerfile`` is the Containerfile's name inside it;
    `chunks` streams the tar (call it once per upload)."""

    root: Path | None
    dockerfile: str
    rules: IgnoreRules
    keep: frozenset[str]  # sent even when excluded
    extra: tuple[tuple[str, bytes], ...] = ()  # members not in the directory

    def chunks(self) -> Iterator[bytes]:
        """The tar, block by block. A file that cannot be read raises `LocalFileError`
        naming it (sent while the request is in flight: the server sees the upload
        break off)."""
        if self.root is not None:
            with local_file(READ_CONTEXT):
                yield from self._walk(self.root, "")
        for name, data in self.extra:
            yield from _bytes_member(name, data)
        yield bytes(2 * _TAR_BLOCK)

    def members(self) -> Iterator[str]:
        """The names the tar holds, in order (for tests and diagnostics)."""
        if self.root is not None:
            for name, _, _ in self._entries(self.root, ""):
                yield name
        for name, _ in self.extra:
            yield name

    def _walk(self, directory: Path, prefix: str) -> Iterator[bytes]:
        for name, path, st in self._entries(directory, prefix):
            if stat.S_ISDIR(st.st_mode):
                yield _header(name + "/", st, tarfile.DIRTYPE)
            elif stat.S_ISLNK(st.st_mode):
                yield _header(name, st, tarfile.SYMTYPE, os.readlink(path))
            else:
                yield from _file_member(name, path, st)

    def _entries(self, directory: Path, prefix: str) -> Iterator[tuple[str, str, os.stat_result]]:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = prefix + entry.name
            st = entry.stat(follow_symlinks=False)
            is_dir = stat.S_ISDIR(st.st_mode)
            excluded = name not in self.keep and self.rules.excluded(name)
            if is_dir:
                if not excluded:
                    yield name, entry.path, st
                    yield from self._entries(Path(entry.path), name + "/")
                elif self.rules.may_include_below(name):
                    yield from self._entries(Path(entry.path), name + "/")
                continue
            if excluded:
                continue
            if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                yield name, entry.path, st
            # Sockets, fifos and devices cannot be sent; Docker skips them too.


def _read_rules(root: Path) -> tuple[IgnoreRules, str | None]:
    for name in IGNORE_FILES:
        path = root / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidArgument(f"{path} is not UTF-8 text: {exc}") from None
            return IgnoreRules.parse(text), name
    return IgnoreRules([]), None


def context_from_directory(path: str | os.PathLike[str], dockerfile: str | None) -> BuildContext:
    """The context for directory ``path``. ``dockerfile`` None finds Containerfile or
    Dockerfile at its root; a relative one is relative to ``path``; one outside the
    directory is added to the stream under a unique name (nothing is written to disk).

    Raises:
        InvalidArgument: no Containerfile/Dockerfile, or a bad ignore file.
        LocalFileError: no such directory; the ignore file or an outside
            Containerfile cannot be read.
    """
    root = Path(path)
    if not root.is_dir():
        code = errno.ENOTDIR if root.exists() else errno.ENOENT
        raise LocalFileError(code, os.strerror(code), str(root), action=READ_CONTEXT)
    with local_file(READ_CONTEXT):
        return _context_in(root.resolve(), dockerfile)


def context_from_directory_without_containerfile(path: str | os.PathLike[str]) -> BuildContext:
    """The directory ``path`` as a context whose Containerfile comes from elsewhere."""
    root = Path(path)
    if not root.is_dir():
        code = errno.ENOTDIR if root.exists() else errno.ENOENT
        raise LocalFileError(code, os.strerror(code), str(root), action=READ_CONTEXT)
    with local_file(READ_CONTEXT):
        rules, ignore_name = _read_rules(root.resolve())
    keep = frozenset({ignore_name} if ignore_name else set())
    return BuildContext(root.resolve(), "", rules, keep)


def _context_in(root: Path, dockerfile: str | None) -> BuildContext:
    rules, ignore_name = _read_rules(root)
    keep = {ignore_name} if ignore_name else set()
    if dockerfile is None:
        for name in DEFAULT_CONTAINERFILES:
            if (root / name).is_file():
                return BuildContext(root, name, rules, frozenset(keep | {name}))
        raise InvalidArgument(
            f"no Containerfile or Dockerfile in {str(root)!r}; pass dockerfile= to name one"
        )
    candidate = Path(dockerfile)
    if not candidate.is_absolute():
        candidate = root / candidate
    candidate = candidate.resolve()
    if not candidate.is_file():
        raise InvalidArgument(f"dockerfile {dockerfile!r} not found (looked at {candidate})")
    if candidate.is_relative_to(root):
        inside = candidate.relative_to(root).as_posix()
        return BuildContext(root, inside, rules, frozenset(keep | {inside}))
    name = f".containerfile.{secrets.token_hex(8)}"
    return BuildContext(root, name, rules, frozenset(keep), ((name, candidate.read_bytes()),))


def _dockerfile_bytes(fileobj: bytes | str | IO[bytes] | IO[str]) -> bytes:
    data: bytes | str = fileobj if isinstance(fileobj, bytes | str) else fileobj.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes):
        raise InvalidArgument(f"fileobj must give bytes or text, not {type(data).__name__}")
    return data


def context_from_dockerfile(
    fileobj: bytes | str | IO[bytes] | IO[str], dockerfile: str | None = None
) -> BuildContext:
    """A context holding only a Containerfile given as bytes, text or a file, named
    ``dockerfile`` (default "Dockerfile")."""
    name = dockerfile or "Dockerfile"
    if "/" in name or name in (".", ".."):
        raise InvalidArgument(f"dockerfile names the fileobj's file: a plain name, not {name!r}")
    data = _dockerfile_bytes(fileobj)
    return BuildContext(None, name, IgnoreRules([]), frozenset(), ((name, data),))


@dataclass(frozen=True)
class TarContext:
    """podman-py's ``custom_context``: a tar the caller made, sent as it is, block by
    block; ``dockerfile`` names the Containerfile inside it."""

    source: bytes | IO[bytes]
    dockerfile: str

    def chunks(self) -> Iterator[bytes]:
        if isinstance(self.source, bytes):
            yield self.source
            return
        while block := self.source.read(_CUSTOM_BLOCK):
            if not isinstance(block, bytes):
                raise InvalidArgument("with custom_context=True, fileobj must be a binary file")
            yield block


_CUSTOM_BLOCK = 64 * 1024


def build_context(
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    dockerfile: str | None,
    custom_context: bool = False,
) -> BuildContext | TarContext:
    """The context of a build, as podman-py's arguments describe it:
    ``custom_context=True``: ``fileobj`` is a tar holding the context and
    ``dockerfile`` names the Containerfile in it (both required, as podman-py);
    ``path`` alone: that directory; ``fileobj`` alone: a context of that Containerfile
    only (named ``dockerfile`` when given); both: the directory, with ``fileobj`` as its
    Containerfile (podman-py ignores ``path`` then)."""
    if custom_context:
        if fileobj is None or path is not None:
            raise InvalidArgument(
                "custom_context=True takes the context as fileobj= (a tar), without path="
            )
        if dockerfile is None:
            raise InvalidArgument(
                "custom_context=True needs dockerfile= (the Containerfile's name in the tar)"
            )
        if isinstance(fileobj, str | io.TextIOBase):
            raise InvalidArgument(
                "with custom_context=True, fileobj must be bytes or a binary file"
            )
        return TarContext(cast("bytes | IO[bytes]", fileobj), dockerfile)
    if path is None and fileobj is None:
        raise InvalidArgument("build takes path= or fileobj= (or both)")
    if path is None:
        assert fileobj is not None
        return context_from_dockerfile(fileobj, dockerfile)
    if fileobj is None:
        return context_from_directory(path, dockerfile)
    if dockerfile is not None:
        raise InvalidArgument(
            "with path= and fileobj=, fileobj is the Containerfile: leave out dockerfile="
        )
    directory = context_from_directory_without_containerfile(path)
    name = f".containerfile.{secrets.token_hex(8)}"
    data = _dockerfile_bytes(fileobj)
    return BuildContext(directory.root, name, directory.rules, directory.keep, ((name, data),))
