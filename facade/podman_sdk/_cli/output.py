"""What the CLI prints: aligned tables, sizes and ages as ``podman`` shows them, JSON,
and a progress line for long transfers. Pure functions, except `Progress` and `emit_*`,
which write to click's streams."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import IO

import click

_SI_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")
_BINARY_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")
# The gap between columns, as podman's tabwriter pads them.
COLUMN_GAP = "  "
# Redraw a progress line at most this often (seconds): a terminal is slower than a socket.
REDRAW_EVERY = 0.1
_BAR_WIDTH = 24


def human_size(size: int) -> str:
    """Decimal units with four significant digits, as ``podman images`` prints sizes
    (docker's go-units HumanSize): ``5.593 MB``, ``718 B``."""
    value = float(size)
    for unit in _SI_UNITS:
        if abs(value) < 1000 or unit == _SI_UNITS[-1]:
            return f"{value:.4g} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def binary_size(size: float) -> str:
    """Binary units for transfer figures: ``12.3 MiB``."""
    value = float(size)
    for unit in _BINARY_UNITS:
        if abs(value) < 1024 or unit == _BINARY_UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_age(created: int, now: float | None = None) -> str:
    """``2 hours ago``, as podman's CREATED column (go-units HumanDuration)."""
    if created <= 0:
        return "unknown"
    seconds = max(0, int((time.time() if now is None else now) - created))
    return f"{_duration(seconds)} ago"


def _duration(seconds: int) -> str:
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 1:
        return "Less than a second"
    if seconds == 1:
        return "1 second"
    if seconds < 60:
        return f"{seconds} seconds"
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if days < 14:
        return f"{days} days"
    if days < 60:
        return f"{days // 7} weeks"
    if days < 365 * 2:
        return f"{days // 30} months"
    return f"{days // 365} years"


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in ``...`` when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows under headers, each column as wide as its widest cell; the last column is
    not padded (no trailing blanks)."""
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    lines = []
    for row in [list(headers), *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append(COLUMN_GAP.join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def render_pairs(pairs: Sequence[tuple[str, object]], width: int = 0) -> str:
    """``Key:  value`` lines with the values aligned, as ``podman version`` prints; the
    keys padded to at least ``width`` (to line up with lines printed apart)."""
    width = max([width, *(len(key) + 1 for key, _ in pairs)])
    return "\n".join(f"{(key + ':').ljust(width)}  {value}" for key, value in pairs)


def to_json(value: object) -> str:
    """Indented JSON; anything json cannot encode is written as its string."""
    return json.dumps(value, indent=2, default=str)


def emit_json(value: object) -> None:
    click.echo(to_json(value))


def emit(text: str) -> None:
    if text:
        click.echo(text)


def note(text: str) -> None:
    """A line for the person at the terminal (stderr), never part of the output."""
    click.echo(text, err=True)


class Progress:
    """One self-redrawing line on stderr: ``label [####....] 12.3/20.0 MiB 45.6 MiB/s``.

    ``total`` may be None (unknown length: no bar) or an estimate (the bar stops at
    99% until `finish`). On a terminal the line is redrawn in place at most ten times a
    second; elsewhere (a pipe, a log, a test) only the final line is written.
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        stream: IO[str] | None = None,
        live: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._live = self._stream.isatty() if live is None else live
        self._clock = clock
        self._started = self._clock()
        self._drawn = 0.0

    def advance(self, count: int) -> None:
        self.done += count
        if not self._live:
            return
        now = self._clock()
        if now - self._drawn >= REDRAW_EVERY:
            self._drawn = now
            self._write("\r" + self.line(finished=False) + "\x1b[K")

    def finish(self) -> None:
        prefix = "\r" if self._live else ""
        self._write(prefix + self.line(finished=True) + ("\x1b[K" if self._live else "") + "\n")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        # A transfer that failed leaves its partly drawn line: end it, so the error
        # message starts on a line of its own.
        if exc_type is not None and self._live and self._drawn:
            self._write("\n")

    def line(self, *, finished: bool) -> str:
        elapsed = max(self._clock() - self._started, 1e-6)
        rate = f"{binary_size(self.done / elapsed)}/s"
        if self.total is None or self.total <= 0:
            return f"{self.label} {binary_size(self.done)}  {rate}"
        fraction = 1.0 if finished else min(self.done / self.total, 0.99)
        filled = int(fraction * _BAR_WIDTH)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        shown_total = self.done if finished else max(self.total, self.done)
        sizes = f"{binary_size(self.done)} / {binary_size(shown_total)}"
        return f"{self.label} [{bar}] {fraction:4.0%}  {sizes}  {rate}"

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
