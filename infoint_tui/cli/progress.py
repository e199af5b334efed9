"""A progress bar on stderr for the long commands (import, export): rate and time left.

Hand-written, a few lines, instead of a library: the command line starts fast and imports nothing
it does not need. It shows only on a terminal (``stderr.isatty()``), never with ``--json``, and only
once the work has taken more than a second: a quick command prints nothing extra, a pipe or a log
file gets no carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = max(int(seconds + 0.5), 0)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """``update(done, total)`` as the work goes; ``close()`` when it ends (the line is erased).

    Attributes:
        what: What is being done ("importing"), shown first.
        unit: What is counted ("rows"), after the count.
    """

    def __init__(self, what: str, unit: str = "rows", *, enabled: bool = True, stream: TextIO | None = None,
                 delay: float = 1.0, clock: object = None) -> None:
        self.what, self.unit = what, unit
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = enabled and self._stream.isatty()
        self._clock = clock if callable(clock) else time.monotonic
        self._start = self._clock()
        self._delay = delay
        self._last_draw = 0.0
        self._shown = False

    @classmethod
    def for_command(cls, what: str, json_output: bool, unit: str = "rows") -> Progress:
        """The bar of a command: quiet with ``--json`` (and off a terminal, as every bar)."""
        return cls(what, unit, enabled=not json_output)

    def update(self, done: int, total: int | None = None) -> None:
        """Where the work is: ``done`` of ``total`` (None: not known)."""
        if not self._enabled:
            return
        now = self._clock()
        elapsed = now - self._start
        if elapsed < self._delay or (now - self._last_draw < 0.1 and done != total):
            return
        self._last_draw = now
        self._stream.write("\r" + self.line(done, total, elapsed) + "\x1b[K")
        self._stream.flush()
        self._shown = True

    def line(self, done: int, total: int | None, elapsed: float) -> str:
        """The bar's text: ``importing  45% |█████▌      | 45,000/100,000 rows  12,345/s  4s left``."""
        rate = done / elapsed if elapsed > 0 else 0.0
        speed = f"{rate:,.0f}/s"
        if not total:
            return f"{self.what}  {done:,} {self.unit}  {speed}"
        frac = min(done / total, 1.0)
        width = 24
        cells = frac * width
        full = int(cells)
        bar = "█" * full + ("▌" if cells - full >= 0.5 and full < width else "")
        left = f"{_duration((total - done) / rate)} left" if rate > 0 and done < total else ""
        return (f"{self.what} {int(frac * 100):3d}% |{bar:<{width}}| {done:,}/{total:,} {self.unit}  {speed}  {left}"
                .rstrip())

    def close(self) -> None:
        """Erase the bar (if it was drawn): what the command prints next starts on a clean line."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False
