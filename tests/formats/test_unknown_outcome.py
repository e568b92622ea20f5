"""Every format shows `unknown` as itself: never a pass, never a fail, never an alert."""

from __future__ import annotations

import csv
import io
import json
import re

from ospo_scan.formats._html_style import STYLE
from ospo_scan.formats.csv import format_csv
from ospo_scan.formats.html import format_html
from ospo_scan.formats.json import format_json
from ospo_scan.formats.markdown import format_markdown
from ospo_scan.formats.sarif import format_sarif
from ospo_scan.formats.table import format_table
from ospo_scan.model import EvidenceSource, Outcome
from ospo_scan.report.loader import parse_report
from tests.rule_results import SETTLES, unknown_report
from tests.scanning import validated


def test_json_is_schema_valid_and_reads_back_the_same() -> None:
    report = unknown_report()
    text = format_json(report)
    document = validated(json.loads(text))
    assert document["summary"]["unknown"] == 1
    assert [r.get("unknown") for r in document["repositories"]] == [None, 1]
    assert document["repositories"][0]["results"][0]["evidence"][0]["source"] == "platform"
    read = parse_report(text, origin="test")
    assert read.summary.unknown == 1
    assert read.repositories[1].results[2].outcome is Outcome.UNKNOWN
    assert read.repositories[0].results[0].evidence[0].source is EvidenceSource.PLATFORM
    assert format_json(read) == text


def test_a_report_without_unknown_keeps_its_form() -> None:
    report = unknown_report()
    document = json.loads(format_json(report))
    del document["summary"]["unknown"], document["repositories"][1]["unknown"]
    result = document["repositories"][1]["results"][2]
    result["outcome"], result["score"] = "pass", 1.0
    text = json.dumps(document)
    assert "unknown" not in json.loads(format_json(parse_report(text, origin="t")))["summary"]


def test_table_lists_unknown_apart_with_what_would_settle_it() -> None:
    text = format_table(unknown_report(), width=200)
    assert "0 errors, 1 unknown" in text
    assert "security-policy (unknown)" in text
    assert "unknown (neither pass nor fail; not scored):" in text
    assert "security-policy (1 repository): " in text
    assert SETTLES in text


def test_markdown_marks_unknown_with_its_own_symbol_and_legend() -> None:
    text = format_markdown(unknown_report())
    assert "· 0 errors · 1 unknown" in text
    assert "? `security-policy`" in text
    assert "? unknown (not observed, not scored)" in text


def test_csv_cell_holds_the_outcome() -> None:
    rows = list(csv.DictReader(io.StringIO(format_csv(unknown_report()))))
    by_name = {row["repository"]: row for row in rows}
    assert by_name["unobserved"]["security-policy"] == "unknown"
    assert by_name["observed"]["security-policy"] == "pass"


def test_html_heatmap_cell_and_legend() -> None:
    html = format_html(unknown_report())
    assert '<span class="swatch o-unknown">?</span>unknown</span>' in html
    assert re.search(r'<td class="cell o-unknown"[^>]*>\?</td>', html), html


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_unknown_swatch_meets_wcag_aa_contrast() -> None:
    background = re.search(r"--unknown: (#[0-9a-f]{6})", STYLE)
    foreground = re.search(
        r"\.o-unknown \{ background: var\(--unknown\); color: (#[0-9a-f]{6})", STYLE
    )
    assert background
    assert foreground
    light, dark = sorted((_luminance(background[1]), _luminance(foreground[1])), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_sarif_raises_no_alert_but_one_note_per_rule() -> None:
    log = json.loads(format_sarif(unknown_report()))
    (run,) = log["runs"]
    alerted = {(r["properties"]["repository"], r["ruleId"]) for r in run["results"]}
    assert alerted == {("unobserved", "ospo-scan/license")}
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = [
        n for n in invocation["toolExecutionNotifications"] if "unknown" in n["message"]["text"]
    ]
    assert note["level"] == "note"
    assert note["associatedRule"]["id"] == "ospo-scan/security-policy"
    assert note["message"]["text"].startswith("unknown (not scored) in unobserved: ")
    assert SETTLES in note["message"]["text"]
