"""What a short text says of a licence without carrying one: identifiers, names, links, and
notices that reserve all rights."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ospo_scan.licences.names import find_names, licence_urls
from ospo_scan.licences.scancode import to_spdx
from ospo_scan.licences.spdx import normalise
from ospo_scan.untrusted.linear_regex import linear

PROPRIETARY = "LicenseRef-scancode-proprietary-license"
CHOICE = re.compile(
    r"\beither\b(?! version)|\bat your (?:option|choice)\b(?!\W*any later)"
    r"|\bdual licen[cs](?:e|ed|ing)\b|\bdually licen"
    r"|\bchoose\b|\bchoice\b|\balternatively\b|\bmulti licen[cs]ed\b"
)
_SPDX_TAG = linear(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(?:\*/|-->|$)", re.MULTILINE)
_PROPRIETARY_MARKS = re.compile(
    r"\b(?:proprietary|confidential|all rights reserved|unauthori[sz]ed (?:copying|use|"
    r"reproduction|distribution)|(?:copying|reproduction|distribution|use) (?:is )?"
    r"(?:strictly )?prohibited|may not be (?:copied|used|reproduced|distributed))\b",
    re.IGNORECASE,
)


def spdx_tags(text: str) -> list[str]:
    """The expressions of a text's `SPDX-License-Identifier:` lines."""
    found = []
    for value in _SPDX_TAG.findall(text):
        normalised = normalise(value)
        if normalised:
            found.append(normalised)
    return found


def reserves_all_rights(text: str) -> bool:
    """Two distinct marks of a proprietary notice ("All rights reserved" alone is only a
    copyright statement, and open licences that say it were matched before this is asked)."""
    marks = {m.group(0).lower() for m in _PROPRIETARY_MARKS.finditer(text)}
    return len(marks) >= 2


def prefer_or_later(expressions: Iterable[str]) -> list[str]:
    """`gpl-3.0` and `gpl-3.0-plus` together (a text and its 'or later' notice) mean or-later."""
    unique = list(dict.fromkeys(expressions))
    return [e for e in unique if f"{e}-plus" not in unique]


def named_licences(text: str) -> tuple[list[str], bool]:
    """SPDX ids of the licences a text names or links to, and whether it offers them as a
    choice."""
    keys = prefer_or_later(n.scancode_key for n in find_names(text))
    named = [spdx for key in keys if (spdx := normalise(to_spdx(key)))]
    linked = [i for i in licence_urls(text) if i not in named]
    expressions = list(dict.fromkeys([*named, *linked]))
    lowered = text.lower()
    choice = bool(CHOICE.search(lowered)) or any(
        _OR.search(sentence) is not None and len(_licences_named(sentence)) > 1
        for sentence in _SENTENCE_END.sub("\n\n", lowered).split("\n\n")
    )
    return expressions, choice and len(expressions) > 1


_OR = linear(r"(?:^|[^\w])or(?:[^\w]|$)")
_SENTENCE_END = linear(r"[.;][ \t]+|[.;:][ \t]*\n|\n[ \t]*\n")
"""Where a sentence (or a paragraph) ends: a bare "or" joins alternatives only inside one. Texts
that license parts differently ("The code is under MIT. Texts in content/ or translations/ are
under CC BY 4.0.") name each licence in a sentence of its own."""


def _licences_named(sentence: str) -> set[str]:
    return {n.scancode_key for n in find_names(sentence)} | set(licence_urls(sentence))
