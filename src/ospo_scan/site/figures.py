"""System-wide figures over time: at each audit day, every entity as its latest audit up to
that day saw it. Rule tallies are the survey's own, over the in-scope repositories audited,
as the store keeps them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ospo_scan.errors import UsageError
from ospo_scan.history.audits import entity_summary
from ospo_scan.report.loader import entity_from_dict
from ospo_scan.site.audits import Audit, EntityAudits
from ospo_scan.survey.compute import build_survey
from ospo_scan.survey.inputs import SurveyInputs, entity_scan
from ospo_scan.survey.model import EntityScan, RuleTally, Survey

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
    """Per rule, in-scope repositories passing, of those where it applied."""


def system_over_time(groups: Sequence[EntityAudits]) -> tuple[SystemPoint, ...]:
    """The system at each of the latest `MAX_POINTS` audit days, oldest first."""
    dated = [[(audit.started[:10], audit) for audit in group.audits] for group in groups]
    days = sorted({day for audits in dated for day, _ in audits})[-MAX_POINTS:]
    points = []
    for day in days:
        current = [latest for audits in dated if (latest := _latest_by(audits, day))]
        rules: dict[str, RuleTally] = {}
        for audit in current:
            for rule, tally in audit.tallies.items():
                rules[rule] = rules.get(rule, RuleTally(0, 0)) + tally
        scores = [a.score for a in current if a.score is not None]
        mean = sum(scores) / len(scores) if scores else None
        points.append(SystemPoint(day, len(current), mean, dict(sorted(rules.items()))))
    return tuple(points)


def _latest_by(audits: list[tuple[str, Audit]], day: str) -> Audit | None:
    latest = None
    for audit_day, audit in audits:  # oldest first
        if audit_day > day:
            break
        latest = audit
    return latest


def survey_of(
    groups: Sequence[EntityAudits], inputs: SurveyInputs, *, established: float | None
) -> Survey:
    """The survey of every audit the site shows, with the answers and principles the entity
    files among the inputs declare. Of an entity's audits, only the latest of each survey year
    counts (as in `survey`), so only those have their entity part read."""
    scans = [scan for group in groups for scan in _yearly_scans(group)]
    return build_survey(scans, inputs.answers, inputs.principles, established=established)


def _yearly_scans(group: EntityAudits) -> list[EntityScan]:
    latest_of_year: dict[int, Audit] = {}
    for audit in group.audits:  # oldest first
        if not audit.started:
            raise UsageError(
                f"an audit of {group.name} has no scan date",
                hint="the survey places scans by year: scan again with this version",
            )
        year = audit.record.survey_year or int(audit.started[:4])
        latest_of_year[year] = audit
    scans = []
    for audit in latest_of_year.values():
        entity = (
            group.entity
            if audit is group.latest
            else entity_from_dict(
                entity_summary(audit.store, audit.record.scan_id),
                origin=f"{audit.store.path} scan {audit.record.scan_id}",
            )
        )
        scan = entity_scan(entity, audit.started, audit.tallies)
        if scan is not None:
            scans.append(scan)
    return scans
