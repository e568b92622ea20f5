"""Reference licence texts from scancode-toolkit's own data, as a compact table cached on disk.

Every licence text scancode ships (its `licenses/*.LICENSE`) and every rule that is a whole
licence text or a licence notice (`is_license_text`, `is_license_notice` in `rules/*.RULE`)
becomes a word sequence. The table answers two questions fast, without scancode's index: which
reference is this whole text, word for word (a hash lookup), and which references share enough
sampled passages with a text to be worth a closer look. It is built once (a few seconds)
and cached in the user cache directory,
keyed by the scancode version, so later processes load it in a fraction of a second.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import sys
import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from ospo_scan.licences.name_words import build_name_index
from ospo_scan.licences.normalise import licence_words, shipped_reference_words

SHINGLE = 5
"""Words per passage compared between texts."""
SAMPLE = 8
"""One passage in this many (by hash) is indexed for candidate search."""
MAX_SHARED = 3000
"""A sampled passage shared by more references than this is kept for licence texts only."""
MIN_INDEXED = 4
"""Fewest passages indexed per reference."""
MIN_WORDS = 20
"""References shorter than this are notices, not texts; left to the index."""
_FORMAT = 12
"""Bumped whenever the cached layout or the normalisation changes."""


@dataclass(frozen=True)
class Reference:
    """One reference licence text."""

    scancode_expression: str
    """The scancode licence expression of the text."""
    origin: str
    """Which scancode data file it came from, e.g. `licenses/mit.LICENSE`."""
    words: array[int]
    """The text's normalised words as vocabulary ids."""
    is_full_text: bool
    """A whole licence text (True) or a notice that refers to one (False)."""
    stripped: int
    """Words lost with its copyright lines; a reference that lost some means less than it says."""


@dataclass
class ExactTable:
    """What the fast path needs: vocabulary, whole-text hashes, names. Small; loads in ms."""

    build: str
    """Identifies the build, so that a passage index is only used with its own vocabulary."""
    vocabulary: dict[str, int]
    whole_texts: dict[int, tuple[str, str, bool]]
    """Hash of a whole normalised text -> (scancode expression, origin, is full text) of the
    reference with exactly those words (the one that lost fewest words to copyright lines)."""
    spdx_keys: dict[str, str]
    """scancode licence key -> SPDX id (`LicenseRef-scancode-<key>` when SPDX lists none)."""
    names: dict[tuple[str, ...], str]
    """Canonical words (see `names.canonical_words`) of an SPDX-listed licence's id, name or
    short name -> scancode key."""

    def ids(self, words: list[str]) -> array[int]:
        """A text's words as vocabulary ids; unknown words become 0, which no reference has."""
        vocabulary = self.vocabulary
        return array("I", (vocabulary.get(w, 0) for w in words))


@dataclass
class PassageIndex:
    """Every reference's words and the sampled-passage lookup over them. Larger; loaded only
    when a text is not a reference word for word."""

    build: str
    references: list[Reference]
    by_sampled_passage: dict[int, list[int]]
    """Hash of an indexed passage (sampled, or topping up a short notice) -> references
    containing it."""
    sampled_counts: list[int]
    """Number of distinct indexed passages per reference."""


def passages(ids: array[int]) -> Iterator[tuple[int, int]]:
    """(position, hash) of every passage of SHINGLE words."""
    return enumerate(passage_hashes(ids))


def passage_hashes(ids: array[int]) -> list[int]:
    """The hash of every passage of SHINGLE words, in order."""
    # zip builds each passage's tuple in C: the same hashes as slicing, several times faster;
    # the shifted copies are of unequal length on purpose (the last passage ends the text)
    shifted = (ids[offset:] for offset in range(SHINGLE))
    return list(map(hash, zip(*shifted, strict=False)))


def is_sampled(passage_hash: int) -> bool:
    return passage_hash % SAMPLE == 0


def whole_text_hash(ids: array[int]) -> int:
    return hash(tuple(ids))


notices = logging.getLogger("ospo_scan.notices")
"""What a user should hear about even without --verbose (the CLI shows it on stderr)."""


def scancode_version() -> str:
    try:
        return metadata.version("scancode-toolkit")
    except metadata.PackageNotFoundError:  # pragma: no cover - scancode is a dependency
        return "unknown"


def cache_directory() -> Path:
    """Where derived licence data is cached: `OSPO_SCAN_CACHE_DIR`, else the user cache dir."""
    configured = os.environ.get("OSPO_SCAN_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("ospo-scan"))


def _cache_file(part: str) -> Path:
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    name = f"licence-{part}-scancode{scancode_version()}-{python}-v{_FORMAT}.pickle"
    return cache_directory() / name


@cache
def exact_table() -> ExactTable:
    """The fast-path table, loaded from the cache or built (and cached) on first use."""
    table = _load(_cache_file("exact"), ExactTable)
    if table is None:
        table, _ = _build_and_cache()
    return table


@cache
def passage_index() -> PassageIndex:
    """The passage index that goes with `exact_table()`, loaded or built on first use."""
    index = _load(_cache_file("passages"), PassageIndex)
    if index is None or index.build != exact_table().build:
        exact, index = _build_and_cache()
        if exact.build != exact_table().build:  # the exact table on disk was stale too
            exact_table.cache_clear()
            _write_cache(_cache_file("exact"), exact)
    return index


_T = TypeVar("_T")


def _load(path: Path, kind: type[_T]) -> _T | None:
    try:
        with path.open("rb") as stream:
            loaded = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return loaded if isinstance(loaded, kind) else None


def _build_and_cache() -> tuple[ExactTable, PassageIndex]:
    notices.info(
        "building the licence tables from scancode's licence texts; this takes a while once, "
        "then they are cached in %s",
        cache_directory(),
    )
    exact, index = build_tables()
    _write_cache(_cache_file("passages"), index)
    _write_cache(_cache_file("exact"), exact)
    return exact, index


def _write_cache(path: Path, table: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as stream:
            pickle.dump(table, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # an unwritable cache only costs the build time again


def _scancode_data() -> Path:
    import licensedcode

    return Path(licensedcode.__file__).parent / "data"


_HEADER_FIELD = re.compile(r"^([a-z_]+):[ \t]*(.*)$", re.MULTILINE)


def _split_data_file(path: Path) -> tuple[dict[str, str], str] | None:
    raw = path.read_text(encoding="utf-8", errors="replace")
    parts = raw.split("---\n", 2)
    if len(parts) < 3:
        return None
    header = {m.group(1): m.group(2).strip() for m in _HEADER_FIELD.finditer(parts[1])}
    return header, parts[2]


def _texts(data: Path) -> Iterator[tuple[str, str, str, bool]]:
    """(scancode expression, origin, text, is full text) of every English reference."""
    for path in sorted((data / "licenses").glob("*.LICENSE")):
        split = _split_data_file(path)
        if split is None:
            continue
        header, text = split
        if header.get("is_deprecated") == "yes" or header.get("is_unknown") == "yes":
            continue
        yield header["key"], f"licenses/{path.name}", text, True
    for path in sorted((data / "rules").glob("*.RULE")):
        split = _split_data_file(path)
        if split is None:
            continue
        header, text = split
        if header.get("is_deprecated") == "yes" or header.get("is_false_positive") == "yes":
            continue
        if header.get("is_license_text") != "yes" and header.get("is_license_notice") != "yes":
            continue
        if header.get("language", "en") != "en":
            continue
        is_text = header.get("is_license_text") == "yes"
        yield header["license_expression"], f"rules/{path.name}", text, is_text


def _keys_and_names(data: Path) -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    keys: dict[str, str] = {}
    names: dict[tuple[str, ...], str] = {}
    for path in sorted((data / "licenses").glob("*.LICENSE")):
        split = _split_data_file(path)
        if split is None:
            continue
        header, _ = split
        key = header.get("key", path.stem)
        spdx = header.get("spdx_license_key") or f"LicenseRef-scancode-{key}"
        if spdx.startswith("LicenseRef-") and header.get("osi_license_key"):
            spdx = header["osi_license_key"]  # a translation of an OSI- and SPDX-listed licence
        keys[key] = spdx
        if spdx.startswith("LicenseRef-") or header.get("is_deprecated") == "yes":
            continue
        for name in (spdx, header.get("name", ""), header.get("short_name", "")):
            words = tuple(licence_words(name, keep_copyright=True))
            if words:
                names.setdefault(words, key)
    return keys, names


def _indexed_passages(words: array[int]) -> set[int]:
    """The sampled passages of a reference, topped up with evenly spaced ones for a short
    notice that sampling would leave with too few to be found by."""
    every = passage_hashes(words)
    indexed = {h for h in every if h % SAMPLE == 0}  # is_sampled, inlined: millions of calls
    if len(indexed) < MIN_INDEXED and every:
        step = max(1, len(every) // MIN_INDEXED)
        indexed.update(every[::step][:MIN_INDEXED])
    return indexed


def build_tables() -> tuple[ExactTable, PassageIndex]:
    """Read scancode's data files into fresh tables."""
    data = _scancode_data()
    vocabulary: dict[str, int] = {}
    references: list[Reference] = []
    for expression, origin, text, is_text in _texts(data):
        words, stripped = shipped_reference_words(text)
        if len(words) < MIN_WORDS:
            continue
        # ids in order of first appearance, each distinct word looked at once
        for word in dict.fromkeys(words):
            if word not in vocabulary:
                vocabulary[word] = len(vocabulary) + 1
        ids = array("I", map(vocabulary.__getitem__, words))
        references.append(Reference(expression, origin, ids, is_text, stripped))

    whole_texts: dict[int, tuple[str, str, bool]] = {}
    by_passage: dict[int, list[int]] = {}
    counts: list[int] = []
    ordered = sorted(range(len(references)), key=lambda n: references[n].stripped)
    for number in ordered:
        reference = references[number]
        whole_texts.setdefault(
            whole_text_hash(reference.words),
            (reference.scancode_expression, reference.origin, reference.is_full_text),
        )
    for number, reference in enumerate(references):
        sampled = _indexed_passages(reference.words)
        for passage_hash in sampled:
            by_passage.setdefault(passage_hash, []).append(number)
        counts.append(len(sampled))

    spdx_keys, names = _keys_and_names(data)
    # A passage most references share cannot pick candidates; only the licences' own texts
    # keep it, so that the most copied licences (MIT, BSD) are still found.
    for passage_hash, numbers in by_passage.items():
        if len(numbers) <= MAX_SHARED:
            continue
        kept = [n for n in numbers if references[n].origin.startswith("licenses/")]
        for number in numbers:
            if not references[number].origin.startswith("licenses/"):
                counts[number] -= 1
        by_passage[passage_hash] = kept
    build = uuid.uuid4().hex
    exact = ExactTable(build, vocabulary, whole_texts, spdx_keys, build_name_index(names))
    return exact, PassageIndex(build, references, by_passage, counts)
