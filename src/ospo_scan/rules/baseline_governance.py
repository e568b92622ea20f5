"""The OSPS Baseline's governance documents: who the members with access are (OSPS-GV-01.01),
their roles and responsibilities (GV-01.02), and the review before a collaborator gets
escalated permissions (GV-04.01)."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind, locate
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._documents import read_document
from ospo_scan.rules._emails import find_emails
from ospo_scan.rules._topic_rule import TopicRule
from ospo_scan.rules._topics import Reading, Sighting, Topic, phrases, quoted
from ospo_scan.rules.governance import MaintainersRule
from ospo_scan.rules.interface import RuleContext, unknown
from ospo_scan.untrusted.linear_regex import linear

_FLAGS = re.IGNORECASE | re.MULTILINE
_BASELINE = "https://baseline.openssf.org/versions/2026-02-19"
_HANDLE = linear(r"(?:^|[^\w@.])(@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9._-]{1,100})?)")
"""A GitHub or GitLab account or team, as CODEOWNERS and MAINTAINERS files name them."""
_LISTED = linear(r"^[ \t]*(?:[-*+][ \t]+|\|[ \t]*)([A-Za-z][^\n|]{1,80})", re.MULTILINE)
"""A list item or a table row: how MAINTAINERS and OWNERS files list people by name."""


class ProjectMembersRule(MaintainersRule):
    id = "project-members"
    description = (
        "CODEOWNERS, MAINTAINERS or OWNERS names the members who hold access to the project."
    )
    help_url = f"{_BASELINE}#osps-gv-0101"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "names nobody (fail)",
                "a MAINTAINERS or OWNERS file without an @account, an e-mail address or a "
                "list item or table row naming someone",
            ),
            ("unknown", "the file could not be read"),
        )

    def check(self, context: RuleContext) -> Finding:
        finding = super().check(context)
        located = locate(context.snapshot, self.kind)
        if located is None:
            return finding
        document = read_document(located)
        if document.unreadable and "could not be read" in finding.message:
            return unknown(
                f"{finding.message.rstrip('.')}: who it names is not known",
                settles=f"a person reading {document.where}, or a scan that can read it",
                evidence=finding.evidence,
            )
        if finding.outcome is not Outcome.PASS or located.entry.name.lower() == "codeowners":
            return finding
        named = _members(document.text)
        if not named:
            return Finding(
                Outcome.FAIL,
                f"Maintainers file {document.where} names nobody: no @account, e-mail address "
                "or list of names.",
                (document.evidence("names nobody"),),
            )
        shown = ", ".join(quoted(name) for name in named[:3])
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        return Finding(
            Outcome.PASS,
            f"Maintainers file {document.where} names {shown}{more}.",
            (document.evidence(f"{len(named)} named"),),
        )


def _members(text: str) -> list[str]:
    """The people a maintainers file names: accounts, addresses, else listed names."""
    named = [match.group(1) for match in _HANDLE.finditer(text)]
    named += [email.address for email in find_emails(text)]
    if not named:
        named = [match.group(1).strip() for match in _LISTED.finditer(text)]
    return list(dict.fromkeys(named))


class RolesRule(TopicRule):
    id = "roles-and-responsibilities"
    category = "governance"
    description = "The documentation describes the roles and responsibilities of project members."
    help_url = f"{_BASELINE}#osps-gv-0102"
    remediation = (
        "Describe the project's roles (maintainer, reviewer, contributor...) and what each is "
        "responsible for, in GOVERNANCE.md or a roles section of the contributing guide."
    )
    default_weight = 4.0
    subject = "the roles and responsibilities of members"
    kinds = (FileKind.GOVERNANCE, FileKind.CONTRIBUTING, FileKind.README)
    names = phrases("roles, roles_and_responsibilities, responsibilities, project_roles")
    related = phrases("maintainers, committers, charter")
    topic = Topic(
        sections=phrases(
            "roles, roles and responsibilities, responsibilities, maintainers, committers, "
            "reviewers, project members, core team, steering committee, technical steering "
            "committee, project leads, contributor roles, membership, team"
        ),
        statements=linear(
            r"(?:^|[.!?:;][ \t]+|^[ \t]*[-*+][ \t]+)[*_]{0,2}(?:the[ \t]+|our[ \t]+)?"
            r"(?:maintainers?|committers?|reviewers?|approvers?|owners?|leads?|members?)"
            r"[^\n]{0,60}(?:are[ \t]+responsible|responsible[ \t]+for|responsibilit"
            r"|(?:can|may)[ \t]+(?:merge|approve|release|review))",
            _FLAGS,
        ),
        section_says=linear(
            r"responsib|review|merg|releas|triag|decid|decision|approv|vot(?:e|ing)|dut(?:y|ies)"
            r"|role",
            re.IGNORECASE,
        ),
    )
    statement_words = (
        "'maintainers are responsible for ...', 'reviewers can approve ...', 'committers may "
        "merge ...'"
    )


_REVIEWED = linear(
    r"nominat|vot(?:e|ed|es|ing)|approv|review|vet(?:ted|ting)?|vouch|sponsor|consensus"
    r"|agree|decid|track[ \t]+record",
    re.IGNORECASE,
)
"""Words that say a candidate is looked at before being given more access."""


class PermissionReviewRule(TopicRule):
    id = "permission-review-policy"
    category = "governance"
    description = (
        "The documentation says collaborators are reviewed before they get escalated permissions."
    )
    help_url = f"{_BASELINE}#osps-gv-0401"
    remediation = (
        "Describe how someone becomes a maintainer or gets write access: who nominates them, "
        "who reviews or votes, in GOVERNANCE.md or a contributor ladder."
    )
    default_weight = 3.0
    subject = "how collaborators are reviewed before escalated permissions"
    kinds = (FileKind.GOVERNANCE, FileKind.CONTRIBUTING, FileKind.SECURITY, FileKind.README)
    names = phrases(
        "contributor_ladder, community_membership, membership, access_policy, access_control"
    )
    related = phrases("maintainers, committers, owners, roles, charter")
    topic = Topic(
        sections=phrases(
            "becoming a maintainer, becoming a committer, becoming a reviewer, how to become "
            "a maintainer, becoming a core contributor, maintainer nomination, committer "
            "nomination, nominating maintainers, adding maintainers, adding new maintainers, "
            "new maintainers, promotion, promotions, contributor ladder, commit access, write "
            "access, access policy, access control, granting access, elevated permissions"
        ),
        statements=linear(
            r"(?:become|becoming|granted|grant(?:ing)?|promot(?:e|ed|ion)|added[ \t]+as"
            r"|nominat(?:e|ed|ion)|elevat)[^\n]{0,60}(?:maintainers?|committers?|commit[ \t]+"
            r"access|write[ \t]+access|admin|permissions?|merge[ \t]+rights|privileges|owners?)",
            _FLAGS,
        ),
    )
    statement_words = (
        "'to become a maintainer ...', 'write access is granted ...', 'nominated as committer'"
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "partial",
                "it says how access is given, but not that the candidate is nominated, "
                "reviewed, voted on or approved",
            ),
        )

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        if _REVIEWED.search(sighting.passage) is None:
            return Finding(
                Outcome.PARTIAL,
                f"How access is given: {sighting.describe()}, but not that candidates are "
                "reviewed first.",
                (sighting.evidence("no review of candidates"),),
            )
        return super().judge(sighting, reading)
