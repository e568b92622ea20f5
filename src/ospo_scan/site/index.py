"""The site's index: every entity at a glance, and the system-wide figures year on year."""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.formats._frameworks import STATUS_LABELS
from ospo_scan.formats._views import format_rate, format_score
from ospo_scan.model import EntitySummary, ItemStatus
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.baseline import level_shares
from ospo_scan.site.figures import MAX_POINTS, SystemPoint
from ospo_scan.site.html import count, e, over, page, score_pill, sparkline, when
from ospo_scan.site.links import SURVEY, entity_page, rule_page
from ospo_scan.survey.model import Survey, YearSummary

PRINCIPLES = "un-principles"
_GLYPHS = {
    ItemStatus.EVIDENCED: "●",
    ItemStatus.PARTLY: "◐",
    ItemStatus.NOT_EVIDENCED: "○",
    ItemStatus.DECLARED: "◇",
}
_INDICATORS = (("ospo.established", "OSPO established"), ("policy.completed", "policy completed"))


def index_html(
    groups: Sequence[EntityAudits],
    points: Sequence[SystemPoint],
    survey: Survey,
    *,
    include_private: bool,
) -> str:
    sections = [
        "<header><div><h1>Open source audits</h1>"
        '<p class="muted">Every audited entity, its latest audit and its trend. '
        f'<a href="{SURVEY}">The readiness survey</a>.</p></div></header>',
        _figures(groups, points, include_private=include_private),
        _entities(groups),
        _years(survey),
        _rules(points),
    ]
    return page("Open source audits", [], "\n".join(s for s in sections if s))


def _figures(
    groups: Sequence[EntityAudits], points: Sequence[SystemPoint], *, include_private: bool
) -> str:
    published = sum(len(g.shown) for g in groups)
    withheld = sum(len(g.withheld) for g in groups)
    mean = points[-1].mean_score if points else None
    left_out = (
        "private repositories are included (--include-private)"
        if include_private
        else count(withheld, "repository", "repositories")
        + " left out: not public, or visibility not recorded"
    )
    return (
        '<section aria-labelledby="system"><h2 id="system">The system now</h2>'
        f'<div class="figures"><div><strong>{len(groups)}</strong>entities</div>'
        f"<div><strong>{format_score(mean)}</strong>mean score</div>"
        f"<div><strong>{published}</strong>repositories shown</div></div>"
        f'<p class="muted" id="left-out">{e(left_out)}.</p></section>'
    )


def _entities(groups: Sequence[EntityAudits]) -> str:
    rows = []
    baseline = {group.name: level_shares(group.entity) for group in groups}
    levels = any(shares is not None for shares in baseline.values())
    for group in groups:
        scores = [a.score for a in group.audits[-MAX_POINTS:]]
        rows.append(
            f'<tr><th scope="row"><a href="{entity_page(group.name)}">{e(group.name)}</a></th>'
            f'<td class="num">{score_pill(group.entity.score)}</td>'
            f"<td>{e(group.entity.level or '—')}</td>"
            f"<td>{sparkline(over(group.name, 'score', len(scores), 'audit'), scores)}</td>"
            f"<td>{_principles(group.entity)}</td>"
            + (f"<td>{baseline[group.name] or '—'}</td>" if levels else "")
            + f"<td>{e(when(group.latest.started))}</td>"
            f'<td class="num">{len(group.shown)}</td></tr>'
        )
    legend = " ".join(f"{glyph} {e(STATUS_LABELS[status])}" for status, glyph in _GLYPHS.items())
    return (
        '<section aria-labelledby="entities"><h2 id="entities">Entities</h2>'
        '<table><thead><tr><th scope="col">entity</th><th scope="col" class="num">score</th>'
        '<th scope="col">level</th><th scope="col">trend</th>'
        '<th scope="col">UN principles 1 to 8</th>'
        + ('<th scope="col">OSPS Baseline levels</th>' if levels else "")
        + '<th scope="col">last audit</th>'
        '<th scope="col" class="num">repositories shown</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table><p class="muted">Principles: {legend}.</p>'
        "</section>"
    )


def _principles(entity: EntitySummary) -> str:
    view = entity.framework(PRINCIPLES)
    if view is None:
        return "—"
    return " ".join(
        f'<span title="{e(item.id)}. {e(item.title)}: {e(STATUS_LABELS[item.status])}">'
        f"{e(item.id)}{_GLYPHS[item.status]}"
        f'<span class="vh"> {e(STATUS_LABELS[item.status])}</span></span>'
        for item in view.items
    )


def _years(survey: Survey) -> str:
    if not survey.years:
        return ""
    heads = "".join(f'<th scope="col" class="num">{e(label)}</th>' for _, label in _INDICATORS)
    rows = "".join(
        f'<tr><th scope="row">{year.year}</th><td class="num">{year.respondents}</td>'
        + "".join(
            f'<td class="num">{format_rate(_share(year, key))}</td>' for key, _ in _INDICATORS
        )
        + f'<td class="num">{year.evidence.entities}</td>'
        f'<td class="num">{format_score(year.evidence.mean_score)}</td></tr>'
        for year in reversed(survey.years)
    )
    return (
        '<section aria-labelledby="years"><h2 id="years">Year on year</h2>'
        "<p>What entities declare beside what their audits evidence; "
        f'<a href="{SURVEY}">the survey</a> has every indicator.</p>'
        '<table><thead><tr><th scope="col">year</th><th scope="col" class="num">respondents</th>'
        f'{heads}<th scope="col" class="num">entities audited</th>'
        '<th scope="col" class="num">mean score</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _rules(points: Sequence[SystemPoint]) -> str:
    if not points:
        return ""
    latest = points[-1]
    rows = "".join(
        f'<tr><th scope="row"><a href="{rule_page(rule)}"><code>{e(rule)}</code></a></th>'
        f"<td>{_rule_spark(rule, points)}</td>"
        f'<td class="num">{format_rate(tally.share)}</td></tr>'
        for rule, tally in latest.rules.items()
    )
    return (
        '<section aria-labelledby="rules"><h2 id="rules">Rules across the system</h2>'
        '<table><thead><tr><th scope="col">rule</th><th scope="col">trend</th>'
        '<th scope="col" class="num">pass rate</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _share(year: YearSummary, key: str) -> float | None:
    indicator = year.indicators.get(key)
    return indicator.share if indicator else None


def _rule_spark(rule: str, points: Sequence[SystemPoint]) -> str:
    shares = [p.rules[rule].share if rule in p.rules else None for p in points]
    return sparkline(over(rule, "pass rate", len(points), "audit day"), shares, top=1.0)
