"""System-wide figures over time: at each audit day, every entity as its latest audit up to
that day saw it. Rule tallies are the survey's own (`survey.inputs.scans_of`), over the
published repositories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ospo_scan.model import Report
from ospo_scan.site.audits import EntityAudits
from ospo_scan.survey.compute import build_survey
from ospo_scan.survey.inputs import SurveyInputs, scans_of
from ospo_scan.survey.model import RuleTally, Survey

MAX_POINTS = 52
"""The charts over time show at most this many audit days: a year of weekly audits."""


@dataclass(frozen=True)
class SystemPoint:
    """The system on one audit day."""

    day: str
    """The day, `YYYY-MM-DD`."""
    entities: int
    """Entities audited on or before that day."""
    mean_score: float | None
    """Mean entity score over those with a score."""
    rules: Mapping[str, RuleTally]
    """Per rule, published in-scope repositories passing, of those where it applied."""


def rule_tallies(report: Report) -> dict[str, RuleTally]:
    """A report's rule tallies, summed over its entities."""
    total: dict[str, RuleTally] = {}
    for scan in scans_of(report):
        for rule, tally in scan.rules.items():
            total[rule] = total.get(rule, RuleTally(0, 0)) + tally
    return total


def system_over_time(groups: Sequence[EntityAudits]) -> tuple[SystemPoint, ...]:
    """The system at each of the latest `MAX_POINTS` audit days, oldest first."""
    dated = [
        [(report.scan.started[:10] if report.scan else "", report) for report in group.reports]
        for group in groups
    ]
    days = sorted({day for audits in dated for day, _ in audits})[-MAX_POINTS:]
    tallies: dict[int, dict[str, RuleTally]] = {}
    points = []
    for day in days:
        current = [latest for audits in dated if (latest := _latest_by(audits, day))]
        rules: dict[str, RuleTally] = {}
        for report in current:
            own = tallies.get(id(report))
            if own is None:
                own = tallies[id(report)] = rule_tallies(report)
            for rule, tally in own.items():
                rules[rule] = rules.get(rule, RuleTally(0, 0)) + tally
        scores = [r.entity.score for r in current if r.entity.score is not None]
        mean = sum(scores) / len(scores) if scores else None
        points.append(SystemPoint(day, len(current), mean, rules))
    return tuple(points)


def _latest_by(audits: list[tuple[str, Report]], day: str) -> Report | None:
    latest = None
    for audit_day, report in audits:  # oldest first
        if audit_day > day:
            break
        latest = report
    return latest


def survey_of(
    groups: Sequence[EntityAudits], inputs: SurveyInputs, *, established: float | None
) -> Survey:
    """The survey of every audit the site shows, with the answers and principles the entity
    files among the inputs declare."""
    scans = [scan for group in groups for report in group.reports for scan in scans_of(report)]
    return build_survey(scans, inputs.answers, inputs.principles, established=established)
