"""What the history store gives back about a recorded scan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScanRecord:
    """One recorded scan, as `ospo-scan history` lists it."""

    id: int
    """The scan's id in its store (`diff` and `report` accept it)."""
    started: str
    """When the scan started, ISO 8601 UTC ('' for a report that carried no date)."""
    entity: str
    """The entity's name."""
    ruleset: str
    """The ruleset's id."""
    ruleset_version: str
    """The ruleset's version."""
    score: float | None
    """The entity score."""
    level: str | None
    """The ruleset's level for the score."""
    repositories: int
    """Repositories in the report."""
    errors: int
    """Repositories and rule results that errored."""
    source: str = "local"
    """local, github, gitlab or mixed."""

    def as_json(self) -> dict[str, Any]:
        """The `scans[]` item of `ospo-scan/history/v1`."""
        return {
            "id": self.id or None,  # 0: a report file, not a scan of the store
            "started": self.started or None,
            "entity": self.entity,
            "ruleset": self.ruleset,
            "score": self.score,
            "level": self.level,
            "repositories": self.repositories,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class TrendPoint:
    """The entity at one scan, for the charts over time."""

    started: str
    """When the scan started, ISO 8601 UTC."""
    score: float | None
    """The entity score."""
    rule_pass_rates: Mapping[str, float | None]
    """Each rule's pass rate across in-scope repositories."""


@dataclass(frozen=True)
class Trends:
    """A report's entity over its earlier scans: what the HTML report charts."""

    points: tuple[TrendPoint, ...]
    """Earlier scans of the entity with the same ruleset, oldest first, then this report."""
    previous_scores: Mapping[str, float | None]
    """Each repository's score in the scan just before this one."""
    previous_started: str
    """When that previous scan started."""
