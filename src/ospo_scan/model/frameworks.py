"""Framework views: how the rule results evidence the items of a framework (SPEC §11).

A framework (the UN Open Source Principles, the DPG Standard, later the OSPS Baseline) is data;
a ruleset maps each rule to the items it evidences, and one pure function (`scan.frameworks`)
turns rule results into these views. Every format, the survey and the loader use them as they
are: none computes its own per-item arithmetic.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from ospo_scan.model.outcome import Outcome
from ospo_scan.model.profile import DeclaredPrinciple


class ItemStatus(str, enum.Enum):
    """How far the repositories evidence an item."""

    EVIDENCED = "evidenced"
    """Every rule mapped to the item was observed in some in-scope repository."""
    PARTLY = "partly"
    """Some of its rules were observed; others applied nowhere or could not be observed."""
    NOT_EVIDENCED = "not-evidenced"
    """No rule maps to the item, or none of its rules was observed: repositories cannot show it."""
    DECLARED = "declared"
    """Not evidenced by repositories, but the entity declares it in its profile."""


class LevelStatus(str, enum.Enum):
    """Whether a repository's level in a levelled framework is the last word."""

    ATTAINED = "attained"
    """The next level is missed on observed evidence (or the top level is attained)."""
    UNCONFIRMED = "unconfirmed"
    """The next level's only gaps are controls the scan could not confirm (unknown, or nothing
    evidences them): it may be attained, but the scan cannot say so."""


LEVEL_BUCKETS = ("0", "1", "2", "3", LevelStatus.UNCONFIRMED.value)
"""How an entity counts its repositories' levels: a confirmed level, or unconfirmed."""


@dataclass(frozen=True)
class RuleEvidence:
    """One rule behind an item: its outcomes across the in-scope repositories."""

    rule: str
    """The rule id."""
    score: float | None
    """Mean rule score (0 to 100) over the in-scope repositories where it counted; None when
    it counted nowhere."""
    outcomes: Mapping[Outcome, int] = field(default_factory=dict)
    """How many in-scope repositories had each outcome (outcomes that occurred only)."""


@dataclass(frozen=True)
class ItemView:
    """One framework item as the scan evidences it."""

    id: str
    """The item's id within its framework, as published (`3`, `OSPS-AC-01.01`)."""
    title: str
    """The item's published title."""
    meaning: str
    """What the item asks, in one line."""
    status: ItemStatus
    """evidenced, partly, not-evidenced or declared."""
    score: float | None
    """0 to 100, weighted as the entity score is: the mean over in-scope repositories of the
    weighted score of the item's rules there. None when nothing evidences it: never 0."""
    rules: tuple[RuleEvidence, ...] = ()
    """The rules mapped to the item, in ruleset order."""
    level: int | None = None
    """The item's level in a levelled framework (the OSPS Baseline's 1 to 3)."""
    group: str | None = None
    """The item's group in a grouped framework."""
    declared: DeclaredPrinciple | None = None
    """What the entity's profile declares about the item (UN principles only)."""

    @property
    def weakest(self) -> RuleEvidence | None:
        """The rule that pulls the item down most: the lowest score, first in ruleset order."""
        scored = [rule for rule in self.rules if rule.score is not None]
        return min(scored, key=lambda rule: rule.score or 0.0) if scored else None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule for rule in self.rules)


@dataclass(frozen=True)
class FrameworkView:
    """A framework's items as one entity's scan evidences them."""

    id: str
    """The framework id (`un-principles`, `dpg`)."""
    title: str
    """Its published title."""
    version: str
    """The version of the framework the items come from."""
    url: str
    """Where it is published."""
    items: tuple[ItemView, ...] = ()
    """Every item of the framework, in published order."""
    levels: Mapping[str, int] = field(default_factory=dict)
    """For a levelled framework: how many in-scope repositories are at each of LEVEL_BUCKETS
    (every bucket, zeros included); empty for a framework without levels."""
    missed: tuple[tuple[str, int], ...] = ()
    """For a levelled framework: the controls most often missed on observed evidence, as
    (item id, how many in-scope repositories miss it), most often first."""

    def item(self, item_id: str) -> ItemView | None:
        return next((item for item in self.items if item.id == item_id), None)

    def evidenced_by(self, rule_id: str) -> tuple[str, ...]:
        """The ids of the items a rule evidences."""
        return tuple(item.id for item in self.items if rule_id in item.rule_ids)


@dataclass(frozen=True)
class RepoFrameworkView:
    """A framework's item scores in one repository (only where they add information)."""

    id: str
    """The framework id."""
    items: Mapping[str, float] = field(default_factory=dict)
    """Item id -> the weighted score (0 to 100) of the item's rules in this repository, for
    the items whose rules counted there."""
    level: int | None = None
    """For a levelled framework: the highest level attained here (0 to 3); None otherwise."""
    level_status: LevelStatus | None = None
    """For a levelled framework: whether the next level is missed or only unconfirmed."""
    missed: tuple[str, ...] = ()
    """For a levelled framework: the controls missed here on observed evidence (a mapped rule
    failed or was partial), in published order."""

    @property
    def level_bucket(self) -> str | None:
        """Where an entity counts this repository: its level, or `unconfirmed`."""
        if self.level is None:
            return None
        return "unconfirmed" if self.level_status is LevelStatus.UNCONFIRMED else str(self.level)
