"""What is known of a repository's licence (the policy it is judged by is in `approval`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ospo_scan.licences.approval import LicencePolicy, Verdict, judge
from ospo_scan.model import BundledLicence, DeclaredLicence, EvidenceSource, LicenceSummary


@dataclass(frozen=True)
class LicenceFile:
    """A licence candidate file and what was identified in it."""

    path: str
    expression: str | None
    """SPDX expression identified in the file, or None when unidentified."""
    source: EvidenceSource = EvidenceSource.REPOSITORY
    note: str | None = None
    """Why the file was not identified (binary, link out of the repository, empty), or what a
    reader should know about how it was identified."""
    method: str | None = None
    """How the licence was identified (`reference-text`, `licence-name`, `scancode-index`, ...)."""
    choice: bool = False
    """The file offers its licences as alternatives (`OR`)."""
    usable: bool = True
    """False for a link out of the repository or an empty file: not a licence at all."""
    completes_declared: bool = False
    """An R `YEAR:`/`COPYRIGHT HOLDER:` stub: part of the licence DESCRIPTION names, not a licence
    of its own."""
    bundled: tuple[BundledLicence, ...] = ()
    """Third-party notices the file carries beside the project's licence."""
    restrictions: tuple[str, ...] = ()
    """Words inserted into the licence text that restrict its use, quoted."""


@dataclass(frozen=True)
class LicenceAnalysis:
    """Everything known of a repository's licence."""

    files: tuple[LicenceFile, ...] = ()
    """Licence files found, identified or not."""
    declared: tuple[DeclaredLicence, ...] = ()
    """Licences declared in manifests."""
    readme_expression: str | None = None
    """Licence named in the README's licence section."""
    expression: str | None = None
    """The repository's licence as one SPDX expression (from its licence files, else from the
    README's licence section, else from its manifests)."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    """What a reader should know: how files were combined, the host's opinion, fallbacks."""
    readme_path: str | None = None
    """The README whose licence section named `readme_expression`."""
    expression_source: EvidenceSource | None = None
    """Where `expression` came from: repository (licence files), readme or manifest."""
    host_expression: str | None = None
    """The hosting platform's own detection, when the connector supplied one."""
    dangling: tuple[str, ...] = ()
    """Licence files a manifest or the README points to that the repository lacks, described
    (`package.json points to LICENSE.txt, which does not exist`)."""

    @property
    def identified_files(self) -> tuple[LicenceFile, ...]:
        return tuple(f for f in self.files if f.expression)

    @property
    def unidentified_files(self) -> tuple[LicenceFile, ...]:
        return tuple(f for f in self.files if not f.expression and not f.completes_declared)

    @property
    def bundled(self) -> tuple[BundledLicence, ...]:
        """Third-party notices carried in the licence files, not part of `expression`."""
        return tuple(b for f in self.identified_files for b in f.bundled)

    @property
    def restrictions(self) -> tuple[tuple[str, str], ...]:
        """(path, quoted words) of each restriction inserted into a licence text."""
        return tuple((f.path, r) for f in self.identified_files for r in f.restrictions)

    def summary(self, policy: LicencePolicy) -> LicenceSummary:
        """The report's `license` block."""
        approved: bool | None = None
        if self.expression:
            approved = judge(self.expression, policy).verdict <= Verdict.APPROVED
            approved = approved and not self.restrictions
        return LicenceSummary(
            expression=self.expression,
            files=tuple(f.path for f in self.identified_files),
            declared=self.declared,
            approved=approved,
            bundled=self.bundled,
            restrictions=tuple(quoted for _, quoted in self.restrictions),
        )
