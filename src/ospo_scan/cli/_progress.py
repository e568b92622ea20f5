"""How a scan shows its progress on stderr: where a person watches, and where a log is kept.

On a terminal one line is rewritten in place: `[3/12] 0:07 scanning NAME`. Elsewhere (a CI
log) a plain line is written once `interval` seconds have passed since the last (or the
start), so a long scan shows it is alive while a short one stays quiet; with `--verbose`,
every repository gets its line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ospo_scan.untrusted.display import neutralise

if TYPE_CHECKING:
    from ospo_scan.scan.scanner import ProgressUpdate

LOG_INTERVAL = 10.0
"""Seconds between two progress lines in a log."""

Write = Callable[[str], None]


class ProgressDisplay:
    """Turns the scanner's progress updates into what stderr shows."""

    def __init__(
        self,
        write: Write,
        *,
        terminal: bool,
        interval: float | None = LOG_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`write` takes text exactly as it should appear; `interval` (seconds) spaces the log
        lines (0: one per repository; None: none); `clock` tells the seconds elapsed."""
        self._write = write
        self._terminal = terminal
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._last_line = self._started
        self._shown = False

    def __call__(self, update: ProgressUpdate) -> None:
        now = self._clock()
        count = f"{update.done}/{update.total}" if update.total is not None else f"{update.done}"
        elapsed = _elapsed(now - self._started)
        name = neutralise(update.name)
        if self._terminal:
            self._write(f"\r\033[K[{count}] {elapsed} scanning {name}")
            self._shown = True
            return
        if self._interval is None or now - self._last_line < self._interval:
            return
        self._last_line = now
        self._write(f"ospo-scan: progress: {count} repositories, {elapsed} elapsed: {name}\n")

    def finish(self) -> None:
        """Leave no half-written progress line behind on a terminal."""
        if self._shown:
            self._write("\r\033[K")


def _elapsed(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"
