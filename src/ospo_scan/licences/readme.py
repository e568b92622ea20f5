"""The licence section of a README: "## License — Licensed under either of Apache-2.0 or MIT"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from ospo_scan.evidence import FileKind, locate
from ospo_scan.model import EvidenceSource
from ospo_scan.snapshot import Snapshot
from ospo_scan.untrusted.linear_regex import linear

README_READ_BYTES = 256 * 1024
SECTION_CHARACTERS = 4000
"""A licence section is short; text beyond this is not part of it."""

_MARKDOWN_HEADING = linear(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+|~+|\^+|\*+|\++)\s*$")
_EMPHASIS_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,60})(?:\*\*|__)\s*:?\s*$")
_ASCIIDOC_HEADING = re.compile(r"^(={1,6})\s+(.*)$")
_LICENCE_TITLE = re.compile(r"\blicen[cs](?:e|es|ing)\b|\bcopyright\b", re.IGNORECASE)


class TitlePattern(Protocol):
    """A compiled pattern (Python's or a linear one) searched in a heading's title."""

    def search(self, text: str) -> Any: ...


@dataclass(frozen=True)
class ReadmeSection:
    path: str
    source: EvidenceSource
    text: str


def licence_section(snapshot: Snapshot) -> ReadmeSection | None:
    """The README's licence section, when it has one. A README is never inherited."""
    located = locate(snapshot, FileKind.README)
    if located is None or located.source is not EvidenceSource.REPOSITORY:
        return None
    text = snapshot.read_text(located.entry.path, README_READ_BYTES)
    if text is None or text.binary:
        return None
    section = find_licence_section(text.text)
    if section is None:
        return None
    return ReadmeSection(located.entry.path, EvidenceSource.README, section)


def find_licence_section(text: str) -> str | None:
    """The body under the first heading that mentions licensing, up to the next heading."""
    return find_section(text, _LICENCE_TITLE)


def find_section(text: str, title: TitlePattern) -> str | None:
    """The body under the first heading whose title `title` finds, up to the next heading of
    its level or above; None when no such heading has a body."""
    lines = text.splitlines()
    headings = list(_headings(lines))
    for number, (line_index, level, heading) in enumerate(headings):
        if not title.search(heading):
            continue
        end = len(lines)
        for later_index, later_level, _ in headings[number + 1 :]:
            if later_level <= level:
                end = later_index
                break
        body = "\n".join(lines[line_index + 1 : end]).strip()
        if body:
            return body[:SECTION_CHARACTERS]
    return None


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, title) of Markdown, setext/reST, AsciiDoc and bold-line headings."""
    found: list[tuple[int, int, str]] = []
    in_code = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        markdown = _MARKDOWN_HEADING.match(line) or _ASCIIDOC_HEADING.match(line)
        if markdown:
            found.append((index, len(markdown.group(1)), markdown.group(2)))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        underline = _SETEXT_UNDERLINE.match(following)
        if line.strip() and underline and len(following.strip()) >= min(3, len(line.strip())):
            level = 1 if following.strip()[0] in "=#*" else 2
            found.append((index + 1, level, line.strip()))
            continue
        emphasis = _EMPHASIS_HEADING.match(line)
        if emphasis:
            found.append((index, 3, emphasis.group(1)))
    return found
