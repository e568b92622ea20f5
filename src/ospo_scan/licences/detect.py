"""Which licence a text carries, cheapest evidence first.

1. scancode's reference texts and notices found word for word (`textmatch`), with whatever
   they leave unexplained judged: a project preamble, bundled third-party notices, a choice
   between the licences ("either ... or");
2. `SPDX-License-Identifier:` lines and licence names in prose, for summary files;
3. scancode's full index, only for a licence-like text the first two leave unexplained
   (an edited licence, an uncommon one); loaded once per process.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.licences.names import find_names, licence_urls
from ospo_scan.licences.scancode import full_index_expressions, scancode_keys, to_spdx
from ospo_scan.licences.spdx import combine_and, combine_or, normalise
from ospo_scan.licences.textmatch import TextMatch, TextMatchResult, WordSpan, match_text
from ospo_scan.linear_regex import linear

SIGNIFICANT_RESIDUAL = 20
"""Runs of fewer unexplained words than this (titles, headings, stray words) are ignored."""
SHORT_TEXT_WORDS = 400
"""A text this short with no licence text in it is read for licence names (a summary file)."""
INSERTED_WORDS = 10
"""Words inserted into a licence text that are worth a note (a clause added to the licence)."""
UNEXPLAINED_FOR_INDEX = 120
"""Unexplained licence-like words that send a text to scancode's full index."""

_THIRD_PARTY = re.compile(
    r"\b(?:third party|3rd party|thirdparty|bundled|vendored|packaged (?:directly )?with"
    r"|other software|includes? (?:the following )?(?:software|code|libraries|components)"
    r"|contains? (?:software|code)|dependencies)\b"
)
_CHOICE = re.compile(
    r"\beither\b(?! version)|\bat your (?:option|choice)\b(?!\W*any later)"
    r"|\bdual licen[cs](?:e|ed|ing)\b|\bdually licen"
    r"|\bchoose\b|\bchoice\b|\balternatively\b|\bmulti licen[cs]ed\b"
)
_SPDX_TAG = linear(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(?:\*/|-->|$)", re.MULTILINE)
_LEGAL_WORDS = re.compile(
    r"\b(?:licen[cs]\w*|warrant\w*|liabil\w*|redistribut\w*|permission|permitted|copyright"
    r"|sublicense|merchantability|infringe\w*|patent\w*)\b"
)
_PROPRIETARY_MARKS = re.compile(
    r"\b(?:proprietary|confidential|all rights reserved|unauthori[sz]ed (?:copying|use|"
    r"reproduction|distribution)|(?:copying|reproduction|distribution|use) (?:is )?"
    r"(?:strictly )?prohibited|may not be (?:copied|used|reproduced|distributed))\b",
    re.IGNORECASE,
)
PROPRIETARY = "LicenseRef-scancode-proprietary-license"
_R_STUB = re.compile(r"^\s*YEAR:\s*\S.*\n\s*COPYRIGHT HOLDER:\s*\S", re.IGNORECASE)


class Method(str, enum.Enum):
    """How a licence was identified."""

    REFERENCE_TEXT = "reference-text"
    """scancode reference texts or notices found in the file."""
    SPDX_TAG = "spdx-identifier"
    """An `SPDX-License-Identifier:` line."""
    LICENCE_NAME = "licence-name"
    """The licence is named in prose."""
    FULL_INDEX = "scancode-index"
    """scancode's full licence index."""
    PROPRIETARY_NOTICE = "proprietary-notice"
    """A short notice reserving all rights (proprietary, confidential, copying prohibited)."""
    R_STUB = "r-licence-stub"
    """An R package's `YEAR:`/`COPYRIGHT HOLDER:` stub that completes a licence named elsewhere."""
    NONE = "none"


@dataclass(frozen=True)
class TextDetection:
    """What one text says about its licence."""

    expression: str | None
    """SPDX expression, or None when no licence is identified."""
    method: Method
    notes: tuple[str, ...] = ()
    """What a reader should know (a preamble, excluded third-party notices, a fallback)."""
    choice: bool = False
    """The text offers its licences as alternatives."""


def _reserves_all_rights(text: str) -> bool:
    """Two distinct marks of a proprietary notice ("All rights reserved" alone is only a
    copyright statement, and open licences that say it were matched before this is asked)."""
    marks = {m.group(0).lower() for m in _PROPRIETARY_MARKS.finditer(text)}
    return len(marks) >= 2


def is_r_licence_stub(text: str) -> bool:
    """An R package LICENSE that only fills in the MIT/BSD template's year and holder."""
    return bool(_R_STUB.match(text)) and len(text.split()) < 40


def identify(text: str, *, use_full_index: bool = True) -> TextDetection:
    """The licence(s) a licence file, summary file or licence section carries."""
    if is_r_licence_stub(text):
        return TextDetection(
            None,
            Method.R_STUB,
            ("R licence stub: completes the licence named in DESCRIPTION (`+ file LICENSE`)",),
        )
    result = match_text(text)
    tagged = _spdx_tags(text)
    if result.matches:
        return _from_matches(result, text, tagged, use_full_index=use_full_index)
    if tagged:
        return TextDetection(combine_and(tagged), Method.SPDX_TAG)
    if len(result.words) <= SHORT_TEXT_WORDS:
        named = from_names(text)
        if named.expression:
            return named
    if len(result.words) <= SHORT_TEXT_WORDS and _reserves_all_rights(text):
        return TextDetection(PROPRIETARY, Method.PROPRIETARY_NOTICE)
    legal = len(_LEGAL_WORDS.findall(" ".join(result.words)))
    if use_full_index and legal >= 3:
        return _from_full_index(text, "no reference text matched word for word")
    return TextDetection(None, Method.NONE)


def identify_prose(text: str) -> TextDetection:
    """The licence a README licence section names: identifiers and names first, which need no
    passage index, then the text itself (a licence notice pasted in)."""
    tagged = _spdx_tags(text)
    if tagged:
        return TextDetection(combine_and(tagged), Method.SPDX_TAG)
    named = from_names(text)
    if named.expression:
        return named
    return identify(text, use_full_index=False)


def from_names(text: str) -> TextDetection:
    """Licences named in prose, as alternatives when the text offers a choice."""
    keys = _prefer_or_later(n.scancode_key for n in find_names(text))
    named = [normalise(to_spdx(k)) for k in keys]
    linked = [i for i in licence_urls(text) if i not in named]
    expressions = list(dict.fromkeys([*named, *linked]))
    if not expressions:
        return TextDetection(None, Method.NONE)
    choice = bool(_CHOICE.search(text.lower())) or bool(re.search(r"\bor\b", text.lower()))
    choice = choice and len(expressions) > 1
    combined = combine_or(expressions) if choice else combine_and(expressions)
    return TextDetection(combined, Method.LICENCE_NAME, choice=choice)


def _spdx_tags(text: str) -> list[str]:
    found = []
    for value in _SPDX_TAG.findall(text):
        normalised = normalise(value)
        if normalised:
            found.append(normalised)
    return found


def _from_matches(
    result: TextMatchResult, text: str, tagged: list[str], *, use_full_index: bool
) -> TextDetection:
    notes: list[str] = []
    result = _without_quotations(result)
    main, bundled, cut = _split_bundled(result)
    if bundled:
        names = ", ".join(dict.fromkeys(to_spdx(m.scancode_expression) for m in bundled))
        notes.append(f"bundled third-party notices not counted as the project's licence: {names}")
    for match in main:
        if match.coverage < 0.95:
            notes.append(
                f"the text differs from scancode's {to_spdx(match.scancode_expression)} text "
                f"({match.coverage:.0%} of its passages found)"
            )
        inserted = [gap for gap in match.gaps if gap.length >= INSERTED_WORDS]
        if inserted:
            first = inserted[0]
            quoted = " ".join(result.words[first.start : min(first.end, first.start + 12)])
            more = " …" if first.length > 12 or len(inserted) > 1 else ""
            notes.append(
                f"{sum(s.length for s in inserted)} words inside the "
                f"{to_spdx(match.scancode_expression)} text are not part of it "
                f"(a modified licence?): “{quoted}{more}”"
            )
    residual = [
        WordSpan(s.start, min(s.end, cut))
        for s in result.residual
        if min(s.end, cut) - s.start >= SIGNIFICANT_RESIDUAL
    ]
    residual_text = " ".join(result.residual_text(s) for s in residual)
    unexplained = sum(s.length for s in residual)
    if use_full_index and unexplained >= UNEXPLAINED_FOR_INDEX:
        legal = len(_LEGAL_WORDS.findall(residual_text))
        if legal >= 5:
            return _from_full_index(
                text, f"{unexplained} words besides the recognised licence text"
            )
    keys = _prefer_or_later(
        key for m in main for key in [m.scancode_expression] if scancode_keys(key)
    )
    # Licences named in a preamble ("dual-licensed under MIT or Apache-2.0") count; names met
    # further down are usually the licence text's own references to other licences.
    licence_start = min((m.start for m in main), default=0)
    preamble = " ".join(result.residual_text(s) for s in residual if s.end <= licence_start)
    named = [n.scancode_key for n in find_names(preamble)] if preamble else []
    extra = [k for k in _prefer_or_later(named) if not _covered(k, keys)]
    if residual:
        notes.append(f"{unexplained} words besides the licence text (preamble or notes)")
    choice = bool(_CHOICE.search(" ".join(result.residual_text(s) for s in result.residual)))
    expressions = [normalise(to_spdx(k)) for k in [*keys, *extra]] + tagged
    combine = combine_or if choice and len(expressions) > 1 else combine_and
    return TextDetection(combine(expressions), Method.REFERENCE_TEXT, tuple(notes), choice=choice)


def _without_quotations(result: TextMatchResult) -> TextMatchResult:
    """Drop a match of another licence whose words a longer licence text in the same file
    quotes: the GNU licences end with their own notice and warranty disclaimer, which alone is
    also the whole text of small licences (philippe-de-muyter), so a project's GNU notice placed
    before the full text is not a second licence."""
    kept = tuple(
        match
        for match in result.matches
        if not any(
            _licence_family(other) != _licence_family(match)
            and other.end - other.start > match.end - match.start
            and _phrase(result, match) in _phrase(result, other)
            for other in result.matches
            if other is not match
        )
    )
    if len(kept) == len(result.matches):
        return result
    return TextMatchResult(result.words, kept, result.residual)


def _licence_family(match: TextMatch) -> str:
    return match.scancode_expression.removesuffix("-plus")


def _phrase(result: TextMatchResult, match: TextMatch) -> str:
    return " " + " ".join(result.words[match.start : match.end]) + " "


def _split_bundled(
    result: TextMatchResult,
) -> tuple[list[TextMatch], list[TextMatch], int]:
    """Matches before a third-party heading are the project's; others after it are bundled.

    Returns the project's matches, the bundled ones, and where the bundled part starts.
    """
    end = len(result.words)
    marker = _third_party_marker(result)
    if marker is None:
        return list(result.matches), [], end
    main = [m for m in result.matches if m.start < marker]
    if not main:
        return list(result.matches), [], end
    main_keys = {k for m in main for k in _family(m.scancode_expression)}
    bundled = [
        m
        for m in result.matches
        if m.start >= marker and not set(_family(m.scancode_expression)) <= main_keys
    ]
    if not bundled:
        return list(result.matches), [], end
    main.extend(m for m in result.matches if m.start >= marker and m not in bundled)
    return main, bundled, marker


def _third_party_marker(result: TextMatchResult) -> int | None:
    for span in result.residual:
        found = _THIRD_PARTY.search(result.residual_text(span))
        if found:
            return span.start + result.residual_text(span)[: found.start()].count(" ")
    return None


def _family(expression: str) -> list[str]:
    return [k.removesuffix("-plus") for k in scancode_keys(expression)]


def _prefer_or_later(expressions: Iterable[str]) -> list[str]:
    """`gpl-3.0` and `gpl-3.0-plus` together (a text and its 'or later' notice) mean or-later."""
    unique = list(dict.fromkeys(expressions))
    return [e for e in unique if f"{e}-plus" not in unique]


def _covered(key: str, keys: list[str]) -> bool:
    return any(key == k or f"{key}-plus" == k or key.removesuffix("-plus") == k for k in keys)


def _from_full_index(text: str, reason: str) -> TextDetection:
    try:
        found = full_index_expressions(text)
    except (ImportError, MemoryError, OSError) as exc:
        note = f"scancode's full licence index could not be used ({type(exc).__name__}: {exc})"
        return TextDetection(None, Method.NONE, (note,))
    expressions = _prefer_or_later(found)
    spdx = [normalise(to_spdx(e)) for e in expressions]
    note = f"identified by scancode's full licence index ({reason})"
    if not any(spdx):
        return TextDetection(
            None, Method.NONE, (f"scancode's full index found no licence ({reason})",)
        )
    return TextDetection(combine_and(spdx), Method.FULL_INDEX, (note,))
