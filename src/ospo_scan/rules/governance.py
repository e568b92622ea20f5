"""Governance rules: how decisions are made and who maintains the code."""

from __future__ import annotations

from ospo_scan.evidence import FileKind
from ospo_scan.rules._documents import PresenceRule


class GovernanceRule(PresenceRule):
    id = "governance"
    category = "governance"
    description = "A governance document says how decisions are made and who makes them."
    help_url = "https://standard.publiccode.net/criteria/open-to-contributions.html"
    remediation = (
        "Add GOVERNANCE.md describing roles, decision making and how to become a maintainer "
        "(an organisation-wide one in the .github repository also counts)."
    )
    default_weight = 4.0
    kind = FileKind.GOVERNANCE
    label = "governance document"


class MaintainersRule(PresenceRule):
    id = "maintainers"
    category = "governance"
    description = "CODEOWNERS, MAINTAINERS or OWNERS names the people responsible for the code."
    help_url = "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners"
    remediation = (
        "Add a CODEOWNERS file (in .github/, the root or docs/) or a MAINTAINERS file naming "
        "who reviews and maintains the code."
    )
    default_weight = 4.0
    kind = FileKind.MAINTAINERS
    label = "maintainers file"
