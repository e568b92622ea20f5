"""The HTML report's frameworks: a card per item (its score, the rules behind it, the
repositories that pull it down, what the entity declares) and, for a scan of several entities,
an entity x item grid. Every figure comes from the report's framework views.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from ospo_scan.formats._frameworks import (
    STATUS_LABELS,
    levels_line,
    pulling_down,
    shown_items,
    unmapped_note,
    weakest_rule,
)
from ospo_scan.formats._html_chart import score_band
from ospo_scan.formats._views import format_score, safe_link
from ospo_scan.model import FrameworkView, ItemView, Outcome, Report
from ospo_scan.untrusted.display import neutralise


def frameworks_section(report: Report) -> str:
    """Every framework of the report, each with its cards (and its grid for several entities)."""
    if not report.entity.frameworks:
        return ""
    blocks = []
    for framework in report.entity.frameworks:
        cards = "".join(_card(report, framework, item) for item in shown_items(framework))
        levels_block = "".join(
            f'<p class="levels">{_e(sentence[0].upper() + sentence[1:])}.</p>'
            for sentence in (unmapped_note(framework), levels_line(framework))
            if sentence is not None
        )
        blocks.append(
            f'<section class="framework" id="framework-{_e(framework.id)}">'
            f"<h2>{_link(f'{framework.title} {framework.version}', framework.url)}</h2>"
            f'{levels_block}<div class="cards">{cards}</div>{_grid(report, framework)}</section>'
        )
    return "\n".join(blocks)


def _card(report: Report, framework: FrameworkView, item: ItemView) -> str:
    score = (
        f'<div class="item-score pill {score_band(item.score)}">{format_score(item.score)}</div>'
        if item.score is not None
        else '<div class="item-score muted">no evidence</div>'
    )
    weakest = weakest_rule(item)
    rules = "".join(
        f"<li><code>{_e(rule.rule)}</code> {format_score(rule.score)}"
        + (" <b>weakest</b>" if weakest is not None and rule.rule == weakest.rule else "")
        + f' <span class="muted">{_e(_outcomes(rule.outcomes))}</span></li>'
        for rule in item.rules
    )
    rules_block = (
        f'<ul class="item-rules">{rules}</ul>'
        if rules
        else '<p class="muted">No rule evidences it: repositories cannot show it.</p>'
    )
    down = pulling_down(report, framework, item)
    pulled = (
        '<p class="pulled">Pulled down by: '
        + ", ".join(f"{_e(repo.name)} ({format_score(score)})" for repo, score in down)
        + "</p>"
        if down
        else ""
    )
    declared = ""
    if item.declared is not None:
        evidence = item.declared.evidence
        declared = (
            f'<p class="declared">Declared: <b>{_e(item.declared.answer.value)}</b>'
            + (f" ({_link('evidence', evidence)})" if safe_link(evidence) else "")
            + "</p>"
        )
    return (
        f'<div class="card status-{item.status.value}" id="item-{_e(framework.id)}-{_e(item.id)}">'
        f'<div class="card-head">{score}<div><b>{_e(item.id)}. {_e(item.title)}</b>'
        f'<div class="muted">{_e(STATUS_LABELS[item.status])}</div></div></div>'
        f'<p class="meaning">{_e(item.meaning)}</p>{rules_block}{pulled}{declared}</div>'
    )


def _grid(report: Report, framework: FrameworkView) -> str:
    """Entities x items, for a scan of several entities."""
    if not report.entities:
        return ""
    header = "".join(
        f'<th class="num" scope="col" title="{_e(item.title)}">{_e(item.id)}</th>'
        for item in shown_items(framework)
    )
    rows = []
    for entity in report.entities:
        view = entity.framework(framework.id)
        cells = "".join(
            _grid_cell(view.item(item.id) if view else None) for item in shown_items(framework)
        )
        rows.append(f'<tr><td class="name">{_e(entity.name)}</td>{cells}</tr>')
    return (
        f'<h3>Entities \u00d7 {_e(framework.title)}</h3><div class="heatmap-wrap">'
        f'<table class="grid"><thead><tr><th scope="col">Entity</th>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _grid_cell(item: ItemView | None) -> str:
    if item is not None and item.score is not None:
        return (
            f'<td class="num"><span class="pill {score_band(item.score)}">'
            f"{format_score(item.score)}</span></td>"
        )
    text = "—"
    if item is not None and item.declared is not None:
        text = f"declared {item.declared.answer.value}"
    return f'<td class="num muted">{_e(text)}</td>'


def _outcomes(outcomes: Mapping[Outcome, int]) -> str:
    return ", ".join(f"{count} {outcome.value}" for outcome, count in outcomes.items())


def _e(text: str) -> str:
    return escape(neutralise(text), quote=True)


def _link(text: str, url: str | None) -> str:
    href = safe_link(url)
    if href is None:
        return _e(text)
    return f'<a href="{_e(href)}" rel="noopener noreferrer">{_e(text)}</a>'
