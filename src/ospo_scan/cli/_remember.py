"""After a scan: its outputs (with trends from earlier scans), its record, and its regressions.

The outputs come first and never depend on the store: a store that cannot be read gives no
trends and no regressions, and one that cannot be written (a read-only home, a damaged file,
another scan holding it past the busy timeout) leaves the scan unrecorded. Each is a warning,
and the scan's exit code stays its own.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.cli._output import OutputPlan, write_outputs
from ospo_scan.formats.json import format_json
from ospo_scan.history.checks import StoreError
from ospo_scan.history.diff import Change, ScanOutcomes, diff_scans, report_outcomes
from ospo_scan.history.records import Trends
from ospo_scan.history.store import HistoryStore, open_store
from ospo_scan.history.trends import trends_for
from ospo_scan.model import Report
from ospo_scan.scan.entities import entity_parts

_STORE_FAILURES = (StoreError, sqlite3.Error, OSError)


@dataclass(frozen=True)
class Remembered:
    """What the history store gave and took."""

    regressions: tuple[Change, ...]
    """Rules that got worse since the previous recorded scan of the entity and ruleset."""
    warnings: tuple[str, ...]
    """What went wrong with the store (the outputs were written all the same)."""


def remember(report: Report, plan: OutputPlan, history: Path) -> Remembered:
    """Write the report's outputs (the HTML with trends), then record it in the store at
    `history`."""
    try:
        store = open_store(history)
    except _STORE_FAILURES as exc:
        write_outputs(report, plan)
        why = f"history store {history}: {_why(exc)}"
        return Remembered((), (f"this scan was not recorded, and has no trends: {why}",))
    warnings: list[str] = []
    trends: Trends | None = None
    regressions: tuple[Change, ...] = ()
    with store:
        try:
            regressions = tuple(
                change for part in entity_parts(report) for change in _regressions(store, part)
            )
            trends = trends_for(store, report)
        except _STORE_FAILURES as exc:
            warnings.append(f"no trends or regressions: history store {history}: {_why(exc)}")
        write_outputs(report, plan, trends)
        try:
            store.record_scan(report, format_json(report), format_json)
        except _STORE_FAILURES as exc:
            warnings.append(f"this scan was not recorded in history store {history}: {_why(exc)}")
    return Remembered(regressions, tuple(warnings))


def _why(exc: BaseException) -> str:
    if isinstance(exc, StoreError):
        return exc.one_line()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _regressions(store: HistoryStore, report: Report) -> tuple[Change, ...]:
    earlier = store.earlier(report.entity.name, report.ruleset.id)
    if not earlier:
        return ()
    previous = earlier[-1]
    old = ScanOutcomes(previous, store.outcomes(previous.id))
    return diff_scans(old, report_outcomes(report)).regressions
