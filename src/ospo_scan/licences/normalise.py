"""Licence text normalisation: the same words for the same licence, however it is formatted.

Texts are compared as sequences of lower-case words, after markup (HTML tags, Markdown emphasis
and link targets), copyright lines and a few spelling variants are taken out. This follows the
SPDX matching guidelines closely enough for whole-text comparison.
"""

from __future__ import annotations

import re

from ospo_scan.untrusted.linear_regex import linear

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
_HTML_ENTITY = re.compile(r"&(?:amp|quot|apos|lt|gt|nbsp|#\d+|#x[0-9a-fA-F]+);")
_MARKDOWN_LINK = linear(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
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


def strip_copyright_lines(text: str) -> str:
    """The text without its copyright and 'all rights reserved' lines."""
    return "\n".join("" if _COPYRIGHT_LINE.match(line) else line for line in text.splitlines())


def licence_words(text: str, *, keep_copyright: bool = False) -> list[str]:
    """The words a licence comparison looks at, in order."""
    if not keep_copyright:
        text = strip_copyright_lines(text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _PLACEHOLDER.sub(" ", text)
    text = _HTML_HIDDEN.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _HTML_ENTITY.sub(" ", text)
    words = []
    for word in _WORD.findall(text.lower()):
        if word in _SKIPPED_WORDS:
            continue
        words.append(_EQUIVALENT_WORDS.get(word, word))
    return words
