"""The Baseline's host facts on GitLab: where each comes from, what it costs, who may see it.

A scan asks only for the facts its rules read (`EntitySource.ask_for`). Requests per project
beyond every scan's, and the role that reads each fact (what a token with less gets is
`unknown`, recorded in `HostFacts.withheld` with the role that would settle it), in brackets:

- branch rules: GraphQL `branchRules { branchProtection }` in the batched rounds (Maintainer);
  the listing's `only_allow_merge_if_pipeline_succeeds` for checks (anyone); REST
  `approval_rules` for approvals (GitLab Premium; Developer). 1 REST request with Premium.
- releases: GraphQL `releases { description assets { links } }` in the rounds (anyone who can
  read the releases): notes and asset names, not names and dates. No request.
- vulnerability reporting: the listing's `issues_access_level` (anyone). No request.
- secret scanning: the listing's `secret_push_protection_enabled` (Ultimate), else REST
  `push_rule.prevent_secrets` (Premium; Maintainer). 1 REST request with Premium, shared with
  sign-off.
- sign-off: REST `push_rule`: `reject_non_dco_commits`, or a `commit_message_regex` that a
  message needs `Signed-off-by:` to pass (Maintainer). The same request.
- MFA: GraphQL `group { requireTwoFactorAuthentication }` of every group above the projects,
  batched once per scan (anyone who can read the groups), and on a self-managed instance its
  own requirement (administrator). About 0 per project.
- workflow permissions: the listing's `ci_push_repository_for_job_token_allowed` (Maintainer).
  No request.
- collaborator permissions: the platform; GitLab gives a member no role unless one is chosen.

The two REST endpoints exist only with GitLab Premium, which the listing shows: it carries
`approvals_before_merge` exactly when the project has Premium's approvals (and so its push
rules). Without it they are not asked: no approval rule and no push rule can require anything.

What GitLab does not have stays None and is not withheld, since no token would settle it:
discussions (GitLab has no forum beside its issues), published security advisories (GitLab
publishes none per project). Decisions where GitLab differs from GitHub:

- deletion: GitLab refuses to delete a project's default branch ("The default branch of a project
  cannot be deleted"), whoever asks, so `deletion_blocked` is always true;
- private vulnerability reporting: GitLab's is the confidential issue, which anyone who may open
  an issue can file (non-members of a public project too, for security reports) and only the
  author, assignees and members above the Guest role see, so it is on exactly when the issue
  tracker is open to everyone;
- collaborator permissions: GitLab has no base role; whoever adds a member chooses the role
  (the API requires `access_level`), so a member never gets more than was assigned. A group
  with SAML single sign-on may give new members a default role, which only its owners see.
- approvals: without GitLab Premium there are no approval rules (404), and GitLab requires none;
- MFA: a group's requirement holds for its subgroups, so a project's is that of any group above
  it; a self-managed instance may also require it of every user, which only an administrator
  can see (`GET /application/settings`, one request per scan with a token), so without a
  group's requirement the fact is unknown there unless the token is an administrator's (and
  false on GitLab.com, which requires it of no one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import re2

from ospo_scan.connectors.gitlab.gather import (
    NOT_PREMIUM,
    ExtraAnswers,
    RestAnswer,
    group_chain,
    has_premium,
)
from ospo_scan.connectors.gitlab.work import ProjectWork
from ospo_scan.snapshot import BranchRules, HostFact, HostRelease

MAINTAINER = "a token with at least the Maintainer role on the project"
DEVELOPER = "a token with at least the Developer role on the project"
GROUP_READER = "a token that can read every group above the project"
INSTANCE_ADMIN = (
    "an administrator's view of the instance's settings (a self-managed GitLab may require "
    "two-factor authentication of every user)"
)
RELEASE_READER = "a token that can read the project's releases"
RELEASE_NOTES_READ = 64 * 1024
"""Characters of a release's notes kept."""
NO_ONE = 0
"""GitLab's access level "No one"."""
UNSIGNED_MESSAGES = tuple(
    f"{subject}\n\nThe parser no longer stops at a blank line.\n"
    for subject in (
        "Fix the parser",
        "fix: stop the parser at the end",
        "feat(parser): read blank lines",
        "PROJ-123 Fix the parser",
        "[parser] Fix a crash",
    )
)
"""Commit messages in the usual styles, none signed off."""
SIGN_OFF = "\nSigned-off-by: A Contributor <contributor@example.org>\n"


@dataclass(frozen=True)
class Observed:
    """The Baseline's host facts of one project, and what was withheld."""

    values: Mapping[str, Any] = field(default_factory=dict)
    """`HostFacts` field name -> value."""
    withheld: Mapping[HostFact, str] = field(default_factory=dict)


def observe(
    facts: frozenset[HostFact],
    project: Mapping[str, Any],
    work: ProjectWork | None,
    extras: ExtraAnswers,
    groups_mfa: Mapping[str, bool | None],
    *,
    instance_mfa: bool | None,
) -> Observed:
    """The facts asked for, from the answers the scan gathered."""
    values: dict[str, Any] = {}
    withheld: dict[HostFact, str] = {}
    host = work.host_answer if work is not None else None
    if not has_premium(project):
        extras = NOT_PREMIUM
    if HostFact.BRANCH_RULES in facts and project.get("default_branch"):
        values["branch_rules"], reason = _branch_rules(project, host, extras.approval_rules)
        if reason:
            withheld[HostFact.BRANCH_RULES] = reason
    if HostFact.RELEASES in facts and work is not None:
        values["releases"] = _releases(host)
        if values["releases"] is None and host is not None:
            withheld[HostFact.RELEASES] = RELEASE_READER
    elif HostFact.RELEASES in facts:
        values["releases"] = ()  # an empty repository has no release
    if HostFact.VULNERABILITY_REPORTING in facts:
        level = project.get("issues_access_level")
        values["vulnerability_reporting"] = level == "enabled" if isinstance(level, str) else None
    if HostFact.SECRET_SCANNING in facts:
        values["secret_push_protection"] = _push_protection(project, extras.push_rule)
        if values["secret_push_protection"] is None and _hidden(extras.push_rule):
            withheld[HostFact.SECRET_SCANNING] = MAINTAINER
    if HostFact.SIGNOFF in facts:
        values["signoff_required"] = _signoff(extras.push_rule)
        if values["signoff_required"] is None and _hidden(extras.push_rule):
            withheld[HostFact.SIGNOFF] = MAINTAINER
    if HostFact.MFA in facts:
        values["mfa_required"], reason = _mfa(group_chain(project), groups_mfa, instance_mfa)
        if reason:
            withheld[HostFact.MFA] = reason
    if HostFact.WORKFLOW_PERMISSIONS in facts:
        values["default_workflow_permissions"] = _job_token(project)
        if values["default_workflow_permissions"] is None:
            withheld[HostFact.WORKFLOW_PERMISSIONS] = MAINTAINER
    if HostFact.COLLABORATOR_PERMISSIONS in facts:
        values["collaborator_default"] = "none"
    return Observed(values, withheld)


def _hidden(answer: RestAnswer | None) -> bool:
    return answer is not None and answer.status in (401, 403)


def _branch_rules(
    project: Mapping[str, Any], host: Mapping[str, Any] | None, approvals: RestAnswer | None
) -> tuple[BranchRules, str]:
    default = str(project.get("default_branch") or "")
    sources = ["GitLab: the default branch cannot be deleted"]
    reviewed: bool | None = None
    force_blocked: bool | None = None
    missing: list[str] = []
    rules = (host or {}).get("branchRules")
    nodes = [n for n in ((rules or {}).get("nodes") or []) if isinstance(n, dict)]
    matching = [n for n in nodes if n.get("isDefault") or _glob(str(n.get("name", "")), default)]
    protections = [n.get("branchProtection") for n in matching]
    if matching and all(isinstance(p, dict) for p in protections):
        levels = [
            level.get("accessLevel")
            for p in protections
            for level in ((p or {}).get("pushAccessLevels") or {}).get("nodes") or []
        ]
        reviewed = bool(levels) and all(level == NO_ONE for level in levels)
        force_blocked = not any((p or {}).get("allowForcePush") for p in protections)
        sources += [f'protected branch "{n.get("name")}"' for n in matching]
    elif (
        not matching
        and rules is not None
        and (host or {}).get("userPermissions", {}).get("adminProject")
    ):
        reviewed = force_blocked = False  # a maintainer sees every rule: none protects it
    elif host is not None:
        missing.append(f"{MAINTAINER} (protected branches)")
    checks: tuple[str, ...] | None = None
    pipelines = project.get("only_allow_merge_if_pipeline_succeeds")
    if isinstance(pipelines, bool):
        checks = ("pipeline",) if pipelines else ()
        if pipelines:
            sources.append("merge checks: pipelines must succeed")
    approvals_needed = _approvals(default, matching, approvals)
    if approvals_needed is None and _hidden(approvals):
        missing.append(f"{DEVELOPER} (approval rules)")
    elif approvals_needed:
        sources.append("merge request approval rules")
    found = BranchRules(
        changes_reviewed=reviewed,
        deletion_blocked=True,
        force_push_blocked=force_blocked,
        required_checks=checks,
        required_approvals=approvals_needed,
        sources=tuple(sources),
    )
    return found, "; ".join(missing)


def _approvals(
    default: str, matching: list[dict[str, Any]], answer: RestAnswer | None
) -> int | None:
    """Approvals a merge into the default branch needs: the most any rule that applies to it
    asks (every rule must be met; one person may meet several)."""
    if answer is None or answer.status not in (200, 404):
        return None
    if answer.status == 404:
        return 0  # no approval rules on this instance or tier: GitLab requires no approval
    protected = bool(matching)
    needed = 0
    for rule in answer.body if isinstance(answer.body, list) else []:
        if not isinstance(rule, dict) or rule.get("rule_type") == "report_approver":
            continue
        branches = [str(b.get("name", "")) for b in rule.get("protected_branches") or []]
        applies = (
            (not branches and not rule.get("applies_to_all_protected_branches"))
            or (rule.get("applies_to_all_protected_branches") and protected)
            or any(_glob(name, default) for name in branches)
        )
        count = rule.get("approvals_required")
        if applies and isinstance(count, int):
            needed = max(needed, count)
    return needed


def _releases(host: Mapping[str, Any] | None) -> tuple[HostRelease, ...] | None:
    if host is None:
        return None
    connection = host.get("releases")
    if connection is None:
        return None
    found: list[HostRelease] = []
    for node in connection.get("nodes") or []:
        if not isinstance(node, dict) or not node.get("tagName"):
            continue
        links = ((node.get("assets") or {}).get("links") or {}).get("nodes") or []
        found.append(
            HostRelease(
                tag=str(node["tagName"]),
                notes=str(node.get("description") or "")[:RELEASE_NOTES_READ],
                assets=tuple(str(link["name"]) for link in links if link and link.get("name")),
            )
        )
    return tuple(found)


def _push_protection(project: Mapping[str, Any], push_rule: RestAnswer | None) -> bool | None:
    """Secret push protection (Ultimate) or the push rule that rejects secret files (Premium)."""
    setting = project.get("secret_push_protection_enabled")
    rule = push_rule.body if push_rule is not None and push_rule.status == 200 else None
    if setting is True or (isinstance(rule, dict) and rule.get("prevent_secrets") is True):
        return True
    if push_rule is not None and push_rule.status in (200, 404):
        # The push rule answered, so the token is a maintainer's, who sees the Ultimate setting
        # where there is one; a 404 is an instance or tier without push rules, and so without
        # secret push protection.
        return False
    return None


def _signoff(push_rule: RestAnswer | None) -> bool | None:
    if push_rule is None or push_rule.status not in (200, 404):
        return None
    if push_rule.status == 404:
        return False  # no push rules on this instance or tier
    rule = push_rule.body
    if not isinstance(rule, dict):
        return False  # the project has no push rule
    if rule.get("reject_non_dco_commits") is True:
        return True
    source = rule.get("commit_message_regex")
    if not isinstance(source, str) or not source:
        return False
    options = re2.Options()
    options.log_errors = False
    try:
        # GitLab's own syntax is RE2's, and it searches the message with `^` and `$` matching
        # at every line: the pattern is compiled as GitLab compiles it.
        pattern = re2.compile("(?m)" + source, options)
    except re2.error:
        return None
    # Required when the rule refuses every message without a sign-off and lets one through with
    # it: whatever else it asks of a message, it asks for the sign-off.
    refuses_unsigned = all(pattern.search(message) is None for message in UNSIGNED_MESSAGES)
    return refuses_unsigned and any(pattern.search(m + SIGN_OFF) for m in UNSIGNED_MESSAGES)


def _mfa(
    chain: tuple[str, ...], groups_mfa: Mapping[str, bool | None], instance_mfa: bool | None
) -> tuple[bool | None, str]:
    """`instance_mfa`: whether the instance requires two-factor authentication of every user
    (false on GitLab.com; None when the token could not read the instance's settings)."""
    if instance_mfa is True:
        return True, ""
    if not chain:
        return None, ""  # a personal project: no group to require it
    seen = [groups_mfa.get(path) for path in chain]
    if any(value is True for value in seen):
        return True, ""
    if any(value is None for value in seen):
        return None, GROUP_READER
    if instance_mfa is False:
        return False, ""
    return None, INSTANCE_ADMIN


def _job_token(project: Mapping[str, Any]) -> str | None:
    """`write` when CI job tokens may push to the repository, else `read`."""
    allowed = project.get("ci_push_repository_for_job_token_allowed")
    if isinstance(allowed, bool):
        return "write" if allowed else "read"
    if "ci_job_token_scope_enabled" in project:
        return "read"  # a maintainer's view from before GitLab 17.2: job tokens could not push
    return None


def _glob(pattern: str, name: str) -> bool:
    """GitLab's protected-branch wildcard: `*` matches any characters, nothing else is special."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == name
    if not name.startswith(parts[0]) or not name.endswith(parts[-1]):
        return False
    if len(parts[0]) + len(parts[-1]) > len(name):
        return False
    position = len(parts[0])
    end = len(name) - len(parts[-1])
    for part in parts[1:-1]:
        found = name.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True
