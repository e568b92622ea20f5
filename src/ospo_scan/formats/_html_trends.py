"""The HTML report's trends: entity score and rule pass rates over time, score changes.

Drawn as inline SVG like the distribution chart, from the trends the CLI reads from the history
store and passes in; nothing here reads a clock or a store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ospo_scan.formats._html_chart import score_band
from ospo_scan.formats._views import format_rate, format_score
from ospo_scan.history.records import TrendPoint, Trends
from ospo_scan.model import Report

_WIDTH, _HEIGHT = 640, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 16, 36
_SPARK_WIDTH, _SPARK_HEIGHT = 160, 28


def trends_section(report: Report, trends: Trends) -> str:
    """The trends section of the page."""
    rules = sorted({rule for point in trends.points for rule in point.rule_pass_rates})
    rule_rows = "".join(_rule_row(rule, trends.points) for rule in rules)
    return (
        '<section id="trends"><h2>Over time</h2>'
        f'<p class="muted">{len(trends.points)} scans of this entity with this ruleset, from '
        f"{_e(_day(trends.points[0].started))} to {_e(_day(trends.points[-1].started))}</p>"
        f"{score_svg(trends.points)}"
        '<h3>Rule pass rates</h3><table id="rule-trends"><thead><tr><th>Rule</th>'
        '<th class="num">Then</th><th class="num">Now</th><th>Over time</th></tr></thead>'
        f"<tbody>{rule_rows}</tbody></table>"
        f"{_score_changes(report, trends.previous_scores, trends.previous_started)}</section>"
    )


def _e(text: str) -> str:
    return escape(text, quote=True)


def _day(started: str) -> str:
    return started[:10]


def _x(index: int, count: int, left: float, width: float) -> float:
    return left + (width * index / (count - 1) if count > 1 else width / 2)


def score_svg(points: Sequence[TrendPoint]) -> str:
    """The entity score at each scan, as a line chart on a 0 to 100 scale."""
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg class="chart" id="score-trend" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        'aria-labelledby="score-trend-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="score-trend-title">Entity score over {len(points)} scans</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = _TOP + plot_height * (1 - tick / 100)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d1d9e0" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#59636e">{tick}</text>'
        )
    coordinates = [
        (_x(i, len(points), _LEFT, plot_width), _TOP + plot_height * (1 - p.score / 100), p)
        for i, p in enumerate(points)
        if p.score is not None
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coordinates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0969da" stroke-width="2"/>')
    for x, y, point in coordinates:
        parts.append(
            f'<circle class="bar-{score_band(point.score)}" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{_e(_day(point.started))}: {format_score(point.score)}</title></circle>"
        )
    for index in sorted({0, len(points) - 1}):
        x = _x(index, len(points), _LEFT, plot_width)
        parts.append(
            f'<text x="{x:.1f}" y="{_TOP + plot_height + 16}" text-anchor="middle" '
            f'font-size="12" fill="#59636e">{_e(_day(points[index].started))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def rate_sparkline(rule: str, points: Sequence[TrendPoint]) -> str:
    """One rule's pass rate at each scan, as a small line; gaps where the rule did not count."""
    pad = 3
    width, height = _SPARK_WIDTH - 2 * pad, _SPARK_HEIGHT - 2 * pad
    coordinates = [
        (_x(i, len(points), pad, width), pad + height * (1 - rate), rate, p.started)
        for i, p in enumerate(points)
        if (rate := p.rule_pass_rates.get(rule)) is not None
    ]
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#0969da">'
        f"<title>{_e(_day(started))}: {format_rate(rate)}</title></circle>"
        for x, y, rate, started in coordinates
    )
    line = ""
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coordinates)
        line = f'<polyline points="{path}" fill="none" stroke="#0969da" stroke-width="1.5"/>'
    return (
        f'<svg class="spark" viewBox="0 0 {_SPARK_WIDTH} {_SPARK_HEIGHT}" width="{_SPARK_WIDTH}" '
        f'height="{_SPARK_HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_e(rule)}: pass rate over {len(points)} scans</title>{line}{marks}</svg>"
    )


def _rule_row(rule: str, points: Sequence[TrendPoint]) -> str:
    first = points[0].rule_pass_rates.get(rule)
    last = points[-1].rule_pass_rates.get(rule)
    return (
        f"<tr><td><code>{_e(rule)}</code></td><td class='num'>{format_rate(first)}</td>"
        f"<td class='num'>{format_rate(last)}</td><td>{rate_sparkline(rule, points)}</td></tr>"
    )


def _score_changes(report: Report, previous: Mapping[str, float | None], started: str) -> str:
    rows = []
    for repo in report.repositories:
        if repo.name not in previous:
            change, delta = "new", 0.0
        else:
            before = previous[repo.name]
            if before is None or repo.score is None:
                change, delta = ("unchanged", 0.0) if before == repo.score else ("—", 0.0)
            else:
                delta = repo.score - before
                change = f"{delta:+.1f}" if delta else "unchanged"
        then = format_score(previous.get(repo.name))
        rows.append(
            (
                -abs(delta),
                repo.name,
                f"<tr><td>{_e(repo.name)}</td><td class='num'>{then}</td>"
                f"<td class='num'>{format_score(repo.score)}</td>"
                f"<td class='num'>{_e(change)}</td></tr>",
            )
        )
    body = "".join(row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])))
    return (
        f"<h3>Repository scores since the scan of {_e(_day(started))}</h3>"
        '<table id="score-changes"><thead><tr><th>Repository</th><th class="num">Then</th>'
        f'<th class="num">Now</th><th class="num">Change</th></tr></thead><tbody>{body}</tbody>'
        "</table>"
    )
