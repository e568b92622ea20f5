"""`report` renders a saved report again, in every format, byte for byte as the scan wrote it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ospo_scan.formats import OutputFormat
from tests.cli.entity import Entity, run, run_bytes

_NAMES = {
    OutputFormat.TABLE: "report.txt",
    OutputFormat.JSON: "report.json",
    OutputFormat.MARKDOWN: "report.md",
    OutputFormat.SARIF: "report.sarif",
    OutputFormat.CSV: "report.csv",
    OutputFormat.HTML: "report.html",
    OutputFormat.BADGE: "report.badge.json",
}


def test_every_format_is_named_here() -> None:
    assert set(_NAMES) == set(OutputFormat)


@pytest.fixture
def written(entity: Entity, tmp_path: Path) -> Path:
    """Every format written by the third scan of a changing entity (so the HTML has trends)."""
    assert run("scan", str(entity.root))[0] == 0
    entity.remove("app", "SECURITY.md")
    assert run("scan", str(entity.root))[0] == 0
    entity.commit("lib", {"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n"})
    scan_dir = tmp_path / "scan"
    scan_dir.mkdir()
    outputs = [arg for name in _NAMES.values() for arg in ("--output", str(scan_dir / name))]
    code, _, err = run("scan", str(entity.root), *outputs)
    assert code == 0, err
    return scan_dir


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_report_renders_what_the_scan_wrote(
    written: Path, tmp_path: Path, output_format: OutputFormat
) -> None:
    original = (written / _NAMES[output_format]).read_bytes()
    again = tmp_path / "again" / _NAMES[output_format]
    again.parent.mkdir()
    code, _, err = run("report", str(written / "report.json"), "--output", str(again))
    assert code == 0, err
    assert again.read_bytes() == original
    code, out = run_bytes("report", "3", "--format", output_format.value)  # by scan id
    assert code == 0
    assert out == original


def test_the_html_report_shows_trends(written: Path) -> None:
    html = (written / "report.html").read_text(encoding="utf-8")
    assert 'id="trends"' in html
    score_chart = re.search(r'<svg class="chart" id="score-trend".*?</svg>', html)
    assert score_chart is not None
    assert score_chart.group(0).count("<circle") == 3
    assert "Entity score over 3 scans" in score_chart.group(0)
    rules = re.search(r'<table id="rule-trends">.*?</table>', html)
    assert rules is not None
    changelog = re.search(r"<tr><td><code>changelog</code></td>.*?</tr>", rules.group(0))
    assert changelog is not None
    assert "<td class='num'>0%</td><td class='num'>50%</td>" in changelog.group(0)
    assert changelog.group(0).count("<circle") == 3
    changes = re.search(r'<table id="score-changes">.*?</table>', html)
    assert changes is not None
    assert re.search(
        r"<tr><td>lib</td><td class='num'>[\d.]+</td><td class='num'>[\d.]+</td>"
        r"<td class='num'>\+[\d.]+</td></tr>",
        changes.group(0),
    )
    assert "<tr><td>app</td>" not in changes.group(0)  # unchanged since the previous scan
    assert '<p class="muted" id="unchanged">1 repository unchanged.</p>' in html


def test_the_first_scan_has_no_trends(entity: Entity, tmp_path: Path) -> None:
    page = tmp_path / "first.html"
    assert run("scan", str(entity.root), "--output", str(page))[0] == 0
    assert 'id="trends"' not in page.read_text(encoding="utf-8")


def test_a_file_that_is_not_a_report_is_exit_2(tmp_path: Path) -> None:
    for content, reason in (
        ("<html></html>", "is not JSON"),
        ('{"schema": "ospo-scan/report/v1"}', "is not an ospo-scan report"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(content, encoding="utf-8")
        code, out, err = run("report", str(path), "--format", "markdown")
        assert (code, out) == (2, "")
        assert err.startswith(f"ospo-scan: error: {path} {reason}")
        assert len(err.splitlines()) == 1
    code, _, err = run("report", str(tmp_path / "missing.json"))
    assert code == 2
    assert "cannot read report" in err


def test_a_report_of_a_scan_left_out_of_the_history_renders_without_trends(
    written: Path, entity: Entity, tmp_path: Path
) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    outputs = ("--output", str(alone / "report.json"), "--output", str(alone / "report.html"))
    code, _, err = run("scan", str(entity.root), "--no-history", *outputs)
    assert code == 0, err
    scanned = (alone / "report.html").read_bytes()
    assert b'id="trends"' not in scanned
    code, out = run_bytes("report", str(alone / "report.json"), "--format", "html")
    assert code == 0
    assert out == scanned
    code, out = run_bytes(
        "report", str(written / "report.json"), "--no-history", "--format", "html"
    )
    assert code == 0
    assert b'id="trends"' not in out
