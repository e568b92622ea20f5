"""Choosing a formatter: by name and by an output file's extension."""

from __future__ import annotations

import pytest

from ospo_scan.formats import OutputFormat, format_for_path, formatter_for
from ospo_scan.model import Report


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_every_format_has_a_formatter_that_renders_text(
    report: Report, output_format: OutputFormat
) -> None:
    rendered = formatter_for(output_format)(report)
    assert rendered.endswith("\n")
    assert len(rendered.strip()) > 0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("summary.md", OutputFormat.MARKDOWN),
        ("out/Summary.MARKDOWN", OutputFormat.MARKDOWN),
        ("results.sarif", OutputFormat.SARIF),
        ("results.sarif.json", OutputFormat.SARIF),
        ("scores.csv", OutputFormat.CSV),
        ("report.html", OutputFormat.HTML),
        ("report.htm", OutputFormat.HTML),
        ("ospo.badge.json", OutputFormat.BADGE),
        ("my.org.badge.json", OutputFormat.BADGE),
        ("report.json", OutputFormat.JSON),
        ("badge.json", OutputFormat.JSON),
        ("report.pdf", None),
        ("report", None),
    ],
)
def test_output_format_follows_the_extension(path: str, expected: OutputFormat | None) -> None:
    assert format_for_path(path) is expected
