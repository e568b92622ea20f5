"""What the references found in a licence file add up to, section by section.

The project's licence is what comes before a third-party heading ("This repository may contain
third-party code ... licensed as follows:"); what comes after is bundled notices, each reported
under its section's heading and never counted as the project's licence. Around the licence text,
a section that names a licence ("Content: CC BY-NC-SA 3.0 IGO") adds it; the UN system's
standard additions are noted; words inserted into a licence text that restrict its use make the
licence modified. Whatever is left unexplained is counted, for the caller to decide whether
scancode's full index must look at the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ospo_scan.licences.igo import un_additions
from ospo_scan.licences.names import find_names
from ospo_scan.licences.notices import (
    CHOICE,
    PROPRIETARY,
    named_licences,
    prefer_or_later,
    reserves_all_rights,
    spdx_tags,
)
from ospo_scan.licences.restrictions import quote, restricts_use
from ospo_scan.licences.scancode import scancode_keys, to_spdx
from ospo_scan.licences.sections import Section
from ospo_scan.licences.spdx import combine_and, combine_or, normalise
from ospo_scan.licences.textmatch import TextMatch, TextMatchResult, WordSpan
from ospo_scan.untrusted.linear_regex import linear

SIGNIFICANT_RESIDUAL = 20
"""Runs of fewer unexplained words than this (titles, headings, stray words) are ignored."""
INSERTED_WORDS = 10
"""Words inserted into a licence text that are worth a note (a clause added to the licence)."""
RESTRICTION_WORDS = 3
"""Fewest inserted words read for a restriction ("no military use")."""
UNEXPLAINED_FOR_INDEX = 120
"""Unexplained licence-like words that send a text to scancode's full index."""
NAMED_SECTION_WORDS = 400
"""A section no longer than this that names a licence is a summary of it, not a licence text."""

THIRD_PARTY = re.compile(
    r"\b(?:third party|3rd party|thirdparty|bundled|vendored|packaged (?:directly )?with"
    r"|other software|includes? (?:the following )?(?:software|code|libraries|components)"
    r"|contains? (?:software|code)|dependencies)\b"
)
DECLARES = re.compile(
    r"\b(?:licen[cs]ed|available|released|distributed|published|offered|provided)"
    r"(?: [a-z]+){0,3}? under\b"
    r"|\b(?:licen[cs]e|content|code|data|documentation|software|text|media)\s?:",
    re.IGNORECASE,
)
"""A section that declares a licence ("licensed under ...", "Content: CC BY 4.0"), rather than
mentioning licences (a licence text's own list of compatible licences)."""
SCOPED_NOTE_WORDS = 60
"""A note after a licence text no longer than this may give a licence to parts of the
repository."""
SCOPE = linear(
    r"(?:^|[^\w])(?:director(?:y|ies)|folders?|contents?|documentation|docs|translations?|data"
    r"|datasets?|texts?|media|images|assets|content)(?:[^\w]|$)",
    re.IGNORECASE,
)
"""Words that name parts of a repository, as a scoped licence note does."""
LEGAL_WORDS = re.compile(
    r"\b(?:licen[cs]\w*|warrant\w*|liabil\w*|redistribut\w*|permission|permitted|copyright"
    r"|sublicense|merchantability|infringe\w*|patent\w*)\b"
)


@dataclass(frozen=True)
class BundledNotice:
    """A third-party notice a licence file carries beside the project's licence."""

    expression: str | None
    """Its SPDX expression, or None when its terms are not identified."""
    heading: str | None
    """The heading of the section that carries it, when the file gives one."""


@dataclass(frozen=True)
class Reading:
    """What a licence file's references, names and remaining words add up to."""

    expression: str | None
    """The project's licence."""
    notes: tuple[str, ...]
    """What a reader should know: bundled notices, named sections, additions, insertions."""
    choice: bool
    """The file offers a choice ("at your option"), between its licences or with others."""
    bundled: tuple[BundledNotice, ...]
    restrictions: tuple[str, ...]
    """Inserted words that restrict the licence, quoted."""
    unexplained: int
    """Words of the project's part that nothing explains (runs of `SIGNIFICANT_RESIDUAL` or
    more)."""
    legal_words: int
    """Licence-like words among them."""

    @property
    def needs_full_index(self) -> bool:
        return self.unexplained >= UNEXPLAINED_FOR_INDEX and self.legal_words >= 5


def read_matches(
    result: TextMatchResult, sections: tuple[Section, ...], spans: tuple[WordSpan, ...]
) -> Reading:
    """Read a file's matches; `spans` are the words of each of its `sections`."""
    result = _without_quotations(result)
    words = result.words
    cut = _bundled_start(result)
    project = [m for m in result.matches if m.start < cut]
    families = {k for m in project for k in _family(m.scancode_expression)}
    after = [m for m in result.matches if m.start >= cut]
    main = project + [m for m in after if set(_family(m.scancode_expression)) <= families]
    notes: list[str] = []
    restrictions: list[str] = []
    for match in main:
        _read_insertions(result, match, notes, restrictions)
    vocabulary = frozenset(w for m in main for w in _licence_words(result, m))

    named_sections: list[tuple[int, Section, list[str]]] = []
    for section, span in zip(sections, spans, strict=True):
        if span.start >= cut or any(span.start <= m.start < span.end for m in result.matches):
            continue
        text = f"{section.heading or ''}\n{section.text}"
        if span.length > NAMED_SECTION_WORDS or not DECLARES.search(text):
            continue
        named, _ = named_licences(text)
        if named:
            named_sections.append((span.start, section, named))
    named_spans = [span for span in spans if any(s == span.start for s, _, _ in named_sections)]

    residual = [
        WordSpan(s.start, min(s.end, cut))
        for s in result.residual
        if min(s.end, cut) - s.start >= SIGNIFICANT_RESIDUAL
        and not any(n.start <= s.start < n.end for n in named_spans)
    ]
    additions = [
        addition
        for span in result.residual
        if span.start < cut
        for addition in un_additions(result.residual_text(WordSpan(span.start, min(span.end, cut))))
    ]
    unexplained = [span for span in residual if not un_additions(result.residual_text(span))]
    for span in (s for s in result.residual if s.start < cut):
        short = WordSpan(span.start, min(span.end, cut))
        text = result.residual_text(short)
        named_here = any(n.start <= short.start < n.end for n in named_spans)
        if short.length >= RESTRICTION_WORDS and not named_here and restricts_use(text, vocabulary):
            restrictions.append(quote(words[short.start : short.end]))

    keyed = [(m.start, key) for m in main for key in [m.scancode_expression] if scancode_keys(key)]
    keys = prefer_or_later(key for _, key in keyed)
    # Licences named in a preamble ("dual-licensed under MIT or Apache-2.0") count; names met
    # further down are usually the licence text's own references to other licences.
    licence_start = min((m.start for m in main), default=0)
    preamble = " ".join(result.residual_text(s) for s in residual if s.end <= licence_start)
    named = [n.scancode_key for n in find_names(preamble)] if preamble else []
    named += _scoped_after(result, main, cut)
    extra = [k for k in prefer_or_later(named) if not _covered(k, keys)]
    placed = [(next(p for p, k in keyed if k == key), _spdx(key)) for key in keys]
    placed += [(start, spdx) for start, _, found in named_sections for spdx in found]
    placed += [(len(words), _spdx(key)) for key in extra]
    expressions = [spdx for _, spdx in sorted(placed, key=lambda item: item[0])]

    bundled = _bundled(result, sections, spans, cut)
    if bundled:
        listed = ", ".join(dict.fromkeys(b.expression or "unidentified terms" for b in bundled))
        notes.append(f"bundled third-party notices not counted as the project's licence: {listed}")
    for _, section, licences in named_sections:
        where = f"section “{section.heading}”" if section.heading else "a section"
        notes.append(f"{', '.join(licences)} named in {where} of the file")
    if additions:
        notes.append(
            "the UN system's standard additions, which change neither the licence nor its "
            f"openness: {', '.join(dict.fromkeys(additions))}"
        )
    if residual:
        total = sum(s.length for s in residual)
        notes.append(f"{total} words besides the licence text (preamble or notes)")
    project_residual = " ".join(
        result.residual_text(WordSpan(s.start, min(s.end, cut)))
        for s in result.residual
        if s.start < cut and not un_additions(result.residual_text(s))
    )
    # The file may offer a choice between itself and other files ("or, at your option, ...")
    # even when it carries one licence.
    choice = bool(CHOICE.search(project_residual))
    unexplained_text = " ".join(result.residual_text(s) for s in unexplained)
    return Reading(
        expression=(combine_or if choice and len(expressions) > 1 else combine_and)(expressions),
        notes=tuple(notes),
        choice=choice,
        bundled=bundled,
        restrictions=tuple(dict.fromkeys(restrictions)),
        unexplained=sum(s.length for s in unexplained),
        legal_words=len(LEGAL_WORDS.findall(unexplained_text)),
    )


def _scoped_after(result: TextMatchResult, main: list[TextMatch], cut: int) -> list[str]:
    """Licences a short note after the licence text gives to named parts of the repository
    ("The content of the docs/ and data/ directories is licensed under CC BY 4.0"): they apply
    too, to those parts. A longer notice (a project notice, a filled-in appendix) is not read
    for names: a licence it only mentions is not carried."""
    end = max((m.end for m in main), default=len(result.words))
    found: list[str] = []
    for span in result.residual:
        if span.start < end or span.start >= cut or span.length > SCOPED_NOTE_WORDS:
            continue
        text = result.residual_text(WordSpan(span.start, min(span.end, cut)))
        if DECLARES.search(text) and SCOPE.search(text):
            found.extend(n.scancode_key for n in find_names(text))
    return found


def _spdx(scancode_key: str) -> str:
    return normalise(to_spdx(scancode_key)) or to_spdx(scancode_key)


def _read_insertions(
    result: TextMatchResult, match: TextMatch, notes: list[str], restrictions: list[str]
) -> None:
    """Notes on how a matched licence text differs from its reference, and the restrictions
    inserted into it."""
    licence = to_spdx(match.scancode_expression)
    if match.coverage < 0.95:
        notes.append(
            f"the text differs from scancode's {licence} text "
            f"({match.coverage:.0%} of its passages found)"
        )
    vocabulary = frozenset(_licence_words(result, match))
    restricting = [
        gap
        for gap in match.gaps
        if gap.length >= RESTRICTION_WORDS and restricts_use(result.residual_text(gap), vocabulary)
    ]
    for gap in restricting:
        quoted = quote(result.words[gap.start : gap.end])
        restrictions.append(quoted)
        notes.append(
            f"words inserted into the {licence} text restrict its use, so it is no longer "
            f"{licence} but a modified licence: {quoted}"
        )
    harmless = [g for g in match.gaps if g.length >= INSERTED_WORDS and g not in restricting]
    if harmless:
        first = harmless[0]
        shown = " ".join(result.words[first.start : min(first.end, first.start + 12)])
        more = " …" if first.length > 12 or len(harmless) > 1 else ""
        notes.append(
            f"{sum(s.length for s in harmless)} words inside the {licence} text are not part "
            f"of it (a modified licence?): “{shown}{more}”"
        )


def _licence_words(result: TextMatchResult, match: TextMatch) -> list[str]:
    """The words of a matched licence text, inserted words left out."""
    inserted = bytearray(match.end - match.start)
    for gap in match.gaps:
        inserted[gap.start - match.start : gap.end - match.start] = b"\x01" * gap.length
    return [
        w
        for w, flag in zip(result.words[match.start : match.end], inserted, strict=True)
        if not flag
    ]


def _bundled(
    result: TextMatchResult,
    sections: tuple[Section, ...],
    spans: tuple[WordSpan, ...],
    cut: int,
) -> tuple[BundledNotice, ...]:
    """The notices after the third-party heading, in file order, each with its heading."""
    found: list[tuple[int, BundledNotice]] = []
    for section, span in zip(sections, spans, strict=True):
        inside = [m for m in result.matches if m.start >= cut and span.start <= m.start < span.end]
        if inside:
            found.extend(
                (m.start, BundledNotice(_spdx(m.scancode_expression), section.heading))
                for m in inside
            )
        elif span.start >= cut:
            notice = _unmatched_notice(section, " ".join(result.words[span.start : span.end]))
            if notice is not None:
                found.append((span.start, notice))
    if not found and cut < len(result.words):
        found = [
            (m.start, BundledNotice(_spdx(m.scancode_expression), None))
            for m in result.matches
            if m.start >= cut
        ]
    return tuple(dict.fromkeys(notice for _, notice in sorted(found, key=lambda f: f[0])))


def _unmatched_notice(section: Section, words: str) -> BundledNotice | None:
    """A bundled section no reference matched: named terms, terms that reserve rights, other
    licence-like terms, or prose (None)."""
    text = f"{section.heading or ''}\n{section.text}"
    tagged = spdx_tags(text)
    named, _ = named_licences(text)
    if tagged or named:
        return BundledNotice(combine_and([*tagged, *named]), section.heading)
    if reserves_all_rights(text) or restricts_use(words):
        return BundledNotice(PROPRIETARY, section.heading)
    if len(LEGAL_WORDS.findall(words)) >= 3:
        return BundledNotice(None, section.heading)
    return None


def _bundled_start(result: TextMatchResult) -> int:
    """Where the bundled part starts: at a third-party heading that follows the project's own
    licence text (the end of the words when there is none)."""
    for span in result.residual:
        text = result.residual_text(span)
        found = THIRD_PARTY.search(text)
        if found:
            marker = span.start + text[: found.start()].count(" ")
            if any(m.start < marker for m in result.matches):
                return marker
            return len(result.words)
    return len(result.words)


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


def _family(expression: str) -> list[str]:
    return [k.removesuffix("-plus") for k in scancode_keys(expression)]


def _covered(key: str, keys: list[str]) -> bool:
    return any(key == k or f"{key}-plus" == k or key.removesuffix("-plus") == k for k in keys)
