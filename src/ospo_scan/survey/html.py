"""The survey as one self-contained HTML page: a bar chart per indicator, year beside year.

Like the scan report, the page forbids scripts and every network fetch, and every string that
came from a report or an entity file goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ospo_scan.formats._html_style import STYLE
from ospo_scan.formats.html import CONTENT_SECURITY_POLICY
from ospo_scan.survey.model import Survey, YearSummary
from ospo_scan.survey.render import declared_counts
from ospo_scan.survey.text import (
    LABELS,
    entities_differ,
    entity_declared,
    level_share,
    levels_of,
)
from ospo_scan.untrusted.display import neutralise

_BAR_WIDTH, _GAP, _HEIGHT, _TOP, _BOTTOM = 36, 10, 140, 18, 22
_SURVEY_STYLE = (
    ".cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));"
    " gap: 12px; }"
    " .card { margin: 0; padding: 10px 12px; border: 1px solid #d1d9e0; border-radius: 6px; }"
    " .card figcaption { font-weight: 600; margin-bottom: 6px; }"
    " .card p { margin: 4px 0 0; color: #59636e; font-size: 12px; }"
    " .bars { display: block; max-width: 100%; height: auto; }"
)
_COLOURS = ("#8c959f", "#0969da", "#1a7f37", "#9a6700", "#8250df", "#cf222e")
"""One colour per year, oldest first (repeating after six years)."""


def format_survey_html(survey: Survey) -> str:
    sections = [
        f"<header><h1>Open source readiness survey</h1><p>{_e(_years_line(survey))}</p></header>",
        _declared(survey),
        _evidenced(survey),
        _principles(survey),
        _entities(survey),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        "<title>Open source readiness survey</title>\n"
        f"<style>{STYLE}\n{_SURVEY_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )


def bars_svg(title: str, values: Sequence[tuple[str, float | None]], *, score: bool = False) -> str:
    """Vertical bars of shares (0 to 1), one per labelled year; None is drawn as "n/a".
    `score`: the shares are scores out of 100, labelled as such."""
    width = len(values) * (_BAR_WIDTH + _GAP) + _GAP
    total = _TOP + _HEIGHT + _BOTTOM
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {total}" width="{width}" height="{total}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
    ]
    for index, (label, share) in enumerate(values):
        x = _GAP + index * (_BAR_WIDTH + _GAP)
        centre = x + _BAR_WIDTH / 2
        colour = _COLOURS[index % len(_COLOURS)]
        if share is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{_TOP + _HEIGHT - 4}" text-anchor="middle" '
                'font-size="10" fill="#59636e">n/a</text>'
            )
        else:
            height = _HEIGHT * max(0.0, min(share, 1.0))
            shown = f"{share * 100:.1f}" if score else f"{share:.0%}"
            y = _TOP + _HEIGHT - height
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{_BAR_WIDTH}" height="{height:.1f}" rx="3" '
                f'fill="{colour}"><title>{_e(label)}: {shown}</title></rect>'
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
                f'fill="#1f2328">{shown}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{total - 6}" text-anchor="middle" font-size="11" '
            f'fill="#59636e">{_e(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _declared(survey: Survey) -> str:
    cards = []
    for name, label in LABELS.items():
        values = [(str(y.year), y.indicators[name].share) for y in survey.years]
        answered = ", ".join(
            f"{y.year}: {y.indicators[name].count} of {y.indicators[name].answered}"
            for y in survey.years
        )
        cards.append(
            f'<figure class="card"><figcaption>{_e(label)}</figcaption>'
            f"{bars_svg(label, values)}<p>{_e(answered)}</p></figure>"
        )
    return '<section><h2>Declared</h2><div class="cards">' + "".join(cards) + "</div></section>"


def _evidenced(survey: Survey) -> str:
    rules = sorted({rule for year in survey.years for rule in year.evidence.rules})
    means = [(str(year.year), _fraction(year)) for year in survey.years]
    cards = [
        '<figure class="card"><figcaption>mean entity score</figcaption>'
        f"{bars_svg('mean entity score', means, score=True)}</figure>"
    ]
    for level in levels_of(survey):
        shares = [
            (str(y.year), y.evidence.levels.get(level, 0.0) if y.evidence.entities else None)
            for y in survey.years
        ]
        counts = ", ".join(f"{y.year}: {level_share(y, level)}" for y in survey.years)
        cards.append(
            f'<figure class="card"><figcaption>entities at {_e(level)}</figcaption>'
            f"{bars_svg(f'entities at {level}', shares)}<p>{_e(counts)}</p></figure>"
        )
    for rule in rules:
        values = [
            (str(y.year), tally.share if (tally := y.evidence.rules.get(rule)) else None)
            for y in survey.years
        ]
        cards.append(
            f'<figure class="card"><figcaption>repositories passing {_e(rule)}</figcaption>'
            f"{bars_svg(rule, values)}</figure>"
        )
    differ = "".join(f"<p>{_e(line)}</p>" for line in entities_differ(survey))
    return (
        f'<section><h2>Evidenced</h2>{differ}<div class="cards">'
        + "".join(cards)
        + "</div></section>"
    )


def _principles(survey: Survey) -> str:
    """A card per UN Open Source Principle: the mean item score year by year, with the share
    at or above established and what the entities declare."""
    first = next((year.principles for year in survey.years if year.principles), ())
    if not first:
        return ""
    cards = []
    for number, principle in enumerate(first):
        years = [(y.year, y.principles[number]) for y in survey.years if y.principles]
        means = [
            (str(year), None if p.mean_score is None else p.mean_score / 100) for year, p in years
        ]
        facts = "; ".join(
            f"{year}: "
            + (
                f"{p.established} of {p.entities} established"
                if p.entities
                else "not evidenced by repositories"
            )
            + (f", declared {declared_counts(p).replace(';', ',')}" if p.declared else "")
            for year, p in years
        )
        label = f"{principle.id}. {principle.title}"
        cards.append(
            f'<figure class="card"><figcaption>{_e(label)}</figcaption>'
            f"{bars_svg(label, means, score=True)}<p>{_e(facts)}</p></figure>"
        )
    threshold = "-" if survey.established is None else f"{survey.established:g}"
    return (
        '<section id="principles"><h2>UN Open Source Principles</h2>'
        f'<p class="muted">Mean item score of the entities whose repositories evidence each '
        f"principle; established means an item score of at least {_e(threshold)}.</p>"
        '<div class="cards">' + "".join(cards) + "</div></section>"
    )


def _entities(survey: Survey) -> str:
    rows = []
    for row in survey.entities:
        for year in sorted(set(row.answers) | set(row.scans) | set(row.declared)):
            declared = entity_declared(row, year)
            scan = row.scans.get(year)
            evidenced = (
                f"{scan.score:.1f} ({scan.level or 'no level'})"
                if scan and scan.score is not None
                else "not scanned"
            )
            notes = "<br>".join(_e(note) for note in row.notes.get(year, ()))
            rows.append(
                f"<tr><td>{_e(row.name)}</td><td>{year}</td><td>{_e(declared)}</td>"
                f"<td>{_e(evidenced)}</td><td>{notes}</td></tr>"
            )
    return (
        "<section><h2>Entities</h2><table><thead><tr><th>entity</th><th>year</th>"
        "<th>declared</th><th>evidenced</th><th>disagreements</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _fraction(year: YearSummary) -> float | None:
    mean = year.evidence.mean_score
    return None if mean is None else mean / 100


def _years_line(survey: Survey) -> str:
    years = [str(year.year) for year in survey.years]
    return f"{len(survey.entities)} entities; years {', '.join(years) or 'none'}"


def _e(text: str) -> str:
    return escape(neutralise(text, keep_line_breaks=True), quote=True)
