"""An entity's earlier scans, gathered for the HTML report's charts over time.

The earlier scans of a report are those of the same entity and ruleset that started before it,
so a report re-rendered later shows the same trends as when its scan wrote it.
"""

from __future__ import annotations

from ospo_scan.history.records import TrendPoint, Trends
from ospo_scan.history.store import HistoryStore
from ospo_scan.model import Report

MAX_POINTS = 52
"""The charts show at most this many scans: a year of weekly audits."""


def is_recorded(store: HistoryStore, report: Report) -> bool:
    """Whether the store holds the report's scan (same entity, ruleset and start)."""
    if report.scan is None:
        return False
    started = report.scan.started
    return any(r.started == started for r in store.earlier(report.entity.name, report.ruleset.id))


def trends_for(store: HistoryStore, report: Report) -> Trends | None:
    """The report's trends, or None when the store holds no earlier scan of its entity."""
    if report.scan is None:
        return None
    started = report.scan.started
    earlier = [
        record
        for record in store.earlier(report.entity.name, report.ruleset.id)
        if record.started and record.started < started
    ][-(MAX_POINTS - 1) :]
    if not earlier:
        return None
    points = [TrendPoint(r.started, r.score, store.rule_rates(r.id)) for r in earlier]
    points.append(TrendPoint(started, report.entity.score, report.summary.rule_pass_rates))
    previous = earlier[-1]
    return Trends(tuple(points), store.repository_scores(previous.id), previous.started)
