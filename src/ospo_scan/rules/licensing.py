"""Licensing rules: a licence is present, identified, approved and consistent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ospo_scan.licences import LicenceAnalysis, LicencePolicy
from ospo_scan.licences.approval import Verdict, is_proprietary, judge
from ospo_scan.licences.manifests import NPM_UNLICENSED
from ospo_scan.licences.spdx import licence_ids
from ospo_scan.model import DeclaredLicence, Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._code import (
    DEFAULT_CODE_LICENCES,
    MIN_SOURCE_FILES,
    MOSTLY,
    code_under_content,
)
from ospo_scan.rules._packages import licences_per_package, package_expression, unlisted_note
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.rules.workspaces import MAX_PACKAGES


def _file_evidence(analysis: LicenceAnalysis) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(f.path, f.source, f.expression or f.note) for f in analysis.identified_files
    )


def _declared_evidence(analysis: LicenceAnalysis) -> tuple[Evidence, ...]:
    readme = (
        (Evidence(analysis.readme_path, EvidenceSource.README, analysis.readme_expression),)
        if analysis.readme_path and analysis.readme_expression
        else ()
    )
    manifests = tuple(
        Evidence(d.path, EvidenceSource.MANIFEST, _as_written(d)) for d in analysis.declared
    )
    return readme + manifests


def _as_written(declared: DeclaredLicence) -> str:
    """A declaration as the report shows it: npm's `UNLICENSED` under its own name."""
    if declared.expression == NPM_UNLICENSED:
        return declared.value
    return declared.expression or declared.value


def shown(expression: str, analysis: LicenceAnalysis) -> str:
    """An expression for a message: npm's `UNLICENSED` by that name, not scancode's."""
    if any(d.expression == NPM_UNLICENSED for d in analysis.declared):
        return expression.replace(NPM_UNLICENSED, "UNLICENSED")
    return expression


def _declared_where(analysis: LicenceAnalysis) -> str:
    """Where the licence is declared, every place named: "the README (README.md) and
    DESCRIPTION"."""
    places = [f"the README ({analysis.readme_path})"] if analysis.readme_expression else []
    places += list(dict.fromkeys(d.path for d in analysis.declared if d.expression))
    if not places:
        return "a manifest"
    return " and ".join([", ".join(places[:-1]), places[-1]] if len(places) > 1 else places)


def _r_convention(analysis: LicenceAnalysis) -> str | None:
    """The message for R's CRAN convention: DESCRIPTION names `MIT + file LICENSE` and LICENSE
    holds only the year and the copyright holder."""
    stub = next((f for f in analysis.files if f.completes_declared), None)
    declared = next(
        (d for d in analysis.declared if d.path.endswith("DESCRIPTION") and d.expression), None
    )
    if stub is None or declared is None:
        return None
    return (
        f"Licence {declared.expression} is declared in {declared.path} with the CRAN "
        f"convention ({declared.value!r}): {stub.path} holds only the year and copyright "
        f"holder, so the {declared.expression} text itself is not in the repository; add it "
        "as LICENSE.md (as usethis does) for readers outside CRAN."
    )


def _with_dangling(finding: Finding, analysis: LicenceAnalysis) -> Finding:
    """The finding, saying which pointed-to licence files do not exist."""
    if not analysis.dangling:
        return finding
    message = f"{finding.message.removesuffix('.')}; {'; '.join(analysis.dangling)}."
    return Finding(finding.outcome, message, finding.evidence, finding.score)


def _host_evidence(analysis: LicenceAnalysis) -> Evidence | None:
    """The host's own licence detection, with whether the files read here agree with it."""
    if analysis.host_expression is None:
        return None
    note = next((n for n in analysis.notes if "the host" in n), analysis.host_expression)
    return Evidence("license", EvidenceSource.HOST, note)


class LicenseRule(Rule):
    id = "license"
    category = "licensing"
    description = "The repository carries a licence file whose licence is identified."
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/adding-a-license-to-a-repository"
    remediation = (
        "Add the full, unmodified text of an approved licence as LICENSE (or LICENSE.md) at the "
        "repository root; for several licences use LICENSE-<ID> files or a REUSE LICENSES/ "
        "directory."
    )
    default_weight = 10.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "partial",
                "a licence only declared in the README's licence section or a manifest (R's "
                "CRAN convention, `MIT + file LICENSE` with a YEAR / COPYRIGHT HOLDER stub, is "
                "named as such), or a licence file whose licence is not identified; a manifest "
                "or README pointing to a licence file that does not exist is named",
            ),
            (
                "monorepos",
                "with no licence file at the root, a workspace (npm, yarn or pnpm workspaces, "
                "lerna, Cargo, uv) whose every package carries a licence file is partial, or a "
                f"pass when the root manifest declares the same licence; at most {MAX_PACKAGES} "
                "packages are judged, where the scan lists them (local and GitHub scans, not "
                "GitLab)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        finding = self._from_files(context.licence)
        if not context.licence.identified_files:
            per_package = licences_per_package(context, context.licence.declared)
            if per_package is not None and per_package.outcome.severity <= finding.outcome.severity:
                finding = per_package
            elif (note := unlisted_note(context)) is not None:
                finding = Finding(
                    finding.outcome,
                    f"{finding.message.removesuffix('.')}; {note}.",
                    finding.evidence,
                    finding.score,
                )
            finding = _with_dangling(finding, context.licence)
        host = _host_evidence(context.licence)
        if host is None:
            return finding
        return Finding(finding.outcome, finding.message, (*finding.evidence, host), finding.score)

    def _from_files(self, analysis: LicenceAnalysis) -> Finding:
        if analysis.identified_files:
            return Finding(
                Outcome.PASS,
                f"Licensed under {analysis.expression}.",
                _file_evidence(analysis),
            )
        present = tuple(f for f in analysis.unidentified_files if f.usable)
        if present:
            evidence = tuple(Evidence(f.path, f.source, f.note) for f in present)
            names = ", ".join(f.path for f in present)
            return Finding(
                Outcome.PARTIAL,
                f"Licence file present ({names}) but its licence could not be identified.",
                evidence,
            )
        if analysis.expression and is_proprietary(analysis.expression):
            return Finding(
                Outcome.FAIL,
                "No licence file, and the only licence declared grants no rights "
                f"({shown(analysis.expression, analysis)}: proprietary).",
                _declared_evidence(analysis),
            )
        if analysis.expression:
            message = _r_convention(analysis) or (
                f"Licence {analysis.expression} is only declared in "
                f"{_declared_where(analysis)}, not carried as a licence file."
            )
            return Finding(Outcome.PARTIAL, message, _declared_evidence(analysis))
        unusable = tuple(f for f in analysis.files if not f.usable)
        if unusable:
            reasons = "; ".join(f"{f.path}: {f.note}" for f in unusable)
            return Finding(
                Outcome.FAIL,
                f"No usable licence file ({reasons}).",
                tuple(Evidence(f.path, f.source, f.note) for f in unusable),
            )
        return Finding(Outcome.FAIL, "No licence file found.")


class LicenseApprovedRule(Rule):
    id = "license-approved"
    category = "licensing"
    description = "Every licence the repository carries is on the ruleset's approved list."
    help_url = "https://github.com/DPGAlliance/DPG-Standard/blob/main/standard.md#2-use-of-approved-open-licenses"
    remediation = (
        "License the repository under an approved licence (OSI-approved for code; CC-BY, CC-BY-SA, "
        "CC0, ODbL, ODC-By or PDDL for content and data) or ask the OSPO for an exception."
    )
    default_weight = 8.0
    option_types: ClassVar[Mapping[str, type]] = {"code_licences": list}
    option_defaults: ClassVar[Mapping[str, Any]] = {"code_licences": list(DEFAULT_CODE_LICENCES)}

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "code under a content licence (partial)",
                f"a tree whose files are mostly source code (over {MOSTLY:.0%}, at least "
                f"{MIN_SOURCE_FILES} files; counted on local and GitHub scans, not GitLab) under "
                "licences none of which is in code_licences, e.g. CC-BY-4.0 alone; code under "
                "Apache-2.0 with texts under CC-BY-4.0 passes",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        analysis = context.licence
        policy = context.licence_policy
        if analysis.expression is None and (found := package_expression(context)):
            expression, evidence = found
            return _approval_finding(expression, policy, evidence, analysis)
        if analysis.expression is None:
            unidentified = tuple(f for f in analysis.unidentified_files if f.usable)
            if unidentified:
                names = ", ".join(f.path for f in unidentified)
                return Finding(
                    Outcome.PARTIAL,
                    f"The licence text in {names} could not be identified, so it cannot be "
                    "checked against the approved list.",
                    tuple(Evidence(f.path, f.source, f.note) for f in unidentified),
                )
            return not_applicable("No licence found to check against the approved list.")
        evidence = _file_evidence(analysis) or _declared_evidence(analysis)
        if analysis.restrictions:
            path, quoted = analysis.restrictions[0]
            more = (
                f" (and {len(analysis.restrictions) - 1} more)"
                if len(analysis.restrictions) > 1
                else ""
            )
            return Finding(
                Outcome.FAIL,
                f"The licence text in {path} has words inserted that restrict its use, so it is a "
                f"modified licence, not {analysis.expression}: {quoted}{more}.",
                evidence,
            )
        finding = _approval_finding(analysis.expression, policy, evidence, analysis)
        if finding.outcome is Outcome.PASS:
            finding = code_under_content(
                context.snapshot.file_types,
                context.options.get("code_licences", list(DEFAULT_CODE_LICENCES)),
                shown(analysis.expression, analysis),
                finding,
            )
        not_open = _bundled_not_open(analysis, policy)
        if not_open and finding.outcome in (Outcome.PASS, Outcome.PARTIAL):
            return Finding(
                Outcome.PARTIAL,
                f"{finding.message.removesuffix('.')}, but bundled third-party terms are not: "
                f"{'; '.join(not_open)}.",
                evidence,
            )
        return finding


def _bundled_not_open(analysis: LicenceAnalysis, policy: LicencePolicy) -> list[str]:
    """The bundled notices whose terms are not on the approved list (or not identified)."""
    described = []
    for notice in analysis.bundled:
        if notice.expression and judge(notice.expression, policy).verdict <= Verdict.APPROVED:
            continue
        what = notice.expression or "terms not identified"
        where = f"“{notice.heading}” in {notice.path}" if notice.heading else notice.path
        described.append(f"{what} ({where})")
    return list(dict.fromkeys(described))


def _approval_finding(
    judged: str, policy: LicencePolicy, evidence: tuple[Evidence, ...], analysis: LicenceAnalysis
) -> Finding:
    judgement = judge(judged, policy)
    expression = shown(judged, analysis)
    offending = shown(", ".join(judgement.offending), analysis)
    lists = " + ".join(policy.lists) if policy.lists else "the ruleset's"
    if judgement.verdict is Verdict.DEFAULT:
        if policy.default:
            return Finding(Outcome.PASS, f"{expression} is the entity's default licence.", evidence)
        return Finding(Outcome.PASS, f"{expression} is on the approved list ({lists}).", evidence)
    if judgement.verdict is Verdict.APPROVED:
        return Finding(
            Outcome.PARTIAL,
            f"{offending} is approved ({lists}) but the entity's default licence is "
            f"{policy.default}.",
            evidence,
        )
    if judgement.verdict is Verdict.PROPRIETARY:
        if expression == "UNLICENSED":
            return Finding(
                Outcome.FAIL, "UNLICENSED grants no rights to others: proprietary.", evidence
            )
        return Finding(Outcome.FAIL, f"{expression} includes a proprietary licence.", evidence)
    if judgement.verdict is Verdict.DENIED:
        return Finding(Outcome.FAIL, f"{offending} is denied by the ruleset.", evidence)
    return Finding(Outcome.FAIL, f"{offending} is not on the approved list ({lists}).", evidence)


class LicenseConsistentRule(Rule):
    id = "license-consistent"
    category = "licensing"
    description = "Licences declared in package manifests agree with the licence files."
    help_url = "https://spdx.org/licenses/"
    remediation = (
        "Declare the licence in every manifest as the SPDX expression of the licence files "
        '(e.g. `license = "Apache-2.0"` in pyproject.toml, `"license": "MIT"` in '
        "package.json)."
    )
    default_weight = 4.0

    def check(self, context: RuleContext) -> Finding:
        analysis = context.licence
        declared = analysis.declared
        if not declared:
            return not_applicable("No manifest declares a licence.")
        evidence = tuple(
            Evidence(d.path, EvidenceSource.MANIFEST, d.expression or d.value) for d in declared
        )
        reference = _files_expression(analysis)
        contradictions = _contradictions(declared, reference)
        if contradictions:
            return Finding(Outcome.FAIL, "; ".join(contradictions) + ".", evidence)
        invalid = [d for d in declared if d.expression is None]
        if invalid:
            described = "; ".join(
                f"{d.path} declares {d.value!r}, not valid SPDX"
                + (f" (did you mean {d.suggestion}?)" if d.suggestion else "")
                for d in invalid
            )
            return Finding(Outcome.PARTIAL, described + ".", evidence)
        paths = list(dict.fromkeys(d.path for d in declared))
        if reference is None and len(paths) == 1:
            return not_applicable(
                f"Only {paths[0]} declares a licence, and no licence file identifies one to "
                "compare it with."
            )
        if reference is None:
            return Finding(
                Outcome.PASS,
                "Manifests agree with each other; no licence file to compare them with.",
                evidence,
            )
        names = ", ".join(paths)
        verb = "agrees" if len(paths) == 1 else "agree"
        return Finding(
            Outcome.PASS, f"{names} {verb} with the licence files ({reference}).", evidence
        )


def _files_expression(analysis: LicenceAnalysis) -> str | None:
    if analysis.identified_files:
        return analysis.expression
    return None


def _families(expression: str) -> set[str]:
    """Licence ids with `-only`/`-or-later` folded: the text of GPL-3.0 is the same for both."""
    return {i.removesuffix("-only").removesuffix("-or-later") for i in licence_ids(expression)}


def _contradictions(declared: tuple[DeclaredLicence, ...], reference: str | None) -> list[str]:
    valid = [d for d in declared if d.expression]
    if reference is not None:
        carried = _families(reference)
        return [
            f"{d.path} declares {d.expression} but the licence files carry {reference}"
            for d in valid
            if d.expression and not _families(d.expression) <= carried
        ]
    if len({frozenset(_families(d.expression or "")) for d in valid}) > 1:
        listed = ", ".join(f"{d.path}: {d.expression}" for d in valid)
        return [f"manifests disagree ({listed})"]
    return []
