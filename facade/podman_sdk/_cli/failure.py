"""How a failed command ends: its exit code and the one line that says why.

Exit codes: 0 success; 1 the server refused (an error status, or an error reported
inside a stream); 2 bad usage, bad input or a local file (click's usage errors,
`InvalidArgument`, `LocalFileError`: a file that cannot be read or written, a missing
directory, a full disk); 3 no service to talk to (cannot connect, timed out, nothing
found, or not a Podman service).
"""

from __future__ import annotations

import enum

from podman_sdk._exceptions import (
    InvalidArgument,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    UnsupportedServer,
)


class ExitCode(enum.IntEnum):
    OK = 0
    REFUSED = 1
    USAGE = 2
    UNREACHABLE = 3


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, PodmanConnectionError | PodmanTimeoutError | UnsupportedServer):
        return ExitCode.UNREACHABLE
    if isinstance(exc, InvalidArgument | OSError):
        return ExitCode.USAGE
    return ExitCode.REFUSED


def one_line(exc: BaseException) -> str:
    """The error as one line. Multi-line messages (a discovery trail) keep their first
    line and point at ``doctor``, which shows the rest."""
    if isinstance(exc, PodmanConnectionError | PodmanTimeoutError):
        return f"{first_line(exc)} (run `podman-sdk doctor` to see where it looked and what to do)"
    if isinstance(exc, OSError) and exc.filename is not None and not isinstance(exc, PodmanError):
        return f"{exc.filename}: {exc.strerror or exc}"
    text = str(exc) if isinstance(exc, PodmanError) else f"{type(exc).__name__}: {exc}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(lines) if lines else type(exc).__name__


def first_line(exc: PodmanConnectionError | PodmanTimeoutError) -> str:
    """A connection error's first line: the discovery trail that may follow "looked at,
    in order:" is left to ``doctor``, which prints it as a list."""
    return exc.message.splitlines()[0].split("; looked at")[0].rstrip(":; ")


def is_handled(exc: BaseException) -> bool:
    """Errors reported as one line; anything else is a bug and keeps its traceback."""
    return isinstance(exc, PodmanError | OSError)
