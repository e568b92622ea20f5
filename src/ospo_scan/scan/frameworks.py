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
    LEVEL_BUCKETS,
    DeclaredPrinciple,
    FrameworkView,
    ItemStatus,
    ItemView,
    LevelStatus,
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

MOST_MISSED = 5
"""How many of the most often missed controls an entity's view lists."""

_MET = "met"
_MISSED = "missed"
_UNCONFIRMED = "unconfirmed"


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
        level, status, missed = attained_level(framework, mapping, results)
        views.append(RepoFrameworkView(framework.id, scores, level, status, missed))
    return tuple(views)


def attained_level(
    framework: Framework, mapping: FrameworkMapping, results: Sequence[RuleResult]
) -> tuple[int | None, LevelStatus | None, tuple[str, ...]]:
    """The level of a levelled framework (the OSPS Baseline) one repository attains, whether
    the next one is missed or only unconfirmed, and the controls missed here.

    A control, in one repository, is
    - missed when any rule mapped to it failed or was partial (a control is a MUST: half of
      it is not it);
    - met when none was missed, none is unknown or in error, and at least one passed or was
      exempt;
    - unconfirmed otherwise: no rule maps to it, its rules were not run, one is unknown or in
      error, or every one was not-applicable. A not-applicable result never confirms a
      control: rules say not-applicable both when the control's condition is absent (no
      release yet) and when a host would not say (branch protection on a local clone), and
      the outcome does not tell the two apart.

    The level attained is the highest L such that every control of level L or below is met.
    When the next level's gaps include a missed control, the level is final (`attained`);
    when its only gaps are unconfirmed controls, it is `unconfirmed`: a level some of whose
    controls nothing evidences is never attained silently. None for a framework without levels,
    and for a repository with no result at all (one that could not be scanned).
    """
    levels = sorted({item.level for item in framework.items if item.level is not None})
    if not levels or not results:
        return None, None, ()
    states = {
        item.id: _control_state(mapping.rules_for(ItemRef(framework.id, item.id)), results)
        for item in framework.items
        if item.level is not None
    }
    missed = tuple(item_id for item_id, state in states.items() if state == _MISSED)
    attained = 0
    for level in levels:
        gaps = {
            states[item.id]
            for item in framework.items
            if item.level == level and states[item.id] != _MET
        }
        if _MISSED in gaps:
            return attained, LevelStatus.ATTAINED, missed
        if gaps:
            return attained, LevelStatus.UNCONFIRMED, missed
        attained = level
    return attained, LevelStatus.ATTAINED, missed


def _control_state(rule_ids: Sequence[str], results: Sequence[RuleResult]) -> str:
    outcomes = {r.outcome for r in results if r.rule in rule_ids}
    if outcomes & {Outcome.FAIL, Outcome.PARTIAL}:
        return _MISSED
    if outcomes & {Outcome.UNKNOWN, Outcome.ERROR} or not outcomes & {
        Outcome.PASS,
        Outcome.EXEMPT,
    }:
        return _UNCONFIRMED
    return _MET


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
    levels, missed = _entity_levels(framework, repositories)
    return FrameworkView(
        framework.id,
        framework.title,
        framework.version,
        framework.url,
        tuple(items),
        levels,
        missed,
    )


def _entity_levels(
    framework: Framework, repositories: Sequence[RepoReport]
) -> tuple[dict[str, int], tuple[tuple[str, int], ...]]:
    """How many in-scope repositories are at each level, and the controls most often missed."""
    if not any(item.level is not None for item in framework.items):
        return {}, ()
    views = [v for repo in repositories for v in repo.frameworks if v.id == framework.id]
    buckets = Counter(v.level_bucket for v in views)
    misses = Counter(item_id for v in views for item_id in v.missed)
    order = {item.id: n for n, item in enumerate(framework.items)}
    ranked = sorted(misses.items(), key=lambda pair: (-pair[1], order.get(pair[0], 0)))
    return {bucket: buckets[bucket] for bucket in LEVEL_BUCKETS}, tuple(ranked[:MOST_MISSED])


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
