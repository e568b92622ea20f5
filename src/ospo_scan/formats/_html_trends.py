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
    """The trends section of the page. Both tables compare with one stated baseline: the
    previous scan (the charts show every scan)."""
    rules = sorted({rule for point in trends.points for rule in point.rule_pass_rates})
    previous = trends.points[-2] if len(trends.points) > 1 else trends.points[0]
    rule_rows = "".join(_rule_row(rule, previous, trends.points) for rule in rules)
    return (
        '<section id="trends"><h2>Over time</h2>'
        f'<p class="muted">{len(trends.points)} scans of this entity with this ruleset, from '
        f"{_e(_when(trends.points[0].started))} to {_e(_when(trends.points[-1].started))}</p>"
        f"{score_svg(trends.points)}"
        f'<p id="baseline">Compared with the previous scan, of '
        f"{_e(_when(trends.previous_started))}:</p>"
        '<h3>Rule pass rates</h3><table id="rule-trends"><thead><tr><th>Rule</th>'
        '<th class="num">Previous</th><th class="num">Now</th><th>Over time</th></tr></thead>'
        f"<tbody>{rule_rows}</tbody></table>"
        f"{_score_changes(report, trends.previous_scores)}</section>"
    )


def _e(text: str) -> str:
    return escape(text, quote=True)


def _when(started: str) -> str:
    """A scan's start as a date and a time: two scans of one day stay apart."""
    return f"{started[:10]} {started[11:16]} UTC" if len(started) >= 16 else started


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
            f"<title>{_e(_when(point.started))}: {format_score(point.score)}</title></circle>"
        )
    last = len(points) - 1
    for index in sorted({0, last}):
        x = _x(index, len(points), _LEFT, plot_width)
        # The first label starts at its point and the last ends at its own, inside the chart.
        anchor = "middle" if last == 0 else ("start" if index == 0 else "end")
        parts.append(
            f'<text x="{x:.1f}" y="{_TOP + plot_height + 16}" text-anchor="{anchor}" '
            f'font-size="12" fill="#59636e">{_e(_when(points[index].started))}</text>'
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
        f"<title>{_e(_when(started))}: {format_rate(rate)}</title></circle>"
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


def _rule_row(rule: str, previous: TrendPoint, points: Sequence[TrendPoint]) -> str:
    before = previous.rule_pass_rates.get(rule)
    now = points[-1].rule_pass_rates.get(rule)
    return (
        f"<tr><td><code>{_e(rule)}</code></td><td class='num'>{format_rate(before)}</td>"
        f"<td class='num'>{format_rate(now)}</td><td>{rate_sparkline(rule, points)}</td></tr>"
    )


def _score_changes(report: Report, previous: Mapping[str, float | None]) -> str:
    """Repositories whose score changed (largest change first) or that are new; the unchanged
    ones are counted, not listed."""
    rows = []
    unchanged = 0
    for repo in report.repositories:
        before = previous.get(repo.name)
        if repo.name not in previous:
            change, delta = "new", 0.0
        elif before is None or repo.score is None:
            if before == repo.score:
                unchanged += 1
                continue
            change, delta = "—", 0.0
        elif repo.score == before:
            unchanged += 1
            continue
        else:
            delta = repo.score - before
            change = f"{delta:+.1f}"
        rows.append(
            (
                -abs(delta),
                repo.name.casefold(),
                f"<tr><td>{_e(repo.name)}</td><td class='num'>{format_score(before)}</td>"
                f"<td class='num'>{format_score(repo.score)}</td>"
                f"<td class='num'>{_e(change)}</td></tr>",
            )
        )
    body = "".join(row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])))
    same = (
        f'<p class="muted" id="unchanged">{unchanged} '
        f"{'repository' if unchanged == 1 else 'repositories'} unchanged.</p>"
        if unchanged
        else ""
    )
    if not rows:
        return f"<h3>Repository scores</h3>{same or '<p>No repository to compare.</p>'}"
    return (
        "<h3>Repository scores that changed</h3>"
        '<table id="score-changes"><thead><tr><th>Repository</th><th class="num">Previous</th>'
        f'<th class="num">Now</th><th class="num">Change</th></tr></thead><tbody>{body}</tbody>'
        f"</table>{same}"
    )
