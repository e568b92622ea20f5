"""Where evidence is looked for (SPEC §3): `.github/`, root, `docs/`, then organisation defaults."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from ospo_scan.model import Evidence, EvidenceSource
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

SEARCH_DIRECTORIES = (".github", "", "docs")
"""GitHub's own order for community health files."""

TEXT_EXTENSIONS = frozenset(
    {"", "md", "markdown", "mdown", "mkd", "rst", "adoc", "asciidoc", "txt", "text", "org", "html"}
)


class FileKind(str, enum.Enum):
    """A kind of community or governance file, with the names it goes by."""

    README = "readme"
    CONTRIBUTING = "contributing"
    CODE_OF_CONDUCT = "code-of-conduct"
    SECURITY = "security"
    SUPPORT = "support"
    GOVERNANCE = "governance"
    FUNDING = "funding"
    MAINTAINERS = "maintainers"
    CHANGELOG = "changelog"
    CONTRIBUTORS = "contributors"


_STEMS: dict[FileKind, tuple[str, ...]] = {
    FileKind.README: ("readme",),
    FileKind.CONTRIBUTING: ("contributing",),
    FileKind.CODE_OF_CONDUCT: ("code_of_conduct", "code-of-conduct", "codeofconduct"),
    FileKind.SECURITY: ("security",),
    FileKind.SUPPORT: ("support",),
    FileKind.GOVERNANCE: ("governance",),
    FileKind.FUNDING: ("funding",),
    FileKind.MAINTAINERS: ("codeowners", "maintainers", "owners"),
    FileKind.CHANGELOG: ("changelog", "changes", "history", "news", "releases", "release_notes"),
    FileKind.CONTRIBUTORS: ("contributors", "authors", "credits"),
}

_EXTRA_EXTENSIONS: dict[FileKind, frozenset[str]] = {
    FileKind.FUNDING: frozenset({"yml", "yaml"}),
    FileKind.MAINTAINERS: frozenset({"yml", "yaml", "toml"}),
}

INHERITABLE = frozenset(
    {
        FileKind.CONTRIBUTING,
        FileKind.CODE_OF_CONDUCT,
        FileKind.SECURITY,
        FileKind.SUPPORT,
        FileKind.GOVERNANCE,
        FileKind.FUNDING,
    }
)
"""Kinds GitHub takes from the organisation's `.github` repository when a repository lacks them."""


@dataclass(frozen=True)
class Located:
    """A file found for a kind, with the snapshot it belongs to."""

    entry: FileEntry
    source: EvidenceSource
    snapshot: Snapshot

    def evidence(self, detail: str | None = None) -> Evidence:
        return Evidence(self.entry.path, self.source, detail)


def split_name(name: str) -> tuple[str, str]:
    """`CODE_OF_CONDUCT.md` -> (`code_of_conduct`, `md`), case folded."""
    lowered = name.lower()
    stem, dot, extension = lowered.rpartition(".")
    if not dot or not stem:
        return lowered, ""
    return stem, extension


_LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+?)[._-](?P<language>[a-z]{2}(?:[-_][a-z]{2,4})?)$")


def matches_kind(name: str, kind: FileKind) -> bool:
    """Whether a file name is one of the names `kind` goes by (`README.fr.md` included)."""
    stem, extension = split_name(name)
    allowed = TEXT_EXTENSIONS | _EXTRA_EXTENSIONS.get(kind, frozenset())
    if extension not in allowed:
        return False
    if stem in _STEMS[kind]:
        return True
    localised = _LANGUAGE_SUFFIX.match(stem)
    return localised is not None and localised.group("stem") in _STEMS[kind]


def is_localised(name: str) -> bool:
    """`README.fr.md`: a translation, ranked after the main document."""
    stem, _ = split_name(name)
    return not any(stem in stems for stems in _STEMS.values())


_PREFERRED_EXTENSION = re.compile(r"\.(md|markdown|rst|adoc)$", re.IGNORECASE)


def _candidates(snapshot: Snapshot, kind: FileKind) -> list[FileEntry]:
    found: list[FileEntry] = []
    for directory in SEARCH_DIRECTORIES:
        hits = [e for e in snapshot.entries(directory) if matches_kind(e.name, kind)]
        hits = [e for e in hits if e.kind in (EntryKind.FILE, EntryKind.OUTSIDE_LINK)]
        # In one directory, a real file beats a link out, and a formatted document beats plain.
        hits.sort(
            key=lambda e: (
                e.kind is not EntryKind.FILE,
                is_localised(e.name),
                not _PREFERRED_EXTENSION.search(e.name),
                e.name,
            )
        )
        found.extend(hits)
    return found


def locate(snapshot: Snapshot, kind: FileKind) -> Located | None:
    """The first file of `kind`: the repository's own, else an inherited organisation default."""
    own = _candidates(snapshot, kind)
    if own:
        return Located(own[0], EvidenceSource.REPOSITORY, snapshot)
    defaults = snapshot.org_defaults
    if kind in INHERITABLE and defaults is not None:
        inherited = _candidates(defaults, kind)
        if inherited:
            return Located(inherited[0], EvidenceSource.ORGANISATION_DEFAULT, defaults)
    return None


def locate_all(snapshot: Snapshot, kind: FileKind) -> list[Located]:
    """Every file of `kind` in the repository itself, in search order."""
    return [Located(e, EvidenceSource.REPOSITORY, snapshot) for e in _candidates(snapshot, kind)]


def describe_search(kind: FileKind) -> str:
    """Which files count as `kind`, and where they are looked for, in words."""
    names = ", ".join(stem.upper() for stem in _STEMS[kind])
    extensions = sorted(
        f".{e}" for e in TEXT_EXTENSIONS | _EXTRA_EXTENSIONS.get(kind, frozenset()) if e
    )
    where = ", ".join(f"{d}/" if d else "the root" for d in SEARCH_DIRECTORIES)
    text = (
        f"{names} in any case, with no extension or {', '.join(extensions)}, translations "
        f"too (e.g. {_STEMS[kind][0].upper()}.fr.md); looked for in {where}, in that order"
    )
    if kind in INHERITABLE:
        text += "; else inherited from the organisation's .github repository"
    return text
