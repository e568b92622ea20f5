"""`history` and `diff` as text: names from repositories render inertly."""

from __future__ import annotations

import cmarkgfm
from cmarkgfm.cmark import Options

from ospo_scan.history.diff import ScanOutcomes, diff_scans
from ospo_scan.history.records import ScanRecord
from ospo_scan.history.render import diff_markdown, diff_table, history_table
from ospo_scan.model import Outcome

HOSTILE = "evil/<img src=x onerror=alert(1)>[x](javascript:y) @org/team `tick`\n| pipe"


def _record(scan_id: int, entity: str = "e") -> ScanRecord:
    return ScanRecord(
        scan_id,
        f"2026-03-0{scan_id}T06:00:00.000Z",
        entity,
        "un-ospo",
        "1",
        50.0,
        "developing",
        1,
        0,
    )


def test_the_markdown_diff_renders_hostile_names_as_text() -> None:
    old = ScanOutcomes(_record(1), {HOSTILE: {"readme": Outcome.PASS}, "gone\x1b[31m": {}})
    new = ScanOutcomes(_record(2), {HOSTILE: {"readme": Outcome.FAIL}, HOSTILE + "2": {}})
    markdown = diff_markdown(diff_scans(old, new))
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    assert "<img" not in html
    assert "<a " not in html
    assert "<table" not in html
    assert "@org/team" not in html  # a word joiner follows the @: no mention
    assert html.count("<li>") == 1
    assert "pass → fail" in html


def test_terminal_output_drops_control_characters() -> None:
    old = ScanOutcomes(_record(1, "agency\x1b[2J"), {"a\x1b[31m": {"readme": Outcome.PASS}})
    new = ScanOutcomes(_record(2, "agency\x1b[2J"), {"a\x1b[31m": {"readme": Outcome.FAIL}})
    for text in (diff_table(diff_scans(old, new)), history_table([_record(1, "agency\x1b[2J")])):
        assert "\x1b" not in text
