"""Documented topics: what a project's own documents say on one subject (how to report a
defect, how long a release is supported, its threat model), found by a section heading or a
statement, with the file and line that show it.

The OpenSSF OSPS Baseline asks for many such documents. Each control is a small subclass of
`TopicRule` that says where to look (community documents, documents named for the subject),
what shows the subject (`Topic`: heading phrases, statements), and whether the control applies
only once the project has made a release. Only the listed directories are read (the root,
`.github/`, `docs/`, `.gitlab/`); a directory of `docs/` named for the subject is noted, not
walked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, ClassVar

from ospo_scan.evidence import TEXT_EXTENSIONS, FileKind, Located, locate, split_name
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import (
    TEMPLATE_RULE,
    Document,
    content_lines,
    heading_lines,
    is_stub,
    read_document,
    title_words,
    word_count,
)
from ospo_scan.rules.boilerplate import unreviewed_template
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown
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

    def find(self, document: Document) -> Sighting | None:
        """The first heading (with prose under it) or statement of `document` on the subject."""
        lines = document.text.splitlines()
        found: list[Sighting] = []
        fenced = _fenced(lines)
        titles = [(i, t) for i, t in heading_lines(document.text) if i not in fenced]
        for number, (index, title) in enumerate(titles):
            padded = f" {title} "
            if not any(f" {phrase} " in padded for phrase in self.sections):
                continue
            end = titles[number + 1][0] if number + 1 < len(titles) else len(lines)
            body = "\n".join(lines[index + 1 : end])
            if word_count(" ".join(content_lines(body))) >= self.min_words:
                heading = lines[index].strip()
                found.append(Sighting(document, index + 1, "section", heading, body))
                break
        if self.statements is not None and (match := self.statements.search(document.text)):
            line = document.text.count("\n", 0, match.start())
            text = lines[line] if line < len(lines) else match.group(0)
            found.append(Sighting(document, line + 1, "statement", _around(text, match), text))
        return min(found, key=lambda s: s.line) if found else None


def _around(line: str, match: Any) -> str:
    """The part of a long line a quote shows: from a little before the statement found."""
    column = match.start() - (match.string.rfind("\n", 0, match.start()) + 1)
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
    searched: tuple[str, ...] = field(default=())
    """Every path looked at, for the message when nothing shows the subject."""

    def first(self, topic: Topic, *, named: bool = True) -> Sighting | None:
        """The first sighting of `topic`; a document named for the subject with real content
        is one itself (unless `named` is False)."""
        for document in self.documents:
            if named and document.path in self.named and not is_stub(document.text):
                return Sighting(document, 1, "document", document.path, document.text)
            if (sighting := topic.find(document)) is not None:
                return sighting
        return None

    def all(self, topic: Topic) -> Iterator[Sighting]:
        """Every document's first sighting of `topic`."""
        for document in self.documents:
            if (sighting := topic.find(document)) is not None:
                yield sighting


class TopicRule(Rule):
    """Passes when the project's own documents cover `subject` (see the module docstring)."""

    subject: ClassVar[str]
    """What the documents must cover, as a phrase (`how to report defects`)."""
    topic: ClassVar[Topic]
    kinds: ClassVar[tuple[FileKind, ...]] = ()
    """Community documents that may cover it, in search order (own, else inherited)."""
    names: ClassVar[frozenset[str]] = frozenset()
    """Names (as `normalised_stem` gives them) of documents and directories on the subject."""
    related: ClassVar[frozenset[str]] = frozenset()
    """Names of documents read for sections and statements, which are not on the subject by
    their name alone (`INSTALL.md` for build instructions)."""
    name_extensions: ClassVar[frozenset[str]] = TEXT_EXTENSIONS
    with_templates: ClassVar[bool] = False
    """Also read the issue and pull or merge request templates."""
    after_release: ClassVar[bool] = False
    """The control applies once the project has made a release."""
    named_suffices: ClassVar[bool] = True
    """A document named for the subject, with real content, shows it by itself; when False,
    such documents are read like the others."""
    statement_words: ClassVar[str] = "a line stating it"
    """The statements `topic` finds, in words for `rules show`."""
    judged_by_person: ClassVar[str | None] = None
    """What only a person can judge of a document found, after "whether it" (`shows every
    actor and action`)."""

    def explain(self) -> tuple[tuple[str, str], ...]:
        lines = [("documents read", self.describe_places())]
        if self.topic.sections:
            lines.append(
                (
                    "section titles",
                    f"{', '.join(sorted(self.topic.sections))} (with at least "
                    f"{self.topic.min_words} words under the heading)",
                )
            )
        if self.topic.statements is not None:
            lines.append(("statements", self.statement_words))
        lines.append(TEMPLATE_RULE)
        lines.append(
            ("unknown", "a document that could not be read, or a directory named for the subject")
        )
        if self.after_release:
            lines.append(("not-applicable", "no tag and no release yet"))
        if self.judged_by_person:
            lines.append(("for a person to judge", f"whether it {self.judged_by_person}"))
        return tuple(lines)

    def describe_places(self) -> str:
        places = [kind.value.upper().replace("-", "_") for kind in self.kinds]
        if self.names:
            places.append(
                "documents or directories named "
                + ", ".join(sorted(self.names))
                + " in the root, docs/, .github/ or .gitlab/ (on the subject by their name)"
            )
        if self.related:
            places.append("documents named " + ", ".join(sorted(self.related)))
        if self.with_templates:
            places.append("issue and pull or merge request templates")
        return "; ".join(places)

    def check(self, context: RuleContext) -> Finding:
        released = has_released(context.snapshot)
        if self.after_release and released is False:
            return not_applicable(
                "The project has made no release (no tag, no release): the control applies "
                "once it has."
            )
        finding = self.conclude(self.read(context), context)
        if self.after_release and released is None and finding.outcome is not Outcome.PASS:
            return unknown(
                f"{finding.message.rstrip('.')}; whether the project has made a release (the "
                "control's condition) could not be read",
                settles="a scan that can read the repository's tags or releases",
                evidence=finding.evidence,
            )
        return finding

    def conclude(self, reading: Reading, context: RuleContext) -> Finding:
        """The finding on what the documents show."""
        sighting = reading.first(self.topic, named=self.named_suffices)
        if sighting is not None:
            return self.judge(sighting, reading)
        return self.missing(reading)

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        """The finding for a document that shows the subject: a pass, unless a control asks
        more of it."""
        message = f"{self.subject.capitalize()}: {sighting.describe()}."
        note = None
        if self.judged_by_person:
            message += f" Whether it {self.judged_by_person} is for a person to judge."
            note = "its adequacy is for a person to judge"
        return Finding(Outcome.PASS, message, (sighting.evidence(note),))

    def missing(self, reading: Reading) -> Finding:
        """The finding when no reviewed document shows the subject."""
        if reading.unread:
            paths = ", ".join(d.where for d in reading.unread)
            return unknown(
                f"No document read covers {self.subject}, and {paths} could not be read as text",
                settles=f"a person reading {paths}, or a scan that can read it",
                evidence=tuple(d.evidence("could not be read") for d in reading.unread),
            )
        shown = [d for d in reading.templates if d.path in reading.named or self.topic.find(d)]
        if shown:
            template = shown[0]
            why = unreviewed_template(template.text)
            return Finding(
                Outcome.PARTIAL,
                f"Only {template.where} covers {self.subject}, and it is written from a "
                f"template, not yet reviewed ({why}).",
                (template.evidence("unreviewed template"),),
            )
        if reading.directories:
            paths = ", ".join(f"{d}/" for d in reading.directories)
            return unknown(
                f"No document read covers {self.subject}; {paths} may, but the scan does not "
                "read directories below docs/",
                settles=f"a person reading {paths}",
                evidence=tuple(
                    Evidence(d, EvidenceSource.REPOSITORY, "not read") for d in reading.directories
                ),
            )
        searched = ", ".join(reading.searched) if reading.searched else "no document found"
        return Finding(Outcome.FAIL, f"Nothing documents {self.subject} (read: {searched}).")

    def read(self, context: RuleContext) -> Reading:
        """Find and read the documents this rule looks at (each read once per repository)."""
        snapshot = context.snapshot
        located: list[tuple[Located, bool]] = []
        for kind in self.kinds:
            if (found := locate(snapshot, kind)) is not None:
                located.append((found, False))
        directories: list[str] = []
        unread_formats: list[FileEntry] = []
        for entry in _named_entries(snapshot, self.names | self.related):
            on_subject = normalised_stem(entry.name) in self.names
            if entry.kind is EntryKind.DIRECTORY:
                # Under docs/ a directory is documentation; elsewhere (`api/`, `tests/`) code.
                if on_subject and entry.path.startswith("docs/"):
                    directories.append(entry.path)
            elif split_name(entry.name)[1] in self.name_extensions:
                place = Located(entry, EvidenceSource.REPOSITORY, snapshot)
                located.append((place, on_subject))
            elif on_subject and split_name(entry.name)[1] in UNREAD_FORMATS:
                unread_formats.append(entry)
        if self.with_templates:
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
