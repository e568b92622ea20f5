"""Score arithmetic of SPEC §4."""

from __future__ import annotations

import pytest

from ospo_scan.model import Outcome, RepoReport, RepoStatus, RuleResult
from ospo_scan.scan.scoring import (
    category_scores,
    entity_score,
    outcome_score,
    rule_pass_rates,
    weighted_score,
)


def _result(
    rule: str,
    outcome: Outcome,
    weight: float,
    category: str = "documentation",
    partial: float = 0.5,
) -> RuleResult:
    return RuleResult(rule, category, outcome, outcome_score(outcome, partial), weight, "", "", "")


def _repo(
    name: str, score: float | None, results: tuple[RuleResult, ...] = (), in_scope: bool = True
) -> RepoReport:
    status = RepoStatus.OK if score is not None else RepoStatus.ERROR
    return RepoReport(name, f"file:///{name}", status, score, in_scope, results=results)


def test_outcome_scores() -> None:
    assert outcome_score(Outcome.PASS) == 1.0
    assert outcome_score(Outcome.EXEMPT) == 1.0
    assert outcome_score(Outcome.PARTIAL) == 0.5
    assert outcome_score(Outcome.PARTIAL, 0.25) == 0.25
    assert outcome_score(Outcome.FAIL) == 0.0
    assert outcome_score(Outcome.NOT_APPLICABLE) is None
    assert outcome_score(Outcome.ERROR) is None


def test_weighted_repository_score_leaves_out_not_applicable_and_errors() -> None:
    results = [
        _result("license", Outcome.PASS, 10),
        _result("readme", Outcome.PARTIAL, 8),
        _result("governance", Outcome.FAIL, 2),
        _result("branch-protection", Outcome.NOT_APPLICABLE, 5),
        _result("security-policy", Outcome.ERROR, 8),
    ]
    # (10*1 + 8*0.5 + 2*0) / (10 + 8 + 2) = 14 / 20
    assert weighted_score(results) == pytest.approx(70.0)


def test_no_counted_rule_gives_no_score() -> None:
    assert weighted_score([_result("x", Outcome.NOT_APPLICABLE, 3)]) is None
    assert weighted_score([_result("x", Outcome.PASS, 0)]) is None


def test_category_scores() -> None:
    results = [
        _result("license", Outcome.PASS, 10, "licensing"),
        _result("readme", Outcome.FAIL, 6, "documentation"),
        _result("changelog", Outcome.PASS, 2, "documentation"),
    ]
    assert category_scores(results) == {"licensing": 100.0, "documentation": 25.0}


def test_entity_score_is_the_mean_over_scored_in_scope_repositories() -> None:
    repos = [
        _repo("a", 80.0),
        _repo("b", 50.0),
        _repo("archived", 0.0, in_scope=False),
        _repo("broken", None),
    ]
    assert entity_score(repos) == pytest.approx(65.0)
    assert entity_score([_repo("broken", None)]) is None


def test_rule_pass_rates_count_exempt_as_pass_and_skip_not_applicable() -> None:
    repos = [
        _repo(
            "a",
            1.0,
            (_result("license", Outcome.PASS, 1), _result("bp", Outcome.NOT_APPLICABLE, 1)),
        ),
        _repo(
            "b",
            1.0,
            (_result("license", Outcome.EXEMPT, 1), _result("bp", Outcome.NOT_APPLICABLE, 1)),
        ),
        _repo(
            "c",
            0.0,
            (_result("license", Outcome.PARTIAL, 1), _result("bp", Outcome.NOT_APPLICABLE, 1)),
        ),
        _repo("d", 0.0, (_result("license", Outcome.FAIL, 1),), in_scope=False),
    ]
    rates = rule_pass_rates(repos)
    assert rates["license"] == pytest.approx(2 / 3, abs=1e-4)
    assert rates["bp"] is None
