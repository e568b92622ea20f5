"""Framework views from rule results: the one function every format, the survey and the site
read per-item figures from (SPEC §11).

An item's score is weighted as the entity score is: in each in-scope repository, the weighted
score of the item's rules there (as a repository score is of all rules); then the mean over the
in-scope repositories where any of them counted. An item nothing evidences has no score, never 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import fmean

from ospo_scan.config.frameworks import Framework, FrameworkMapping, ItemRef, load_framework
from ospo_scan.model import (
    DeclaredPrinciple,
    FrameworkView,
    ItemStatus,
    ItemView,
    Outcome,
    RepoFrameworkView,
    RepoReport,
    RepoStatus,
    RuleEvidence,
    RuleResult,
)
from ospo_scan.scan.scoring import weighted_score

PRINCIPLES = "un-principles"
"""The framework an entity profile's `[principles.N]` declarations belong to."""


def repository_frameworks(
    mapping: FrameworkMapping, results: Sequence[RuleResult]
) -> tuple[RepoFrameworkView, ...]:
    """Per framework, the item scores of one repository (the items whose rules counted)."""
    views = []
    for framework in mapping.frameworks:
        scores = {
            item.id: score
            for item in framework.items
            if (score := _item_score(mapping.rules_for(ItemRef(framework.id, item.id)), results))
            is not None
        }
        views.append(RepoFrameworkView(framework.id, scores))
    return tuple(views)


def entity_frameworks(
    mapping: FrameworkMapping,
    repositories: Sequence[RepoReport],
    declared: Mapping[str, DeclaredPrinciple] | None = None,
) -> tuple[FrameworkView, ...]:
    """Per framework the ruleset maps to (and the UN principles when any is declared), how the
    in-scope repositories evidence each item, with the entity's declarations beside it."""
    declared = declared or {}
    counted = [r for r in repositories if r.in_scope and r.status is RepoStatus.OK]
    frameworks = list(mapping.frameworks)
    if declared and not any(f.id == PRINCIPLES for f in frameworks):
        principles = load_framework(PRINCIPLES)
        frameworks += [principles] if principles is not None else []
    return tuple(
        _framework_view(framework, mapping, counted, declared if framework.id == PRINCIPLES else {})
        for framework in frameworks
    )


def _framework_view(
    framework: Framework,
    mapping: FrameworkMapping,
    repositories: Sequence[RepoReport],
    declared: Mapping[str, DeclaredPrinciple],
) -> FrameworkView:
    items = []
    for item in framework.items:
        rule_ids = mapping.rules_for(ItemRef(framework.id, item.id))
        evidence = tuple(_rule_evidence(rule, repositories) for rule in rule_ids)
        per_repository = [
            score
            for repo in repositories
            if (score := _item_score(rule_ids, repo.results)) is not None
        ]
        observed = sum(rule.score is not None for rule in evidence)
        status = (
            ItemStatus.NOT_EVIDENCED
            if not observed
            else ItemStatus.EVIDENCED
            if observed == len(evidence)
            else ItemStatus.PARTLY
        )
        declaration = declared.get(item.id)
        if status is ItemStatus.NOT_EVIDENCED and declaration is not None:
            status = ItemStatus.DECLARED
        items.append(
            ItemView(
                id=item.id,
                title=item.title,
                meaning=item.meaning,
                status=status,
                score=round(fmean(per_repository), 2) if per_repository else None,
                rules=evidence,
                level=item.level,
                group=item.group,
                declared=declaration,
            )
        )
    return FrameworkView(
        framework.id, framework.title, framework.version, framework.url, tuple(items)
    )


def _item_score(rule_ids: Sequence[str], results: Sequence[RuleResult]) -> float | None:
    """The weighted score of the item's rules in one repository, as its score is of all."""
    if not rule_ids:
        return None
    return weighted_score(r for r in results if r.rule in rule_ids)


def _rule_evidence(rule_id: str, repositories: Sequence[RepoReport]) -> RuleEvidence:
    results = [r for repo in repositories for r in repo.results if r.rule == rule_id]
    found = Counter(r.outcome for r in results)
    scores = [100.0 * r.score for r in results if r.score is not None and r.outcome.counts]
    return RuleEvidence(
        rule=rule_id,
        score=round(fmean(scores), 2) if scores else None,
        outcomes={outcome: found[outcome] for outcome in Outcome if found[outcome]},
    )
