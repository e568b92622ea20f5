"""Repository text in Markdown: escaped only where Markdown needs it, so it renders literally.

The characters that open code, emphasis, links, HTML, entities, table cells and maths get a
backslash; at the start of a line, what would open a heading, a list or a quote; `www.` and
`://` are broken so that GitHub does not autolink them; an invisible word joiner after each `@`
stops e-mail autolinks and @-mentions. Commas, full stops, hyphens and colons are left alone.
"""

from __future__ import annotations

import re

from ospo_scan.untrusted.display import neutralise

WORD_JOINER = "\u2060"
"""Invisible; follows every `@` so that no e-mail address is autolinked and no one is mentioned."""

_INLINE = "\\`*_[]<>|~&$"
"""Characters that open inline Markdown anywhere: code, emphasis, links, HTML, entities, table
cells, strikethrough and GitHub's maths."""
_ESCAPES = {ord(char): "\\" + char for char in _INLINE}
_ESCAPES.update({ord("\r"): " ", ord("\n"): " ", ord("\t"): " "})
_ESCAPES[ord("@")] = "\\@" + WORD_JOINER
_AUTOLINK = re.compile(r"(?i)(www)\.|:(//)")
_BLOCK_START = re.compile(r"^([ ]{0,3})([#+=-]|\d{1,9}(?=[.)]))")
"""A heading, list item or setext underline at the start of a line."""


def escape_markdown(text: str, *, at_line_start: bool = False) -> str:
    """Text that renders literally in CommonMark/GFM, on one line, even inside a table cell.

    `at_line_start`: the text begins a line, a list item or a quote, where `# `, `- ` or `1. `
    would start a block."""
    escaped = neutralise(text, keep_line_breaks=True).translate(_ESCAPES)
    escaped = _AUTOLINK.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else "\\://", escaped)
    if not at_line_start:
        return escaped
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker.isdigit():
        return f"{indent}{marker}\\"  # the `.` or `)` after the number gets escaped
    return f"{indent}\\{marker}"
