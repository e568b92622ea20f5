"""The survey's arithmetic: per-question denominators, the latest scan of a year, evidence."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ospo_scan.model import OspoStage, Progress, Readiness
from ospo_scan.scan.scanner import Scanner
from ospo_scan.survey.compute import INDICATORS, build_survey, disagreements
from ospo_scan.survey.inputs import scans_of
from ospo_scan.survey.model import EntityScan, RuleTally
from tests.conftest import RepoFactory
from tests.connectors.github.test_github_equivalence import MIT
from tests.rule_results import unknown_report
from tests.scanning import default_ruleset


def at(year: int, month: int = 6) -> datetime:
    return datetime(year, month, 1, tzinfo=timezone.utc)


def test_each_question_counts_over_those_who_answered_it() -> None:
    answers = {
        "A": {2024: Readiness(ospo=OspoStage.ESTABLISHED, policy=Progress.COMPLETED)},
        "B": {2024: Readiness(ospo=OspoStage.IN_PROGRESS, recommendations=True)},
        "C": {2024: Readiness(ospo=OspoStage.NONE, policy=Progress.DEVELOPING)},
        "D": {2024: Readiness(recommendations=False)},
        "E": {2023: Readiness(ospo=OspoStage.PLANNED)},
    }
    survey = build_survey([], answers)
    assert [year.year for year in survey.years] == [2023, 2024]
    year = survey.years[1]
    assert year.respondents == 4
    found = {name: (i.count, i.answered) for name, i in year.indicators.items()}
    assert found == {
        "ospo.established": (1, 3),
        "ospo.underway": (2, 3),
        "policy.completed": (1, 2),
        "policy.underway": (2, 2),
        "guidelines.completed": (0, 0),
        "guidelines.underway": (0, 0),
        "recommendations": (1, 2),
        "best-practices": (0, 0),
    }
    assert year.indicators["ospo.underway"].share == 2 / 3
    assert year.indicators["guidelines.completed"].share is None
    assert list(year.indicators) == list(INDICATORS)
    assert survey.years[0].respondents == 1
    assert survey.years[0].indicators["ospo.underway"].share == 0.0


def test_the_latest_scan_of_a_year_counts_and_evidence_adds_up_across_entities() -> None:
    early = EntityScan("A", at(2024, 1), 40.0, "initial", {"license": RuleTally(1, 4)})
    late = EntityScan("A", at(2024, 11), 80.0, "established", {"license": RuleTally(3, 4)})
    other = EntityScan("B", at(2024, 5), 60.0, "developing", {"license": RuleTally(0, 2)})
    before = EntityScan("B", at(2023, 5), 30.0, "initial", {"license": RuleTally(0, 2)})
    survey = build_survey([late, early, other, before], {})
    evidence = {year.year: year.evidence for year in survey.years}
    assert evidence[2024].entities == 2
    assert evidence[2024].mean_score == 70.0
    assert evidence[2024].levels == {"developing": 0.5, "established": 0.5}
    assert evidence[2024].rules == {"license": RuleTally(3, 6)}
    assert evidence[2023].rules["license"].share == 0.0
    (row_a, row_b) = survey.entities
    assert row_a.scans[2024] is late
    assert sorted(row_b.scans) == [2023, 2024]
    assert survey.years[1].respondents == 0


def test_answers_in_a_profile_win_over_those_a_report_carried() -> None:
    carried = EntityScan(
        "A", at(2024), 50.0, "developing", readiness={2024: Readiness(ospo=OspoStage.PLANNED)}
    )
    survey = build_survey([carried], {"A": {2024: Readiness(ospo=OspoStage.ESTABLISHED)}})
    assert survey.entities[0].answers[2024].ospo is OspoStage.ESTABLISHED
    assert survey.years[0].indicators["ospo.established"].count == 1


def test_answers_that_the_evidence_contradicts_are_noted() -> None:
    scan = EntityScan(
        "A",
        at(2024),
        42.0,
        "initial",
        {
            "license": RuleTally(4, 6),
            "license-approved": RuleTally(1, 4),
            "contributing": RuleTally(4, 6),
            "security-policy": RuleTally(0, 6),
        },
    )
    claims = Readiness(
        ospo=OspoStage.ESTABLISHED,
        policy=Progress.COMPLETED,
        guidelines=Progress.COMPLETED,
        best_practices=True,
    )
    assert disagreements(claims, scan) == (
        "policy completed, yet 5 of 6 repositories lack an approved licence",
        "OSPO established, yet 6 of 6 repositories lack a security policy",
        "best practices documented, yet the entity scores 42.0 (initial)",
    )
    assert disagreements(Readiness(policy=Progress.DEVELOPING), scan) == ()
    survey = build_survey([scan], {"A": {2024: claims}})
    assert len(survey.entities[0].notes[2024]) == 3


def test_a_real_scan_becomes_rule_tallies_over_in_scope_repositories(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "licensed", {"README.md": "# Licensed\n", "LICENSE": MIT})
    git_repo_factory(entity / "bare", {"README.md": "# Bare\n"})
    report = Scanner(default_ruleset()).scan([str(entity)])
    (scan,) = scans_of(report)
    assert report.scan is not None
    assert scan.started.isoformat().replace("+00:00", "Z")[:19] == report.scan.started[:19]
    assert scan.entity == report.entity.name
    assert scan.score == report.entity.score
    assert scan.rules["license"] == RuleTally(1, 2)
    assert scan.rules["license-approved"] == RuleTally(1, 1)  # no licence: not applicable
    assert scan.rules["readme"] == RuleTally(0, 2)  # title-only READMEs are stubs
    assert "publiccode" not in scan.rules  # not-applicable everywhere: applied nowhere


def test_a_scan_counts_for_the_survey_year_its_report_names() -> None:
    january = EntityScan("A", at(2026, 1), 60.0, "developing", survey_year=2025)
    survey = build_survey([january], {"A": {2025: Readiness(ospo=OspoStage.ESTABLISHED)}})
    assert [year.year for year in survey.years] == [2025]
    assert survey.years[0].evidence.entities == 1
    assert survey.entities[0].scans[2025] is january


def test_year_on_year_compares_the_latest_two_years_that_have_data() -> None:
    answers = {
        "A": {
            2023: Readiness(policy=Progress.DEVELOPING),
            2025: Readiness(policy=Progress.COMPLETED),
        },
        "B": {2023: Readiness(policy=Progress.NONE), 2024: Readiness(policy=Progress.NONE)},
    }
    scans = [EntityScan("A", at(2023), 40.0, "initial"), EntityScan("A", at(2025), 70.0, "x")]
    survey = build_survey(scans, answers)
    assert [year.year for year in survey.years] == [2023, 2024, 2025]
    assert survey.evidenced is not None
    assert (survey.evidenced.old, survey.evidenced.new) == (
        2023,
        2025,
    )
    assert survey.evidenced.same_entities
    declared = survey.declared
    assert declared is not None
    assert (declared.old, declared.new) == (2024, 2025)
    assert (declared.joined, declared.left) == (("A",), ("B",))


def test_one_year_of_data_is_no_comparison() -> None:
    survey = build_survey(
        [EntityScan("A", at(2025), 70.0, "x")], {"A": {2024: Readiness(ospo=OspoStage.NONE)}}
    )
    assert (survey.declared, survey.evidenced) == (None, None)


def test_unknown_results_are_left_out_of_rule_tallies() -> None:
    (scan,) = scans_of(unknown_report())
    assert scan.rules["security-policy"] == RuleTally(1, 1)  # the unknown is not in `of`
    assert scan.rules["license"] == RuleTally(1, 2)
