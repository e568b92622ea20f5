"""Running a ruleset's rules on one repository snapshot."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ospo_scan.config import RuleConfig, Ruleset
from ospo_scan.config.exemptions import Exemption
from ospo_scan.model import (
    Evidence,
    EvidenceSource,
    Finding,
    Outcome,
    RepoReport,
    RepoStatus,
    RuleResult,
)
from ospo_scan.rules.interface import RuleContext
from ospo_scan.scan.frameworks import repository_frameworks
from ospo_scan.scan.scoring import category_scores, outcome_score, weighted_score
from ospo_scan.snapshot import Snapshot

log = logging.getLogger(__name__)


def evaluate_repository(
    snapshot: Snapshot,
    ruleset: Ruleset,
    *,
    in_scope: bool = True,
    exemptions: Sequence[Exemption] = (),
    extra_warnings: Sequence[str] = (),
    today: dt.date | None = None,
    prepared: Mapping[str, Any] | None = None,
) -> RepoReport:
    """Every rule of the ruleset on one repository, scored; `prepared` holds analyses the scan
    made of the repository beforehand (its CI definitions), shared by its rules."""
    today = today or dt.date.today()
    base = RuleContext(snapshot, {}, ruleset.licence_policy, shared=dict(prepared or {}))
    results = []
    exemption_warnings: list[str] = []
    for config in ruleset.rules:
        finding = _run(config, base.with_options(config.options))
        finding, problems = _apply_exemptions(config.rule.id, finding, exemptions, today)
        exemption_warnings.extend(problems)
        results.append(_result(config, finding))
    licence = base.computed_licence
    return RepoReport(
        name=snapshot.name,
        url=snapshot.url,
        status=RepoStatus.OK,
        score=weighted_score(results),
        in_scope=in_scope,
        archived=snapshot.metadata.archived,
        fork=snapshot.metadata.fork,
        visibility=snapshot.metadata.visibility,
        description=snapshot.metadata.description,
        licence=licence.summary(ruleset.licence_policy) if licence is not None else None,
        results=tuple(results),
        category_scores=category_scores(results),
        warnings=(*snapshot.warnings, *extra_warnings, *exemption_warnings),
        commit=snapshot.metadata.commit,
        default_branch=snapshot.metadata.default_branch,
        frameworks=repository_frameworks(ruleset.mapping, results),
    )


def _run(config: RuleConfig, context: RuleContext) -> Finding:
    try:
        return config.rule.check(context)
    except Exception as exc:  # one rule's bug never loses the repository's other results
        log.debug("rule %s failed on %s", config.rule.id, context.snapshot.name, exc_info=True)
        return Finding(Outcome.ERROR, f"rule failed: {type(exc).__name__}: {exc}")


def _apply_exemptions(
    rule_id: str, finding: Finding, exemptions: Sequence[Exemption], today: dt.date
) -> tuple[Finding, list[str]]:
    """The finding with a valid exemption applied, and why any matching exemption is not.

    An exemption without a reason, or expired, is reported and not honoured: the rule's own
    outcome stands (turning it into an error would take it out of the score)."""
    matching = [e for e in exemptions if e.rule == rule_id]
    problems = [p for e in matching if (p := e.problem(today))]
    valid = [e for e in matching if e.problem(today) is None]
    if not valid or finding.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE):
        return finding, problems
    exemption = valid[0]
    until = f" until {exemption.expires.isoformat()}" if exemption.expires else ""
    exempt = Finding(
        Outcome.EXEMPT,
        f"Exempt{until}: {exemption.reason} ({exemption.source}). Without it: {finding.message}",
        (*finding.evidence, Evidence(exemption.path, EvidenceSource.REPOSITORY, "exemption")),
    )
    return exempt, problems


def _result(config: RuleConfig, finding: Finding) -> RuleResult:
    score = (
        finding.score
        if finding.score is not None
        else outcome_score(finding.outcome, config.partial_score)
    )
    rule = config.rule
    return RuleResult(
        rule=rule.id,
        category=rule.category,
        outcome=finding.outcome,
        score=score if finding.outcome.counts else None,
        weight=config.weight,
        message=finding.message,
        remediation=""
        if finding.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE)
        else rule.remediation,
        help_url=rule.help_url,
        evidence=finding.evidence,
    )
