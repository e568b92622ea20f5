"""From scans and answers to the survey: indicators, evidence and disagreements per year.

Each question has its own denominator: the entities that answered it that year. Of several
scans of one entity in one year, the latest counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from statistics import fmean

from ospo_scan.model import DeclaredPrinciple, OspoStage, Progress, Readiness
from ospo_scan.survey.model import (
    Comparison,
    EntityRow,
    EntityScan,
    Evidence,
    Indicator,
    RuleTally,
    Survey,
    YearSummary,
)
from ospo_scan.survey.principles import declared_by_year, principle_years


@dataclass(frozen=True)
class _Question:
    answer: Callable[[Readiness], object]
    """The answer the indicator reads (None: not answered)."""
    meets: Callable[[object], bool]
    """Whether an answer counts for the indicator."""


def _one_of(*wanted: object) -> Callable[[object], bool]:
    return lambda answer: answer in wanted


INDICATORS: dict[str, _Question] = {
    "ospo.established": _Question(lambda r: r.ospo, _one_of(OspoStage.ESTABLISHED)),
    "ospo.underway": _Question(
        lambda r: r.ospo, _one_of(OspoStage.IN_PROGRESS, OspoStage.ESTABLISHED)
    ),
    "policy.completed": _Question(lambda r: r.policy, _one_of(Progress.COMPLETED)),
    "policy.underway": _Question(
        lambda r: r.policy, _one_of(Progress.DEVELOPING, Progress.COMPLETED)
    ),
    "guidelines.completed": _Question(lambda r: r.guidelines, _one_of(Progress.COMPLETED)),
    "guidelines.underway": _Question(
        lambda r: r.guidelines, _one_of(Progress.DEVELOPING, Progress.COMPLETED)
    ),
    "recommendations": _Question(lambda r: r.recommendations, _one_of(True)),
    "best-practices": _Question(lambda r: r.best_practices, _one_of(True)),
}
"""Indicator ids (SPEC §9), in the order they are shown."""

MOST = 0.5
"""Below this share of repositories, "most repositories lack" the file."""
_DEVELOPING_SCORE = 50.0


def build_survey(
    scans: Iterable[EntityScan],
    answers: Mapping[str, Mapping[int, Readiness]],
    principles: Mapping[str, Mapping[str, DeclaredPrinciple]] | None = None,
    *,
    established: float | None = None,
) -> Survey:
    """The survey of `scans` and of entities' own `answers` (by entity name, then year) and
    declared `principles` (by entity name); principle shares count the entities at or above
    `established` (the ruleset's level of that name).

    Answers an entity profile gives directly win over those a report carried for that year.
    """
    latest = _latest_scans(scans)
    merged = _merged_answers(latest.values(), answers)
    names = sorted(
        {name for name, _ in latest} | set(merged) | set(principles or {}), key=str.casefold
    )
    years = sorted({year for _, year in latest} | {y for a in merged.values() for y in a})
    declared = declared_by_year(latest, principles or {}, years)
    principles_by_year = principle_years(years, latest, declared, established)
    rows = tuple(
        replace(_entity_row(name, merged.get(name, {}), latest), declared=declared.get(name, {}))
        for name in names
    )
    respondents: dict[int, set[str]] = {}
    for name, by_year in merged.items():
        for year, readiness in by_year.items():
            if readiness.answered:
                respondents.setdefault(year, set()).add(name)
    scanned: dict[int, set[str]] = {}
    for name, year in latest:
        scanned.setdefault(year, set()).add(name)
    return Survey(
        years=tuple(
            replace(
                _year_summary(year, merged, latest), principles=principles_by_year.get(year, ())
            )
            for year in years
        ),
        entities=rows,
        declared=_comparison(respondents),
        evidenced=_comparison(scanned),
        established=established,
    )


def _comparison(entities_by_year: Mapping[int, set[str]]) -> Comparison | None:
    """The latest two years with any entity, and who is counted in one of them only."""
    years = sorted(year for year, names in entities_by_year.items() if names)
    if len(years) < 2:
        return None
    old, new = years[-2:]
    return Comparison(
        old,
        new,
        joined=tuple(sorted(entities_by_year[new] - entities_by_year[old], key=str.casefold)),
        left=tuple(sorted(entities_by_year[old] - entities_by_year[new], key=str.casefold)),
    )


def _latest_scans(scans: Iterable[EntityScan]) -> dict[tuple[str, int], EntityScan]:
    latest: dict[tuple[str, int], EntityScan] = {}
    for scan in scans:
        key = (scan.entity, scan.year)
        if key not in latest or scan.started > latest[key].started:
            latest[key] = scan
    return latest


def _merged_answers(
    scans: Iterable[EntityScan], answers: Mapping[str, Mapping[int, Readiness]]
) -> dict[str, dict[int, Readiness]]:
    merged: dict[str, dict[int, Readiness]] = {}
    for scan in sorted(scans, key=lambda s: s.started):
        merged.setdefault(scan.entity, {}).update(scan.readiness)
    for name, by_year in answers.items():
        merged.setdefault(name, {}).update(by_year)
    return merged


def _year_summary(
    year: int,
    answers: Mapping[str, Mapping[int, Readiness]],
    latest: Mapping[tuple[str, int], EntityScan],
) -> YearSummary:
    given = [by_year[year] for by_year in answers.values() if year in by_year]
    given = [readiness for readiness in given if readiness.answered]
    indicators = {}
    for indicator, question in INDICATORS.items():
        replies = [question.answer(r) for r in given if question.answer(r) is not None]
        indicators[indicator] = Indicator(
            count=sum(1 for reply in replies if question.meets(reply)), answered=len(replies)
        )
    scans = [scan for (_, scan_year), scan in latest.items() if scan_year == year]
    return YearSummary(year, len(given), indicators, _evidence(scans))


def _evidence(scans: list[EntityScan]) -> Evidence:
    scores = [scan.score for scan in scans if scan.score is not None]
    levels = Counter(scan.level for scan in scans if scan.level is not None)
    rules: dict[str, RuleTally] = {}
    for scan in scans:
        for rule, tally in scan.rules.items():
            rules[rule] = rules.get(rule, RuleTally(0, 0)) + tally
    return Evidence(
        entities=len(scans),
        mean_score=fmean(scores) if scores else None,
        levels={level: n / len(scans) for level, n in sorted(levels.items())},
        rules=dict(sorted(rules.items())),
    )


def _entity_row(
    name: str,
    answers: Mapping[int, Readiness],
    latest: Mapping[tuple[str, int], EntityScan],
) -> EntityRow:
    scans = {year: scan for (entity, year), scan in sorted(latest.items()) if entity == name}
    notes = {}
    for year, readiness in answers.items():
        if year in scans and (found := disagreements(readiness, scans[year])):
            notes[year] = found
    return EntityRow(name, dict(sorted(answers.items())), scans, notes)


def disagreements(readiness: Readiness, scan: EntityScan) -> tuple[str, ...]:
    """Where an entity's answers and its repositories' evidence disagree."""
    notes = []
    licensed = _approved_licences(scan)
    if readiness.policy is Progress.COMPLETED and _most_lack(licensed):
        notes.append(f"policy completed, yet {_lacking(licensed)} lack an approved licence")
    contributing = scan.rules.get("contributing")
    if readiness.guidelines is Progress.COMPLETED and _most_lack(contributing):
        notes.append(
            f"guidelines completed, yet {_lacking(contributing)} lack a contributing guide"
        )
    security = scan.rules.get("security-policy")
    if readiness.ospo is OspoStage.ESTABLISHED and _most_lack(security):
        notes.append(f"OSPO established, yet {_lacking(security)} lack a security policy")
    if readiness.best_practices and scan.score is not None and scan.score < _DEVELOPING_SCORE:
        notes.append(
            f"best practices documented, yet the entity scores {scan.score:.1f}"
            f" ({scan.level or 'no level'})"
        )
    return tuple(notes)


def _approved_licences(scan: EntityScan) -> RuleTally | None:
    """Repositories with an approved licence, over all where licences were looked for: one
    without any licence lacks an approved one too (`license-approved` does not apply to it)."""
    looked = scan.rules.get("license")
    if looked is None:
        return scan.rules.get("license-approved")
    approved = scan.rules.get("license-approved", RuleTally(0, 0))
    return RuleTally(approved.count, looked.of)


def _most_lack(tally: RuleTally | None) -> bool:
    return tally is not None and tally.share is not None and tally.share < MOST


def _lacking(tally: RuleTally | None) -> str:
    assert tally is not None
    return f"{tally.of - tally.count} of {tally.of} repositories"
