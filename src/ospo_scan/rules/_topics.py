"""Documented topics: what a project's own documents say on one subject (how to report a
defect, how long a release is supported, its threat model), found by a section heading or a
statement, with the file and line that show it. `TopicRule` (in `_topic_rule`) makes a rule of
one.

The OpenSSF OSPS Baseline asks for many such documents. Each control is a small subclass of
`TopicRule` that says where to look (community documents, documents named for the subject),
what shows the subject (`Topic`: heading phrases, statements), and whether the control applies
only once the project has made a release. Only the listed directories are read (the root,
`.github/`, `docs/`, `.gitlab/`); a directory of `docs/` named for the subject is noted, not
walked.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any

from ospo_scan.evidence import TEXT_EXTENSIONS, FileKind, Located, locate, split_name
from ospo_scan.model import Evidence, EvidenceSource
from ospo_scan.rules._documents import (
    Document,
    content_lines,
    heading_lines,
    is_stub,
    read_document,
    title_words,
    word_count,
)
from ospo_scan.rules.boilerplate import unreviewed_template
from ospo_scan.rules.interface import RuleContext
from ospo_scan.rules.participation import templates
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.linear_regex import LinearPattern, linear

DOCUMENT_DIRECTORIES = ("", "docs", ".github", ".gitlab")
"""Where documents named for a subject are looked for, in this order."""
UNREAD_FORMATS = frozenset({"pdf", "docx", "odt"})
"""Formats of a document named for the subject whose text the scan does not extract: such a
document makes the outcome unknown (a person reads it), never a fail."""
_FENCE = linear(r"^ {0,3}(?:```|~~~)")
_QUOTE_LENGTH = 80


def quoted(text: str) -> str:
    """A line of a repository's document as evidence shows it: neutralised, spaces collapsed,
    cut to a readable length."""
    words = " ".join(neutralise(text).split())
    return words if len(words) <= _QUOTE_LENGTH else words[: _QUOTE_LENGTH - 1] + "…"


def phrases(text: str) -> frozenset[str]:
    """`"report a bug, bug reports"` -> the set of those phrases, written as `headings` writes
    titles (`report bug`: one-letter words dropped); names keep their underscores."""
    return frozenset(
        "_".join(title_words(word) for word in part.split("_")) for part in text.split(",")
    ) - {""}


def has_released(snapshot: Snapshot) -> bool | None:
    """Whether the project has made a release (a tag or a host release); None when neither
    could be read."""
    tags = snapshot.metadata.tags
    releases = snapshot.metadata.host.releases
    if tags or releases:
        return True
    if snapshot.metadata.empty:
        return False
    return None if tags is None else False


def normalised_stem(name: str) -> str:
    """`Threat-Model.md` -> `threat_model`: a file or directory name as a subject name."""
    stem = split_name(name)[0]
    return stem.replace("-", "_").replace(" ", "_").replace(".", "_")


@dataclass(frozen=True)
class Sighting:
    """Where a document shows a subject."""

    document: Document
    """The document."""
    line: int
    """The line (from 1) of the heading or statement; 1 for a document named for the subject."""
    how: str
    """`section`, `statement`, or `document` (named for the subject)."""
    shown: str
    """The heading's title or the statement's line, as written (quoted when shown)."""
    passage: str
    """What it says there: the section under the heading, the statement's line, or the whole
    document named for the subject."""

    @property
    def detail(self) -> str:
        if self.how == "document":
            return "a document on the subject"
        return f"line {self.line}, {self.how} '{quoted(self.shown)}'"

    def describe(self) -> str:
        return f"{self.document.where} ({self.detail})"

    def evidence(self, note: str | None = None) -> Evidence:
        return self.document.evidence(f"{self.detail}; {note}" if note else self.detail)


@dataclass(frozen=True)
class Topic:
    """What shows a subject in a document: a section under a heading, or a statement."""

    sections: frozenset[str] = frozenset()
    """Heading phrases (lower-case whole words: `reporting bugs`) that open a section on it."""
    statements: LinearPattern | None = None
    """A statement on the subject, within one line (a command, a sentence)."""
    min_words: int = 5
    """Words of prose a section needs under its heading."""
    section_says: LinearPattern | None = None
    """What a section must also say to count (a list of names under `Maintainers` does not
    describe what maintainers do)."""

    def find(self, document: Document) -> Sighting | None:
        """The first heading (with prose under it) or statement of `document` on the subject."""
        layout = _layout(document.text)
        lines, titles = layout.lines, layout.titles
        found: list[Sighting] = []
        for number, (index, title) in enumerate(titles):
            padded = f" {title} "
            if not any(f" {phrase} " in padded for phrase in self.sections):
                continue
            end = titles[number + 1][0] if number + 1 < len(titles) else len(lines)
            body = "\n".join(lines[index + 1 : end])
            says = self.section_says is None or self.section_says.search(body) is not None
            if says and word_count(" ".join(content_lines(body))) >= self.min_words:
                heading = lines[index].strip()
                found.append(Sighting(document, index + 1, "section", heading, body))
                break
        if self.statements is not None and (match := self.statements.search(document.text)):
            start = _start(match)
            line = bisect_right(layout.starts, start) - 1
            text = lines[line] if 0 <= line < len(lines) else match.group(0)
            column = start - layout.starts[line] if line >= 0 else 0
            found.append(Sighting(document, line + 1, "statement", _around(text, column), text))
        return min(found, key=lambda s: s.line) if found else None


@dataclass(frozen=True)
class _Layout:
    """A document's lines (as `str.splitlines` cuts them), where each starts, and its
    headings outside code blocks: worked out once per document, however many topics look."""

    lines: list[str]
    """The document's lines, without their line breaks."""
    starts: list[int]
    """Where each line starts in the text."""
    titles: list[tuple[int, str]]
    """Each heading's line index and title, as `heading_lines` gives them."""


@lru_cache(maxsize=32)
def _layout(text: str) -> _Layout:
    starts: list[int] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        starts.append(offset)
        offset += len(line)
    lines = text.splitlines()
    fenced = _fenced(lines)
    titles = [(i, t) for i, t in heading_lines(text) if i not in fenced]
    return _Layout(lines, starts, titles)


def _start(match: Any) -> int:
    """Where a statement found starts: a pattern may begin with the space before it."""
    found: str = match.group(0)
    return int(match.start()) + len(found) - len(found.lstrip())


def _around(line: str, column: int) -> str:
    """The part of a long line a quote shows: from a little before the statement found."""
    start = max(0, column - _QUOTE_LENGTH // 4)
    return ("…" if start else "") + line[start:].strip()


def _fenced(lines: list[str]) -> frozenset[int]:
    """Indexes of the lines inside fenced code blocks (a `# comment` there is no heading)."""
    inside, indexes = False, set()
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            inside = not inside
        elif inside:
            indexes.add(index)
    return frozenset(indexes)


@dataclass(frozen=True)
class Reading:
    """The documents a topic rule looked at, sorted by what they can show."""

    documents: tuple[Document, ...] = ()
    """Readable text written by the project (no template), in search order."""
    named: frozenset[str] = frozenset()
    """Paths among `documents` named for the subject (`THREAT_MODEL.md`)."""
    templates: tuple[Document, ...] = ()
    """Documents still an unreviewed template: they show an intention, not a practice."""
    unread: tuple[Document, ...] = ()
    """Documents that could not be read (the connector failed to)."""
    directories: tuple[str, ...] = ()
    """Directories named for the subject, which the scan does not walk."""
    searched: tuple[str, ...] = ()
    """Every path looked at, for the message when nothing shows the subject."""

    def first(self, topic: Topic, *, named: bool = True) -> Sighting | None:
        """The first sighting of `topic`; a document named for the subject with real content
        is one itself (unless `named` is False)."""
        for document in self.documents:
            if named and document.path in self.named and not is_stub(document.text, min_lines=1):
                return Sighting(document, 1, "document", document.path, document.text)
            if (sighting := topic.find(document)) is not None:
                return sighting
        return None

    def all(self, topic: Topic) -> Iterator[Sighting]:
        """Every document's first sighting of `topic`."""
        for document in self.documents:
            if (sighting := topic.find(document)) is not None:
                yield sighting


def read_documents(
    context: RuleContext,
    kinds: tuple[FileKind, ...],
    names: frozenset[str],
    related: frozenset[str] = frozenset(),
    *,
    name_extensions: frozenset[str] = TEXT_EXTENSIONS,
    with_templates: bool = False,
) -> Reading:
    """Find and read the documents a topic is looked for in (each read once per repository):
    the community documents of `kinds` (own, else inherited), documents named for the subject
    (`names`) or read beside them (`related`), and the issue and change templates."""
    snapshot = context.snapshot
    located: list[tuple[Located, bool]] = []
    for kind in kinds:
        if (found := locate(snapshot, kind)) is not None:
            located.append((found, False))
    directories: list[str] = []
    unread_formats: list[FileEntry] = []
    for entry in _named_entries(snapshot, names | related):
        on_subject = normalised_stem(entry.name) in names
        if entry.kind is EntryKind.DIRECTORY:
            # Under docs/ a directory is documentation; elsewhere (`api/`, `tests/`) code.
            if on_subject and entry.path.startswith("docs/"):
                directories.append(entry.path)
        elif split_name(entry.name)[1] in name_extensions:
            place = Located(entry, EvidenceSource.REPOSITORY, snapshot)
            located.append((place, on_subject))
        elif on_subject and split_name(entry.name)[1] in UNREAD_FORMATS:
            unread_formats.append(entry)
    if with_templates:
        owner = snapshot
        found_templates = templates(snapshot)
        source = EvidenceSource.REPOSITORY
        if not found_templates and snapshot.org_defaults is not None:
            owner, source = snapshot.org_defaults, EvidenceSource.ORGANISATION_DEFAULT
            found_templates = templates(owner)
        located.extend((Located(e, source, owner), False) for e in found_templates)
    reading = _sorted(context, located, tuple(directories))
    if not unread_formats:
        return reading
    not_text = tuple(
        Document(Located(e, EvidenceSource.REPOSITORY, snapshot), "", unreadable=True)
        for e in unread_formats
    )
    return replace(reading, unread=reading.unread + not_text)


def _named_entries(snapshot: Snapshot, names: frozenset[str]) -> Iterator[FileEntry]:
    if not names:
        return
    for directory in DOCUMENT_DIRECTORIES:
        for entry in snapshot.entries(directory):
            if normalised_stem(entry.name) in names and entry.kind in (
                EntryKind.FILE,
                EntryKind.DIRECTORY,
            ):
                yield entry


def _sorted(
    context: RuleContext, located: list[tuple[Located, bool]], directories: tuple[str, ...]
) -> Reading:
    documents: list[Document] = []
    named: set[str] = set()
    unreviewed: list[Document] = []
    unread: list[Document] = []
    searched: list[str] = []
    seen: set[tuple[str, str]] = set()
    for place, is_named in located:
        key = (place.snapshot.name, place.entry.path)
        if key in seen:
            continue
        seen.add(key)
        document = context.memo(f"topic-document:{key[0]}:{key[1]}", partial(read_document, place))
        searched.append(document.where)
        if is_named:
            named.add(document.path)
        if document.unreadable:
            if document.located.entry.kind is not EntryKind.OUTSIDE_LINK:
                unread.append(document)
        elif document.binary or not document.text.strip():
            continue
        elif unreviewed_template(document.text) is not None:
            unreviewed.append(document)
        else:
            documents.append(document)
    return Reading(
        tuple(documents),
        frozenset(named),
        tuple(unreviewed),
        tuple(unread),
        directories,
        tuple(searched),
    )
