"""The readiness survey's inputs and results (SPEC §9), as frozen dataclasses.

Inputs are what the survey needs of a scan (`EntityScan`) and of an entity's own answers
(`Readiness` by year); results are what every survey format renders (`Survey`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ospo_scan.model import DeclaredPrinciple, PrincipleAnswer, Readiness

SURVEY_SCHEMA_ID = "ospo-scan/survey/v1"


@dataclass(frozen=True)
class RuleTally:
    """How many in-scope repositories passed a rule, of those where it applied."""

    count: int
    """Repositories passing (or exempt)."""
    of: int
    """Repositories where the rule applied (pass, exempt, partial or fail)."""

    @property
    def share(self) -> float | None:
        return self.count / self.of if self.of else None

    def __add__(self, other: RuleTally) -> RuleTally:
        return RuleTally(self.count + other.count, self.of + other.of)


@dataclass(frozen=True)
class EntityScan:
    """What the survey takes from one scan of one entity."""

    entity: str
    """The entity's name: one name is one entity."""
    started: datetime
    """When the scan started (UTC); its year is the survey year it counts for unless
    `survey_year` says otherwise."""
    score: float | None
    """The entity score."""
    level: str | None
    """The ruleset's level for the score."""
    rules: Mapping[str, RuleTally] = field(default_factory=dict)
    """Per rule, in-scope repositories passing over those where it applied."""
    readiness: Mapping[int, Readiness] = field(default_factory=dict)
    """The answers the report carried from the entity profile, by year."""
    survey_year: int | None = None
    """The survey year the report says the scan counts for (an audit in January for the
    year before); None: the year the scan started."""
    principles: Mapping[str, float | None] = field(default_factory=dict)
    """The report's UN Open Source Principles view: principle number -> item score (None:
    not evidenced by repositories). Empty for reports made before frameworks."""
    declared: Mapping[str, DeclaredPrinciple] = field(default_factory=dict)
    """The principles the report carried from the entity profile, by number."""

    @property
    def year(self) -> int:
        return self.survey_year if self.survey_year is not None else self.started.year


@dataclass(frozen=True)
class Indicator:
    """One readiness question's result in one year."""

    count: int
    """Entities whose answer meets the indicator."""
    answered: int
    """Entities that answered the question that year."""

    @property
    def share(self) -> float | None:
        return self.count / self.answered if self.answered else None


@dataclass(frozen=True)
class Evidence:
    """What the scans of one year show, across the entities scanned that year."""

    entities: int
    """Entities with a scan that year."""
    mean_score: float | None
    """Mean entity score (None when no entity could be scored)."""
    levels: Mapping[str, float]
    """Share of scanned entities at each level."""
    rules: Mapping[str, RuleTally]
    """Per rule, across all entities: in-scope repositories passing over those it applied to."""


@dataclass(frozen=True)
class PrincipleYear:
    """One UN Open Source Principle in one year, across the entities: evidence and declarations."""

    id: str
    """The principle's number, as published."""
    title: str
    """Its published title."""
    entities: int
    """Entities scanned that year whose repositories evidence the principle."""
    mean_score: float | None
    """Their mean item score; None when no entity's repositories evidence it (never 0)."""
    established: int
    """Of those, the entities whose item score reaches the `established` level's threshold."""
    change: float | None
    """The mean score less the previous survey year's; None when either year has none."""
    declared: Mapping[PrincipleAnswer, int] = field(default_factory=dict)
    """Entities declaring each answer that year (answers given only)."""

    @property
    def established_share(self) -> float | None:
        return self.established / self.entities if self.entities else None


@dataclass(frozen=True)
class YearSummary:
    """One survey year: the declared side and the evidenced side."""

    year: int
    respondents: int
    """Entities with any answer that year."""
    indicators: Mapping[str, Indicator]
    """By indicator id (`ospo.established`, `policy.underway`, ...)."""
    evidence: Evidence
    """From the scans of that year."""
    principles: tuple[PrincipleYear, ...] = ()
    """The UN Open Source Principles, in published order."""


@dataclass(frozen=True)
class EntityRow:
    """One entity: its answers beside its evidence, year by year."""

    name: str
    answers: Mapping[int, Readiness]
    """The entity's answers by year."""
    scans: Mapping[int, EntityScan]
    """The scan that counts for each year (the latest of that year)."""
    notes: Mapping[int, tuple[str, ...]]
    """Per year, where the answers and the evidence disagree."""
    declared: Mapping[int, Mapping[str, DeclaredPrinciple]] = field(default_factory=dict)
    """Per year, the principles the entity declares, by number."""


@dataclass(frozen=True)
class Comparison:
    """Year on year: the latest two years that have data of one kind (answers or scans),
    and how the entities behind the two differ."""

    old: int
    """The earlier year."""
    new: int
    """The later year."""
    joined: tuple[str, ...] = ()
    """Entities counted in the later year only, by name."""
    left: tuple[str, ...] = ()
    """Entities counted in the earlier year only, by name."""

    @property
    def same_entities(self) -> bool:
        return not self.joined and not self.left


@dataclass(frozen=True)
class Survey:
    """The whole survey: the input of every survey format."""

    years: tuple[YearSummary, ...]
    """Oldest first."""
    entities: tuple[EntityRow, ...]
    """By name."""
    declared: Comparison | None = None
    """The answers of the latest two years with respondents; None with fewer than two."""
    evidenced: Comparison | None = None
    """The scans of the latest two years with scanned entities; None with fewer than two."""
    schema: str = SURVEY_SCHEMA_ID

    def year(self, year: int) -> YearSummary:
        return next(summary for summary in self.years if summary.year == year)

    established: float | None = None
    """The `established` level's threshold the principle shares are counted against."""
