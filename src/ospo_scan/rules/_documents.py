"""Shared reading of community documents: find, read, and judge whether there is real content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ospo_scan.evidence import FileKind, Located, describe_search, locate, locate_all
from ospo_scan.model import Evidence, Finding, Outcome
from ospo_scan.rules.boilerplate import WHAT_COUNTS, unreviewed_template
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.snapshot import EntryKind, Snapshot
from ospo_scan.untrusted.linear_regex import linear

_MARKUP_ONLY = linear(r"^(?:[#=*_\-~`>|:.\s]|\[!\[.*|!\[.*|<[^>]*>)*$")
_HEADING = linear(r"^\s*(?:#{1,6}\s|=+\s*$|-+\s*$|\.\.\s)")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_LINK = linear(r"https?://[^\s)>\]]{4,}|\]\([^#)\s][^)\s]*\)")
"""A URL, or a Markdown link target that is not an anchor on the same page."""
_PLACEHOLDER = re.compile(r"\b(?:todo|tbd|coming soon|lorem ipsum|placeholder)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """A located document and what reading it showed."""

    located: Located
    text: str
    binary: bool = False
    unreadable: bool = False
    """A link out of the repository, or a file the connector could not read."""

    @property
    def path(self) -> str:
        return self.located.entry.path

    def evidence(self, detail: str | None = None) -> Evidence:
        return self.located.evidence(detail)

    @property
    def where(self) -> str:
        """The path, saying when it is an organisation default."""
        if (
            self.located.snapshot is not None
            and self.located.source.value == "organisation-default"
        ):
            return f"{self.path} (organisation default from {self.located.snapshot.name})"
        return self.path


def read_document(located: Located) -> Document:
    """Read a located file within the snapshot's read bound."""
    if located.entry.kind is EntryKind.OUTSIDE_LINK:
        return Document(located, "", unreadable=True)
    text = located.snapshot.read_text(located.entry.path)
    if text is None:
        return Document(located, "", unreadable=True)
    return Document(located, text.text, binary=text.binary)


def find_document(snapshot: Snapshot, kind: FileKind) -> Document | None:
    """The evidence for `kind` (own, else inherited), read."""
    located = locate(snapshot, kind)
    return read_document(located) if located else None


def find_readable_document(snapshot: Snapshot, kind: FileKind) -> Document | None:
    """Among the repository's own files of `kind`, the first readable text; else the first one."""
    documents = [read_document(located) for located in locate_all(snapshot, kind)]
    readable = [d for d in documents if not d.binary and not d.unreadable and d.text.strip()]
    chosen = readable or documents
    return chosen[0] if chosen else None


def content_lines(text: str) -> list[str]:
    """Lines that carry prose: not blank, not headings, rules, badges or bare markup."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or _HEADING.match(line) or _MARKUP_ONLY.match(stripped):
            continue
        lines.append(stripped)
    return lines


def has_placeholder(text: str) -> bool:
    """Whether the text says it is unfinished (TODO, TBD, lorem ipsum, ...)."""
    return bool(_PLACEHOLDER.search(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def title_words(text: str) -> str:
    """`text` as `headings` gives a title: its words of two letters or more, in lower case,
    separated by single spaces."""
    return " ".join(_WORD.findall(text.lower()))


def is_stub(text: str, *, min_lines: int = 2, min_words: int = 20) -> bool:
    """Too little prose to be a real document (a title, a TODO, a sentence).

    A short file that points to the real guide elsewhere (a link and a sentence) is a pointer,
    which is how many organisations share one guide, not a stub."""
    lines = content_lines(text)
    prose = " ".join(lines)
    words = word_count(prose)
    if words >= min_words and len(lines) >= min_lines:
        return bool(_PLACEHOLDER.search(prose)) and words < 3 * min_words
    return not (_LINK.search(prose) and words >= 5)


def unusable(document: Document, label: str) -> Finding | None:
    """A fail finding when the document cannot serve at all (link out, binary, empty)."""
    if document.unreadable:
        if document.located.entry.kind is EntryKind.OUTSIDE_LINK:
            reason = "is a symbolic link that leaves the repository and was not read"
        else:
            reason = "could not be read"
        return Finding(Outcome.FAIL, f"{label} {document.where} {reason}.", (document.evidence(),))
    if document.binary:
        return Finding(
            Outcome.FAIL,
            f"{label} {document.where} is a binary file, not text.",
            (document.evidence("binary"),),
        )
    if not document.text.strip():
        return Finding(
            Outcome.FAIL, f"{label} {document.where} is empty.", (document.evidence("empty"),)
        )
    return None


def template_finding(document: Document, label: str) -> Finding | None:
    """A partial finding when the document is still a template nobody has reviewed."""
    why = unreviewed_template(document.text)
    if why is None:
        return None
    return Finding(
        Outcome.PARTIAL,
        f"{label} {document.where} is written from a template, not yet reviewed ({why}).",
        (document.evidence("unreviewed template"),),
    )


TEMPLATE_RULE = ("counts as a template (partial)", WHAT_COUNTS)
"""The `rules show` line for rules that judge templates."""


STUB_RULE = (
    "fewer than 20 words of prose, or fewer than 2 lines of it (headings, badges and markup "
    "left out), unless it links to the real guide elsewhere in 5 words or more; or placeholder "
    "text (TODO, TBD, coming soon, lorem ipsum) in fewer than 60 words"
)
"""What `is_stub` means, in words."""


class PresenceRule(Rule):
    """Passes when a non-empty, readable file of `kind` exists."""

    kind: FileKind
    label: str

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", describe_search(self.kind)),
            ("fails when", "there is none, or it is empty, binary or a link out of the repository"),
            TEMPLATE_RULE,
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_document(context.snapshot, self.kind)
        if document is None:
            return self.absent(context)
        if (failure := unusable(document, self.label.capitalize())) is not None:
            return failure
        if (template := template_finding(document, self.label.capitalize())) is not None:
            return template
        return self.judge(document)

    def absent(self, context: RuleContext) -> Finding:
        """The finding when there is no file of the kind: a fail, unless a kind finds its
        evidence elsewhere."""
        return Finding(Outcome.FAIL, f"No {self.label} found.")

    def judge(self, document: Document) -> Finding:
        """The finding for a readable document that is no template: a pass, unless a kind
        asks more of its content."""
        return Finding(
            Outcome.PASS, f"{self.label.capitalize()} {document.where}.", (document.evidence(),)
        )


_ATX_HEADING = linear(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_ASCIIDOC_HEADING = linear(r"^={1,6}[ \t]+(\S.*?)\s*$")
_HTML_HEADING = linear(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE)
_BOLD_LINE = linear(r"^\s*(?:\*\*|__)([^*_]{2,60})(?:\*\*|__):?\s*$")
_UNDERLINE = linear(r"^\s*(?:={3,}|-{3,}|~{3,}|\^{3,}|\*{3,}|\+{3,})\s*$")


def headings(text: str) -> list[str]:
    """Section titles of a Markdown, reStructuredText, AsciiDoc or HTML document, as words in
    lower case separated by single spaces (`## Getting started!` -> `getting started`)."""
    return [title for _, title in heading_lines(text)]


def heading_lines(text: str) -> list[tuple[int, str]]:
    """Each section title of `text` as `headings` gives it, with the index of its line."""
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        match = (
            _ATX_HEADING.match(line)
            or _ASCIIDOC_HEADING.match(line)
            or _BOLD_LINE.match(line)
            or _HTML_HEADING.search(line)
        )
        if match:
            found.append((index, match.group(1)))
        elif (
            line.strip()
            and index + 1 < len(lines)
            and _UNDERLINE.match(lines[index + 1])
            and not _UNDERLINE.match(line)
        ):
            found.append((index, line))
    return [(index, " ".join(_WORD.findall(title.lower()))) for index, title in found]


def has_heading(titles: list[str], phrases: frozenset[str]) -> str | None:
    """The first title holding one of `phrases` as whole words, or None."""
    for title in titles:
        padded = f" {title} "
        if any(f" {phrase} " in padded for phrase in phrases):
            return title
    return None
