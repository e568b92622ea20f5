"""Sustainability rules (UN Open Source Principle 8): more than one person keeps the code alive,
and users are told where to get support and how long the project will be maintained."""

from __future__ import annotations

from ospo_scan.evidence import FileKind, describe_search
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import (
    STUB_RULE,
    TEMPLATE_RULE,
    find_document,
    find_readable_document,
    has_heading,
    headings,
    is_stub,
    template_finding,
    unusable,
)
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.snapshot import ACTIVITY_WINDOW_DAYS, MAX_HISTORY_COMMITS


class RecentCommittersRule(Rule):
    id = "recent-committers"
    category = "maintenance"
    description = "More than one person committed to the default branch in the last twelve months."
    help_url = "https://chaoss.community/kb/metric-bus-factor/"
    remediation = (
        "Share the maintenance: have a second maintainer commit and review regularly, so the "
        "project does not depend on one person."
    )
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                f"distinct authors of the default branch's commits in the last "
                f"{ACTIVITY_WINDOW_DAYS} days (first-parent history, the most recent "
                f"{MAX_HISTORY_COMMITS} commits at most), bots (`[bot]`, dependabot, renovate) "
                "left out; a person is a host login, else an e-mail address",
            ),
            (
                "where history is read",
                "local: `.git/objects` (loose objects and packs, never by running git); "
                "GitHub: the default branch's history",
            ),
            (
                "fails when",
                "one person (or nobody) made every commit of the window, or all "
                f"{MAX_HISTORY_COMMITS} most recent ones",
            ),
            (
                "not-applicable",
                "the history could not be read, or ended early (a shallow clone) before a "
                "second person was seen; GitLab",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        recent = context.snapshot.metadata.recent_commits
        if recent is None:
            return not_applicable("The default branch's history could not be read.")
        since = recent.since.date().isoformat()
        evidence = (
            Evidence(
                "history",
                EvidenceSource.REPOSITORY,
                f"{recent.commits} commit(s) since {since}",
            ),
        )
        people = len(recent.people)
        if people >= 2:
            return Finding(
                Outcome.PASS,
                f"{people} people committed since {since} ({recent.commits} commit(s) read).",
                evidence,
            )
        bounded = recent.commits >= MAX_HISTORY_COMMITS
        if not recent.complete and not bounded:
            return not_applicable(
                f"Only {recent.commits} commit(s) since {since} could be read (a shallow or "
                "incomplete history); who else committed is not known."
            )
        if recent.commits == 0:
            return Finding(Outcome.FAIL, f"Nobody committed since {since}.", evidence)
        if people == 0:
            return Finding(
                Outcome.FAIL, f"Only automation (bots) committed since {since}.", evidence
            )
        scope = (
            f"all {recent.commits} most recent commits"
            if bounded
            else f"all {recent.commits} commit(s) since {since}"
        )
        return Finding(Outcome.FAIL, f"One person made {scope}.", evidence)


SUPPORT_SECTIONS = frozenset(
    {
        "support",
        "getting help",
        "get help",
        "help",
        "end of life",
        "eol",
        "maintenance",
        "maintenance status",
        "project status",
        "development status",
        "lifecycle",
        "life cycle",
        "deprecation",
        "supported versions",
    }
)
"""README section titles that say where to get help or how long the project is maintained."""
_STATUS_BADGE = "repostatus.org/badges/"
"""A repostatus.org badge states the project's maintenance status."""


class SupportPolicyRule(Rule):
    id = "support-policy"
    category = "maintenance"
    description = (
        "A support statement says where users get help and how long the project is maintained."
    )
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/adding-support-resources-to-your-project"
    remediation = (
        "Add SUPPORT.md (or an organisation-wide one in the .github repository) saying where to "
        "ask for help, what is supported, for how long, and how end of life is announced."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        titles = ", ".join(sorted(SUPPORT_SECTIONS))
        return (
            ("files searched", describe_search(FileKind.SUPPORT)),
            (
                "also counts",
                f"a README section titled {titles}, or a repostatus.org status badge",
            ),
            ("counts as a stub (fail)", STUB_RULE),
            TEMPLATE_RULE,
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_document(context.snapshot, FileKind.SUPPORT)
        if document is not None:
            if (failure := unusable(document, "Support statement")) is not None:
                return failure
            if (template := template_finding(document, "Support statement")) is not None:
                return template
            if is_stub(document.text):
                return Finding(
                    Outcome.FAIL,
                    f"Support statement {document.where} is a stub.",
                    (document.evidence("stub"),),
                )
            return Finding(
                Outcome.PASS, f"Support statement {document.where}.", (document.evidence(),)
            )
        readme = find_readable_document(context.snapshot, FileKind.README)
        if readme is not None and not readme.binary and not readme.unreadable:
            title = has_heading(headings(readme.text), SUPPORT_SECTIONS)
            if title is None and _STATUS_BADGE in readme.text:
                title = "repostatus.org status badge"
            if title is not None:
                return Finding(
                    Outcome.PASS,
                    f"README {readme.path} has a support statement ({title}).",
                    (Evidence(readme.path, EvidenceSource.README, title),),
                )
        return Finding(
            Outcome.FAIL, "No SUPPORT file, own or inherited, and no support section in the README."
        )
