"""What changed between two scans: outcomes per repository and rule, repositories, entity score.

A regression is an outcome that got worse on the pass/partial/fail scale (pass or exempt to
partial or fail, partial to fail); an improvement the reverse. Any other change of outcome
(to or from not-applicable, unknown or error) is a plain change: it is listed, as a fact that
could be read last time and no longer can (a token lost a permission) is worth seeing, but an
`unknown` is never a regression or an improvement, so it never trips `--fail-on-regression`.
Rules only one scan ran are not changes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ospo_scan.history.records import ScanRecord
from ospo_scan.model import Outcome, Report

DIFF_SCHEMA_ID = "ospo-scan/diff/v1"

_RANK = {Outcome.PASS: 0, Outcome.EXEMPT: 0, Outcome.PARTIAL: 1, Outcome.FAIL: 2}
"""Outcomes on the scale regressions are judged by; the others are not ranked."""


class ChangeKind(str, enum.Enum):
    """How an outcome changed, worst first."""

    REGRESSION = "regression"
    IMPROVEMENT = "improvement"
    CHANGE = "change"


@dataclass(frozen=True)
class Change:
    """One rule whose outcome for one repository differs between the scans."""

    repository: str
    """The repository's name."""
    rule: str
    """The rule's id."""
    old: Outcome
    """The outcome in the older scan."""
    new: Outcome
    """The outcome in the newer scan."""
    kind: ChangeKind
    """Whether it got worse, better, or neither."""


@dataclass(frozen=True)
class ScanOutcomes:
    """What a diff needs of one scan: its summary and every outcome by repository and rule."""

    record: ScanRecord
    """The scan as `history` lists it (id 0 for a report file not in the store)."""
    outcomes: Mapping[str, Mapping[str, Outcome]]
    """Per repository, its outcome per rule; repositories that could not be scanned have none."""


@dataclass(frozen=True)
class Diff:
    """The changes from an older scan to a newer one."""

    old: ScanRecord
    """The older scan."""
    new: ScanRecord
    """The newer scan."""
    added: tuple[str, ...]
    """Repositories only the newer scan has."""
    removed: tuple[str, ...]
    """Repositories only the older scan has."""
    changes: tuple[Change, ...]
    """Changed outcomes: regressions first, then improvements, then other changes."""

    @property
    def regressions(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is ChangeKind.REGRESSION)

    @property
    def improvements(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is ChangeKind.IMPROVEMENT)

    @property
    def score_delta(self) -> float | None:
        if self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score

    def as_json(self) -> dict[str, Any]:
        """The document of schema `ospo-scan/diff/v1`."""
        return {
            "schema": DIFF_SCHEMA_ID,
            "old": self.old.as_json(),
            "new": self.new.as_json(),
            "entity": {"old_score": self.old.score, "new_score": self.new.score},
            "repositories": {"added": list(self.added), "removed": list(self.removed)},
            "changes": [
                {
                    "repository": c.repository,
                    "rule": c.rule,
                    "old": c.old.value,
                    "new": c.new.value,
                    "kind": c.kind.value,
                }
                for c in self.changes
            ],
        }


def change_kind(old: Outcome, new: Outcome) -> ChangeKind:
    """How an outcome changed (the outcomes differ)."""
    if old in _RANK and new in _RANK and _RANK[old] != _RANK[new]:
        return ChangeKind.REGRESSION if _RANK[new] > _RANK[old] else ChangeKind.IMPROVEMENT
    return ChangeKind.CHANGE


def diff_scans(old: ScanOutcomes, new: ScanOutcomes) -> Diff:
    """Compare two scans."""
    changes = []
    for repository, new_results in new.outcomes.items():
        old_results = old.outcomes.get(repository)
        if old_results is None:
            continue
        for rule, outcome in new_results.items():
            before = old_results.get(rule)
            if before is not None and before is not outcome:
                changes.append(
                    Change(repository, rule, before, outcome, change_kind(before, outcome))
                )
    order = list(ChangeKind)
    changes.sort(key=lambda c: (order.index(c.kind), c.repository, c.rule))
    return Diff(
        old=old.record,
        new=new.record,
        added=tuple(sorted(set(new.outcomes) - set(old.outcomes))),
        removed=tuple(sorted(set(old.outcomes) - set(new.outcomes))),
        changes=tuple(changes),
    )


def report_outcomes(report: Report, scan_id: int = 0) -> ScanOutcomes:
    """The outcomes of a report (a file, or a scan not yet recorded)."""
    record = ScanRecord(
        id=scan_id,
        started=report.scan.started if report.scan else "",
        entity=report.entity.name,
        ruleset=report.ruleset.id,
        ruleset_version=report.ruleset.version,
        score=report.entity.score,
        level=report.entity.level,
        repositories=report.summary.repositories,
        errors=report.summary.errors,
        source=report.entity.source,
    )
    outcomes: dict[str, dict[str, Outcome]] = {}
    for repo in report.repositories:
        results = outcomes.setdefault(repo.name, {})
        for result in repo.results:
            results.setdefault(result.rule, result.outcome)
    return ScanOutcomes(record, outcomes)
