"""Golden files: each formatter's output for the sample entity, reviewed by a person.

After an intended change, regenerate with `OSPO_SCAN_UPDATE_GOLDEN=1 pytest tests/formats` and
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.formats import OutputFormat, formatter_for
from ospo_scan.model import Report

GOLDEN = Path(__file__).parent / "golden"
_FILES = {
    OutputFormat.MARKDOWN: "sample.md",
    OutputFormat.SARIF: "sample.sarif",
    OutputFormat.CSV: "sample.csv",
    OutputFormat.HTML: "sample.html",
    OutputFormat.BADGE: "sample.badge.json",
}


@pytest.mark.parametrize("output_format", list(_FILES), ids=lambda f: f.value)
def test_output_matches_golden_file(report: Report, output_format: OutputFormat) -> None:
    golden = GOLDEN / _FILES[output_format]
    rendered = formatter_for(output_format)(report)
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8", newline="")
    assert rendered == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("output_format", list(_FILES), ids=lambda f: f.value)
def test_golden_file_names_its_own_format(output_format: OutputFormat) -> None:
    from ospo_scan.formats import format_for_path

    assert format_for_path(_FILES[output_format]) is output_format
