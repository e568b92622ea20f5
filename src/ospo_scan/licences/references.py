"""Reference licence texts from scancode-toolkit's own data, as compact tables used in place.

The tables answer two questions fast, without scancode's index: which reference is this whole
text, word for word (a hash lookup), and which references share enough sampled passages with a
text to be worth a closer look. They are built from the installed scancode's data files
(`reference_build`, a few seconds) into one file that is memory-mapped (`reference_file`).

Where they come from, first found first:
1. the tables the wheel ships (built when the package is built), when they were built from
   the very licence data installed beside them (same fingerprint);
2. the tables cached in the user cache directory for that fingerprint;
3. built now, once, and cached there. A missing, damaged or stale file is never used.
"""

from __future__ import annotations

import logging
import os
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import overload

from ospo_scan.licences.reference_build import (
    SHINGLE,
    build_tables,
    passage_hashes,
    scancode_data,
    whole_text_hash,
)
from ospo_scan.licences.reference_file import (
    MappedTables,
    data_fingerprint,
    data_stamp,
    open_tables,
    tables_in_memory,
    write_tables,
)

__all__ = ["SHINGLE", "passage_hashes", "whole_text_hash"]

SHIPPED_TABLES = Path(__file__).parent / "_tables" / "licence-tables.bin"
"""Where a wheel carries the tables built when it was built (absent from a source checkout)."""

notices = logging.getLogger("ospo_scan.notices")
"""What a user should hear about even without --verbose (the CLI shows it on stderr)."""


@dataclass(frozen=True)
class Reference:
    """One reference licence text."""

    scancode_expression: str
    """The scancode licence expression of the text."""
    origin: str
    """Which scancode data file it came from, e.g. `licenses/mit.LICENSE`."""
    words: memoryview[int]
    """The text's normalised words as vocabulary ids."""
    is_full_text: bool
    """A whole licence text (True) or a notice that refers to one (False)."""
    stripped: int
    """Words lost with its copyright lines; a reference that lost some means less than it says."""


class _References(Sequence[Reference]):
    """The references, each made when asked for from the mapped columns."""

    def __init__(self, tables: MappedTables) -> None:
        columns = tables.json("references")
        self.expressions: list[str] = columns["expressions"]
        self.origins: list[str] = columns["origins"]
        self.is_full_text = tables.array("is_full_text", "B")
        self.stripped = tables.array("stripped", "I")
        self._offsets = tables.array("word_offsets", "Q")
        self._words = tables.words()

    def __len__(self) -> int:
        return len(self.expressions)

    @overload
    def __getitem__(self, number: int) -> Reference: ...
    @overload
    def __getitem__(self, number: slice) -> list[Reference]: ...
    def __getitem__(self, number: int | slice) -> Reference | list[Reference]:
        if isinstance(number, slice):
            return [self[n] for n in range(len(self))[number]]
        words = self._words[self._offsets[number] : self._offsets[number + 1]]
        return Reference(
            self.expressions[number],
            self.origins[number],
            words,
            bool(self.is_full_text[number]),
            self.stripped[number],
        )


class ExactTable:
    """What the fast path needs: vocabulary, whole-text hashes, names."""

    def __init__(self, tables: MappedTables) -> None:
        self._tables = tables
        self.build = tables.fingerprint
        """The scancode data the tables come from; the passage index shares it."""
        exact = tables.json("exact")
        self.vocabulary: dict[str, int] = {w: n for n, w in enumerate(exact["vocabulary"], 1)}
        self.spdx_keys: dict[str, str] = exact["spdx_keys"]
        """scancode licence key -> SPDX id (`LicenseRef-scancode-<key>` when SPDX lists none)."""
        self.names: dict[tuple[str, ...], str] = {tuple(w): key for w, key in exact["names"]}
        """Canonical words (see `names.canonical_words`) of an SPDX-listed licence's id, name
        or short name -> scancode key."""
        self._whole_hashes = tables.array("whole_hashes", "q")
        self._whole_references = tables.array("whole_references", "I")

    @cached_property
    def _references(self) -> _References:
        return _References(self._tables)

    def ids(self, words: list[str]) -> array[int]:
        """A text's words as vocabulary ids; unknown words become 0, which no reference has."""
        vocabulary = self.vocabulary
        return array("I", (vocabulary.get(w, 0) for w in words))

    def whole_text(self, text_hash: int) -> tuple[str, str, bool] | None:
        """(scancode expression, origin, is full text) of the reference whose whole words hash
        to `text_hash` (the one that lost fewest words to copyright lines), or None."""
        found = _find(self._whole_hashes, text_hash)
        if found is None:
            return None
        number = self._whole_references[found]
        references = self._references
        return (
            references.expressions[number],
            references.origins[number],
            bool(references.is_full_text[number]),
        )


class PassageIndex:
    """Every reference's words and the sampled-passage lookup over them."""

    def __init__(self, tables: MappedTables) -> None:
        self.build = tables.fingerprint
        self.references = _References(tables)
        self.sampled_counts = tables.array("sampled_counts", "I")
        """Number of distinct indexed passages per reference."""
        self._hashes = tables.array("passage_hashes", "q")
        self._offsets = tables.array("posting_offsets", "Q")
        self._postings = tables.array("postings", "I")

    def by_sampled_passage(self, passage_hash: int) -> Sequence[int]:
        """The references containing an indexed passage (sampled, or topping up a short
        notice); none for a passage no reference has indexed."""
        found = _find(self._hashes, passage_hash)
        if found is None:
            return ()
        return self._postings[self._offsets[found] : self._offsets[found + 1]]


def _find(sorted_hashes: memoryview[int], value: int) -> int | None:
    position = bisect_left(sorted_hashes, value)
    if position < len(sorted_hashes) and sorted_hashes[position] == value:
        return position
    return None


def passages(ids: array[int] | memoryview[int]) -> Iterator[tuple[int, int]]:
    """(position, hash) of every passage of SHINGLE words."""
    return enumerate(passage_hashes(ids))


def cache_directory() -> Path:
    """Where derived licence data is cached: `OSPO_SCAN_CACHE_DIR`, else the user cache dir."""
    configured = os.environ.get("OSPO_SCAN_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("ospo-scan"))


@cache
def exact_table() -> ExactTable:
    """The fast-path table, from the shipped, cached or freshly built tables."""
    return ExactTable(_tables())


@cache
def passage_index() -> PassageIndex:
    """The passage index that goes with `exact_table()`."""
    return PassageIndex(_tables())


@cache
def _tables() -> MappedTables:
    return load_tables(scancode_data(), SHIPPED_TABLES, cache_directory())


def load_tables(data: Path, shipped: Path, cache_dir: Path) -> MappedTables:
    """The tables of the licence data in `data`: shipped, cached, or built and cached."""
    fingerprint = _fingerprint(data, cache_dir)
    cached = cache_dir / f"licence-tables-{fingerprint[:32]}.bin"
    for path in (shipped, cached):
        tables = open_tables(path, fingerprint)
        if tables is not None:
            return tables
    notices.info(
        "building the licence tables from scancode's licence texts; this takes a while once, "
        "then they are cached in %s",
        cache_dir,
    )
    built = build_tables(data, fingerprint)
    try:
        write_tables(cached, built)
    except OSError:
        return tables_in_memory(built)  # an unwritable cache only costs the build time again
    return open_tables(cached, fingerprint) or tables_in_memory(built)


def _fingerprint(data: Path, cache_dir: Path) -> str:
    """The data's fingerprint, remembered in the cache for the installation's stamp: the
    digest reads scancode's `RECORD` (tens of milliseconds), the stamp a few file dates."""
    stamp = data_stamp(data)
    if stamp is None:
        return data_fingerprint(data)
    remembered = cache_dir / f"licence-data-{stamp}.txt"
    try:
        known = remembered.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        known = ""
    if len(known) == 64 and all(c in "0123456789abcdef" for c in known):
        return known
    fingerprint = data_fingerprint(data)
    try:
        remembered.parent.mkdir(parents=True, exist_ok=True)
        partial = remembered.with_name(f"{remembered.name}.{os.getpid()}.tmp")
        partial.write_text(fingerprint, encoding="ascii")
        partial.replace(remembered)
    except OSError:
        pass
    return fingerprint
