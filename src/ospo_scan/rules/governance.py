"""Governance rules: how decisions are made and who maintains the code."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import Document, PresenceRule
from ospo_scan.rules.interface import RuleContext
from ospo_scan.untrusted.linear_regex import linear


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


_WHOLE_TREE = frozenset({"*", "/", "/*", "**", "/**", "/**/*", "**/*"})
"""CODEOWNERS patterns that own every path."""
_DESCRIPTION_MAINTAINER = linear(r"^Maintainer:[ \t]*([^\n]{3,200})", re.MULTILINE)
_CRE_ROLE = linear(r"person\(([^()]*(?:\([^()]*\)[^()]*)*)\)", re.IGNORECASE)
"""One `person(...)` of `Authors@R` (nested `c(...)` allowed)."""
_CRE = linear(r"[\"']cre[\"']")
_QUOTED = linear(r"[\"']([^\"']{1,80})[\"']")


def codeowners_coverage(text: str) -> tuple[bool, list[str]]:
    """Whether a CODEOWNERS owns the whole tree, and the patterns it gives an owner."""
    patterns: list[str] = []
    whole = False
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2 or words[0].startswith(("[", "^[")):  # no owner, a GitLab section
            continue
        patterns.append(words[0])
        whole = whole or words[0] in _WHOLE_TREE
    return whole, patterns


def description_maintainer(text: str) -> str | None:
    """Who an R DESCRIPTION names as maintainer: `Maintainer:`, or the `cre` of `Authors@R`."""
    if (field := _DESCRIPTION_MAINTAINER.search(text)) is not None:
        named = str(field.group(1)).strip()
        # package.skeleton()'s placeholder names nobody
        return None if "somewhere.net" in named or "complain to" in named.lower() else named
    for person in _CRE_ROLE.finditer(text):
        if _CRE.search(person.group(1)) is not None:
            names = [quoted.group(1) for quoted in _QUOTED.finditer(person.group(1))][:2]
            return " ".join(names) or "a person with the cre role"
    return None


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

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "partial",
                "a CODEOWNERS that owns only some paths (no `*` rule); without a maintainers "
                "file, an R DESCRIPTION naming the maintainer (Maintainer:, or the cre role in "
                "Authors@R)",
            ),
        )

    def absent(self, context: RuleContext) -> Finding:
        description = context.snapshot.find_file("DESCRIPTION")
        text = context.snapshot.read_text(description.path) if description else None
        if description is None or text is None or text.binary:
            return super().absent(context)
        maintainer = description_maintainer(text.text)
        if maintainer is None:
            return super().absent(context)
        return Finding(
            Outcome.PARTIAL,
            f"No maintainers file; the R package's {description.path} names its maintainer: "
            f"{maintainer}.",
            (Evidence(description.path, EvidenceSource.MANIFEST, "maintainer"),),
        )

    def judge(self, document: Document) -> Finding:
        if document.located.entry.name.lower() != "codeowners":
            return super().judge(document)
        whole, patterns = codeowners_coverage(document.text)
        if whole:
            return super().judge(document)
        if not patterns:
            return Finding(
                Outcome.PARTIAL,
                f"CODEOWNERS {document.where} gives no path an owner.",
                (document.evidence("no owner"),),
            )
        shown = ", ".join(patterns[:5]) + (f" and {len(patterns) - 5} more" if patterns[5:] else "")
        return Finding(
            Outcome.PARTIAL,
            f"CODEOWNERS {document.where} owns only some paths: {shown}.",
            (document.evidence("partial coverage"),),
        )
