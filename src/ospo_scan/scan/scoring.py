"""Roll-up of rule results into repository, category and entity scores (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import fmean

from ospo_scan.model import Outcome, RepoReport, RuleResult

OUTCOME_SCORES = {Outcome.PASS: 1.0, Outcome.EXEMPT: 1.0, Outcome.FAIL: 0.0}


def outcome_score(outcome: Outcome, partial_score: float = 0.5) -> float | None:
    """The score an outcome earns; None for outcomes left out of the denominator."""
    if outcome is Outcome.PARTIAL:
        return partial_score
    return OUTCOME_SCORES.get(outcome)


def weighted_score(results: Iterable[RuleResult]) -> float | None:
    """100 * sum(weight * score) / sum(weight) over counted results; None when none counts."""
    counted = [r for r in results if r.score is not None and r.outcome.counts]
    total_weight = sum(r.weight for r in counted)
    if total_weight <= 0:
        return None
    return round(100.0 * sum(r.weight * (r.score or 0.0) for r in counted) / total_weight, 2)


def category_scores(results: Sequence[RuleResult]) -> dict[str, float | None]:
    categories = dict.fromkeys(r.category for r in results)
    return {c: weighted_score(r for r in results if r.category == c) for c in categories}


def entity_score(repositories: Sequence[RepoReport]) -> float | None:
    """Mean repository score over in-scope repositories that could be scored."""
    scores = [r.score for r in repositories if r.in_scope and r.score is not None]
    return round(fmean(scores), 2) if scores else None


def rule_pass_rates(repositories: Sequence[RepoReport]) -> dict[str, float | None]:
    """Per rule, the share of in-scope repositories where it passed (or was exempt).

    Repositories where the rule did not apply or was not observed (not-applicable, unknown,
    error) are left out of both the passes and the count."""
    rates: dict[str, float | None] = {}
    in_scope = [r for r in repositories if r.in_scope]
    rule_ids = dict.fromkeys(res.rule for repo in repositories for res in repo.results)
    for rule_id in rule_ids:
        outcomes = [
            res.outcome
            for repo in in_scope
            for res in repo.results
            if res.rule == rule_id and res.outcome.counts
        ]
        passed = sum(o in (Outcome.PASS, Outcome.EXEMPT) for o in outcomes)
        rates[rule_id] = round(passed / len(outcomes), 4) if outcomes else None
    return rates


def mean_category_scores(repositories: Sequence[RepoReport]) -> dict[str, float | None]:
    in_scope = [r for r in repositories if r.in_scope]
    names = dict.fromkeys(c for repo in repositories for c in repo.category_scores)
    means: dict[str, float | None] = {}
    for name in names:
        values = [v for repo in in_scope if (v := repo.category_scores.get(name)) is not None]
        means[name] = round(fmean(values), 2) if values else None
    return means
