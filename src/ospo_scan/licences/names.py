"""Licences named in prose: "Licensed under the Apache License, Version 2.0", "CC BY 3.0 IGO".

Summary files, README licence sections and free-text manifest fields name a licence rather than
carry its text. Names come from scancode's data (each SPDX-listed licence's id, name and short
name) and are compared after filler words ("the", "version", "license", "public") and trailing
".0" of version numbers are dropped on both sides, so "GNU GPL version 3" and "GPL-3.0" meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ospo_scan.licences.normalise import licence_words
from ospo_scan.licences.references import exact_table

_FILLER = frozenset({"the", "version", "v", "license", "licence", "licensed", "public", "of"})
_GLUED_VERSION = re.compile(r"^([a-z]+?)v?(\d+)$")
_PLUS_AFTER_VERSION = re.compile(r"(\d)\s*\+")
_SINGLE_WORD_NAMES = frozenset(
    {"mit", "isc", "zlib", "unlicense", "wtfpl", "0bsd", "bsd", "gpl", "lgpl", "agpl", "mpl"}
)
"""One-word names trusted on their own (others, like "python", are ordinary words in prose)."""
_ALIASES: dict[tuple[str, ...], str] = {
    ("cc0",): "cc0-1.0",
    ("cc", "zero"): "cc0-1.0",
    ("creative", "commons", "zero"): "cc0-1.0",
    ("odbl",): "odbl-1.0",
    ("open", "database", "1"): "odbl-1.0",
    ("open", "data", "commons", "open", "database", "1"): "odbl-1.0",
    ("open", "data", "commons", "attribution", "1"): "odc-by-1.0",
    ("pddl",): "pddl-1.0",
    ("open", "data", "commons", "domain", "dedication", "and", "1"): "pddl-1.0",
}
"""Common ways of naming a licence that scancode's names do not cover (canonical words)."""
_OR_LATER = ("or", "later")
MAX_NAME_WORDS = 12


@dataclass(frozen=True)
class NamedLicence:
    scancode_key: str
    start: int
    """Position of the name among the text's canonical words."""
    end: int


def canonical_words(text: str) -> list[str]:
    """Words of a licence name or a sentence, reduced to what tells licences apart."""
    text = _PLUS_AFTER_VERSION.sub(r"\1 or later", text)
    words: list[str] = []
    for word in licence_words(text, keep_copyright=True):
        glued = _GLUED_VERSION.match(word)
        if len(word) > 1 and word[0] == "v" and word[1:].isdigit():
            words.append(word[1:])
        elif glued and glued.group(1) in {"gpl", "lgpl", "agpl", "gplv", "apache", "mpl", "epl"}:
            words.extend((glued.group(1), glued.group(2)))
        elif (word == "0" and words and words[-1].isdigit()) or (
            word == "any" and words and words[-1] == "or"
        ):
            continue
        elif word == "newer":
            words.append("later")
        elif word not in _FILLER:
            words.append(word)
    return words


@cache
def _name_index() -> dict[tuple[str, ...], str]:
    return exact_table().names


def build_name_index(names: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
    """Licence names in canonical words -> scancode key; built with the exact table."""
    index: dict[tuple[str, ...], str] = {}
    for words, key in sorted(names.items(), key=lambda item: (len(item[0]), item[0])):
        canonical = tuple(canonical_words(" ".join(words)))
        if not canonical or len(canonical) > MAX_NAME_WORDS:
            continue
        if len(canonical) == 1 and canonical[0] not in _SINGLE_WORD_NAMES:
            continue
        index.setdefault(canonical, key)
    for canonical, key in _ALIASES.items():
        index.setdefault(canonical, key)
    return index


def find_names(text: str) -> list[NamedLicence]:
    """Licences named in a text, longest name first at each place, in text order."""
    index = _name_index()
    words = canonical_words(text)
    found: list[NamedLicence] = []
    position = 0
    while position < len(words):
        for length in range(min(MAX_NAME_WORDS, len(words) - position), 0, -1):
            key = index.get(tuple(words[position : position + length]))
            if key is None:
                continue
            end = position + length
            if tuple(words[end : end + 2]) == _OR_LATER:
                key = index.get(tuple(words[position:end]) + _OR_LATER, key)
                end += 2
            found.append(NamedLicence(key, position, end))
            position = end
            break
        else:
            position += 1
    return found


_CC_URL = re.compile(
    r"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)(/igo)?", re.IGNORECASE
)
_LICENCE_URLS = (
    (re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.IGNORECASE), "CC0-1.0"),
    (re.compile(r"apache\.org/licenses/LICENSE-2\.0", re.IGNORECASE), "Apache-2.0"),
    (re.compile(r"opendatacommons\.org/licenses/odbl", re.IGNORECASE), "ODbL-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/by", re.IGNORECASE), "ODC-By-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/pddl", re.IGNORECASE), "PDDL-1.0"),
)
_ID_URL = re.compile(
    r"(?:opensource\.org/licenses?|spdx\.org/licenses)/([A-Za-z0-9][A-Za-z0-9.+-]*?)(?:\.html|\.php)?(?=[\s/)\]>\"'#]|$)"
)


def licence_urls(text: str) -> list[str]:
    """SPDX ids of the licences a text links to (creativecommons.org, opensource.org, ...)."""
    from ospo_scan.licences.spdx import normalise

    found: list[str] = []
    for match in _CC_URL.finditer(text):
        kind, version, igo = match.groups()
        candidate = f"CC-{kind.upper()}-{version}{'-IGO' if igo else ''}"
        if normalise(candidate):
            found.append(candidate)
    found.extend(spdx for pattern, spdx in _LICENCE_URLS if pattern.search(text))
    for match in _ID_URL.finditer(text):
        normalised = normalise(match.group(1))
        if normalised:
            found.append(normalised)
    return list(dict.fromkeys(found))
