"""Host-only rules: facts a hosting platform knows and a working tree does not.

Each rule is `not-applicable` when its connector could not supply the fact (a local scan, or a
token that may not read it) — never a fail for lack of data.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable

DEFAULT_MAX_AGE_DAYS = 365


class BranchProtectionRule(Rule):
    id = "branch-protection"
    category = "security"
    description = "The default branch is protected against force pushes and unreviewed changes."
    help_url = "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches"
    remediation = (
        "Protect the default branch (a branch protection rule or ruleset requiring pull requests "
        "and blocking force pushes)."
    )
    default_weight = 2.0
    host_only = True

    def check(self, context: RuleContext) -> Finding:
        metadata = context.snapshot.metadata
        protected = metadata.host.default_branch_protected
        if protected is None:
            return not_applicable("The host did not say whether the default branch is protected.")
        branch = metadata.default_branch or "default branch"
        evidence = (Evidence(branch, EvidenceSource.HOST, "protected" if protected else None),)
        if protected:
            return Finding(Outcome.PASS, f"The {branch} branch is protected.", evidence)
        return Finding(Outcome.FAIL, f"The {branch} branch is not protected.", evidence)


class RecentActivityRule(Rule):
    id = "recent-activity"
    category = "maintenance"
    description = (
        "Something was pushed or committed to the repository recently (within max_age_days)."
    )
    help_url = "https://github.com/ossf/scorecard/blob/main/docs/checks.md#maintained"
    remediation = (
        "Push maintenance changes regularly, or archive the repository if it is no longer "
        "maintained."
    )
    default_weight = 1.0
    option_types: ClassVar[dict[str, type]] = {"max_age_days": int}
    option_defaults: ClassVar[dict[str, Any]] = {"max_age_days": DEFAULT_MAX_AGE_DAYS}

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the host's last push (GitHub `pushedAt`, GitLab `last_activity_at`); on a "
                "local scan, the commit date of the head commit read from `.git`",
            ),
            ("not-applicable", "neither is known (no `.git`, or its head commit unreadable)"),
        )

    def check(self, context: RuleContext) -> Finding:
        metadata = context.snapshot.metadata
        if metadata.pushed_at is not None:
            when_at, verb = metadata.pushed_at, "Last pushed"
            evidence = (Evidence("pushed_at", EvidenceSource.HOST, when_at.date().isoformat()),)
        elif metadata.last_commit_at is not None:
            when_at, verb = metadata.last_commit_at, "Last committed"
            evidence = (Evidence("HEAD", EvidenceSource.REPOSITORY, when_at.date().isoformat()),)
        else:
            return not_applicable(
                "Neither the host nor .git said when the repository last changed."
            )
        max_age = int(context.options.get("max_age_days", DEFAULT_MAX_AGE_DAYS))
        if when_at.tzinfo is None:
            when_at = when_at.replace(tzinfo=timezone.utc)
        age = (datetime.now(timezone.utc) - when_at).days
        when = when_at.date().isoformat()
        if age <= max_age:
            return Finding(Outcome.PASS, f"{verb} on {when}, {age} days ago.", evidence)
        return Finding(
            Outcome.FAIL,
            f"{verb} on {when}, {age} days ago (more than {max_age} days).",
            evidence,
        )


class DescriptionRule(Rule):
    id = "description"
    category = "metadata"
    description = "The repository has a description and topics, so people can find it."
    help_url = "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/classifying-your-repository-with-topics"
    remediation = "Set the repository's description and add a few topics on its host."
    default_weight = 1.0
    host_only = True

    def check(self, context: RuleContext) -> Finding:
        metadata = context.snapshot.metadata
        if metadata.host.platform is None and metadata.description is None and not metadata.topics:
            return not_applicable("No host metadata (description, topics) is known.")
        description = (metadata.description or "").strip()
        topics = metadata.topics
        evidence = tuple(
            Evidence(name, EvidenceSource.HOST, value)
            for name, value in (("description", description), ("topics", ", ".join(topics)))
            if value
        )
        if description and topics:
            return Finding(Outcome.PASS, f"Described, with topics {', '.join(topics)}.", evidence)
        if description:
            return Finding(Outcome.PARTIAL, "Described, but without topics.", evidence)
        if topics:
            return Finding(Outcome.PARTIAL, "Topics set, but no description.", evidence)
        return Finding(Outcome.FAIL, "No description and no topics.")
