"""How long a host's answer may take and how large it may be: the bounds, without the HTTP
machinery that enforces them (`answers`), so that settings can name them cheaply."""

from __future__ import annotations

import time
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class AnswerLimits:
    """How long one answer may take, how large it may be, and when the scan stops waiting."""

    deadline: float = 300.0
    """Seconds from sending a request to the end of its answer's body."""
    max_bytes: int = 128 * MIB
    """Largest body read (after decompression); a larger one is `AnswerTooLarge`."""
    scan_deadline: float | None = None
    """`time.monotonic()` after which no request is sent: the host counts as silent."""

    def seconds_left(self) -> float:
        now = time.monotonic()
        left = self.deadline
        if self.scan_deadline is not None:
            left = min(left, self.scan_deadline - now)
        return left
