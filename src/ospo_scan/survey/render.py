"""The survey as JSON (`ospo-scan/survey/v1`) and CSV: pure functions of a `Survey`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ospo_scan.formats.csv import safe_cell
from ospo_scan.survey.model import (
    Comparison,
    Evidence,
    Indicator,
    PrincipleYear,
    RuleTally,
    Survey,
    YearSummary,
)


def delta(new: float | None, old: float | None) -> float | None:
    """The year-on-year change, when both years have a value."""
    return None if new is None or old is None else round(new - old, 4)


def previous_answered(survey: Survey, year: YearSummary) -> YearSummary | None:
    """The latest year before `year` with any respondent: what its answers compare with."""
    earlier = [y for y in survey.years if y.year < year.year and y.respondents]
    return earlier[-1] if earlier else None


def previous_scanned(survey: Survey, year: YearSummary) -> YearSummary | None:
    """The latest year before `year` with any scan: what its evidence compares with."""
    earlier = [y for y in survey.years if y.year < year.year and y.evidence.entities]
    return earlier[-1] if earlier else None


def survey_to_dict(survey: Survey) -> dict[str, Any]:
    return {
        "schema": survey.schema,
        "established_threshold": survey.established,
        "years": [
            _year(year, previous_answered(survey, year), previous_scanned(survey, year))
            for year in survey.years
        ],
        "year_on_year": {
            "declared": _comparison(survey.declared),
            "evidenced": _comparison(survey.evidenced),
        },
        "entities": [
            {
                "name": row.name,
                "answers": {str(y): r.as_answers() for y, r in row.answers.items()},
                "scans": {
                    str(y): {
                        "score": _round(scan.score),
                        "level": scan.level,
                        "principles": dict(scan.principles),
                    }
                    for y, scan in row.scans.items()
                },
                "notes": {str(y): list(notes) for y, notes in row.notes.items()},
                "principles": {
                    str(y): {n: d.as_answer() for n, d in declared.items()}
                    for y, declared in row.declared.items()
                },
            }
            for row in survey.entities
        ],
    }


def format_survey_json(survey: Survey) -> str:
    return json.dumps(survey_to_dict(survey), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "year",
    "kind",
    "id",
    "count",
    "of",
    "share",
    "delta",
    "score",
    "level",
    "answers",
    "notes",
)


def format_survey_csv(survey: Survey) -> str:
    """Per year: a row per indicator, per rule, per UN Open Source Principle (`count` entities
    at or above the established threshold `of` those evidencing it, `share`, `delta` the mean
    score's change, `score` the mean item score, `answers` the declarations, `notes` its title),
    the mean score, a row per level (the share of scanned entities at it), then a row per entity
    (declared principles among its answers). A change compares with the latest earlier year that
    has data of its kind."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for year in survey.years:
        answered = previous_answered(survey, year)
        previous = previous_scanned(survey, year)
        for name, value in year.indicators.items():
            old = answered.indicators[name].share if answered else None
            writer.writerow(
                _row(
                    year.year,
                    "indicator",
                    name,
                    value.count,
                    value.answered,
                    value.share,
                    delta(value.share, old),
                )
            )
        for rule, tally in year.evidence.rules.items():
            old_tally = previous.evidence.rules.get(rule) if previous else None
            writer.writerow(
                _row(
                    year.year,
                    "rule",
                    rule,
                    tally.count,
                    tally.of,
                    tally.share,
                    delta(tally.share, old_tally.share if old_tally else None),
                )
            )
        for principle in year.principles:
            writer.writerow(
                _row(
                    year.year,
                    "principle",
                    principle.id,
                    principle.established,
                    principle.entities,
                    principle.established_share,
                    principle.change,
                    score=principle.mean_score,
                    answers=declared_counts(principle),
                    notes=principle.title,
                )
            )
        mean = year.evidence.mean_score
        old_mean = previous.evidence.mean_score if previous else None
        writer.writerow(
            _row(
                year.year,
                "score",
                "mean",
                year.evidence.entities,
                None,
                None,
                delta(mean, old_mean),
                score=mean,
            )
        )
        for level, share in year.evidence.levels.items():
            counted = round(share * year.evidence.entities)
            writer.writerow(
                _row(year.year, "level", level, counted, year.evidence.entities, share, None)
            )
        for row in survey.entities:
            answers = row.answers.get(year.year)
            scan = row.scans.get(year.year)
            if answers is None and scan is None:
                continue
            declared = answers.as_answers() if answers else {}
            principles = row.declared.get(year.year, {})
            declared |= {f"principle {n}": d.answer.value for n, d in principles.items()}
            writer.writerow(
                _row(
                    year.year,
                    "entity",
                    row.name,
                    None,
                    None,
                    None,
                    None,
                    score=scan.score if scan else None,
                    level=scan.level if scan and scan.level else "",
                    answers="; ".join(f"{k}={str(v).lower()}" for k, v in declared.items()),
                    notes="; ".join(row.notes.get(year.year, ())),
                )
            )
    return buffer.getvalue()


def declared_counts(principle: PrincipleYear) -> str:
    """`yes=2; partly=1`: how many entities declared each answer."""
    return "; ".join(f"{answer.value}={n}" for answer, n in principle.declared.items())


def _row(
    year: int,
    kind: str,
    name: str,
    count: int | None,
    of: int | None,
    share: float | None,
    change: float | None,
    *,
    score: float | None = None,
    level: str = "",
    answers: str = "",
    notes: str = "",
) -> list[str]:
    numbers = [
        "" if count is None else str(count),
        "" if of is None else str(of),
        _cell(share),
        _cell(change),
        _cell(score),
    ]
    return [str(year), kind, _text(name), *numbers, _text(level), _text(answers), _text(notes)]


def _text(cell: str) -> str:
    return safe_cell(cell)


def _year(
    year: YearSummary, answered: YearSummary | None, scanned: YearSummary | None
) -> dict[str, Any]:
    return {
        "year": year.year,
        "respondents": year.respondents,
        "indicators": {
            name: _indicator(value, answered.indicators[name] if answered else None)
            for name, value in year.indicators.items()
        },
        "evidence": _evidence(year.evidence, scanned.evidence if scanned else None),
        "principles": {principle.id: _principle(principle) for principle in year.principles},
    }


def _comparison(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "from": comparison.old,
        "to": comparison.new,
        "joined": list(comparison.joined),
        "left": list(comparison.left),
    }


def _principle(principle: PrincipleYear) -> dict[str, Any]:
    return {
        "title": principle.title,
        "entities": principle.entities,
        "mean_score": principle.mean_score,
        "established": principle.established,
        "established_share": _round(principle.established_share),
        "change": principle.change,
        "declared": {answer.value: n for answer, n in principle.declared.items()},
    }


def _indicator(value: Indicator, previous: Indicator | None) -> dict[str, Any]:
    share = _round(value.share)
    old = _round(previous.share) if previous else None
    return {
        "count": value.count,
        "answered": value.answered,
        "share": share,
        "delta": delta(share, old),
    }


def _evidence(evidence: Evidence, previous: Evidence | None) -> dict[str, Any]:
    mean = _round(evidence.mean_score)
    return {
        "entities": evidence.entities,
        "mean_score": mean,
        "mean_score_delta": delta(mean, _round(previous.mean_score) if previous else None),
        "levels": {level: _round(share) for level, share in evidence.levels.items()},
        "rules": {rule: _tally(tally) for rule, tally in evidence.rules.items()},
    }


def _tally(tally: RuleTally) -> dict[str, Any]:
    return {"count": tally.count, "of": tally.of, "share": _round(tally.share)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")
