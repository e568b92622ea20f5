"""OSPS Baseline controls on releases: unique versions, identifiable assets, notes, signatures and
SBOMs.

They read the host's releases (`HostFacts.releases`: the newest few, with their notes and asset
names). A project that has published no release is `not-applicable` ("when an official release
is created"); a local clone shows its tags but not the host's releases, so only the version
control (OSPS-BR-02.01) is judged there, the others are `unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ospo_scan.evidence import FileKind
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import find_document
from ospo_scan.rules._host_facts import fact_unknown
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.snapshot import HostFact, HostRelease, Snapshot
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.linear_regex import linear

_HELP = "https://docs.github.com/en/repositories/releasing-projects-on-github/about-releases"
_NO_RELEASE = "No release has been published: the release controls apply from the first one."
_SHOWN = 3

_SIGNATURE = linear(
    r"\.(?:sig|asc|minisig|sigstore|sigstore\.json|intoto\.jsonl|pem|crt)$"
    r"|(?:^|[._-])(?:multiple\.)?intoto\.jsonl$",
    re.IGNORECASE,
)
"""A signature, certificate or signed attestation among a release's assets."""
_SBOM = linear(
    r"\.(?:spdx|spdx\.json|spdx\.ya?ml|cdx\.json|cdx\.xml|bom\.json|bom\.xml)$|sbom|bom\.json$",
    re.IGNORECASE,
)
_CHECKSUMS = linear(r"checksums?|sha\d+sums?|\.sha\d+$|\.md5$", re.IGNORECASE)
_SOURCE = linear(r"\.(?:txt|md|json|ya?ml|toml|html?|pdf)$|source|\.src\.", re.IGNORECASE)
_VERSION_PART = linear(r"(\d[0-9A-Za-z.+_-]*)$")


def _releases(snapshot: Snapshot) -> tuple[HostRelease, ...] | Finding:
    """The host's releases, or what to say when there are none to judge."""
    releases = snapshot.metadata.host.releases
    if releases is None:
        return fact_unknown(snapshot, HostFact.RELEASES, "its releases and their assets")
    if not releases:
        return not_applicable(_NO_RELEASE)
    return releases


def _shown(names: Sequence[str]) -> str:
    listed = ", ".join(neutralise(n) for n in names[:_SHOWN])
    return listed + (", ..." if len(names) > _SHOWN else "")


def _release_evidence(release: HostRelease, detail: str) -> tuple[Evidence, ...]:
    return (Evidence(f"release {neutralise(release.tag)}", EvidenceSource.HOST, detail),)


class _ReleaseRule(Rule):
    category = "maintenance"
    help_url = _HELP
    default_weight = 3.0
    host_facts = frozenset({HostFact.RELEASES})

    def check(self, context: RuleContext) -> Finding:
        releases = _releases(context.snapshot)
        if isinstance(releases, Finding):
            return releases
        return self.judge(context, releases)

    def judge(self, context: RuleContext, releases: tuple[HostRelease, ...]) -> Finding:
        raise NotImplementedError


class ReleaseVersionsRule(Rule):
    id = "release-versions"
    category = "maintenance"
    description = "Each release has a unique version identifier."
    help_url = _HELP
    remediation = (
        "Name each release by its own version (`v1.4.0`, `2024.05.1`), never by a moving name "
        "such as `latest` or `nightly`."
    )
    default_weight = 3.0
    host_facts = frozenset({HostFact.RELEASES})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the host's newest releases (else the repository's tags) are distinct and each "
                "names a version: it holds a number, unlike `latest` or `stable`",
            ),
            ("not-applicable", "no release and no tag"),
        )

    def check(self, context: RuleContext) -> Finding:
        metadata = context.snapshot.metadata
        releases = metadata.host.releases
        names = [r.tag for r in releases] if releases else list(metadata.tags or ())
        if not names:
            if releases is None and metadata.tags is None:
                return fact_unknown(context.snapshot, HostFact.RELEASES, "its releases or tags")
            return not_applicable(_NO_RELEASE)
        source = EvidenceSource.HOST if releases else EvidenceSource.REPOSITORY
        moving = [name for name in names if not any(c.isdigit() for c in name)]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if moving or repeated:
            bad = moving + repeated
            evidence = (Evidence("releases", source, _shown(bad)),)
            return Finding(
                Outcome.FAIL,
                f"Release names that are no unique version: {_shown(bad)}.",
                evidence,
            )
        evidence = (Evidence("releases", source, _shown(names)),)
        return Finding(
            Outcome.PASS, f"{len(names)} release(s), each with its own version.", evidence
        )


class ReleaseAssetNamesRule(_ReleaseRule):
    id = "release-asset-names"
    description = "Every file attached to a release names the release's version."
    remediation = (
        "Name release files with the version they belong to (`tool-1.4.0-linux-amd64.tar.gz`, "
        "`tool-1.4.0.sbom.json`)."
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("what counts", "each asset of the newest release holds its version (`1.4.0`)"),
            (
                "without uploaded files",
                "the source archives the platform makes are named with the tag (evidence: "
                "platform)",
            ),
        )

    def judge(self, context: RuleContext, releases: tuple[HostRelease, ...]) -> Finding:
        release = releases[0]
        if not release.assets:
            return Finding(
                Outcome.PASS,
                f"Release {neutralise(release.tag)} has only the source archives the host "
                "names with its tag.",
                (Evidence(f"release {neutralise(release.tag)}", EvidenceSource.PLATFORM),),
            )
        match = _VERSION_PART.search(release.tag)
        version = match.group(1) if match else release.tag
        unnamed = [a for a in release.assets if version.lower() not in a.lower()]
        if unnamed:
            return Finding(
                Outcome.FAIL,
                f"Assets of {neutralise(release.tag)} without its version {neutralise(version)}: "
                f"{_shown(unnamed)}.",
                _release_evidence(release, f"{len(unnamed)} unnamed"),
            )
        return Finding(
            Outcome.PASS,
            f"Every asset of {neutralise(release.tag)} names version {neutralise(version)}.",
            _release_evidence(release, f"{len(release.assets)} assets"),
        )


_AUTOMATIC_LINE = linear(r"^\s*\**full changelog\**\s*:?.*$", re.IGNORECASE | re.MULTILINE)
_MIN_NOTES = 30
"""Characters of notes, beyond the host's own compare link, that describe a release."""


class ReleaseNotesRule(_ReleaseRule):
    id = "release-notes"
    description = "Each release says what changed in it: notes, or its entry in the changelog."
    remediation = (
        "Describe each release's functional and security changes in its notes, or keep a "
        "CHANGELOG with an entry per version."
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                f"notes of at least {_MIN_NOTES} characters besides the host's 'Full Changelog' "
                "link, or a changelog that names the release's version",
            ),
        )

    def judge(self, context: RuleContext, releases: tuple[HostRelease, ...]) -> Finding:
        changelog = find_document(context.snapshot, FileKind.CHANGELOG)
        text = changelog.text if changelog is not None and not changelog.binary else ""
        bare = []
        for release in releases:
            notes = _AUTOMATIC_LINE.sub("", release.notes).strip()
            match = _VERSION_PART.search(release.tag)
            in_changelog = bool(match) and match is not None and match.group(1) in text
            if len(notes) < _MIN_NOTES and not in_changelog:
                bare.append(release.tag)
        if bare:
            return Finding(
                Outcome.FAIL,
                f"Release(s) without notes or a changelog entry: {_shown(bare)}.",
                _release_evidence(releases[0], "no description of changes"),
            )
        return Finding(
            Outcome.PASS,
            f"The {len(releases)} newest release(s) say what changed.",
            _release_evidence(releases[0], "notes"),
        )


class ReleaseSignaturesRule(_ReleaseRule):
    id = "release-signatures"
    description = "Releases are signed, or carry a signed manifest of their files' hashes."
    remediation = (
        "Sign release files (Sigstore cosign, GPG) or publish a signed checksums file, and "
        "attach the signatures (`.sig`, `.asc`, `.sigstore.json`, `.intoto.jsonl`)."
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the newest release's assets include a signature, certificate or signed "
                "attestation (.sig, .asc, .minisig, .sigstore(.json), .intoto.jsonl, .pem)",
            ),
        )

    def judge(self, context: RuleContext, releases: tuple[HostRelease, ...]) -> Finding:
        release = releases[0]
        signatures = [a for a in release.assets if _SIGNATURE.search(a)]
        if signatures:
            return Finding(
                Outcome.PASS,
                f"Release {neutralise(release.tag)} is signed: {_shown(signatures)}.",
                _release_evidence(release, _shown(signatures)),
            )
        checksums = [a for a in release.assets if _CHECKSUMS.search(a)]
        unsigned = f" (checksums {_shown(checksums)} unsigned)" if checksums else ""
        return Finding(
            Outcome.FAIL,
            f"Release {neutralise(release.tag)} carries no signature{unsigned}.",
            _release_evidence(release, "no signature"),
        )


class ReleaseSbomRule(_ReleaseRule):
    id = "release-sbom"
    description = "Compiled release files come with a software bill of materials."
    remediation = (
        "Attach an SBOM (SPDX or CycloneDX, e.g. `tool-1.4.0.spdx.json`) to every release with "
        "compiled files."
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "the newest release with compiled files (assets that are not signatures, "
                "checksums, SBOMs or documents) also carries an SPDX or CycloneDX SBOM",
            ),
            ("not-applicable", "no release, or releases of source only"),
        )

    def judge(self, context: RuleContext, releases: tuple[HostRelease, ...]) -> Finding:
        for release in releases:
            compiled = [a for a in release.assets if _compiled(a)]
            if not compiled:
                continue
            sboms = [a for a in release.assets if _SBOM.search(a)]
            if sboms:
                return Finding(
                    Outcome.PASS,
                    f"Release {neutralise(release.tag)} carries an SBOM: {_shown(sboms)}.",
                    _release_evidence(release, _shown(sboms)),
                )
            return Finding(
                Outcome.FAIL,
                f"Release {neutralise(release.tag)} has compiled files ({_shown(compiled)}) "
                "but no SBOM.",
                _release_evidence(release, "no SBOM"),
            )
        return not_applicable("The newest releases carry no compiled files.")


def _compiled(name: str) -> bool:
    return not any(pattern.search(name) for pattern in (_SIGNATURE, _SBOM, _CHECKSUMS, _SOURCE))
