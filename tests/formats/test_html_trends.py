"""The HTML report's trends: drawn from the trends given, inert whatever the names say."""

from __future__ import annotations

import re

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
    assert "2026-02-16" in chart.group(0)
    assert "2026-03-02" in chart.group(0)
    licence = re.search(r"<tr><td><code>license</code></td>.*?</tr>", html)
    assert licence is not None
    assert "<td class='num'>50%</td>" in licence.group(0)
    changes = re.search(r'<table id="score-changes">.*?</table>', html)
    assert changes is not None
    assert "<td>un-example/registry</td><td class='num'>100.0</td>" in changes.group(0)
    assert "unchanged" in changes.group(0)
    assert "gone" not in changes.group(0)  # removed repositories are in `diff`, not here


def test_without_trends_the_page_is_unchanged(report: Report) -> None:
    assert 'id="trends"' not in format_html(report)
    assert format_html(report, None) == format_html(report)
