"""What the survey takes from a report: the entity's score, level and per-rule tallies."""

from __future__ import annotations

from datetime import datetime

from ospo_scan.model import Outcome, Report, RepoStatus
from ospo_scan.survey.model import EntityScan, RuleTally

_PASSING = (Outcome.PASS, Outcome.EXEMPT)


def scan_of(report: Report, started: datetime) -> EntityScan:
    """The survey's view of one report, scanned at `started` (UTC)."""
    tallies: dict[str, RuleTally] = {}
    for repo in report.repositories:
        if not repo.in_scope or repo.status is not RepoStatus.OK:
            continue
        for result in repo.results:
            if not result.outcome.counts:
                continue
            passed = 1 if result.outcome in _PASSING else 0
            tallies[result.rule] = tallies.get(result.rule, RuleTally(0, 0)) + RuleTally(passed, 1)
    return EntityScan(
        entity=report.entity.name,
        started=started,
        score=report.entity.score,
        level=report.entity.level,
        rules=tallies,
    )
