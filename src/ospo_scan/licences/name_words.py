"""Licence names reduced to canonical words, and the name index built from scancode's names.

Names are compared after filler words ("the", "version", "license", "public") and trailing ".0"
of version numbers are dropped on both sides, so "GNU GPL version 3" and "GPL-3.0" meet. The
index is built once, with the reference tables (`references`), and looked up by `names`.
"""

from __future__ import annotations

import re

from ospo_scan.licences.normalise import licence_words

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
_JOINED_WORDS = {
    "noncommercial": ("non", "commercial"),
    "sharealike": ("share", "alike"),
    "noderivs": ("no", "derivatives"),
    "noderivatives": ("no", "derivatives"),
    "derivs": ("derivatives",),
}
"""Creative Commons' own spellings ("Attribution-NonCommercial-ShareAlike") of the words its
licences' names in scancode keep apart ("Non Commercial Share Alike")."""
MAX_NAME_WORDS = 12


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
        elif word in _JOINED_WORDS:
            words.extend(_JOINED_WORDS[word])
        elif word not in _FILLER:
            words.append(word)
    return words


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
