"""Licence text normalisation: the same words for the same licence, however it is formatted.

Texts are compared as sequences of lower-case words, after markup (HTML tags, Markdown emphasis
and link targets), copyright lines and a few spelling variants are taken out. This follows the
SPDX matching guidelines closely enough for whole-text comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ospo_scan.untrusted.linear_regex import LinearPattern, linear

Pattern = LinearPattern | re.Pattern[str]

_COPYRIGHT_LINE = re.compile(
    r"^[\s#*>/_-]*(?:"
    r"(?i:copyright)[ \t]*(?:\((?i:c)\)|©|:|\d|\[|<|\{|(?i:by)\b|[A-Z][a-z]|$)"
    r"|\((?i:c)\)[ \t]*\d|©|(?i:all\s+rights\s+reserved))",
    re.MULTILINE,
)
"""A copyright statement ("Copyright (c) 2024 Example", "© Example"), not a line of licence text
that happens to begin with the word ("copyright license to reproduce ...")."""
_HTML_TAG = linear(r"<(?:/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?|!--.*?--)>", re.DOTALL)
_HTML_HIDDEN = linear(
    r"<(?:style(?:[^>\w][^>]*)?>.*?</style|script(?:[^>\w][^>]*)?>.*?</script"
    r"|head(?:[^>\w][^>]*)?>.*?</head)\s*>",
    re.IGNORECASE | re.DOTALL,
)
"""Parts of an HTML page that are not its text."""
_MARKDOWN_LINK = linear(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")


@dataclass(frozen=True)
class _Markup:
    """The markup patterns, compiled by one engine."""

    markdown_link: Pattern
    """A Markdown link, its text in group 1."""
    html_hidden: Pattern
    """A style, script or head element."""
    html_tag: Pattern
    """An HTML tag or comment."""


def _in_python_re(pattern: LinearPattern) -> re.Pattern[str]:
    return re.compile(pattern.source, pattern.flags)


_UNTRUSTED = _Markup(_MARKDOWN_LINK, _HTML_HIDDEN, _HTML_TAG)
"""For any text a repository or a user supplies: linear time, whatever the text."""
_SHIPPED = _Markup(*map(_in_python_re, (_MARKDOWN_LINK, _HTML_HIDDEN, _HTML_TAG)))
"""The same patterns in Python's `re`, several times faster on the licence texts scancode
ships with the installed package, which are not a repository's to choose."""
_HTML_ENTITY = re.compile(r"&(?:amp|quot|apos|lt|gt|nbsp|#\d+|#x[0-9a-fA-F]+);")
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]")
"""`[yyyy]`, `[name of copyright owner]`: template blanks, filled or not, say nothing."""
_WORD = re.compile(r"[a-z0-9]+")

_EQUIVALENT_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "sublicence": "sublicense",
    "acknowledgment": "acknowledgement",
    "acknowledgments": "acknowledgements",
    "analogue": "analog",
    "authorisation": "authorization",
    "authorised": "authorized",
    "characterisation": "characterization",
    "favour": "favor",
    "organisation": "organization",
    "organisations": "organizations",
    "https": "http",
    "whilst": "while",
    "wilful": "willful",
}
_SKIPPED_WORDS = frozenset({"www"})
_RESPELT = _SKIPPED_WORDS | frozenset(_EQUIVALENT_WORDS)
"""Words that are not kept as they are."""


def strip_copyright_lines(text: str) -> str:
    """The text without its copyright and 'all rights reserved' lines."""
    return "\n".join("" if _COPYRIGHT_LINE.match(line) else line for line in text.splitlines())


def licence_words(text: str, *, keep_copyright: bool = False) -> list[str]:
    """The words a licence comparison looks at, in order."""
    if not keep_copyright:
        text = strip_copyright_lines(text)
    return _words(text, _UNTRUSTED)


def shipped_reference_words(text: str) -> tuple[list[str], int]:
    """`licence_words(text)` of a licence text scancode ships, and how many more words
    `licence_words(text, keep_copyright=True)` has (the words its copyright lines took).

    Only for scancode's own data files: their patterns run in Python's `re`, which has no
    linear-time bound on text someone chose to be slow.
    """
    without_copyright = strip_copyright_lines(text)
    words = _words(without_copyright, _SHIPPED)
    if text in (without_copyright, without_copyright + "\n"):
        # no copyright line, and only a final newline dropped, which no pattern can match
        # (each ends with a character other than whitespace): the same words either way
        return words, 0
    return words, len(_words(text, _SHIPPED)) - len(words)


def _words(text: str, markup: _Markup) -> list[str]:
    text = markup.markdown_link.sub(r"\1", text)
    text = _PLACEHOLDER.sub(" ", text)
    text = markup.html_hidden.sub(" ", text)
    text = markup.html_tag.sub(" ", text)
    text = _HTML_ENTITY.sub(" ", text)
    words: list[str] = _WORD.findall(text.lower())
    if _RESPELT.isdisjoint(words):  # most texts: one pass in C instead of one call per word
        return words
    equivalent = _EQUIVALENT_WORDS
    return [equivalent.get(w, w) for w in words if w not in _SKIPPED_WORDS]
