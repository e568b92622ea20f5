"""The licence of released software (OSPS-LE-02.02, OSPS-LE-03.02).

Both controls apply once the project has made a release (a tag); the latest release (the highest
semantic version) is judged. A release's source is its tag's tree: a local clone's tag is read
from the git objects, and its root must hold a licence file. Elsewhere (on a host, or when the
tag's objects are missing) the default branch's licence at the commit scanned stands in for it,
and the finding says so. Which licence a release carries is judged on the default branch's
licence analysis, or on `repository.release.license` when a valid Security Insights file names
one for releases.
"""

from __future__ import annotations

from ospo_scan.licences.approval import Verdict, judge
from ospo_scan.licences.files import is_licence_name
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._insights import valid_insights
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown
from ospo_scan.rules.releases import latest_release
from ospo_scan.untrusted.display import neutralise

_STAND_IN = (
    "judged on the default branch at the commit scanned, from which the releases are tagged; "
    "the tag's own tree was not read"
)


def _released(context: RuleContext) -> Finding | str:
    """The latest release's tag, or the finding when the control does not apply or cannot be
    judged."""
    tags = context.snapshot.metadata.tags
    if tags is None:
        return unknown(
            "The repository's tags and releases could not be read",
            settles="scanning a clone with its tags, or the repository on its host",
        )
    if not tags:
        return not_applicable("The project has made no release (no tag).")
    return latest_release(tags)


class ReleasedLicenceApprovedRule(Rule):
    id = "release-licence-approved"
    category = "licensing"
    description = "The licence of released software meets the Open Source Definition."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-le-0202"
    remediation = (
        "Release the software under a licence on the ruleset's approved list (OSI-approved), "
        "in the repository and in security-insights.yml repository.release.license if set."
    )
    default_weight = 6.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "licence judged",
                "Security Insights repository.release.license when a valid "
                "file sets it, else the repository's licence on the default branch",
            ),
            ("approved", "the ruleset's licence list (osps-baseline: OSI-approved)"),
            ("not-applicable", "no release (tag)"),
        )

    def check(self, context: RuleContext) -> Finding:
        released = _released(context)
        if isinstance(released, Finding):
            return released
        latest = neutralise(released[:80])
        insights = valid_insights(context)
        declared = (
            insights.value("repository", "release", "license", "expression") if insights else None
        )
        if insights is not None and isinstance(declared, str):
            expression, where = declared, f"{insights.path} (repository.release.license)"
            evidence: tuple[Evidence, ...] = (insights.evidence,)
        else:
            analysis = context.licence
            if analysis.expression is None:
                return Finding(
                    Outcome.FAIL,
                    f"The project has released ({latest}) but no licence is identified for "
                    f"the released software ({_STAND_IN}).",
                )
            expression, where = analysis.expression, "the repository's licence"
            evidence = tuple(
                Evidence(f.path, f.source, f.expression) for f in analysis.identified_files
            )
        verdict = judge(expression, context.licence_policy)
        shown = neutralise(expression[:200])
        if verdict.verdict <= Verdict.APPROVED:
            return Finding(
                Outcome.PASS,
                f"Releases (latest {latest}) are licensed {shown}, from {where}, which is "
                f"approved ({_STAND_IN}).",
                evidence,
            )
        offending = ", ".join(neutralise(o) for o in verdict.offending[:3])
        return Finding(
            Outcome.FAIL,
            f"Releases (latest {latest}) are licensed {shown}, from {where}; not approved: "
            f"{offending} ({_STAND_IN}).",
            evidence,
        )


class ReleasedLicenceIncludedRule(Rule):
    id = "release-licence-included"
    category = "licensing"
    description = "Released source carries its licence in a LICENSE, COPYING or LICENSES/ file."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-le-0302"
    remediation = (
        "Keep the licence text in a LICENSE or COPYING file (or LICENSES/ directory) at the "
        "repository root, so every tagged release's source carries it."
    )
    default_weight = 6.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "pass",
                "a licence file (LICENSE, LICENCE, COPYING, LICENSES/...) in the "
                "repository, on the default branch the releases are tagged from",
            ),
            (
                "fail",
                "a release exists and no licence file does (a licence only declared in "
                "a manifest or README is not the file the control asks for)",
            ),
            ("not-applicable", "no release (tag)"),
        )

    def check(self, context: RuleContext) -> Finding:
        released = _released(context)
        if isinstance(released, Finding):
            return released
        latest = neutralise(released[:80])
        lister = context.snapshot.tag_lister
        root = lister(released) if lister is not None else None
        if root is not None:
            return _in_tag_tree(latest, root)
        files = context.licence.files
        own = [f for f in files if f.source is EvidenceSource.REPOSITORY and f.usable]
        if not own:
            return Finding(
                Outcome.FAIL,
                f"The project has released ({latest}) but its source carries no licence file "
                f"({_STAND_IN}).",
            )
        names = ", ".join(f.path for f in own[:3])
        return Finding(
            Outcome.PASS,
            f"Released source (latest {latest}) carries its licence in {names} ({_STAND_IN}).",
            tuple(Evidence(f.path, f.source, f.expression) for f in own),
        )


def _in_tag_tree(tag: str, root: tuple[str, ...]) -> Finding:
    """The finding from the root of the tag's own tree."""
    licences = [neutralise(n) for n in root if _is_licence_entry(n)]
    evidence = tuple(
        Evidence(f"{tag}:{n}", EvidenceSource.REPOSITORY, "in the tag's tree") for n in licences
    )
    if licences:
        return Finding(
            Outcome.PASS,
            f"The latest release's tree ({tag}) carries its licence in {', '.join(licences)}.",
            evidence,
        )
    return Finding(
        Outcome.FAIL,
        f"The latest release's tree ({tag}) holds no LICENSE, COPYING or LICENSES/ at its root.",
    )


def _is_licence_entry(name: str) -> bool:
    if name.endswith("/"):
        return name.lower() in ("licenses/", "licences/")
    return len(name) <= 255 and is_licence_name(name)  # a file name's length: the pattern's bound
