"""Licence detection: which licence a repository carries, and on what evidence.

`analyse` is the single entry point rules use; it reads only licence candidates (licence files,
the README's licence section, manifests), never the whole tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ospo_scan.licences.files import licence_candidates
from ospo_scan.licences.spdx import combine_and
from ospo_scan.model import DeclaredLicence, EvidenceSource
from ospo_scan.snapshot import EntryKind, Snapshot


@dataclass(frozen=True)
class LicencePolicy:
    """The ruleset's licence policy."""

    approved: frozenset[str] | None = None
    """SPDX ids the entity approves (None: no list configured)."""
    default: str | None = None
    """The entity's preferred licence; other approved licences are then partial."""


@dataclass(frozen=True)
class LicenceFile:
    """A licence candidate file and what was identified in it."""

    path: str
    expression: str | None
    """SPDX expression identified in the file, or None when unidentified."""
    source: EvidenceSource = EvidenceSource.REPOSITORY
    note: str | None = None
    """Why the file was not identified (binary, link out of the repository, empty)."""


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
    """The repository's licence as one SPDX expression."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def identified_files(self) -> tuple[LicenceFile, ...]:
        return tuple(f for f in self.files if f.expression)


def analyse(snapshot: Snapshot, policy: LicencePolicy) -> LicenceAnalysis:
    """Identify the repository's licence from its licence files."""
    from ospo_scan.licences.detect import detect_text

    files: list[LicenceFile] = []
    for entry in licence_candidates(snapshot):
        if entry.kind is EntryKind.OUTSIDE_LINK:
            files.append(LicenceFile(entry.path, None, note="symbolic link out of the repository"))
            continue
        text = snapshot.read_text(entry.path)
        if text is None or text.binary or not text.text.strip():
            note = "binary file" if text is not None and text.binary else "empty or unreadable"
            files.append(LicenceFile(entry.path, None, note=note))
            continue
        files.append(LicenceFile(entry.path, detect_text(text.text)))
    expressions = [f.expression for f in files if f.expression]
    return LicenceAnalysis(files=tuple(files), expression=combine_and(expressions))
