"""OSPS Baseline controls the host enforces: who may change the primary branch and how.

Each rule reads a setting the host enforces (`HostFacts`), so it passes on what the project
switched on, not on a document. A setting the token may not see, or a local clone that holds
none, is `unknown`, with what would settle it — never a fail.
"""

from __future__ import annotations

import re

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._host_facts import fact_unknown
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.snapshot import BranchRules, HostFact, Snapshot
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.linear_regex import linear

_RULES_HELP = "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets"
_BRANCH_RULES_WHAT = "the rules enforced on the default branch"
_BRANCH_EXPLAIN = (
    "where the rules come from",
    "GitHub: classic branch protection as non-admins see it (`refUpdateRule`) and every active "
    "ruleset's rules on the default branch, the organisation's rulesets included; GitLab: "
    "protected branches and approval rules",
)
_UNKNOWN_EXPLAIN = (
    "unknown",
    "the token may not see the setting, or the scan is of a local clone (which holds no host "
    "settings): the finding says what would settle it",
)


def _branch(snapshot: Snapshot) -> tuple[str, BranchRules | None]:
    name = snapshot.metadata.default_branch or "default branch"
    return name, snapshot.metadata.host.branch_rules


def _rules_evidence(name: str, rules: BranchRules, detail: str) -> tuple[Evidence, ...]:
    sources = ", ".join(neutralise(s) for s in rules.sources) or "no rule"
    return (Evidence(f"branch {name}", EvidenceSource.HOST, f"{detail} ({sources})"),)


class _BranchRule(Rule):
    category = "security"
    help_url = _RULES_HELP
    default_weight = 3.0
    host_facts = frozenset({HostFact.BRANCH_RULES})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (_BRANCH_EXPLAIN, _UNKNOWN_EXPLAIN)

    def check(self, context: RuleContext) -> Finding:
        name, rules = _branch(context.snapshot)
        if rules is None:
            return fact_unknown(context.snapshot, HostFact.BRANCH_RULES, _BRANCH_RULES_WHAT)
        return self.judge(name, rules)

    def judge(self, name: str, rules: BranchRules) -> Finding:
        raise NotImplementedError


class DirectCommitsBlockedRule(_BranchRule):
    id = "direct-commits-blocked"
    description = "The default branch refuses direct pushes: every change arrives by pull request."
    remediation = (
        "Require a pull request before merging on the default branch (a ruleset or branch "
        "protection rule); on GitLab, allow no one to push to the protected branch."
    )

    def judge(self, name: str, rules: BranchRules) -> Finding:
        if rules.changes_reviewed:
            evidence = _rules_evidence(name, rules, "pull request required")
            return Finding(Outcome.PASS, f"Direct pushes to {name} are refused.", evidence)
        evidence = _rules_evidence(name, rules, "direct pushes allowed")
        return Finding(Outcome.FAIL, f"Direct pushes to {name} are not prevented.", evidence)


class BranchDeletionBlockedRule(_BranchRule):
    id = "branch-deletion-blocked"
    description = "The default branch cannot be deleted."
    remediation = (
        "Restrict deletions of the default branch (a ruleset's 'Restrict deletions' rule, or any "
        "branch protection rule); on GitLab, protect the branch."
    )

    def judge(self, name: str, rules: BranchRules) -> Finding:
        if rules.deletion_blocked:
            evidence = _rules_evidence(name, rules, "deletion blocked")
            return Finding(Outcome.PASS, f"{name} cannot be deleted.", evidence)
        evidence = _rules_evidence(name, rules, "deletion allowed")
        return Finding(Outcome.FAIL, f"Nothing prevents deleting {name}.", evidence)


class RequiredStatusChecksRule(_BranchRule):
    id = "required-status-checks"
    description = "Status checks must pass before a change lands on the default branch."
    remediation = (
        "Require status checks to pass before merging into the default branch (a ruleset's "
        "'Require status checks to pass' rule, or branch protection); on GitLab, 'Pipelines "
        "must succeed'."
    )

    def judge(self, name: str, rules: BranchRules) -> Finding:
        checks = rules.required_checks or ()
        if checks:
            shown = ", ".join(neutralise(c) for c in checks[:5])
            evidence = _rules_evidence(name, rules, f"required: {shown}")
            return Finding(
                Outcome.PASS, f"{len(checks)} check(s) must pass on {name}: {shown}.", evidence
            )
        evidence = _rules_evidence(name, rules, "no required check")
        return Finding(Outcome.FAIL, f"No status check is required on {name}.", evidence)


class RequiredApprovalsRule(_BranchRule):
    id = "required-approvals"
    description = "A change needs at least one approval from someone other than its author."
    remediation = (
        "Require a pull request with at least one approving review before merging into the "
        "default branch; on GitLab, an approval rule with one or more approvals."
    )

    def judge(self, name: str, rules: BranchRules) -> Finding:
        approvals = rules.required_approvals or 0
        if rules.changes_reviewed and approvals >= 1:
            evidence = _rules_evidence(name, rules, f"{approvals} approval(s)")
            return Finding(
                Outcome.PASS, f"Changes to {name} need {approvals} approval(s).", evidence
            )
        evidence = _rules_evidence(name, rules, "no approval required")
        return Finding(Outcome.FAIL, f"Changes land on {name} without an approval.", evidence)


class MfaRequiredRule(Rule):
    id = "mfa-required"
    category = "security"
    description = "The organisation requires its members to use two-factor authentication."
    help_url = "https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-two-factor-authentication-for-your-organization/requiring-two-factor-authentication-in-your-organization"
    remediation = (
        "Require two-factor authentication in the organisation's (or GitLab group's) "
        "authentication settings."
    )
    default_weight = 4.0
    host_facts = frozenset({HostFact.MFA})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("what counts", "the owning organisation or group requires two-factor authentication"),
            _UNKNOWN_EXPLAIN,
        )

    def check(self, context: RuleContext) -> Finding:
        required = context.snapshot.metadata.host.mfa_required
        if required is None:
            return fact_unknown(
                context.snapshot, HostFact.MFA, "whether its owner requires two-factor sign-in"
            )
        evidence = (Evidence("owner", EvidenceSource.HOST, f"two-factor required: {required}"),)
        if required:
            return Finding(Outcome.PASS, "The owner requires two-factor authentication.", evidence)
        return Finding(
            Outcome.FAIL, "The owner does not require two-factor authentication.", evidence
        )


class CollaboratorLeastPrivilegeRule(Rule):
    id = "collaborator-least-privilege"
    category = "security"
    description = "New members get no more than read access unless someone grants more."
    help_url = "https://docs.github.com/en/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/setting-base-permissions-for-an-organization"
    remediation = (
        "Set the organisation's base permission to 'Read' or 'No permission' (GitLab: add "
        "members with the Guest or Reporter role), and grant more per repository."
    )
    default_weight = 3.0
    host_facts = frozenset({HostFact.COLLABORATOR_PERMISSIONS})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the permission a member gets on every repository without anyone assigning one "
                "(an organisation's base permission): `none` or `read` pass. Outside "
                "collaborators, and a personal account's collaborators, are each invited with "
                "a permission someone chose, so only the base permission can grant more by "
                "default",
            ),
            _UNKNOWN_EXPLAIN,
        )

    def check(self, context: RuleContext) -> Finding:
        default = context.snapshot.metadata.host.collaborator_default
        if default is None:
            return fact_unknown(
                context.snapshot,
                HostFact.COLLABORATOR_PERMISSIONS,
                "the permission new members get by default",
            )
        shown = neutralise(default)
        evidence = (Evidence("base permission", EvidenceSource.HOST, shown),)
        if default in ("none", "read"):
            return Finding(
                Outcome.PASS,
                f"Members get '{shown}' unless a permission is assigned to them.",
                evidence,
            )
        return Finding(
            Outcome.FAIL, f"Every member gets '{shown}' on every repository by default.", evidence
        )


class SecretPushProtectionRule(Rule):
    id = "secret-push-protection"
    category = "security"
    description = "Secret scanning blocks pushes that carry credentials."
    help_url = "https://docs.github.com/en/code-security/secret-scanning/introduction/about-push-protection"
    remediation = (
        "Turn on secret scanning and push protection (Settings → Code security); on GitLab, "
        "secret push protection."
    )
    default_weight = 4.0
    host_facts = frozenset({HostFact.SECRET_SCANNING})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("pass", "secret scanning with push protection: a secret is refused before stored"),
            ("fail", "no push protection (scanning alone finds secrets once they are stored)"),
            _UNKNOWN_EXPLAIN,
        )

    def check(self, context: RuleContext) -> Finding:
        host = context.snapshot.metadata.host
        if host.secret_push_protection is None:
            return fact_unknown(
                context.snapshot, HostFact.SECRET_SCANNING, "whether pushes are scanned for secrets"
            )
        detail = f"scanning: {host.secret_scanning}, push protection: {host.secret_push_protection}"
        evidence = (Evidence("security settings", EvidenceSource.HOST, detail),)
        if host.secret_push_protection:
            return Finding(Outcome.PASS, "Pushes carrying secrets are blocked.", evidence)
        if host.secret_scanning:
            return Finding(
                Outcome.FAIL,
                "Secrets are scanned for only after they are stored: push protection is off.",
                evidence,
            )
        return Finding(Outcome.FAIL, "Secret scanning and push protection are off.", evidence)


_AUTHORISATION_CHECK = linear(
    r"(?:^|[^a-z])(?:dco|cla)(?:[^a-z]|$)|cla-?assistant|easycla|sign-?off", re.IGNORECASE
)
"""A required check that verifies a DCO sign-off or a signed CLA on every commit."""


class ContributorSignoffRule(Rule):
    id = "contributor-signoff"
    category = "governance"
    description = (
        "Contributors assert on every commit that they may contribute it (DCO sign-off or CLA)."
    )
    help_url = "https://developercertificate.org/"
    remediation = (
        "Require a DCO or CLA check on the default branch (the DCO app, CLA assistant), or "
        "require sign-off on commits made on the web."
    )
    default_weight = 3.0
    host_facts = frozenset({HostFact.SIGNOFF, HostFact.BRANCH_RULES})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "a required status check named for a DCO or CLA (dco, cla, cla-assistant, "
                "EasyCLA) on the default branch, or the host requiring sign-off of commits "
                "made in its web interface",
            ),
            _UNKNOWN_EXPLAIN,
        )

    def check(self, context: RuleContext) -> Finding:
        name, rules = _branch(context.snapshot)
        signoff = context.snapshot.metadata.host.signoff_required
        checks = (
            [c for c in (rules.required_checks or ()) if _AUTHORISATION_CHECK.search(c)]
            if (rules is not None)
            else []
        )
        if checks:
            shown = neutralise(checks[0])
            evidence = (Evidence(f"branch {name}", EvidenceSource.HOST, f"required: {shown}"),)
            return Finding(
                Outcome.PASS, f"The required check {shown} verifies every change.", evidence
            )
        if signoff:
            evidence = (Evidence("settings", EvidenceSource.HOST, "web commit sign-off required"),)
            return Finding(Outcome.PASS, "The host requires commits to be signed off.", evidence)
        if signoff is None:
            return fact_unknown(
                context.snapshot, HostFact.SIGNOFF, "whether commits must be signed off"
            )
        if rules is None:
            return fact_unknown(context.snapshot, HostFact.BRANCH_RULES, _BRANCH_RULES_WHAT)
        return Finding(
            Outcome.FAIL,
            f"No DCO or CLA check is required on {name}, and sign-off is not required.",
        )
