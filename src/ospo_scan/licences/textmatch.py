"""The fast path: find scancode's reference licence texts and notices inside a file's words.

A file is first looked up whole (its normalised words hashed). Otherwise references that share
enough sampled passages with it are compared passage by passage, greedily: the reference that
explains most of the still-unexplained words is taken, then the next, until none covers at
least `MATCH_COVERAGE` of its own passages. When that leaves a long run unexplained, the same is
tried again with the licences' own texts only, accepting edited ones (`EDITED_COVERAGE`), then
with scancode's other whole texts of a licence too, each kept if it explains clearly more. What
no reference explains is left as residual spans for the caller to judge (a project preamble,
bundled notices, an edited licence).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ospo_scan.licences.candidates import Votes, best_candidates
from ospo_scan.licences.normalise import licence_words, strip_copyright_lines
from ospo_scan.licences.references import (
    SHINGLE,
    ExactTable,
    PassageIndex,
    exact_table,
    passage_hashes,
    passage_index,
    passages,
    whole_text_hash,
)

MATCH_COVERAGE = 0.95
"""Share of a reference's passages a file must contain for the reference to be matched."""
EDITED_COVERAGE = 0.7
"""The same share for an edited text, tried when unedited references leave words unexplained."""
EDITED_MIN_RESIDUAL = 20
"""Unexplained words that make the edited-text pass worth trying (and that it must save)."""
MAX_GAP = 12
"""Words between two found passages beyond which they belong to separate copies."""
MAX_INSERTION = 60
"""Words a project may insert into a licence text (a sentence naming itself) and keep one copy."""
MAX_MATCHES = 8
MAX_TITLE_WORDS = 12
"""A first paragraph this short, not ending a sentence, is a title to skip for the whole-text
lookup."""


@dataclass(frozen=True)
class WordSpan:
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class TextMatch:
    """A reference found in a file."""

    scancode_expression: str
    origin: str
    """The scancode data file of the reference."""
    start: int
    """First word of the file the reference covers."""
    end: int
    """One past its last word."""
    coverage: float
    """Share of the reference's passages found in the file (1.0 for an unmodified text)."""
    is_full_text: bool
    """The reference is a whole licence text rather than a notice."""
    gaps: tuple[WordSpan, ...] = ()
    """Runs of words between `start` and `end` the reference does not have (inserted text)."""


@dataclass(frozen=True)
class TextMatchResult:
    words: tuple[str, ...]
    """The file's normalised words."""
    matches: tuple[TextMatch, ...]
    """References found, in file order."""
    residual: tuple[WordSpan, ...]
    """Runs of words no reference explains."""

    @property
    def unexplained_words(self) -> int:
        return sum(span.length for span in self.residual)

    def residual_text(self, span: WordSpan) -> str:
        return " ".join(self.words[span.start : span.end])


@lru_cache(maxsize=256)
def _reference_passages(number: int) -> Mapping[int, Sequence[int]]:
    """A reference's passages, each with where it occurs in the reference (cached: read only)."""
    hashes = passage_hashes(passage_index().references[number].words)
    once = {passage_hash: (position,) for position, passage_hash in enumerate(hashes)}
    if len(once) == len(hashes):  # most references repeat no passage of theirs
        return once
    positions: dict[int, list[int]] = {}
    for position, passage_hash in enumerate(hashes):
        positions.setdefault(passage_hash, []).append(position)
    return positions


def exact_match(text: str) -> TextMatchResult | None:
    """The reference a whole text is, word for word (after a short title), or None."""
    exact = exact_table()
    words = licence_words(text)
    whole = _whole_text_match(exact, text, exact.ids(words))
    return None if whole is None else TextMatchResult(tuple(words), (whole,), ())


def match_sections(texts: Sequence[str]) -> tuple[TextMatchResult, tuple[WordSpan, ...]]:
    """Each text matched on its own, as one result over all their words in order, with the
    span of words of each text."""
    words: list[str] = []
    matches: list[TextMatch] = []
    residual: list[WordSpan] = []
    spans: list[WordSpan] = []
    for text in texts:
        result = match_text(text)
        offset = len(words)
        words.extend(result.words)
        spans.append(WordSpan(offset, len(words)))
        matches.extend(_shifted(match, offset) for match in result.matches)
        residual.extend(WordSpan(s.start + offset, s.end + offset) for s in result.residual)
    return TextMatchResult(tuple(words), tuple(matches), tuple(residual)), tuple(spans)


def _shifted(match: TextMatch, offset: int) -> TextMatch:
    gaps = tuple(WordSpan(g.start + offset, g.end + offset) for g in match.gaps)
    return replace(match, start=match.start + offset, end=match.end + offset, gaps=gaps)


def match_text(text: str) -> TextMatchResult:
    """References found in a text, and what they leave unexplained."""
    exact = exact_table()
    words = licence_words(text)
    ids = exact.ids(words)
    whole = _whole_text_match(exact, text, ids)
    if whole is not None:
        return TextMatchResult(tuple(words), (whole,), ())
    table = passage_index()
    query = list(passages(ids))
    votes = Votes(table, query)
    strict = _result(words, _greedy_matches(table, ids, query, _STRICT, votes.copy()))
    if not any(span.length >= EDITED_MIN_RESIDUAL for span in strict.residual):
        return strict
    best = strict
    for strictness in (_EDITED, _EDITED_VARIANTS):
        if not _reaches(table, query, best.residual, strictness, votes):
            continue
        edited = _result(words, _greedy_matches(table, ids, query, strictness, votes.copy()))
        if edited.unexplained_words + EDITED_MIN_RESIDUAL <= best.unexplained_words:
            best = edited
        if not any(span.length >= EDITED_MIN_RESIDUAL for span in best.residual):
            break
    return best


def _reaches(
    table: PassageIndex,
    query: list[tuple[int, int]],
    residual: tuple[WordSpan, ...],
    strictness: _Strictness,
    votes: Votes,
) -> bool:
    """Whether any reference the pass would compare shares a passage with the words left
    unexplained: when none does (a project's preamble beside an unedited licence), the pass
    cannot explain more and is not worth its cost."""
    left = bytearray(len(query))
    for span in residual:
        # a passage covers the SHINGLE words from where it starts
        start, end = max(0, span.start - SHINGLE + 1), min(span.end, len(query))
        if span.length >= EDITED_MIN_RESIDUAL and start < end:
            left[start:end] = b"\x01" * (end - start)
    touching = {h for p, h in query if left[p]}
    candidates = best_candidates(
        table,
        votes.counts,
        canonical_only=strictness.canonical_only,
        texts_only=strictness.texts_only,
    )
    return any(not touching.isdisjoint(_reference_passages(n)) for n in candidates)


def _whole_text_match(exact: ExactTable, text: str, ids: array[int]) -> TextMatch | None:
    """The reference a text is word for word, also after a short title paragraph."""
    for skipped in (0, _title_words(text)):
        if skipped is None or len(ids) - skipped < SHINGLE:
            continue
        found = exact.whole_text(whole_text_hash(ids[skipped:]))
        if found is not None:
            expression, origin, is_full_text = found
            return TextMatch(expression, origin, skipped, len(ids), 1.0, is_full_text)
    return None


def _title_words(text: str) -> int | None:
    """Words of a leading title paragraph ("MIT License", "# Apache License 2.0"), if any."""
    paragraphs = [p for p in re.split(r"\n\s*\n", strip_copyright_lines(text)) if p.strip()]
    if len(paragraphs) < 2:
        return None
    title = licence_words(paragraphs[0])
    if not title or len(title) > MAX_TITLE_WORDS or paragraphs[0].rstrip().endswith((".", ":")):
        return None
    return len(title)


def _result(words: list[str], matches: list[TextMatch]) -> TextMatchResult:
    covered = bytearray(len(words))
    for match in matches:
        covered[match.start : match.end] = b"\x01" * (match.end - match.start)
    return TextMatchResult(tuple(words), tuple(matches), _residual(covered))


@dataclass(frozen=True)
class _Placement:
    found: int
    missing: int
    coverage: float
    stripped: int
    number: int
    hits: list[int]

    def rank(self, missing_cost: int) -> tuple[int, int, float]:
        """Most words explained, each missing passage costing `missing_cost` found ones."""
        return (self.found - missing_cost * self.missing, -self.stripped, self.coverage)


def _clusters(
    hits: list[int], query: list[tuple[int, int]], reference: Mapping[int, Sequence[int]]
) -> list[list[int]]:
    """Hit positions split into copies of the reference: where the text leaves a gap no single
    edit explains, or where the reference would have to go backwards (a notice quoted from the
    end of a licence, placed before the licence itself)."""
    clusters: list[list[int]] = []
    at_reference = 0
    for position in hits:
        occurrences = reference[query[position][1]]
        gap = position - clusters[-1][-1] if clusters else None
        if gap is not None and gap <= MAX_INSERTION:
            onward = bisect_left(occurrences, at_reference - SHINGLE)
            # Within MAX_GAP anything goes (an edit); a longer run of words the reference lacks
            # is an insertion only if the reference then resumes where it left off.
            resumes = onward < len(occurrences) and (
                gap <= MAX_GAP or occurrences[onward] <= at_reference + 2 * SHINGLE
            )
            if resumes:
                clusters[-1].append(position)
                at_reference = occurrences[onward]
                continue
        clusters.append([position])
        at_reference = occurrences[0]
    return clusters


@dataclass(frozen=True)
class _Strictness:
    coverage: float
    missing_cost: int
    canonical_only: bool
    """The licences' own texts only (scancode's `licenses/`)."""
    texts_only: bool
    """Whole licence texts only (the licences' own and scancode's rules that are whole texts),
    no notices."""


_STRICT = _Strictness(MATCH_COVERAGE, 4, canonical_only=False, texts_only=False)
_EDITED = _Strictness(EDITED_COVERAGE, 1, canonical_only=True, texts_only=True)
_EDITED_VARIANTS = _Strictness(EDITED_COVERAGE, 1, canonical_only=False, texts_only=True)
"""scancode's whole-text rules as well: variants of a licence's text (PostgreSQL's, say, with
another holder named throughout), tried when the licences' own texts leave words unexplained."""


def _hits(
    reference_passages: Mapping[int, Sequence[int]],
    positions: dict[int, list[int]],
    covered: bytearray,
    least: float,
) -> list[int]:
    """Positions of the text holding one of the reference's passages and not yet explained;
    none when the text holds fewer than `least` of the reference's passages at all."""
    shared = reference_passages.keys() & positions.keys()  # walks the smaller of the two
    if len(shared) < least * len(reference_passages):
        return []
    return sorted(p for h in shared for p in positions[h] if not covered[p])


def _best_placement(
    number: int,
    query: list[tuple[int, int]],
    hits: list[int],
    strictness: _Strictness,
) -> _Placement | None:
    reference_passages = _reference_passages(number)
    if len({query[p][1] for p in hits}) < strictness.coverage * len(reference_passages):
        return None  # not enough of the reference is left in the text, however it is placed
    best: _Placement | None = None
    for cluster in _clusters(hits, query, reference_passages):
        found = len({query[p][1] for p in cluster})
        coverage = found / len(reference_passages)
        if coverage < strictness.coverage:
            continue
        missing = len(reference_passages) - found
        stripped = passage_index().references[number].stripped
        placement = _Placement(found, missing, coverage, stripped, number, cluster)
        if best is None or placement.rank(strictness.missing_cost) > best.rank(
            strictness.missing_cost
        ):
            best = placement
    return best


def _greedy_matches(
    table: PassageIndex,
    ids: array[int],
    query: list[tuple[int, int]],
    strictness: _Strictness,
    votes: Votes,
) -> list[TextMatch]:
    """References found in the text; the text's `votes` are lowered as they explain it."""
    covered = bytearray(len(ids))
    positions: dict[int, list[int]] = {}
    for position, passage_hash in query:
        positions.setdefault(passage_hash, []).append(position)
    # A reference's placement only changes when some of its hits get explained, so placements
    # are kept from one round to the next until then.
    placed: dict[int, tuple[list[int], _Placement | None]] = {}
    matches: list[TextMatch] = []
    while len(matches) < MAX_MATCHES:
        # Candidates are chosen again for what is still unexplained, so that a short notice
        # beside a long licence text gets its own.
        candidates = best_candidates(
            table,
            votes.counts,
            canonical_only=strictness.canonical_only,
            texts_only=strictness.texts_only,
        )
        found: list[_Placement] = []
        for number in candidates:
            kept = placed.get(number)
            if kept is None or any(map(covered.__getitem__, kept[0])):
                reference_passages = _reference_passages(number)
                hits = (
                    _hits(reference_passages, positions, covered, strictness.coverage)
                    if reference_passages
                    else []
                )
                placement = (
                    _best_placement(number, query, hits, strictness) if reference_passages else None
                )
                kept = placed[number] = (hits, placement)
            if kept[1] is not None:
                found.append(kept[1])
        if not found:
            break
        best = max(found, key=lambda p: p.rank(strictness.missing_cost))
        explained = []
        for position in best.hits:
            for word in range(position, min(position + SHINGLE, len(query))):
                if not covered[word]:
                    explained.append(query[word][1])
            covered[position : position + SHINGLE] = b"\x01" * SHINGLE
        votes.explain(explained)
        reference = table.references[best.number]
        start, end = best.hits[0], best.hits[-1] + SHINGLE
        matches.append(
            TextMatch(
                reference.scancode_expression,
                reference.origin,
                start,
                end,
                round(best.coverage, 4),
                reference.is_full_text,
                _residual(covered[start:end], offset=start),
            )
        )
    matches.sort(key=lambda m: m.start)
    return matches


def _residual(covered: bytearray, offset: int = 0) -> tuple[WordSpan, ...]:
    """Runs of positions not covered, as spans (shifted by `offset`)."""
    spans: list[WordSpan] = []
    start: int | None = None
    for position, flag in enumerate(covered):
        if not flag and start is None:
            start = position
        elif flag and start is not None:
            spans.append(WordSpan(offset + start, offset + position))
            start = None
    if start is not None:
        spans.append(WordSpan(offset + start, offset + len(covered)))
    return tuple(spans)
