"""`LocalFileError`, and `local_file`, the one place an `OSError` of the caller's files
becomes one (see `_errors` for the whole hierarchy)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from podman_sdk._errors import PodmanError

__all__ = ["LocalFileError", "local_file"]


class LocalFileError(PodmanError, OSError):
    """A local file or directory the SDK reads or writes for the caller failed: disk
    full, permission denied, no such file or directory, a read error. Both a
    `PodmanError` and an `OSError`: ``errno`` and ``strerror`` are the system's,
    ``filename`` the caller's path (for a build, the context file that failed), never
    a temporary file of the SDK's. Nothing partial is left behind.

    Attributes:
        action: what the SDK was doing (``"cannot save to"``), the start of the message.
    """

    def __init__(
        self, errno: int | None, strerror: str, filename: str | None, *, action: str = "local file"
    ) -> None:
        OSError.__init__(self, errno, strerror, filename)
        self.action = action

    def __str__(self) -> str:
        where = f" {self.filename}" if self.filename is not None else ""
        code = f" [Errno {self.errno}]" if self.errno is not None else ""
        return f"{self.action}{where}: {self.strerror}{code}"


@contextmanager
def local_file(action: str, path: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Turn an `OSError` of local file I/O into `LocalFileError` naming ``path`` (or,
    without one, the file the system named). The original stays chained, renamed to
    ``path`` as well: it may name a hidden temporary file that no longer exists."""
    try:
        yield
    except PodmanError:
        raise
    except OSError as exc:
        filename = os.fspath(path) if path is not None else exc.filename
        if isinstance(filename, bytes):
            filename = os.fsdecode(filename)
        exc.filename, exc.filename2 = filename, None
        strerror = exc.strerror or str(exc) or type(exc).__name__
        raise LocalFileError(exc.errno, strerror, filename, action=action) from exc
