"""``images pull``'s byte bar per layer, drawn from Podman 6's per-layer progress
(`LayerProgress`, libpod API 6.0 and later); older services send none, and the pull
shows their log lines only.

On a terminal the bars stay together below the log, redrawn in place (the cursor goes
back up over them) at most ten times a second, and a log line arriving meanwhile is
written above them. Elsewhere (a pipe, a log, a test) each layer writes one line, its
final one, when it is done or skipped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO

from podman_sdk import LayerProgress
from podman_sdk._cli.output import REDRAW_EVERY, Progress

_ENDED = ("success", "skipped")


def layer_label(layer: LayerProgress) -> str:
    """``Copying blob 4276d823fb9c``: the digest's first 12 hex digits, as podman."""
    digest = layer["progressComponentID"].partition(":")[2] or "(unknown)"
    return f"Copying blob {digest[:12]}"


class LayerBars:
    """One `Progress` line per layer on stderr (see the module docstring)."""

    def __init__(
        self,
        *,
        stream: IO[str] | None = None,
        live: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._live = self._stream.isatty() if live is None else live
        self._clock = clock
        self._bars: dict[str, Progress] = {}
        self._skipped: set[str] = set()
        self._ended: set[str] = set()
        self._shown = 0  # bar lines below the cursor's column, drawn last time
        self._drawn = 0.0

    def update(self, layer: LayerProgress) -> None:
        """Move the layer's bar to ``current`` of ``total`` bytes."""
        key = layer["progressComponentID"]
        bar = self._bars.get(key)
        new = bar is None
        if bar is None:
            total = layer["total"] if layer["total"] > 0 else None
            bar = Progress(layer_label(layer), total, stream=self._stream, live=False,
                           clock=self._clock)  # fmt: skip
            self._bars[key] = bar
        bar.advance(max(layer["current"] - bar.done, 0))
        ended = layer["status"] in _ENDED and key not in self._ended
        if ended:
            self._ended.add(key)
            if layer["status"] == "skipped":
                self._skipped.add(key)
        if not self._live:
            if ended:
                self._write(self._line(key, bar) + "\n")
            return
        # At once when a layer starts or ends, else at a terminal's pace.
        if new or ended or self._clock() - self._drawn >= REDRAW_EVERY:
            self._redraw("")

    def note(self, line: str) -> None:
        """A log line, written above the bars."""
        if self._live and self._shown:
            self._redraw(f"\r{line}\x1b[K\n")
        else:
            self._write(line + "\n")

    def _line(self, key: str, bar: Progress) -> str:
        if key in self._skipped:
            return f"{bar.label} skipped: already exists"
        return bar.line(finished=key in self._ended)

    def _redraw(self, above: str) -> None:
        self._drawn = self._clock()
        up = f"\x1b[{self._shown}A" if self._shown else ""
        lines = "".join(f"\r{self._line(k, bar)}\x1b[K\n" for k, bar in self._bars.items())
        self._shown = len(self._bars)
        self._write(up + above + lines)

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
