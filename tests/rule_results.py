"""A hand-made report holding `unknown` results, assembled the way a scan assembles one.

Two repositories of one entity, scored with the default ruleset's weights: in `observed` every
rule could be observed; in `unobserved` the security policy could not (`unknown`) and the
licence failed. No built-in rule returns `unknown` yet, so the results are written by hand.
"""

from __future__ import annotations

from ospo_scan.model import (
    EntitySummary,
    Evidence,
    EvidenceSource,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
    ScanInfo,
)
from ospo_scan.rules.interface import unknown
from ospo_scan.scan.entities import assemble
from ospo_scan.scan.frameworks import repository_frameworks
from ospo_scan.scan.scoring import category_scores, entity_score, outcome_score, weighted_score
from tests.scanning import default_ruleset

SETTLES = "a token allowed to read the repository's security settings"
UNKNOWN_FINDING = unknown(
    "The host would not say whether a private channel is set up.", settles=SETTLES
)
_CATEGORIES = {"readme": "documentation", "license": "licensing", "security-policy": "security"}


def rule_result(rule: str, outcome: Outcome, message: str = "") -> RuleResult:
    config = next(c for c in default_ruleset().rules if c.rule.id == rule)
    return RuleResult(
        rule=rule,
        category=_CATEGORIES[rule],
        outcome=outcome,
        score=outcome_score(outcome),
        weight=config.weight,
        message=message or f"{rule} {outcome.value}",
        remediation="" if outcome is Outcome.PASS else f"Fix {rule}.",
        help_url=f"https://ospo-scan.example/rules/{rule}",
        evidence=(Evidence("README.md", EvidenceSource.PLATFORM, "public history"),)
        if outcome is Outcome.PASS and rule == "readme"
        else (),
    )


def repository(name: str, results: tuple[RuleResult, ...]) -> RepoReport:
    return RepoReport(
        name=name,
        url=f"https://example.org/{name}",
        status=RepoStatus.OK,
        score=weighted_score(results),
        in_scope=True,
        results=results,
        category_scores=category_scores(results),
        frameworks=repository_frameworks(default_ruleset().mapping, results),
    )


def unknown_report() -> Report:
    observed = repository(
        "observed",
        (
            rule_result("readme", Outcome.PASS),
            rule_result("license", Outcome.PASS),
            rule_result("security-policy", Outcome.PASS),
        ),
    )
    unobserved = repository(
        "unobserved",
        (
            rule_result("readme", Outcome.PASS),
            rule_result("license", Outcome.FAIL),
            rule_result("security-policy", Outcome.UNKNOWN, UNKNOWN_FINDING.message),
        ),
    )
    score = entity_score([observed, unobserved])
    entity = EntitySummary("agency", "github", score, default_ruleset().level_for(score))
    scan = ScanInfo("2026-03-02T06:00:00.000Z", "2026-03-02T06:01:00.000Z", ("agency",))
    return assemble(default_ruleset(), [(entity, [observed, unobserved])], scan)
