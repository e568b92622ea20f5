"""A licence file cut into sections, each identified on its own.

Licence files that carry more than one licence mark where each starts: a separator line
(`-----`, `=====`, `*****`), a Markdown heading (`# Content`, or a line underlined with `===` or
`---`), a name between two separator lines, an HTML heading or `<hr>`. Each section keeps its
heading, so that a bundled notice can be reported under the name its file gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ospo_scan.licences.normalise import licence_words

MAX_HEADING_WORDS = 12
"""A section of one line this short, followed by another section, is that section's heading."""

_RULE = re.compile(r"[ \t]*([-=*_~#+])[ \t]*(?:\1[ \t]*){2,}")
"""A line of one repeated mark: a separator, or the underline of a heading."""
_UNDERLINE = re.compile(r"[ \t]*(?:={2,}|-{2,})[ \t]*")
"""The underline of a heading, which may be as short as its title ("d3" over "--")."""
_ATX_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+(\S[^\n]*)")
_HTML_BREAK = re.compile(r"<(?:h[1-6]\b[^<>]{0,200}|hr\b[^<>]{0,200})>", re.IGNORECASE)
_HTML_HEADING_END = re.compile(r"</h[1-6][ \t]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^<>]{0,500}>")


@dataclass(frozen=True)
class Section:
    """A part of a licence file."""

    heading: str | None
    """The section's heading as written (tags and marks taken out), when it has one."""
    text: str
    """The section's text, heading excluded."""


def split_sections(text: str) -> tuple[Section, ...]:
    """The sections of a licence file, in order; a file without marks is one section."""
    raw = _html_sections(text) if _HTML_BREAK.search(text) else _plain_sections(text)
    sections: list[Section] = []
    pending: str | None = None
    carried = ""
    """Copyright lines of a part with nothing else, carried into the next section."""
    for heading, body in raw:
        heading = " — ".join(h for h in (pending, heading) if h) or None
        if not licence_words(body):
            pending, carried = heading, f"{carried}{body}\n"
            continue
        if heading is None and not carried and _is_title(body):
            pending = " ".join(body.split())
            continue
        sections.append(Section(heading, carried + body))
        pending, carried = None, ""
    if sections and (pending or carried.strip()):
        last = sections[-1]
        tail = "\n".join(part for part in (carried, pending) if part and part.strip())
        sections[-1] = Section(last.heading, f"{last.text}\n{tail}")
    return tuple(sections) or (Section(None, text),)


def _is_title(body: str) -> bool:
    """One short line that does not end a sentence: "Glyph icons", not "See NOTICE."."""
    lines = [line.strip() for line in _TAGS.sub(" ", body).splitlines() if line.strip()]
    return (
        len(lines) == 1
        and len(lines[0].split()) <= MAX_HEADING_WORDS
        and not lines[0].endswith((".", ":", ";", "!", "?"))
    )


def _plain_sections(text: str) -> list[tuple[str | None, str]]:
    """(heading, text) runs of a plain-text or Markdown file."""
    lines = text.splitlines()
    parts: list[tuple[str | None, str]] = []
    heading: str | None = None
    body: list[str] = []

    def close(next_heading: str | None) -> None:
        nonlocal heading, body
        parts.append((heading, "\n".join(body)))
        heading, body = next_heading, []

    for line in lines:
        atx = _ATX_HEADING.fullmatch(line)
        if atx:
            close(atx.group(1).strip().rstrip("#").strip())
        elif _RULE.fullmatch(line) or _UNDERLINE.fullmatch(line):
            underlined = body[-1].strip() if body else ""
            if underlined and len(underlined.split()) <= MAX_HEADING_WORDS and _blank_before(body):
                body.pop()
                close(underlined)
            elif _RULE.fullmatch(line):
                close(None)
            else:
                body.append(line)
        else:
            body.append(line)
    close(None)
    return parts


def _blank_before(body: list[str]) -> bool:
    """An underlined line is a heading when it starts a paragraph."""
    return len(body) < 2 or not body[-2].strip()


def _html_sections(text: str) -> list[tuple[str | None, str]]:
    """(heading, text) runs of an HTML page, cut at its headings and rules."""
    parts: list[tuple[str | None, str]] = []
    heading: str | None = None
    position = 0
    for found in _HTML_BREAK.finditer(text):
        if found.start() < position:
            continue
        parts.append((heading, text[position : found.start()]))
        heading, position = None, found.end()
        if found.group(0)[1:3].lower() != "hr":
            end = _HTML_HEADING_END.search(text, found.end(), found.end() + 1000)
            if end is not None:
                heading = " ".join(_TAGS.sub(" ", text[found.end() : end.start()]).split())
                position = end.end()
    parts.append((heading, text[position:]))
    return parts
