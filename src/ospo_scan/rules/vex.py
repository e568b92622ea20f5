"""The `vex-documents` rule (OSPS-VM-04.02): vulnerabilities that do not affect the project are
accounted for in VEX documents.

A VEX document is an OpenVEX file (`@context` under `https://openvex.dev/ns`) or a CSAF document
of category `csaf_vex`, kept in the repository (`*.vex.json`, `vex.json`, `*.openvex.json`, a
`vex/`, `.vex/` or `csaf/` directory), or an attestation a valid Security Insights file lists
with a VEX or CSAF predicate (`https://openvex.dev/ns`, the specification's own
`https://intoto.VEX`). Without one, whether any vulnerability needed accounting for
is not something the repository shows.
"""

from __future__ import annotations

from collections.abc import Mapping

from ospo_scan.licences.manifests import json_object
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._insights import SecurityInsights, valid_insights
from ospo_scan.rules.interface import Rule, RuleContext, unknown
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

VEX_SUFFIXES = (".vex.json", ".openvex.json", ".csaf.json")
VEX_NAMES = frozenset({"vex.json", "openvex.json"})
VEX_DIRECTORIES = frozenset({"vex", ".vex", "csaf"})
SEARCHED = ("", ".github", "docs")
_PREDICATES = ("vex", "csaf")
_READ = 512 * 1024


def _is_vex_place(entry: FileEntry, directory: str) -> bool:
    lowered = entry.name.lower()
    if entry.kind is EntryKind.FILE:
        return lowered in VEX_NAMES or lowered.endswith(VEX_SUFFIXES)
    return entry.kind is EntryKind.DIRECTORY and not directory and lowered in VEX_DIRECTORIES


def _vex_files(snapshot: Snapshot) -> list[FileEntry]:
    return [
        entry
        for directory in SEARCHED
        for entry in snapshot.entries(directory)
        if _is_vex_place(entry, directory)
    ]


def is_vex_document(text: str) -> bool:
    """Whether JSON text is an OpenVEX document or a CSAF VEX document."""
    data = json_object(text)
    context = data.get("@context")
    if isinstance(context, str) and context.startswith("https://openvex.dev/ns"):
        return True
    document = data.get("document")
    return isinstance(document, Mapping) and document.get("category") == "csaf_vex"


def insights_vex(insights: SecurityInsights) -> list[str]:
    """Names of the release attestations a valid Security Insights file lists as VEX."""
    attestations = insights.value("repository", "release", "attestations") or []
    return [
        str(a.get("name"))
        for a in attestations
        if isinstance(a, Mapping)
        and any(p in str(a.get("predicate-uri", "")).lower() for p in _PREDICATES)
    ]


class VexDocumentsRule(Rule):
    id = "vex-documents"
    category = "security"
    description = "Vulnerabilities that do not affect the project are stated in VEX documents."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-vm-0402"
    remediation = (
        "Publish an OpenVEX (or CSAF VEX) document for each dependency vulnerability that does "
        "not affect the project (`vex/` or `*.vex.json`, e.g. with vexctl), and list it in "
        "security-insights.yml repository.release.attestations."
    )
    default_weight = 1.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "files",
                f"{', '.join(sorted(VEX_NAMES))}, *{', *'.join(VEX_SUFFIXES)} in "
                f"the root, .github/ and docs/; a {', '.join(sorted(VEX_DIRECTORIES))} directory",
            ),
            ("Security Insights", "release attestations with an OpenVEX or CSAF predicate"),
            ("fail", "a VEX-named file that is neither OpenVEX nor CSAF VEX"),
            (
                "unknown",
                "no VEX document: whether one is owed depends on vulnerabilities the "
                "repository does not show",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        insights = valid_insights(context)
        attested = insights_vex(insights) if insights is not None else []
        if insights is not None and attested:
            return Finding(
                Outcome.PASS,
                f"{insights.path} lists {len(attested)} VEX attestation(s).",
                (insights.evidence,),
            )
        found = _vex_files(snapshot)
        directories = [e for e in found if e.kind is EntryKind.DIRECTORY]
        if directories:
            return Finding(
                Outcome.PASS,
                f"VEX documents are kept in {directories[0].path}/.",
                (Evidence(directories[0].path, EvidenceSource.REPOSITORY),),
            )
        valid: list[FileEntry] = []
        invalid: list[FileEntry] = []
        for entry in found:
            text = snapshot.read_text(entry.path, _READ)
            ok = text is not None and not text.binary and not text.truncated
            (valid if ok and is_vex_document(text.text if text else "") else invalid).append(entry)
        if valid:
            return Finding(
                Outcome.PASS,
                f"VEX document(s): {', '.join(e.path for e in valid[:3])}.",
                tuple(Evidence(e.path, EvidenceSource.REPOSITORY) for e in valid),
            )
        if invalid:
            return Finding(
                Outcome.FAIL,
                f"{', '.join(e.path for e in invalid[:3])} is named as VEX but is neither an "
                "OpenVEX nor a CSAF VEX document.",
                tuple(Evidence(e.path, EvidenceSource.REPOSITORY, "not VEX") for e in invalid),
            )
        return unknown(
            "No VEX document; whether any vulnerability in the project's components needs one "
            "is not something the repository shows",
            settles="auditing the dependencies for known vulnerabilities (e.g. osv-scanner) "
            "and a maintainer stating which do not affect the project",
        )
