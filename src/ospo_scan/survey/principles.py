"""The UN Open Source Principles across entities, year by year: the mean of each principle's
item score (from each report's framework view, never recomputed), the share of entities at or
above the `established` threshold, the change since the latest earlier year with evidence, and
what entities declare.

An entity file's `[principles.N]` is what the entity declares now: it counts for the latest
survey year, over what a report of that year carried.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import fmean

from ospo_scan.config.frameworks import load_framework
from ospo_scan.model import DeclaredPrinciple, PrincipleAnswer
from ospo_scan.survey.model import EntityScan, PrincipleYear

PRINCIPLES = "un-principles"


def declared_by_year(
    latest: Mapping[tuple[str, int], EntityScan],
    profiles: Mapping[str, Mapping[str, DeclaredPrinciple]],
    years: Sequence[int],
) -> dict[str, dict[int, Mapping[str, DeclaredPrinciple]]]:
    """Entity -> year -> its declared principles: the year's latest report's, then the entity
    file's for the latest year."""
    declared: dict[str, dict[int, Mapping[str, DeclaredPrinciple]]] = {}
    for (name, year), scan in latest.items():
        if scan.declared:
            declared.setdefault(name, {})[year] = dict(scan.declared)
    if years:
        for name, principles in profiles.items():
            if principles:
                declared.setdefault(name, {})[years[-1]] = dict(principles)
    return {name: dict(sorted(by_year.items())) for name, by_year in declared.items()}


def principle_years(
    years: Sequence[int],
    latest: Mapping[tuple[str, int], EntityScan],
    declared: Mapping[str, Mapping[int, Mapping[str, DeclaredPrinciple]]],
    established: float | None,
) -> dict[int, tuple[PrincipleYear, ...]]:
    """Per survey year, every principle's evidence and declarations across entities."""
    framework = load_framework(PRINCIPLES)
    if framework is None:
        return {}
    result: dict[int, tuple[PrincipleYear, ...]] = {}
    previous: dict[str, float | None] = {}
    for year in years:
        scans = [scan for (_, scan_year), scan in latest.items() if scan_year == year]
        rows = []
        for item in framework.items:
            scores = [s for scan in scans if (s := scan.principles.get(item.id)) is not None]
            mean = round(fmean(scores), 2) if scores else None
            answers = Counter(
                by_year[year][item.id].answer
                for by_year in declared.values()
                if year in by_year and item.id in by_year[year]
            )
            old = previous.get(item.id)
            rows.append(
                PrincipleYear(
                    id=item.id,
                    title=item.title,
                    entities=len(scores),
                    mean_score=mean,
                    established=sum(
                        established is not None and score >= established for score in scores
                    ),
                    change=None if mean is None or old is None else round(mean - old, 2),
                    declared={a: answers[a] for a in PrincipleAnswer if answers[a]},
                )
            )
            if mean is not None:  # a change compares with the latest year that has data
                previous[item.id] = mean
        result[year] = tuple(rows)
    return result
