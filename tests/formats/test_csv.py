"""CSV: one row per repository, a column per rule, nothing a spreadsheet would evaluate."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from ospo_scan.formats.csv import format_csv
from ospo_scan.model import Report
from tests.formats.sample import FORMULA_NAME, HOSTILE_NAME


def _rows(report: Report) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(format_csv(report), newline="")))


def test_one_row_per_repository_with_a_column_per_rule(report: Report) -> None:
    rows = _rows(report)
    assert [row["repository"] for row in rows] == [
        "un-example/registry",
        HOSTILE_NAME,
        "'" + FORMULA_NAME,
        "un-example/old-site",
        "un-example/private-mirror",
        report.entity.name,  # the entity summary row
    ]
    assert list(rows[0]) == [
        "repository", "url", "status", "score", "in_scope", "archived", "fork", "licence",
        "license", "readme", "security-policy", "contributing", "changelog", "error", "notes",
        "entity",
        *(f"un-principles:{n}" for n in range(1, 9)),
        *(f"dpg:{n}" for n in range(1, 10)),
        # the Baseline controls un-ospo's rules evidence, in published order, then the level
        *(f"osps-baseline:OSPS-{c}" for c in (
            "AC-03.02", "GV-03.01", "LE-03.01", "VM-02.01", "VM-03.01"
        )),
        "osps-baseline:level", "osps-baseline:level_status",
    ]  # fmt: skip
    hostile = rows[1]
    assert hostile["notes"] == "skipped a symbolic link leaving the repository: docs/<evil>"
    assert {row["entity"] for row in rows} == {report.entity.name}


def test_item_scores_per_repository_and_in_the_entity_summary(report: Report) -> None:
    rows = _rows(report)
    registry, hostile, entity = rows[0], rows[1], rows[-1]
    # registry passes everything it ran; the hostile repository: license partial (10, 0.5)
    assert registry["un-principles:1"] == "100.0"
    assert hostile["un-principles:1"] == "50.0"
    # security-policy fails, and no other rule of principle 3 ran there
    assert hostile["un-principles:3"] == "0.0"
    assert rows[4]["un-principles:1"] == ""  # the unreadable repository: no evidence
    assert (entity["status"], entity["score"], entity["in_scope"]) == ("entity", "64.7", "")
    principles = report.entity.framework("un-principles")
    assert principles is not None
    assert [entity[f"un-principles:{item.id}"] for item in principles.items] == [
        "83.3", "", "33.3", "66.7", "", "86.7", "", "",
    ]  # fmt: skip
    assert entity["dpg:5"] == "83.3"


def test_values_are_plain_for_spreadsheets(report: Report) -> None:
    rows = {row["url"]: row for row in _rows(report)}
    formula = rows["https://github.com/un-example/formula"]
    assert formula["score"] == "61.8"
    assert formula["in_scope"] == "true"
    assert formula["licence"] == "MIT"
    assert (formula["contributing"], formula["changelog"]) == ("exempt", "error")
    archived = rows["https://github.com/un-example/old-site"]
    assert (archived["archived"], archived["in_scope"]) == ("true", "false")
    assert archived["changelog"] == "not-applicable"
    broken = rows["https://github.com/un-example/private-mirror"]
    assert (broken["status"], broken["score"], broken["license"]) == ("error", "", "")
    assert broken["error"] == "GitHub answered 403 for the repository's contents."


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_cells_are_defused(report: Report, start: str) -> None:
    repo = dataclasses.replace(
        report.repositories[0], name=f"{start}cmd|' /C calc'!A0", url=f"{start}1+1"
    )
    row = _rows(dataclasses.replace(report, repositories=(repo,)))[0]
    assert row["repository"] == f"'{start}cmd|' /C calc'!A0"
    assert row["url"] == f"'{start}1+1"


def test_newlines_and_quotes_survive_a_round_trip(report: Report) -> None:
    repo = dataclasses.replace(report.repositories[0], error='line one\nline "two", three')
    row = _rows(dataclasses.replace(report, repositories=(repo,)))[0]
    assert row["error"] == 'line one\nline "two", three'
