"""The HTML report's trends: drawn from the trends given, inert whatever the names say."""

from __future__ import annotations

import re
from html import escape

from ospo_scan.formats.html import format_html
from ospo_scan.history.records import TrendPoint, Trends
from ospo_scan.model import Report
from tests.formats.sample import HOSTILE_NAME
from tests.formats.test_html import _check_inert, _parse

HOSTILE_RULE = '<script>alert("rule")</script>'


def _trends(report: Report) -> Trends:
    points = (
        TrendPoint("2026-02-16T06:00:00.000Z", 52.0, {"license": 0.5, HOSTILE_RULE: 0.25}),
        TrendPoint("2026-02-23T06:00:00.000Z", None, {"license": None}),
        TrendPoint("2026-03-02T06:00:03Z", report.entity.score, report.summary.rule_pass_rates),
    )
    previous = {HOSTILE_NAME: 80.0, "un-example/registry": 100.0, "gone": 10.0}
    return Trends(points, previous, "2026-02-23T06:00:00.000Z")


def test_trends_are_charted_and_stay_inert(report: Report) -> None:
    html = format_html(report, _trends(report))
    dom = _parse(html)
    _check_inert(dom)
    assert HOSTILE_RULE not in html
    assert "&lt;script&gt;alert(&quot;rule&quot;)&lt;/script&gt;" in html
    chart = re.search(r'<svg class="chart" id="score-trend".*?</svg>', html)
    assert chart is not None
    assert chart.group(0).count("<circle") == 2  # the scan without a score has no point
    labels = re.findall(r'<text [^>]*text-anchor="(\w+)"[^>]*>(20[^<]*)</text>', chart.group(0))
    assert labels == [("start", "2026-02-16 06:00 UTC"), ("end", "2026-03-02 06:00 UTC")]
    assert '<p id="baseline">Compared with the previous scan, of 2026-02-23 06:00 UTC:</p>' in html
    assert '<th class="num">Previous</th><th class="num">Now</th>' in html
    licence = re.search(r"<tr><td><code>license</code></td>.*?</tr>", html)
    assert licence is not None
    assert "<td class='num'>—</td>" in licence.group(0)  # the previous scan had no rate
    changes = re.search(r'<table id="score-changes">.*?</table>', html)
    assert changes is not None
    assert "un-example/registry" not in changes.group(0)  # unchanged: counted below
    assert '<p class="muted" id="unchanged">1 repository unchanged.</p>' in html
    assert "gone" not in changes.group(0)  # removed repositories are in `diff`, not here


def test_changed_repositories_come_first_largest_change_then_name_in_any_case(
    report: Report,
) -> None:
    points = (
        TrendPoint("2026-02-16T06:00:00.000Z", 52.0, {}),
        TrendPoint("2026-03-02T06:00:03Z", report.entity.score, {}),
    )
    scores = {repo.name: repo.score for repo in report.repositories}
    scored = sorted((n for n, s in scores.items() if s is not None), key=str.casefold)
    previous = dict(scores)
    previous[scored[0]] = (scores[scored[0]] or 0) - 5
    previous[scored[1]] = (scores[scored[1]] or 0) - 5
    previous[scored[2]] = (scores[scored[2]] or 0) + 10
    html = format_html(report, Trends(points, previous, "2026-02-16T06:00:00.000Z"))
    changes = re.search(r'<table id="score-changes">.*?</table>', html)
    assert changes is not None
    names = [escape(n) for n in (scored[2], scored[0], scored[1])]
    shown = re.findall(r"<tr><td>(.*?)</td>", changes.group(0))
    assert shown == names
    unchanged = len(report.repositories) - 3
    assert f'id="unchanged">{unchanged} repositories unchanged.</p>' in html


def test_without_trends_the_page_is_unchanged(report: Report) -> None:
    assert 'id="trends"' not in format_html(report)
    assert format_html(report, None) == format_html(report)
