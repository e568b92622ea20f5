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
import time
from dataclasses import dataclass

from ospo_scan.licences.composition import (
    LEGAL_WORDS,
    SIGNIFICANT_RESIDUAL,
    BundledNotice,
    Reading,
    read_matches,
)
from ospo_scan.licences.notices import (
    PROPRIETARY,
    named_licences,
    prefer_or_later,
    reserves_all_rights,
    spdx_tags,
)
from ospo_scan.licences.scancode import (
    FullIndexMatch,
    full_index_matches,
    load_full_index,
    to_spdx,
)
from ospo_scan.licences.sections import Section, split_sections
from ospo_scan.licences.spdx import combine_and, combine_or, licence_ids, normalise
from ospo_scan.licences.textmatch import (
    TextMatchResult,
    WordSpan,
    exact_match,
    match_sections,
    match_text,
)

SHORT_TEXT_WORDS = 400
"""A text this short with no licence text in it is read for licence names (a summary file)."""
FULL_INDEX_SECTION_BYTES = 48 * 1024
"""The longest text scancode's full index is given at once: longer than any common licence (the
GPL-3.0 is 35 KiB), while 128 KiB took it 27 s and 1.5 GB."""
FULL_INDEX_SECONDS = 10.0
"""Time scancode's full index may spend on one file (scancode's own deadline): it stops and
gives what it found, and the rest of the file is said to be unread."""
_R_STUB = re.compile(r"^\s*YEAR:\s*\S.*\n\s*COPYRIGHT HOLDER:\s*\S", re.IGNORECASE)
__all__ = ["PROPRIETARY", "BundledNotice", "Method", "TextDetection", "identify"]


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
    bundled: tuple[BundledNotice, ...] = ()
    """Third-party notices the text carries beside the project's licence."""
    restrictions: tuple[str, ...] = ()
    """Words inserted into the licence text that restrict its use, quoted: the licence is then
    a modified one."""


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
    tagged = spdx_tags(text)
    result = exact_match(text)
    reading = None
    if result is None:
        result, reading = _read(text)
    if result.matches:
        reading = reading or _read_whole(result)
        if use_full_index and reading.needs_full_index:
            return _from_full_index(
                text,
                f"{reading.unexplained} words besides the recognised licence text",
                beside=reading,
            )
        expression = combine_and([reading.expression, *tagged]) if tagged else reading.expression
        return TextDetection(
            expression,
            Method.REFERENCE_TEXT,
            reading.notes,
            reading.choice,
            reading.bundled,
            reading.restrictions,
        )
    if tagged:
        return TextDetection(combine_and(tagged), Method.SPDX_TAG)
    if len(result.words) <= SHORT_TEXT_WORDS:
        named = from_names(text)
        if named.expression:
            return named
    if len(result.words) <= SHORT_TEXT_WORDS and reserves_all_rights(text):
        return TextDetection(PROPRIETARY, Method.PROPRIETARY_NOTICE)
    legal = len(LEGAL_WORDS.findall(" ".join(result.words)))
    if use_full_index and legal >= 3:
        return _from_full_index(text, "no reference text matched word for word")
    return TextDetection(None, Method.NONE)


def _read(text: str) -> tuple[TextMatchResult, Reading | None]:
    """The text's sections matched one by one; the whole text matched at once instead when
    that explains clearly more (a licence cut by its own headings)."""
    sections = split_sections(text)
    if len(sections) < 2:
        return match_text(text), None
    result, spans = match_sections([s.text for s in sections])
    reading = read_matches(result, sections, spans)
    if reading.unexplained < SIGNIFICANT_RESIDUAL:
        return result, reading
    whole = match_text(text)
    whole_reading = _read_whole(whole)
    if whole_reading.unexplained + SIGNIFICANT_RESIDUAL <= reading.unexplained:
        return whole, whole_reading
    return result, reading


def _read_whole(result: TextMatchResult) -> Reading:
    return read_matches(result, (Section(None, ""),), (WordSpan(0, len(result.words)),))


def identify_prose(text: str) -> TextDetection:
    """The licence a README licence section names: identifiers and names first, which need no
    passage index, then the text itself (a licence notice pasted in)."""
    tagged = spdx_tags(text)
    if tagged:
        return TextDetection(combine_and(tagged), Method.SPDX_TAG)
    named = from_names(text)
    if named.expression:
        return named
    return identify(text, use_full_index=False)


def from_names(text: str) -> TextDetection:
    """Licences named in prose, as alternatives when the text offers a choice."""
    expressions, choice = named_licences(text)
    if not expressions:
        return TextDetection(None, Method.NONE)
    combined = combine_or(expressions) if choice else combine_and(expressions)
    return TextDetection(combined, Method.LICENCE_NAME, choice=choice)


def _from_full_index(text: str, reason: str, beside: Reading | None = None) -> TextDetection:
    """What scancode's full index finds in a text, within its bounds: whole when the text is
    short enough, else section by section, no section past FULL_INDEX_SECTION_BYTES, and no
    more than FULL_INDEX_SECONDS for the file. What falls outside is said in the note. Beside a
    recognised licence text (`beside`), a match that only names another licence (a notice, an
    appendix filled in, "icons under a Creative Commons licence") adds nothing: a licence counts
    when its text is there."""
    if _size(text) <= FULL_INDEX_SECTION_BYTES:
        parts = [text]
    else:
        parts = [section.text for section in split_sections(text)]
    readable = [part for part in parts if _size(part) <= FULL_INDEX_SECTION_BYTES]
    too_long = len(parts) - len(readable)
    left_out: list[str] = []
    if too_long:
        left_out.append(
            f"{_counted(too_long, 'section')} longer than the "
            f"{FULL_INDEX_SECTION_BYTES // 1024} KiB the full index reads"
        )
    found: list[FullIndexMatch] = []
    try:
        if readable:
            load_full_index()
        deadline = time.time() + FULL_INDEX_SECONDS  # scancode's own deadline is on this clock
        for part in readable:
            if time.time() >= deadline:
                break
            found += full_index_matches(part, deadline)
    except (ImportError, MemoryError, OSError) as exc:
        note = f"scancode's full licence index could not be used ({type(exc).__name__}: {exc})"
        return TextDetection(None, Method.NONE, (note,))
    if readable and time.time() >= deadline:
        left_out.append(
            f"what was left after the {FULL_INDEX_SECONDS:.0f} s it may spend on a file"
        )
    unread = f"; not read: {', '.join(left_out)}" if left_out else ""
    mentioned: list[str] = []
    carried = set(licence_ids(beside.expression)) if beside and beside.expression else set()
    if carried:
        kept = []
        for match in found:
            spdx_ids = set(licence_ids(normalise(to_spdx(match.expression)) or ""))
            if match.is_text or spdx_ids <= carried:
                kept.append(match)
            else:
                mentioned.extend(sorted(spdx_ids))
        found = kept
    expressions = prefer_or_later(m.expression for m in found)
    spdx = [normalise(to_spdx(e)) for e in expressions]
    note = f"identified by scancode's full licence index ({reason}){unread}"
    if mentioned and beside is not None:
        named = ", ".join(dict.fromkeys(mentioned))
        skipped = f"{named} only named, not carried, in the words besides the licence text"
        if not any(spdx) or set(licence_ids(combine_and(spdx) or "")) <= carried:
            return TextDetection(
                beside.expression,
                Method.REFERENCE_TEXT,
                (*beside.notes, skipped),
                beside.choice,
                beside.bundled,
                beside.restrictions,
            )
        note = f"{note}; {skipped}"
    if not any(spdx):
        if left_out:
            return TextDetection(
                None,
                Method.NONE,
                (f"not identified: {_size(text) // 1024} KiB of licence text ({reason}){unread}",),
            )
        return TextDetection(
            None, Method.NONE, (f"scancode's full index found no licence ({reason})",)
        )
    return TextDetection(combine_and(spdx), Method.FULL_INDEX, (note,))


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
