"""After a scan: its outputs (with trends from earlier scans), its record, and its regressions."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.cli._output import OutputPlan, write_outputs
from ospo_scan.formats.json import format_json
from ospo_scan.history.diff import Change, ScanOutcomes, diff_scans, report_outcomes
from ospo_scan.history.store import HistoryStore, open_store
from ospo_scan.history.trends import trends_for
from ospo_scan.model import Report
from ospo_scan.scan.entities import entity_parts


def remember(report: Report, plan: OutputPlan, history: Path) -> tuple[Change, ...]:
    """Write the report's outputs (the HTML with trends) and record it in the store at `history`.

    Returns the regressions since the previous recorded scan of the same entity and ruleset
    (none when there is no such scan); a scan of several entities is recorded, and compared,
    entity by entity.
    """
    with open_store(history) as store:
        regressions = tuple(
            change for part in entity_parts(report) for change in _regressions(store, part)
        )
        write_outputs(report, plan, trends_for(store, report))
        store.record_scan(report, format_json(report), format_json)
    return regressions


def _regressions(store: HistoryStore, report: Report) -> tuple[Change, ...]:
    earlier = store.earlier(report.entity.name, report.ruleset.id)
    if not earlier:
        return ()
    previous = earlier[-1]
    old = ScanOutcomes(previous, store.outcomes(previous.id))
    return diff_scans(old, report_outcomes(report)).regressions
