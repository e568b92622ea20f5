"""Views of a report that several formatters share: the rule catalogue, failure counts, ordering.

Everything here is a pure function of a `Report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ospo_scan.model import Outcome, RepoReport, Report, RepoStatus

FAILING = (Outcome.FAIL, Outcome.PARTIAL)
"""Outcomes that ask a maintainer to act."""

OUTCOME_SYMBOLS: dict[Outcome, str] = {
    Outcome.PASS: "✓",
    Outcome.EXEMPT: "E",
    Outcome.PARTIAL: "½",
    Outcome.FAIL: "✗",
    Outcome.NOT_APPLICABLE: "\u2013",
    Outcome.UNKNOWN: "?",
    Outcome.ERROR: "!",
}
"""A symbol per outcome, so that no report relies on colour alone."""


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about one rule, gathered from its results."""

    id: str
    """Stable rule id."""
    category: str
    """The rule's category."""
    weight: float
    """The rule's weight (the largest seen, should repositories disagree)."""
    help_url: str
    """Where the rule is explained."""
    remediation: str
    """What a maintainer does to pass (the first non-empty text seen)."""


@dataclass(frozen=True)
class RuleFailures:
    """How often one rule asks for action across the in-scope repositories."""

    rule: RuleInfo
    failing: int
    """In-scope repositories where the rule fails or partially passes."""
    counted: int
    """In-scope repositories where the rule's outcome counts towards the score."""
    pass_rate: float | None
    """The summary's pass rate of the rule."""


def rule_catalogue(report: Report) -> tuple[RuleInfo, ...]:
    """Every rule that appears in the report, in order of first appearance."""
    rules: dict[str, RuleInfo] = {}
    for repo in report.repositories:
        for result in repo.results:
            known = rules.get(result.rule)
            if known is None:
                rules[result.rule] = RuleInfo(
                    id=result.rule,
                    category=result.category,
                    weight=result.weight,
                    help_url=result.help_url,
                    remediation=result.remediation,
                )
            elif result.weight > known.weight or (result.remediation and not known.remediation):
                rules[result.rule] = RuleInfo(
                    id=known.id,
                    category=known.category,
                    weight=max(known.weight, result.weight),
                    help_url=known.help_url or result.help_url,
                    remediation=known.remediation or result.remediation,
                )
    return tuple(rules.values())


def rule_failures(report: Report) -> tuple[RuleFailures, ...]:
    """Each rule's failure count over in-scope repositories, most failing first."""
    failures = []
    for rule in rule_catalogue(report):
        outcomes = [
            result.outcome
            for repo in report.repositories
            if repo.in_scope and repo.status is RepoStatus.OK
            for result in repo.results
            if result.rule == rule.id
        ]
        failures.append(
            RuleFailures(
                rule=rule,
                failing=sum(1 for outcome in outcomes if outcome in FAILING),
                counted=sum(1 for outcome in outcomes if outcome.counts),
                pass_rate=report.summary.rule_pass_rates.get(rule.id),
            )
        )
    return tuple(sorted(failures, key=lambda f: (-f.failing, -f.rule.weight, f.rule.id)))


def repositories_worst_first(report: Report) -> tuple[RepoReport, ...]:
    """In-scope repositories first, lowest score (and errors) first, then by name."""

    def key(repo: RepoReport) -> tuple[bool, float, str]:
        score = -1.0 if repo.score is None else repo.score
        return (not repo.in_scope, score, repo.name.casefold())

    return tuple(sorted(report.repositories, key=key))


def outcome_of(repo: RepoReport, rule_id: str) -> Outcome | None:
    """The repository's outcome for a rule, or None when the rule did not run on it."""
    for result in repo.results:
        if result.rule == rule_id:
            return result.outcome
    return None


def scope_note(repo: RepoReport, defaults_repository: str | None = None) -> str:
    """Why a repository is out of scope, or an empty string when it counts."""
    if repo.in_scope:
        return ""
    if defaults_repository is not None and repo.name == defaults_repository:
        return "organisation defaults"
    reasons = [word for word, flag in (("archived", repo.archived), ("fork", repo.fork)) if flag]
    return ", ".join(reasons) if reasons else "excluded"


def format_score(score: float | None) -> str:
    """A score as one decimal, or an em dash when there is none."""
    return "—" if score is None else f"{score:.1f}"


def format_rate(rate: float | None) -> str:
    """A 0..1 rate as a whole percentage, or an em dash when there is none."""
    return "—" if rate is None else f"{round(rate * 100):d}%"


def safe_link(url: str | None, *, allow_file: bool = False) -> str | None:
    """The URL if its scheme is http(s) (or file, when allowed), percent-encoded; else None.

    Reports never link to `javascript:`, `data:` or other schemes a repository could supply.
    """
    if not url:
        return None
    stripped = url.strip()
    try:
        scheme = urlsplit(stripped).scheme.lower()
    except ValueError:
        return None
    allowed = {"http", "https", "file"} if allow_file else {"http", "https"}
    if scheme not in allowed or any(ord(char) < 0x20 for char in stripped):
        return None
    return quote(stripped, safe=":/?#@!$&*+,;=%~-._'")
