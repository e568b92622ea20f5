"""The HTML report's summary sections beside the overview: one row per entity in a scan of
several, and what to fix first (the same actions the table and Markdown list)."""

from __future__ import annotations

from html import escape

from ospo_scan.formats._priorities import fix_first
from ospo_scan.formats._views import format_score, safe_link
from ospo_scan.model import Report
from ospo_scan.untrusted.display import neutralise


def entities_section(report: Report) -> str:
    """A table of the entities a scan of several covered; empty for one entity."""
    if not report.entities:
        return ""
    rows = "".join(
        f"<tr><td>{_link(entity.name, entity.url)}</td>"
        f"<td class='num'>{format_score(entity.score)}</td>"
        f"<td>{_e(entity.level or '—')}</td><td>{_e(entity.source)}</td></tr>"
        for entity in report.entities
    )
    return (
        '<section id="entities"><h2>Entities</h2><table><thead><tr><th>Entity</th>'
        '<th class="num">Score</th><th>Level</th><th>Source</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def fix_first_section(report: Report) -> str:
    """The actions that recover the most entity score points; empty when there are none."""
    actions = fix_first(report)
    if not actions:
        return ""
    items = "".join(
        f"<li><b>+{action.points:.1f}</b> {_e(action.describe())}</li>" for action in actions
    )
    return (
        '<section id="fix-first"><h2>Fix first</h2><p class="muted">What recovers the most '
        f"points of the entity score:</p><ol>{items}</ol></section>"
    )


def _e(text: str) -> str:
    return escape(neutralise(text, keep_line_breaks=True), quote=True)


def _link(text: str, url: str | None) -> str:
    href = safe_link(url)
    if href is None:
        return _e(text)
    return f'<a href="{_e(href)}" rel="noopener noreferrer">{_e(text)}</a>'
