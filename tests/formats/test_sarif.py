"""SARIF: valid against the OASIS schema, one result per failing rule and in-scope repository."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ospo_scan.formats.sarif import format_sarif
from ospo_scan.model import Evidence, EvidenceSource, Outcome, Report
from ospo_scan.rules.registry import builtin_rules

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def _sarif(report: Report) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(format_sarif(report))
    return log


def _run(report: Report) -> dict[str, Any]:
    run: dict[str, Any] = _sarif(report)["runs"][0]
    return run


def test_validates_against_the_oasis_schema(report: Report) -> None:
    log = _sarif(report)
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))
    assert errors == []
    assert log["version"] == "2.1.0"


def test_an_invalid_log_is_caught_by_the_schema(report: Report) -> None:
    """The vendored schema really constrains results (so the test above means something)."""
    log = _sarif(report)
    log["runs"][0]["results"][0]["level"] = "critical"
    assert not jsonschema.Draft4Validator(SCHEMA).is_valid(log)


def test_one_result_per_failing_rule_and_in_scope_repository(report: Report) -> None:
    expected = sorted(
        (repo.name, "ospo-scan/" + result.rule)
        for repo in report.repositories
        if repo.in_scope
        for result in repo.results
        if result.outcome in (Outcome.FAIL, Outcome.PARTIAL)
    )
    results = _run(report)["results"]
    found = sorted((r["properties"]["repository"], r["ruleId"]) for r in results)
    assert found == expected
    # hostile: license and readme partial, security-policy and contributing fail; formula:
    # security-policy; the archived repository's three failures raise no alert.
    assert len(found) == 5
    assert all(r["kind"] == "fail" for r in results)


def test_rules_are_listed_once_and_results_point_at_them(report: Report) -> None:
    run = _run(report)
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == [
        "ospo-scan/license",
        "ospo-scan/readme",
        "ospo-scan/security-policy",
        "ospo-scan/contributing",
        "ospo-scan/changelog",
    ]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    license_rule = rules[0]
    assert license_rule["helpUri"] == "https://ospo-scan.example/rules/license"
    assert license_rule["help"]["text"].startswith("Add a LICENSE file")
    assert license_rule["properties"]["category"] == "licensing"


def test_a_javascript_help_url_is_not_published(report: Report) -> None:
    contributing = _run(report)["tool"]["driver"]["rules"][3]
    assert contributing["id"] == "ospo-scan/contributing"
    assert "helpUri" not in contributing
    assert "javascript" not in json.dumps(contributing)


def test_level_follows_weight_and_outcome(report: Report) -> None:
    levels = {
        (r["properties"]["repository"], r["ruleId"]): r["level"] for r in _run(report)["results"]
    }
    hostile = "evil-org/<b>bold</b>|`x`[y](javascript:z)"
    # license weighs 10 (the heaviest): partial is a warning, fail would be an error
    assert levels[(hostile, "ospo-scan/license")] == "warning"
    assert levels[(hostile, "ospo-scan/security-policy")] == "error"
    assert levels[(hostile, "ospo-scan/contributing")] == "error"  # 6 >= half of 10


def test_light_rules_are_warnings_and_notes(report: Report) -> None:
    hostile = report.repositories[1]
    light = tuple(
        dataclasses.replace(result, weight=2.0) if result.rule == "contributing" else result
        for result in hostile.results
    )
    changed = dataclasses.replace(
        report,
        repositories=(dataclasses.replace(hostile, results=light),),
    )
    by_rule = {r["ruleId"]: r["level"] for r in _run(changed)["results"]}
    assert by_rule["ospo-scan/contributing"] == "warning"
    assert by_rule["ospo-scan/readme"] == "warning"  # partial, weight 8 of 10


def test_results_are_located_at_evidence_or_repository_root(report: Report) -> None:
    results = {
        (r["properties"]["repository"], r["ruleId"]): r["locations"][0]["physicalLocation"]
        for r in _run(report)["results"]
    }
    hostile = "evil-org/<b>bold</b>|`x`[y](javascript:z)"
    prefix = "evil-org/%3Cb%3Ebold%3C/b%3E%7C%60x%60%5By%5D(javascript%3Az)/"
    readme = results[(hostile, "ospo-scan/readme")]
    assert readme["artifactLocation"]["uri"] == prefix + "README.md"
    assert readme["region"] == {"startLine": 1}
    missing = results[(hostile, "ospo-scan/security-policy")]
    assert missing["artifactLocation"]["uri"] == prefix
    assert "region" not in missing


def test_single_repository_paths_are_relative_to_its_root(report: Report) -> None:
    hostile = report.repositories[1]
    single = dataclasses.replace(report, repositories=(hostile,))
    uris = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _run(single)["results"]
    }
    assert uris["ospo-scan/readme"] == "README.md"
    assert uris["ospo-scan/security-policy"] == "./"


def test_inherited_evidence_points_into_the_defaults_repository(report: Report) -> None:
    hostile = report.repositories[1]
    inherited = Evidence("CONTRIBUTING.md", EvidenceSource.ORGANISATION_DEFAULT, "stub")
    results = tuple(
        dataclasses.replace(r, evidence=(inherited,)) if r.rule == "contributing" else r
        for r in hostile.results
    )
    single = dataclasses.replace(
        report, repositories=(dataclasses.replace(hostile, results=results),)
    )
    located = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _run(single)["results"]
    }
    assert located["ospo-scan/contributing"] == "un-example/.github/CONTRIBUTING.md"


def test_fingerprints_survive_rewording_and_moved_files(report: Report) -> None:
    before = {r["ruleId"] + r["properties"]["repository"]: r for r in _run(report)["results"]}
    reworded = dataclasses.replace(
        report,
        repositories=tuple(
            dataclasses.replace(
                repo,
                results=tuple(
                    dataclasses.replace(
                        result,
                        message=result.message + " (reworded)",
                        evidence=(Evidence("moved/README.txt", EvidenceSource.REPOSITORY),),
                    )
                    for result in repo.results
                ),
            )
            for repo in report.repositories
        ),
    )
    after = {r["ruleId"] + r["properties"]["repository"]: r for r in _run(reworded)["results"]}
    assert before.keys() == after.keys()
    for key, result in before.items():
        assert result["partialFingerprints"] == after[key]["partialFingerprints"]
        assert result["message"] != after[key]["message"]
    fingerprints = [next(iter(r["partialFingerprints"].values())) for r in before.values()]
    assert len(set(fingerprints)) == len(fingerprints)


def test_errors_are_tool_notifications_not_results(report: Report) -> None:
    invocation = _run(report)["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    texts = [note["message"]["text"] for note in notes]
    assert any("private-mirror" in text and "403" in text for text in texts)
    rule_errors = [note for note in notes if "associatedRule" in note]
    assert [note["associatedRule"]["id"] for note in rule_errors] == ["ospo-scan/changelog"]
    assert rule_errors[0]["associatedRule"]["index"] == 4


def test_warnings_are_warning_notifications(report: Report) -> None:
    notes = _run(report)["invocations"][0]["toolExecutionNotifications"]
    warnings = [note for note in notes if note["level"] == "warning"]
    assert [note["message"]["text"] for note in warnings] == [
        f"{report.repositories[1].name}: skipped a symbolic link leaving the repository: "
        "docs/<evil>"
    ]


def test_warnings_alone_leave_the_execution_successful(report: Report) -> None:
    fine = [r for r in report.repositories if r.status.value == "ok"]
    cleaned = [
        dataclasses.replace(
            r, results=tuple(x for x in r.results if x.outcome is not Outcome.ERROR)
        )
        for r in fine
    ]
    invocation = _run(dataclasses.replace(report, repositories=tuple(cleaned)))["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["warning"]


@pytest.mark.parametrize("outcome", [Outcome.PASS, Outcome.EXEMPT, Outcome.NOT_APPLICABLE])
def test_passing_outcomes_raise_no_alert(report: Report, outcome: Outcome) -> None:
    repo = report.repositories[1]
    results = tuple(dataclasses.replace(r, outcome=outcome) for r in repo.results)
    clean = dataclasses.replace(report, repositories=(dataclasses.replace(repo, results=results),))
    run = _run(clean)
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == 5


def test_a_huge_entity_keeps_the_most_severe_results_github_accepts(report: Report) -> None:
    """Code scanning rejects runs of more than 25,000 results: the least severe are left out."""
    from ospo_scan.formats.sarif import MAX_RESULTS

    hostile = report.repositories[1]  # 4 results: security-policy and contributing are errors
    many = tuple(dataclasses.replace(hostile, name=f"org/r{n}") for n in range(6300))
    log = _sarif(dataclasses.replace(report, repositories=many))
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == MAX_RESULTS == 25_000
    levels = [r["level"] for r in results]
    assert levels.count("error") == 2 * 6300
    # of the warnings (license and readme partials, weights 10 and 8), license ones come first
    warnings = [r["ruleId"] for r in results if r["level"] == "warning"]
    assert warnings.count("ospo-scan/license") == 6300
    assert warnings.count("ospo-scan/readme") == 25_000 - 3 * 6300
    notes = run["invocations"][0]["toolExecutionNotifications"]
    left_out = 4 * 6300 - MAX_RESULTS
    assert f"{left_out} of the least severe results were left out" in notes[-1]["message"]["text"]
    run["results"] = results[:10]  # the schema check of 25,000 results takes long
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log)) == []


def test_short_descriptions_are_the_rules_own(report: Report) -> None:
    builtin = builtin_rules()
    for rule in _run(report)["tool"]["driver"]["rules"]:
        own = builtin[rule["id"].removeprefix("ospo-scan/")].description
        assert rule["shortDescription"]["text"] == (own if own.endswith(".") else own + ".")
    declarative = dataclasses.replace(
        report,
        repositories=tuple(
            dataclasses.replace(
                repo,
                results=tuple(
                    dataclasses.replace(r, rule="un-mention", remediation="Say who publishes it")
                    for r in repo.results
                ),
            )
            for repo in report.repositories
        ),
    )
    (rule,) = _run(declarative)["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "Say who publishes it."
