"""The terminal table: fitted to a width, entity rows, warnings and what to fix first."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ospo_scan.formats.table import format_table
from ospo_scan.model import Report
from tests.formats.sample import FORMULA_NAME


@pytest.mark.parametrize("width", [80, 100, 60])
def test_the_table_fits_the_width_and_keeps_every_number(report: Report, width: int) -> None:
    text = format_table(report, width)
    assert max(len(line) for line in text.splitlines()) <= max(width, 60)
    for repo in report.repositories:
        if repo.score is not None:
            assert re.search(rf"\s{repo.score:.1f}\s", text), repo.name
    assert "entity score 64.7 (developing)" in " ".join(" ".join(text.splitlines()[:2]).split())


def test_wrapped_cells_keep_every_failing_rule(report: Report) -> None:
    text = format_table(report, 60)
    assert not re.search(r"[a-z]-\n", text)  # a rule id never breaks at its hyphen
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", text))
    assert {"security-policy", "contributing", "partial", "license", "readme"} <= words


def test_the_formula_name_is_shown_whole(report: Report) -> None:
    joined = "".join(line.strip() for line in format_table(report, 200).splitlines())
    assert FORMULA_NAME in joined


def test_warnings_are_listed_with_their_repository(report: Report) -> None:
    text = format_table(report, 200)
    assert "warnings:" in text
    assert "skipped a symbolic link leaving the repository: docs/<evil>" in text


def test_entities_get_a_row_each(report: Report) -> None:
    first = replace(report.entity, name="Agency A", score=70.0, level="developing")
    second = replace(report.entity, name="Agency B", score=None, level=None)
    text = format_table(replace(report, entities=(first, second)), 80)
    rows = [line.split() for line in text.splitlines() if line.startswith("Agency ")]
    assert rows == [
        ["Agency", "A", "70.0", "developing", "github"],
        ["Agency", "B", "-", "-", "github"],
    ]


def test_the_table_ends_with_what_to_fix_first(report: Report) -> None:
    text = format_table(report, 100)
    tail = text.split("fix first (entity score points recovered):\n", 1)[1].splitlines()
    assert tail[0].startswith("  +")
    assert "add SECURITY.md to the organisation's .github repository" in tail[0]


def test_a_line_per_principle_with_its_score_bar_and_weakest_rule(report: Report) -> None:
    text = format_table(report, 200)
    block = text.split("UN Open Source Principles 2024 (un-principles):\n", 1)[1].split("\n\n")[0]
    lines = block.splitlines()
    assert len(lines) == 8
    assert lines[0] == (
        "   83.3  [########..]  1. Open by default · partly evidenced · weakest: license (83.3)"
    )
    # nothing evidences it: a blank score and bar, never 0, and the entity's own answer
    assert lines[1] == (
        "                       2. Contribute back · not evidenced by repositories · declared: yes"
    )
    assert lines[2].startswith("   33.3  [###.......]  3. Secure by design · partly evidenced")
    assert "weakest: security-policy (33.3) · declared: partly" in lines[2]
    assert "Digital Public Goods Standard 1.1.7 (dpg):" in text
