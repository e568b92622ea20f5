"""`ospo-scan survey` on the demo: reports and entity files in, the survey out (SPEC §9)."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path

import jsonschema

from tests.cli.entity import run

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "survey-demo"


def test_the_demo_survey_in_json_follows_its_schema() -> None:
    code, out, err = run("survey", str(DEMO), "--format", "json")
    assert (code, err) == (0, "")
    survey = json.loads(out)
    schema = json.loads((files("ospo_scan") / "schema" / "survey-v1.json").read_text("utf-8"))
    jsonschema.validate(survey, schema, cls=jsonschema.Draft202012Validator)
    assert [year["year"] for year in survey["years"]] == [2024, 2025]
    y2024, y2025 = survey["years"]
    assert (y2024["respondents"], y2025["respondents"]) == (4, 5)
    assert y2025["evidence"]["entities"] == 5
    assert y2024["evidence"]["entities"] == 0
    assert y2025["indicators"]["policy.underway"] == {
        "count": 5,
        "answered": 5,
        "share": 1.0,
        "delta": 0.25,
    }
    health = next(e for e in survey["entities"] if e["name"] == "Health Coordination Office")
    assert health["notes"]["2025"] == [
        "policy completed, yet 2 of 3 repositories lack an approved licence"
    ]


def test_reports_alone_and_entity_files_alone_are_each_a_survey(tmp_path: Path) -> None:
    code, out, _ = run("survey", *map(str, sorted((DEMO / "reports").glob("*.json"))))
    assert code == 0
    assert "Declared" in out
    code, out, _ = run("survey", str(DEMO / "entities" / "open-data-agency" / "ospo-entity.toml"))
    assert code == 0
    assert "2024" in out


def test_every_format_writes_to_its_file(tmp_path: Path) -> None:
    for name in ("survey.md", "survey.csv", "survey.html", "survey.json", "survey.txt"):
        code, _, err = run("survey", str(DEMO), "--output", str(tmp_path / name))
        assert (code, err) == (0, "")
    assert (tmp_path / "survey.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "survey.csv").read_bytes().startswith(b"year,kind,id,")


def test_a_searched_directory_skips_other_json_in_one_line_and_warns_of_broken_reports(
    tmp_path: Path,
) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    for name in ("package.json", "tsconfig.json", "composer.json", "renovate.json"):
        (tmp_path / "demo" / name).write_text('{"name": "x"}\n', encoding="utf-8")
    broken = tmp_path / "demo" / "reports" / "cut-short.json"
    broken.write_text('{"schema": "ospo-scan/report/v1", "tool": {', encoding="utf-8")
    code, _, err = run("survey", str(tmp_path / "demo"))
    assert code == 0
    warning, note = err.splitlines()
    assert warning.startswith(f"ospo-scan: warning: skipped {broken}: ")
    assert note.startswith("ospo-scan: note: skipped 4 JSON files that are not ospo-scan reports: ")
    demo = tmp_path / "demo"
    shown = ", ".join(str(demo / f) for f in ("composer.json", "package.json", "renovate.json"))
    assert note.endswith(f"reports: {shown}, ...")


def test_an_entity_directory_s_repositories_are_not_searched(tmp_path: Path) -> None:
    entities = tmp_path / "entities"
    shutil.copytree(DEMO / "entities", entities)
    for repository in sorted(entities.glob("*/*/")):
        (repository / "package.json").write_text('{"name": "app"}\n', encoding="utf-8")
        (repository / "node_modules").mkdir()
        (repository / "node_modules" / "left-pad.json").write_text("{}\n", encoding="utf-8")
    shutil.copy(DEMO / "reports" / "open-data-agency-2025.json", entities / "open-data-agency")
    code, out, err = run("survey", str(entities), "--format", "json")
    assert (code, err) == (0, "")
    years = {year["year"]: year for year in json.loads(out)["years"]}
    assert years[2025]["evidence"]["entities"] == 1  # the report beside the entity file is read


def test_repeated_output_writes_every_file(tmp_path: Path) -> None:
    targets = [tmp_path / name for name in ("a.html", "b.csv", "c.json", "d.md")]
    arguments = [item for target in targets for item in ("--output", str(target))]
    code, out, err = run("survey", str(DEMO), *arguments)
    assert (code, out, err) == (0, "", "")
    assert targets[0].read_text("utf-8").startswith("<!DOCTYPE html>")
    assert targets[1].read_bytes().startswith(b"year,kind,id,")
    assert json.loads(targets[2].read_text("utf-8"))["schema"] == "ospo-scan/survey/v1"
    assert targets[3].read_text("utf-8").startswith("# Open source readiness survey")
    code, _, err = run("survey", str(DEMO), "--output", "-", "--output", "-")
    assert code == 2
    assert "more than once" in err


def test_bad_inputs_are_one_line_and_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    stray = tmp_path / "stray.json"
    stray.write_text("{}\n", encoding="utf-8")
    cases = [
        ([str(tmp_path / "missing")], "no such file or directory"),
        ([str(empty)], "no report or entity file among the inputs"),
        ([str(stray)], "is not an ospo-scan report"),
        ([str(DEMO), "--output", str(tmp_path / "survey.pdf")], "cannot tell the format"),
        ([str(DEMO), "--format", "csv", "--output", str(tmp_path / "s.json")], "contradicts"),
    ]
    for arguments, message in cases:
        code, out, err = run("survey", *arguments)
        assert code == 2, arguments
        assert message in err
        assert err.count("\n") == 1
        assert out == ""


def test_a_scan_says_which_survey_year_it_counts_for(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    shutil.copytree(DEMO / "entities" / "open-data-agency", entity)
    report = tmp_path / "january.json"
    code, _, _ = run(
        "scan", str(entity), "--no-history", "--survey-year", "2024", "--output", str(report)
    )
    assert code == 0
    assert json.loads(report.read_text("utf-8"))["entity"]["survey_year"] == 2024
    code, out, _ = run("survey", str(report), "--format", "json")
    assert code == 0
    (year,) = json.loads(out)["years"][:1]
    assert (year["year"], year["evidence"]["entities"]) == (2024, 1)

    profile = entity / "ospo-entity.toml"
    profile.write_text("survey-year = 2023\n" + profile.read_text("utf-8"), encoding="utf-8")
    code, out, _ = run("scan", str(entity), "--no-history", "--format", "json")
    assert json.loads(out)["entity"]["survey_year"] == 2023
    profile.write_text("survey-year = 1999\n", encoding="utf-8")
    code, _, err = run("scan", str(entity), "--no-history", "--format", "json")
    assert code == 2
    assert "ospo-entity.toml:1: survey-year: a year from 2000 to 2100 was expected" in err


def test_the_demo_survey_reports_each_principle_beside_what_entities_declare() -> None:
    code, out, err = run("survey", str(DEMO), "--format", "json")
    assert (code, err) == (0, "")
    survey = json.loads(out)
    assert survey["established_threshold"] == 75.0
    y2024, y2025 = survey["years"]
    assert all(p["entities"] == 0 for p in y2024["principles"].values())  # no scan in 2024
    reports = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DEMO / "reports").glob("*.json"))
    ]
    # the survey averages each report's own view: it never scores an item itself
    views = [r["entity"]["frameworks"]["un-principles"]["items"] for r in reports]
    for number, principle in y2025["principles"].items():
        scores = [view[number]["score"] for view in views if view[number]["score"] is not None]
        expected = round(sum(scores) / len(scores), 2) if scores else None
        assert principle["mean_score"] == expected, number
        assert principle["established"] == sum(score >= 75.0 for score in scores)
    assert y2025["principles"]["2"]["mean_score"] is None
    assert y2025["principles"]["2"]["declared"] == {"yes": 1, "partly": 1, "no": 1}
    assert y2025["principles"]["7"]["declared"] == {"yes": 1, "no": 1}
    climate = next(e for e in survey["entities"] if e["name"] == "Climate Research Programme")
    assert climate["principles"]["2025"]["7"] == {
        "answer": "yes",
        "evidence": "https://example.org/climate-research/contributor-awards",
    }


def test_a_survey_ruleset_without_an_established_level_counts_none(tmp_path: Path) -> None:
    ruleset = tmp_path / "levels.toml"
    ruleset.write_text(
        'id = "levels"\n[levels]\nhigh = 80\nlow = 0\n[rules.readme]\nweight = 1\n',
        encoding="utf-8",
    )
    code, out, _ = run("survey", str(DEMO), "--format", "json", "--ruleset", str(ruleset))
    assert code == 0
    survey = json.loads(out)
    assert survey["established_threshold"] is None
    assert all(p["established"] == 0 for p in survey["years"][1]["principles"].values())
