"""The formatter interface: a pure function from a report to text."""

from __future__ import annotations

from typing import Protocol

from ospo_scan.model import Report


class Formatter(Protocol):
    def __call__(self, report: Report) -> str: ...
