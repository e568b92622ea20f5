"""Licensing rules: a licence is present, identified, approved and consistent."""

from __future__ import annotations

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext


class LicenseRule(Rule):
    id = "license"
    category = "licensing"
    description = "The repository carries a licence file whose licence is identified."
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/adding-a-license-to-a-repository"
    remediation = (
        "Add the full, unmodified text of an approved licence as LICENSE (or LICENSE.md) at the "
        "repository root; for several licences use LICENSE-<ID> files or a REUSE LICENSES/ directory."
    )
    default_weight = 10.0

    def check(self, context: RuleContext) -> Finding:
        analysis = context.licence
        identified = analysis.identified_files
        if identified:
            evidence = tuple(
                Evidence(f.path, f.source, f.expression) for f in identified
            )
            return Finding(
                Outcome.PASS, f"Licensed under {analysis.expression}.", evidence
            )
        if analysis.files:
            evidence = tuple(
                Evidence(f.path, f.source, f.note) for f in analysis.files
            )
            names = ", ".join(f.path for f in analysis.files)
            return Finding(
                Outcome.PARTIAL,
                f"Licence file present ({names}) but its licence could not be identified.",
                evidence,
            )
        if analysis.readme_expression or analysis.declared:
            expression = analysis.expression or analysis.readme_expression
            evidence = tuple(
                Evidence(d.path, EvidenceSource.MANIFEST, d.value) for d in analysis.declared
            )
            return Finding(
                Outcome.PARTIAL,
                f"Licence {expression} is only declared, not carried as a licence file.",
                evidence,
            )
        return Finding(Outcome.FAIL, "No licence file found.")
