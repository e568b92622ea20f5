"""OSPS Baseline controls on what the project offers the public: its code, its history, a place to
discuss, and a way to report and learn of vulnerabilities.

Host settings are read from `HostFacts`; where a document can show the same practice (a private
channel in the security policy, where advisories are published), the document counts too.
"""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import find_document
from ospo_scan.rules._host_facts import ON_THE_HOST, fact_unknown
from ospo_scan.rules.interface import Rule, RuleContext, unknown
from ospo_scan.rules.security import SecurityPolicyRule
from ospo_scan.snapshot import HostFact
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.linear_regex import linear

_PLATFORMS = {"github": "GitHub", "gitlab": "GitLab"}


class PublicDiscussionRule(Rule):
    id = "public-discussion"
    category = "governance"
    description = "People can discuss changes and problems in public: issues or discussions."
    help_url = "https://docs.github.com/en/discussions/quickstart"
    remediation = "Enable the issue tracker or discussions on the repository's host."
    default_weight = 3.0
    host_facts = frozenset({HostFact.DISCUSSIONS})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (("what counts", "the host's issue tracker or discussion forum is enabled"),)

    def check(self, context: RuleContext) -> Finding:
        host = context.snapshot.metadata.host
        offered = (("issues", host.issues_enabled), ("discussions", host.discussions_enabled))
        found = [label for label, enabled in offered if enabled]
        if found:
            evidence = tuple(Evidence(label, EvidenceSource.HOST, "enabled") for label in found)
            return Finding(Outcome.PASS, f"Enabled on the host: {', '.join(found)}.", evidence)
        if host.issues_enabled is False and host.discussions_enabled is False:
            return Finding(Outcome.FAIL, "Neither issues nor discussions are enabled.")
        return fact_unknown(
            context.snapshot, HostFact.DISCUSSIONS, "whether issues or discussions are enabled"
        )


class PublicRepositoryRule(Rule):
    id = "public-repository"
    category = "governance"
    description = "The source code is publicly readable at a stable address."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0101"
    remediation = "Publish the repository publicly on its host."
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("what counts", "the host says the repository is public; its address is reported"),
            ("unknown", "a local clone: where it is published is known only to its host"),
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        platform = snapshot.metadata.host.platform
        if platform is None:
            return unknown("A local clone does not show where it is published", settles=ON_THE_HOST)
        url = neutralise(snapshot.url)
        evidence = (Evidence(url, EvidenceSource.HOST, snapshot.metadata.visibility),)
        if snapshot.metadata.visibility == "public":
            return Finding(Outcome.PASS, f"Publicly readable at {url}.", evidence)
        return Finding(
            Outcome.FAIL, f"The repository is {snapshot.metadata.visibility}, not public.", evidence
        )


class PublicChangeHistoryRule(Rule):
    id = "public-change-history"
    category = "governance"
    description = "A public record shows every change, who made it and when."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0102"
    remediation = "Publish the repository with its full git history on a public host."
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "GitHub, GitLab",
                "a public repository's history of commits, each with its author and date, is "
                "published by the platform itself (evidence: platform)",
            ),
            ("local", "the clone's git history, read from `.git`"),
        )

    def check(self, context: RuleContext) -> Finding:
        metadata = context.snapshot.metadata
        platform = metadata.host.platform
        if platform is not None:
            name = _PLATFORMS.get(platform, platform)
            evidence = (Evidence("commit history", EvidenceSource.PLATFORM, name),)
            if metadata.visibility == "public":
                return Finding(
                    Outcome.PASS,
                    f"{name} publishes every commit of a public repository with its author "
                    "and date.",
                    evidence,
                )
            return Finding(
                Outcome.FAIL, f"The history is {metadata.visibility}, not public.", evidence
            )
        if metadata.last_commit_at is not None:
            when = metadata.last_commit_at.date().isoformat()
            evidence = (Evidence(".git", EvidenceSource.REPOSITORY, f"last commit {when}"),)
            return Finding(
                Outcome.PASS, "The git history records each change, its author and date.", evidence
            )
        return unknown(
            "No git history could be read from the directory",
            settles="scanning the clone with its .git directory, or the repository on its host",
        )


class PrivateVulnerabilityReportingRule(Rule):
    id = "private-vulnerability-reporting"
    category = "security"
    description = (
        "Vulnerabilities can be reported privately: the host's private reporting, or a "
        "private channel in the security policy."
    )
    help_url = "https://docs.github.com/en/code-security/security-advisories/working-with-repository-security-advisories/configuring-private-vulnerability-reporting-for-a-repository"
    remediation = (
        "Enable private vulnerability reporting on the repository, or name a private channel "
        "(a security e-mail address, a disclosure page) in SECURITY.md."
    )
    default_weight = 6.0
    host_facts = frozenset({HostFact.VULNERABILITY_REPORTING})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the host's private vulnerability reporting is on, or the security policy names a "
                "private channel (as the `security-policy` rule reads it)",
            ),
            ("unknown", "no channel in the policy, and the host's setting was not seen"),
        )

    def check(self, context: RuleContext) -> Finding:
        reporting = context.snapshot.metadata.host.vulnerability_reporting
        if reporting:
            evidence = (Evidence("private vulnerability reporting", EvidenceSource.HOST, "on"),)
            return Finding(Outcome.PASS, "Private vulnerability reporting is on.", evidence)
        policy = SecurityPolicyRule().check(context)
        if policy.outcome is Outcome.PASS:
            return Finding(Outcome.PASS, policy.message, policy.evidence)
        if reporting is False:
            return Finding(
                Outcome.FAIL,
                "Private vulnerability reporting is off, and the security policy names no "
                "private channel.",
            )
        return fact_unknown(
            context.snapshot,
            HostFact.VULNERABILITY_REPORTING,
            "whether private vulnerability reporting is on (the security policy names no "
            "private channel)",
        )


_PUBLICATION = linear(
    r"security/advisories|security advisor|advisory database|ghsa-|cve-\d"
    r"|(?:^|[^a-z])cves?(?:[^a-z]|$)|osv\.dev|security announce",
    re.IGNORECASE,
)
"""Where a security policy says discovered vulnerabilities are published."""


class VulnerabilityPublicationRule(Rule):
    id = "vulnerability-publication"
    category = "security"
    description = "Discovered vulnerabilities are published: advisories, or a documented place."
    help_url = "https://docs.github.com/en/code-security/security-advisories/working-with-repository-security-advisories/about-repository-security-advisories"
    remediation = (
        "Publish a security advisory for each fixed vulnerability, and say in SECURITY.md where "
        "advisories are published."
    )
    default_weight = 4.0
    host_facts = frozenset({HostFact.ADVISORIES})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "published security advisories on the host, or a security policy saying where "
                "vulnerabilities are published (advisories, CVE, OSV, announcements)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        published = context.snapshot.metadata.host.published_advisories
        if published:
            evidence = (Evidence("security advisories", EvidenceSource.HOST, f"{published}"),)
            return Finding(Outcome.PASS, f"{published} security advisory(ies) published.", evidence)
        document = find_document(context.snapshot, FileKind.SECURITY)
        text = document.text if document is not None and not document.unreadable else ""
        if document is not None and (where := _PUBLICATION.search(text)) is not None:
            said = neutralise(where.group(0))
            return Finding(
                Outcome.PASS,
                f"Security policy {document.where} says where vulnerabilities are "
                f"published ({said}).",
                (document.evidence(said),),
            )
        if published == 0:
            return Finding(
                Outcome.FAIL,
                "No security advisory is published, and no security policy says where "
                "vulnerabilities are published.",
            )
        return fact_unknown(
            context.snapshot, HostFact.ADVISORIES, "which security advisories are published"
        )
