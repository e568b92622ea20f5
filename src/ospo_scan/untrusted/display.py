"""Text from a repository or host, made safe to show: no control or bidirectional characters.

A directory name holding `ESC ] 0 ; ... BEL` retitles the terminal that prints it; `U+202E`
(right-to-left override) makes `exe.txt` read as `txt.exe` in a browser or a spreadsheet. Every
place that shows such text (progress line, table, CSV, HTML, Markdown, SARIF, the error line)
passes it through `neutralise`, which writes each of these characters as a visible escape
(`\\x1b`, `\\u202e`), so nothing is hidden and nothing acts.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder the text around them (the "Trojan Source" set, with the marks)."""
LINE_BREAKS = frozenset("\n\r\t")
"""Kept by `neutralise(..., keep_line_breaks=True)`, for places where a line break is harmless."""


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _is_neutralised(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp")


_ALWAYS = {
    ord(char): _escape(char)
    for char in map(chr, (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029))
    if _is_neutralised(char)
} | {ord(char): _escape(char) for char in BIDI_CONTROLS}
_KEEPING_LINE_BREAKS = {
    code: text for code, text in _ALWAYS.items() if chr(code) not in LINE_BREAKS
}


def neutralise(text: str, *, keep_line_breaks: bool = False) -> str:
    """`text` with every control, line-separator and bidirectional character written as an escape.

    `keep_line_breaks` keeps LF, CR and TAB, for output where they cannot act (an HTML element,
    a quoted CSV field); the terminal and one-line fields escape them too.
    """
    if text.isprintable():
        return text  # the common case: nothing to do
    return text.translate(_KEEPING_LINE_BREAKS if keep_line_breaks else _ALWAYS)
