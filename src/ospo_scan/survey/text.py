"""The survey for people: a terminal table and Markdown (for a job summary or a report)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tabulate import tabulate

from ospo_scan.survey.model import EntityRow, Indicator, PrincipleYear, Survey, YearSummary
from ospo_scan.survey.render import declared_counts, delta
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.markdown import escape_markdown

LABELS = {
    "ospo.established": "OSPO established",
    "ospo.underway": "OSPO established or in progress",
    "policy.completed": "open source policy completed",
    "policy.underway": "open source policy developing or completed",
    "guidelines.completed": "guidelines completed",
    "guidelines.underway": "guidelines developing or completed",
    "recommendations": "recommendations published",
    "best-practices": "best practices documented",
}
"""How each indicator reads in a sentence."""


def format_survey_table(survey: Survey) -> str:
    return "\n\n".join(_table_sections(survey, markdown=False)) + "\n"


def format_survey_markdown(survey: Survey) -> str:
    return (
        "# Open source readiness survey\n\n"
        + "\n\n".join(_table_sections(survey, markdown=True))
        + "\n"
    )


def _table_sections(survey: Survey, *, markdown: bool) -> Iterator[str]:
    style = "github" if markdown else "simple"
    text = escape_markdown if markdown else _plain
    years = [year.year for year in survey.years]
    heading = "## " if markdown else ""
    yield f"{heading}Declared: share of the entities that answered each question"
    rows = [
        [label, *(_share(_indicator(year, name)) for year in survey.years)]
        for name, label in LABELS.items()
    ]
    rows.append(["respondents", *(str(year.respondents) for year in survey.years)])
    yield _tabulate(rows, ["indicator", *map(str, years)], style)
    yield f"{heading}Evidenced: what the entities' repositories carry"
    evidence_rows = [
        ["entities scanned", *(str(y.evidence.entities) for y in survey.years)],
        ["mean entity score", *(_score(y.evidence.mean_score) for y in survey.years)],
    ]
    for level in levels_of(survey):
        evidence_rows.append(
            [f"entities at {text(level)}", *(level_share(year, level) for year in survey.years)]
        )
    rules = sorted({rule for year in survey.years for rule in year.evidence.rules})
    for rule in rules:
        evidence_rows.append(
            [f"passing {rule}", *(_rule_share(year, rule) for year in survey.years)]
        )
    yield _tabulate(evidence_rows, ["evidence", *map(str, years)], style)
    if any(year.principles for year in survey.years):
        threshold = _score(survey.established)
        yield (
            f"{heading}UN Open Source Principles: mean item score, and the share of entities at "
            f"or above established ({threshold})"
        )
        yield _tabulate(
            principle_rows(survey, text, _principle_evidence),
            ["principle", *map(str, years)],
            style,
        )
        yield f"{heading}UN Open Source Principles declared by the entities"
        yield _tabulate(
            principle_rows(survey, text, lambda p: declared_counts(p).replace(";", ",") or "-"),
            ["principle", *map(str, years)],
            style,
        )
    if survey.declared is not None or survey.evidenced is not None:
        spans = {(c.old, c.new) for c in (survey.declared, survey.evidenced) if c is not None}
        shown = " ({} to {})".format(*spans.pop()) if len(spans) == 1 else ""
        yield f"{heading}Year on year{shown}"
        yield _tabulate(_changes(survey), ["", "years", "change"], style)
        if differ := entities_differ(survey):
            yield "\n".join(text(line) for line in differ)
    yield f"{heading}Entities"
    entity_rows = []
    for row in survey.entities:
        for year in sorted(set(row.answers) | set(row.scans) | set(row.declared)):
            scan = row.scans.get(year)
            declared = entity_declared(row, year)
            evidence = (
                f"{_score(scan.score)} ({scan.level or 'no level'})" if scan else "not scanned"
            )
            notes = "; ".join(row.notes.get(year, ())) or ""
            entity_rows.append(
                [text(row.name), str(year), text(declared), text(evidence), text(notes)]
            )
    widths = None if markdown else [24, 4, 34, 18, 38]  # about a wide terminal's 130 columns
    yield _tabulate(
        entity_rows, ["entity", "year", "declared", "evidenced", "disagreements"], style, widths
    )


def principle_rows(
    survey: Survey, text: Callable[[str], str], cell: Callable[[PrincipleYear], str]
) -> list[list[str]]:
    """A row per principle, a cell per year."""
    first = next((year.principles for year in survey.years if year.principles), ())
    rows = []
    for number, principle in enumerate(first):
        cells = [cell(y.principles[number]) if y.principles else "-" for y in survey.years]
        rows.append([text(f"{principle.id}. {principle.title}"), *cells])
    return rows


def entity_declared(row: EntityRow, year: int) -> str:
    """The entity's readiness answers and declared principles that year, in one line."""
    answers = row.answers.get(year)
    parts = [f"{k}: {answer_text(v)}" for k, v in answers.as_answers().items()] if answers else []
    parts += [f"principle {n}: {d.answer.value}" for n, d in row.declared.get(year, {}).items()]
    return ", ".join(parts) or "no answers"


def _principle_evidence(principle: PrincipleYear) -> str:
    if principle.mean_score is None:
        return "-"
    share = principle.established_share
    shown = "-" if share is None else f"{share:.0%}"
    return f"{principle.mean_score:.1f}, {shown} ({principle.established}/{principle.entities})"


def _changes(survey: Survey) -> list[list[str]]:
    rows = []
    if (declared := survey.declared) is not None:
        old, new = survey.year(declared.old), survey.year(declared.new)
        span = f"{declared.old} to {declared.new}"
        rows = [
            [label, span, _points(delta(new.indicators[name].share, old.indicators[name].share))]
            for name, label in LABELS.items()
        ]
    if (evidenced := survey.evidenced) is not None:
        old, new = survey.year(evidenced.old), survey.year(evidenced.new)
        rows += [
            [
                f"principle {p.id} mean score",
                f"{evidenced.old} to {evidenced.new}",
                _signed(p.change),
            ]
            for p in new.principles
        ]
        rows.append(
            [
                "mean entity score",
                f"{evidenced.old} to {evidenced.new}",
                _signed(delta(new.evidence.mean_score, old.evidence.mean_score)),
            ]
        )
    return rows


def entities_differ(survey: Survey) -> list[str]:
    """Where a year-on-year change compares different sets of entities, one line each."""
    lines = []
    kinds = (("respondents of", survey.declared), ("entities scanned in", survey.evidenced))
    for kind, comparison in kinds:
        if comparison is None or comparison.same_entities:
            continue
        parts = []
        if comparison.joined:
            parts.append(f"{comparison.new} only: {', '.join(comparison.joined)}")
        if comparison.left:
            parts.append(f"{comparison.old} only: {', '.join(comparison.left)}")
        lines.append(
            f"The {kind} {comparison.old} and {comparison.new} differ ({'; '.join(parts)}),"
            " so part of the change is who is counted."
        )
    return lines


def levels_of(survey: Survey) -> list[str]:
    """Every level an entity reached in any year, in the order first seen."""
    return list(dict.fromkeys(level for y in survey.years for level in y.evidence.levels))


def level_share(year: YearSummary, level: str) -> str:
    share = year.evidence.levels.get(level)
    if not year.evidence.entities:
        return "-"
    counted = round((share or 0.0) * year.evidence.entities)
    return f"{share or 0.0:.0%} ({counted}/{year.evidence.entities})"


def _indicator(year: YearSummary, name: str) -> Indicator:
    return year.indicators[name]


def _share(indicator: Indicator) -> str:
    if indicator.share is None:
        return "-"
    return f"{indicator.share:.0%} ({indicator.count}/{indicator.answered})"


def _rule_share(year: YearSummary, rule: str) -> str:
    tally = year.evidence.rules.get(rule)
    if tally is None or tally.share is None:
        return "-"
    return f"{tally.share:.0%} ({tally.count}/{tally.of})"


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


def _points(change: float | None) -> str:
    return "-" if change is None else f"{change * 100:+.0f} points"


def _signed(change: float | None) -> str:
    return "-" if change is None else f"{change:+.1f}"


def answer_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _plain(text: str) -> str:
    return neutralise(text)


def _tabulate(
    rows: list[list[str]], headers: list[str], style: str, widths: list[int] | None = None
) -> str:
    return tabulate(
        rows, headers=headers, tablefmt=style, disable_numparse=True, maxcolwidths=widths
    )
