"""The reference tables, built from the licence data files of the installed scancode-toolkit.

Every licence text scancode ships (its `licenses/*.LICENSE`) and every rule that is a whole
licence text or a licence notice (`is_license_text`, `is_license_notice` in `rules/*.RULE`)
becomes a word sequence; each data file is read once. The build is deterministic: the same data
files give the same tables, byte for byte, which is what lets a wheel ship them (see
`reference_file`).
"""

from __future__ import annotations

import importlib.util
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def passage_hashes(ids: array[int] | memoryview[int]) -> list[int]:
    """The hash of every passage of SHINGLE words, in order."""
    # zip builds each passage's tuple in C: the same hashes as slicing, several times faster;
    # the shifted copies are of unequal length on purpose (the last passage ends the text)
    shifted = (ids[offset:] for offset in range(SHINGLE))
    return list(map(hash, zip(*shifted, strict=False)))


def whole_text_hash(ids: array[int] | memoryview[int]) -> int:
    return hash(tuple(ids))


@dataclass(frozen=True)
class BuiltTables:
    """Everything the matcher looks up, as plain lists and dicts, before it is written out."""

    fingerprint: str
    """The installed scancode data the tables come from (`reference_file.data_fingerprint`)."""
    vocabulary: list[str]
    """Every word of the references; a word's id is its position plus one."""
    spdx_keys: dict[str, str]
    """scancode licence key -> SPDX id (`LicenseRef-scancode-<key>` when SPDX lists none)."""
    names: dict[tuple[str, ...], str]
    """Canonical words of an SPDX-listed licence's id, name or short name -> scancode key."""
    expressions: list[str]
    """Each reference's scancode licence expression."""
    origins: list[str]
    """Each reference's scancode data file, e.g. `licenses/mit.LICENSE`."""
    is_full_text: list[bool]
    """Each reference is a whole licence text (True) or a notice that refers to one."""
    stripped: list[int]
    """Words each reference lost with its copyright lines."""
    words: list[array[int]]
    """Each reference's normalised words as vocabulary ids."""
    whole_texts: dict[int, int]
    """Hash of a whole normalised text -> the reference with exactly those words (the one that
    lost fewest words to copyright lines)."""
    by_sampled_passage: dict[int, list[int]]
    """Hash of an indexed passage -> references containing it, in ascending order."""
    sampled_counts: list[int]
    """Number of distinct indexed passages per reference."""


def scancode_data() -> Path:
    """The installed scancode's licence data directory, found without importing scancode."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or spec.origin is None:  # pragma: no cover - scancode is a dependency
        raise ModuleNotFoundError("scancode-toolkit (licensedcode) is not installed")
    return Path(spec.origin).parent / "data"


_HEADER_FIELD = re.compile(r"^([a-z_]+):[ \t]*(.*)$", re.MULTILINE)


def split_data_file(path: Path) -> tuple[dict[str, str], str] | None:
    raw = path.read_text(encoding="utf-8", errors="replace")
    parts = raw.split("---\n", 2)
    if len(parts) < 3:
        return None
    header = {m.group(1): m.group(2).strip() for m in _HEADER_FIELD.finditer(parts[1])}
    return header, parts[2]


@dataclass(frozen=True)
class _Licences:
    """What the licences' own data files give, each file read once."""

    texts: list[tuple[str, str, str, bool]]
    spdx_keys: dict[str, str]
    names: dict[tuple[str, ...], str]


def _read_licences(data: Path) -> _Licences:
    texts: list[tuple[str, str, str, bool]] = []
    keys: dict[str, str] = {}
    names: dict[tuple[str, ...], str] = {}
    for path in sorted((data / "licenses").glob("*.LICENSE")):
        split = split_data_file(path)
        if split is None:
            continue
        header, text = split
        key = header.get("key", path.stem)
        deprecated = header.get("is_deprecated") == "yes"
        if "key" in header and not deprecated and header.get("is_unknown") != "yes":
            texts.append((header["key"], f"licenses/{path.name}", text, True))
        spdx = header.get("spdx_license_key") or f"LicenseRef-scancode-{key}"
        if spdx.startswith("LicenseRef-") and header.get("osi_license_key"):
            spdx = header["osi_license_key"]  # a translation of an OSI- and SPDX-listed licence
        keys[key] = spdx
        if spdx.startswith("LicenseRef-") or deprecated:
            continue
        for name in (spdx, header.get("name", ""), header.get("short_name", "")):
            words = tuple(licence_words(name, keep_copyright=True))
            if words:
                names.setdefault(words, key)
    return _Licences(texts, keys, names)


def _rule_texts(data: Path) -> Iterator[tuple[str, str, str, bool]]:
    """(scancode expression, origin, text, is full text) of every English text or notice rule."""
    for path in sorted((data / "rules").glob("*.RULE")):
        split = split_data_file(path)
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


def reference_texts(data: Path) -> Iterator[tuple[str, str, str, bool]]:
    """(scancode expression, origin, text, is full text) of every English reference."""
    yield from _read_licences(data).texts
    yield from _rule_texts(data)


def _indexed_passages(words: array[int]) -> set[int]:
    """The sampled passages of a reference, topped up with evenly spaced ones for a short
    notice that sampling would leave with too few to be found by."""
    every = passage_hashes(words)
    indexed = {h for h in every if h % SAMPLE == 0}  # inlined sampling test: millions of calls
    if len(indexed) < MIN_INDEXED and every:
        step = max(1, len(every) // MIN_INDEXED)
        indexed.update(every[::step][:MIN_INDEXED])
    return indexed


def build_tables(data: Path, fingerprint: str) -> BuiltTables:
    """Read scancode's data files into fresh tables."""
    licences = _read_licences(data)
    vocabulary: dict[str, int] = {}
    built = BuiltTables(fingerprint, [], licences.spdx_keys, {}, [], [], [], [], [], {}, {}, [])
    for expression, origin, text, is_text in (*licences.texts, *_rule_texts(data)):
        words, stripped = shipped_reference_words(text)
        if len(words) < MIN_WORDS:
            continue
        # ids in order of first appearance, each distinct word looked at once
        for word in dict.fromkeys(words):
            if word not in vocabulary:
                vocabulary[word] = len(vocabulary) + 1
        built.expressions.append(expression)
        built.origins.append(origin)
        built.is_full_text.append(is_text)
        built.stripped.append(stripped)
        built.words.append(array("I", map(vocabulary.__getitem__, words)))
    built.vocabulary.extend(vocabulary)
    built.names.update(build_name_index(licences.names))

    for number in sorted(range(len(built.words)), key=built.stripped.__getitem__):
        built.whole_texts.setdefault(whole_text_hash(built.words[number]), number)
    by_passage = built.by_sampled_passage
    counts = built.sampled_counts
    for number, ids in enumerate(built.words):
        sampled = _indexed_passages(ids)
        for passage_hash in sampled:
            by_passage.setdefault(passage_hash, []).append(number)
        counts.append(len(sampled))
    # A passage most references share cannot pick candidates; only the licences' own texts
    # keep it, so that the most copied licences (MIT, BSD) are still found.
    canonical = [origin.startswith("licenses/") for origin in built.origins]
    for passage_hash, numbers in by_passage.items():
        if len(numbers) <= MAX_SHARED:
            continue
        for number in numbers:
            if not canonical[number]:
                counts[number] -= 1
        by_passage[passage_hash] = [n for n in numbers if canonical[n]]
    return built
