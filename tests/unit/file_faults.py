"""Local file faults that hold even for root: a directory or file this thread may not use.

Root passes every permission check through CAP_DAC_OVERRIDE (and CAP_DAC_READ_SEARCH
for reads), so ``chmod 000`` alone denies nothing to a test running as root. Linux
keeps capabilities per thread: `denied` drops those two from the calling thread's
effective set (they stay permitted, so they come back at the end) and the kernel then
checks the mode bits, which deny root as the owner like anyone else. Only the calling
thread is affected; the SDK opens and reads files on the caller's thread.
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_DAC_CAPS = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _capabilities(data: ctypes.Array[_Data] | None = None) -> ctypes.Array[_Data]:
    """The calling thread's capability sets (``capget``), or set them (``capset``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    header = _Header(_LINUX_CAPABILITY_VERSION_3, 0)  # pid 0: this thread
    setting = data is not None
    sets = data if data is not None else (_Data * 2)()
    call = libc.capset if setting else libc.capget
    if call(ctypes.byref(header), sets) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{'capset' if setting else 'capget'}: {os.strerror(code)}")
    return sets


@contextmanager
def denied(*paths: Path, mode: int = 0o500) -> Iterator[None]:
    """``paths`` get ``mode`` (default: no writing) and this thread loses the
    capabilities that would override it; both restored on exit."""
    saved = [(path, path.stat().st_mode & 0o7777) for path in paths]
    restore = None
    for path in paths:
        path.chmod(mode)
    try:
        if os.geteuid() == 0:
            restore = _capabilities()
            lowered = (_Data * 2)()
            ctypes.memmove(lowered, restore, ctypes.sizeof(lowered))
            lowered[0].effective &= ~_DAC_CAPS
            _capabilities(lowered)
        yield
    finally:
        if restore is not None:
            _capabilities(restore)
        for path, old in saved:
            path.chmod(old)


def assert_denied(directory: Path) -> None:
    """The precondition of a permission test: creating a file in ``directory`` fails."""
    try:
        fd = os.open(directory / ".probe", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except PermissionError as exc:
        if exc.errno != errno.EACCES:
            raise
        return
    os.close(fd)
    os.unlink(directory / ".probe")
    raise AssertionError(f"{directory} is writable: the permission test would prove nothing")
