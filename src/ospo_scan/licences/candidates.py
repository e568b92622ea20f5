"""Which references a text's passages point to: the candidates the matcher compares closely.

Each reference has a sample of its passages indexed; a reference whose sampled passages the
text mostly holds is a candidate. Votes are counted once per text and lowered as the matcher
explains passages, rather than counted again for every match: the posting lists of common
passages (the MIT and BSD sentences thousands of notices quote) are long.
"""

from __future__ import annotations

from collections import Counter

from ospo_scan.licences.references import PassageIndex

CANDIDATE_VOTES = 0.6
"""Share of a reference's sampled passages a file must contain to be compared closely."""
MAX_CANDIDATES = 40
PER_LICENCE = 6
"""Closely compared references per licence, so that one licence's many variants leave room."""


class Votes:
    """Sampled-passage votes for references, over the text's still unexplained passages.

    Counted once for the whole text, then lowered as passages get explained, rather than
    counted again for each match: the posting lists of common passages are long.
    """

    def __init__(self, table: PassageIndex, query: list[tuple[int, int]]) -> None:
        self._table = table
        self._open: Counter[int] = Counter(h for _, h in query)
        """Unexplained occurrences of each passage of the text."""
        self.counts: Counter[int] = Counter()
        for passage_hash in self._open:
            self.counts.update(table.by_sampled_passage(passage_hash))

    def copy(self) -> Votes:
        """The same votes, to be lowered apart: counting them again costs a lookup per passage."""
        copied = Votes.__new__(Votes)
        copied._table = self._table
        copied._open = self._open.copy()
        copied.counts = self.counts.copy()
        return copied

    def explain(self, passage_hashes: list[int]) -> None:
        """Passages now explained; a reference loses a vote when none of a passage's
        occurrences is left."""
        lost: Counter[int] = Counter()
        for passage_hash in passage_hashes:
            left = self._open[passage_hash] - 1
            self._open[passage_hash] = left
            if left == 0:
                lost.update(self._table.by_sampled_passage(passage_hash))
        counts = self.counts
        for number, votes in lost.items():
            counts[number] -= votes


def best_candidates(
    table: PassageIndex,
    votes: Counter[int],
    *,
    canonical_only: bool = False,
    texts_only: bool = False,
) -> list[int]:
    """References worth comparing closely: the best few of each licence, best first."""
    ranked = []
    for number, count in votes.items():
        indexed = table.sampled_counts[number]
        if indexed > 0 and count >= CANDIDATE_VOTES * indexed:
            reference = table.references[number]
            canonical = reference.origin.startswith("licenses/")
            if (canonical_only and not canonical) or (texts_only and not reference.is_full_text):
                continue
            ranked.append((count / indexed, count, canonical, -reference.stripped, number))
    ranked.sort(reverse=True)
    per_licence: Counter[str] = Counter()
    chosen = []
    for *_, number in ranked:
        expression = table.references[number].scancode_expression
        if per_licence[expression] < PER_LICENCE:
            per_licence[expression] += 1
            chosen.append(number)
    return chosen[:MAX_CANDIDATES]
