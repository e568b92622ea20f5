"""The `security-insights` rule: an OpenSSF Security Insights file, valid against its schema.

A repository without one is not at fault (the file is optional): the rule does not apply. A file
that is there but invalid misleads every tool that reads it, so it fails, naming the fields.
"""

from __future__ import annotations

from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._insights import (
    DIRECTORIES,
    FILE_NAMES,
    SCHEMA_VERSIONS,
    security_insights,
)
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable


class SecurityInsightsRule(Rule):
    id = "security-insights"
    category = "security"
    description = (
        "An OpenSSF Security Insights file, when there is one, is valid against its schema."
    )
    help_url = "https://github.com/ossf/security-insights"
    remediation = (
        "Correct the fields named in the finding so that security-insights.yml validates "
        "against its header.schema-version; `ospo-scan fix --rules security-insights` "
        "proposes a 2.2.0 file from the entity profile where there is none."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        places = ", ".join(f"{d}/" if d else "the root" for d in DIRECTORIES)
        return (
            ("files read", f"{' or '.join(FILE_NAMES)} at {places}"),
            (
                "schemas",
                f"the specification's own, versions {', '.join(SCHEMA_VERSIONS)} (a file is "
                "checked against the one its header.schema-version names; 2.1.x against 2.1.0)",
            ),
            ("not-applicable", "no Security Insights file: it is optional"),
            ("fail", "a file that is not valid YAML or not valid against its schema"),
        )

    def check(self, context: RuleContext) -> Finding:
        found = security_insights(context)
        if found is None:
            return not_applicable("No Security Insights file (it is optional).")
        if found.valid:
            return Finding(
                Outcome.PASS,
                f"{found.path} is valid Security Insights {found.version}.",
                (found.evidence,),
            )
        return Finding(
            Outcome.FAIL,
            f"{found.path} is not valid Security Insights: {found.described_problems()}.",
            (found.evidence,),
        )
