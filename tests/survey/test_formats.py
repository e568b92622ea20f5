"""Every survey format renders the same survey; JSON follows the shipped schema."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from importlib.resources import files

import jsonschema
import pytest

from ospo_scan.model import DeclaredPrinciple, OspoStage, PrincipleAnswer, Progress, Readiness
from ospo_scan.survey.compute import build_survey
from ospo_scan.survey.formats import SurveyFormat, survey_formatter
from ospo_scan.survey.model import EntityScan, RuleTally, Survey
from ospo_scan.survey.render import survey_to_dict

HOSTILE = "Agency <script>alert(1)</script> \u202e[x](https://evil.example)"


def sample() -> Survey:
    answers = {
        "Alpha": {
            2023: Readiness(ospo=OspoStage.PLANNED, policy=Progress.DEVELOPING),
            2024: Readiness(ospo=OspoStage.ESTABLISHED, policy=Progress.COMPLETED),
        },
        HOSTILE: {2024: Readiness(ospo=OspoStage.NONE, best_practices=True)},
    }
    scans = [
        EntityScan(
            "Alpha",
            datetime(2024, 3, 1, tzinfo=timezone.utc),
            45.0,
            "initial",
            {"license-approved": RuleTally(1, 4), "readme": RuleTally(4, 4)},
            principles={"1": 80.0, "2": None},
            declared={"2": DeclaredPrinciple(PrincipleAnswer.YES, "https://alpha.example/c")},
        ),
        EntityScan(
            "Alpha",
            datetime(2023, 3, 1, tzinfo=timezone.utc),
            30.0,
            "initial",
            {"license-approved": RuleTally(0, 4)},
            principles={"1": 60.0, "2": None},
        ),
        EntityScan(
            HOSTILE,
            datetime(2024, 5, 1, tzinfo=timezone.utc),
            80.0,
            "established",
            principles={"1": 70.0},
        ),
    ]
    # what an entity file declares counts for the latest year
    declared = {HOSTILE: {"7": DeclaredPrinciple(PrincipleAnswer.PARTLY)}}
    return build_survey(scans, answers, declared, established=75.0)


def test_json_follows_the_schema_and_carries_deltas() -> None:
    schema = json.loads((files("ospo_scan") / "schema" / "survey-v1.json").read_text("utf-8"))
    document = json.loads(survey_formatter(SurveyFormat.JSON)(sample()))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document == survey_to_dict(sample())
    (y2023, y2024) = document["years"]
    assert y2023["indicators"]["ospo.underway"] == {
        "count": 0,
        "answered": 1,
        "share": 0.0,
        "delta": None,
    }
    assert y2024["indicators"]["ospo.underway"] == {
        "count": 1,
        "answered": 2,
        "share": 0.5,
        "delta": 0.5,
    }
    assert y2024["evidence"]["mean_score"] == 62.5
    assert y2024["evidence"]["mean_score_delta"] == 32.5
    assert y2024["evidence"]["rules"]["license-approved"] == {"count": 1, "of": 4, "share": 0.25}
    alpha = next(e for e in document["entities"] if e["name"] == "Alpha")
    assert alpha["answers"]["2024"] == {"ospo": "established", "policy": "completed"}
    assert alpha["scans"] == {
        "2023": {"score": 30.0, "level": "initial", "principles": {"1": 60.0, "2": None}},
        "2024": {"score": 45.0, "level": "initial", "principles": {"1": 80.0, "2": None}},
    }
    assert alpha["principles"] == {
        "2024": {"2": {"answer": "yes", "evidence": "https://alpha.example/c"}}
    }
    assert alpha["notes"]["2024"] == [
        "policy completed, yet 3 of 4 repositories lack an approved licence"
    ]


def test_csv_has_a_row_per_year_and_indicator() -> None:
    rows = list(csv.DictReader(io.StringIO(survey_formatter(SurveyFormat.CSV)(sample()))))
    found = {(r["year"], r["kind"], r["id"]): r for r in rows}
    assert found[("2024", "indicator", "ospo.underway")]["share"] == "0.5"
    assert found[("2024", "indicator", "ospo.underway")]["delta"] == "0.5"
    assert found[("2024", "rule", "license-approved")]["of"] == "4"
    assert found[("2024", "score", "mean")]["score"] == "62.5"
    assert found[("2024", "score", "mean")]["delta"] == "32.5"
    alpha = found[("2024", "entity", "Alpha")]
    assert (alpha["score"], alpha["level"]) == ("45", "initial")
    assert alpha["answers"] == "ospo=established; policy=completed; principle 2=yes"
    assert alpha["notes"] == "policy completed, yet 3 of 4 repositories lack an approved licence"
    assert found[("2023", "indicator", "guidelines.completed")]["share"] == ""


@pytest.mark.parametrize("fmt", list(SurveyFormat))
def test_every_format_renders_the_survey(fmt: SurveyFormat) -> None:
    text = survey_formatter(fmt)(sample())
    assert "Alpha" in text
    assert "2023" in text
    assert "2024" in text


def test_an_entity_name_cannot_become_a_spreadsheet_formula() -> None:
    survey = build_survey([], {"=HYPERLINK(1)": {2024: Readiness(recommendations=True)}})
    rows = list(csv.DictReader(io.StringIO(survey_formatter(SurveyFormat.CSV)(survey))))
    assert [r["id"] for r in rows if r["kind"] == "entity"] == ["'=HYPERLINK(1)"]


def test_strings_from_reports_cannot_inject_markup() -> None:
    page = survey_formatter(SurveyFormat.HTML)(sample())
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    markdown = survey_formatter(SurveyFormat.MARKDOWN)(sample())
    assert "<script>" not in markdown
    assert "](https://evil" not in markdown
    for fmt in (SurveyFormat.TABLE, SurveyFormat.CSV, SurveyFormat.HTML, SurveyFormat.MARKDOWN):
        shown = survey_formatter(fmt)(sample())
        assert "\u202e" not in shown, fmt  # the right-to-left override is shown as an escape
        assert "\\u202e" in shown, fmt


def test_the_table_reads_declared_beside_evidenced() -> None:
    table = survey_formatter(SurveyFormat.TABLE)(sample())
    assert "OSPO established or in progress" in table
    assert "50% (1/2)" in table
    assert "passing license-approved" in table
    assert "Year on year (2023 to 2024)" in table
    assert "+50 points" in table


def _gap_years() -> Survey:
    """Scans in 2023 and 2025 only; answers in 2024 and 2025, by different entities."""
    answers = {
        "Alpha": {2025: Readiness(policy=Progress.COMPLETED)},
        "Beta": {2024: Readiness(policy=Progress.NONE), 2025: Readiness(policy=Progress.NONE)},
        "Gamma": {2024: Readiness(policy=Progress.DEVELOPING)},
    }
    scans = [
        EntityScan("Alpha", datetime(2023, 3, 1, tzinfo=timezone.utc), 40.0, "initial"),
        EntityScan("Alpha", datetime(2025, 3, 1, tzinfo=timezone.utc), 70.0, "developing"),
        EntityScan("Beta", datetime(2025, 3, 1, tzinfo=timezone.utc), 80.0, "established"),
    ]
    return build_survey(scans, answers)


def test_year_on_year_compares_years_with_data_and_says_when_entities_differ() -> None:
    survey = _gap_years()
    table = survey_formatter(SurveyFormat.TABLE)(survey)
    section = table.split("Year on year", 1)[1].split("Entities", 1)[0]
    assert "policy developing or completed  2024 to 2025  +0 points" in section
    assert "mean entity score" in section
    assert "2023 to 2025  +35.0" in section
    assert "The respondents of 2024 and 2025 differ (2025 only: Alpha; 2024 only: Gamma)" in section
    assert "The entities scanned in 2023 and 2025 differ (2025 only: Beta)" in section
    data = survey_to_dict(survey)
    assert data["year_on_year"] == {
        "declared": {"from": 2024, "to": 2025, "joined": ["Alpha"], "left": ["Gamma"]},
        "evidenced": {"from": 2023, "to": 2025, "joined": ["Beta"], "left": []},
    }
    y2025 = data["years"][2]["evidence"]
    assert y2025["mean_score"] == 75.0
    assert y2025["mean_score_delta"] == 35.0  # against 2023, the latest earlier year scanned
    assert data["years"][2]["indicators"]["policy.completed"]["delta"] == 0.5  # against 2024


def test_every_format_shows_the_share_of_entities_at_each_level() -> None:
    survey = _gap_years()
    table = survey_formatter(SurveyFormat.TABLE)(survey)
    assert "entities at developing" in table
    assert "50% (1/2)" in table
    assert "entities at initial" in table
    assert "100% (1/1)" in table
    markdown = survey_formatter(SurveyFormat.MARKDOWN)(survey)
    assert "| entities at established" in markdown
    rows = list(csv.reader(io.StringIO(survey_formatter(SurveyFormat.CSV)(survey))))
    levels = [row[:6] for row in rows if row[1] == "level"]
    assert levels == [
        ["2023", "level", "initial", "1", "1", "1"],
        ["2025", "level", "developing", "1", "2", "0.5"],
        ["2025", "level", "established", "1", "2", "0.5"],
    ]
    html = survey_formatter(SurveyFormat.HTML)(survey)
    assert "<figcaption>entities at established</figcaption>" in html
    assert "2025: 50% (1/2)" in html


def test_principles_per_year_in_json_and_csv() -> None:
    document = survey_to_dict(sample())
    assert document["established_threshold"] == 75.0
    y2023, y2024 = document["years"]
    assert y2023["principles"]["1"] == {
        "title": "Open by default",
        "entities": 1,
        "mean_score": 60.0,
        "established": 0,
        "established_share": 0.0,
        "change": None,
        "declared": {},
    }
    # Alpha 80 and the other 70: mean 75, one of two at or above 75, 15 up on 2023
    assert y2024["principles"]["1"] == {
        "title": "Open by default",
        "entities": 2,
        "mean_score": 75.0,
        "established": 1,
        "established_share": 0.5,
        "change": 15.0,
        "declared": {},
    }
    # nothing evidences principle 2: no score (never 0), and what the entities declare
    assert y2024["principles"]["2"]["mean_score"] is None
    assert y2024["principles"]["2"]["entities"] == 0
    assert y2024["principles"]["2"]["declared"] == {"yes": 1}
    assert y2024["principles"]["7"]["declared"] == {"partly": 1}
    assert list(y2024["principles"]) == [str(n) for n in range(1, 9)]
    rows = list(csv.DictReader(io.StringIO(survey_formatter(SurveyFormat.CSV)(sample()))))
    found = {(r["year"], r["kind"], r["id"]): r for r in rows}
    first = found[("2024", "principle", "1")]
    assert (first["count"], first["of"], first["share"]) == ("1", "2", "0.5")
    assert (first["delta"], first["score"], first["notes"]) == ("15", "75", "Open by default")
    assert found[("2024", "principle", "2")]["answers"] == "yes=1"
    assert found[("2024", "principle", "2")]["score"] == ""
    assert found[("2024", "entity", "Alpha")]["answers"] == (
        "ospo=established; policy=completed; principle 2=yes"
    )


def test_principles_in_the_table_markdown_and_html() -> None:
    table = survey_formatter(SurveyFormat.TABLE)(sample())
    assert "at or above established (75.0)" in table
    line = next(row for row in table.splitlines() if row.startswith("1. Open by default"))
    assert "60.0, 0% (0/1)" in line
    assert "75.0, 50% (1/2)" in line
    assert "principle 1 mean score                      2023 to 2024  +15.0" in table
    declared = table.split("UN Open Source Principles declared by the entities", 1)[1]
    assert "yes=1" in declared.split("3. Secure by design")[0]
    markdown = survey_formatter(SurveyFormat.MARKDOWN)(sample())
    assert "## UN Open Source Principles declared by the entities" in markdown
    assert "| 1. Open by default" in markdown
    assert "| 60.0, 0% (0/1) | 75.0, 50% (1/2) |" in markdown
    page = survey_formatter(SurveyFormat.HTML)(sample())
    assert '<section id="principles">' in page
    assert "2024: 1 of 2 established" in page
    assert "2024: not evidenced by repositories, declared yes=1" in page
