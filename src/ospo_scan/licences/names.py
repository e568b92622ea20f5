"""Licences named in prose: "Licensed under the Apache License, Version 2.0", "CC BY 3.0 IGO".

Summary files, README licence sections and free-text manifest fields name a licence rather than
carry its text. Names come from scancode's data (each SPDX-listed licence's id, name and short
name), indexed with the reference tables, and are compared as canonical words (`name_words`), so
"GNU GPL version 3" and "GPL-3.0" meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ospo_scan.licences.igo import IGO_PORTS, igo_port
from ospo_scan.licences.name_words import MAX_NAME_WORDS, canonical_words
from ospo_scan.licences.references import exact_table
from ospo_scan.licences.scancode import to_spdx
from ospo_scan.licences.spdx import combine_and, combine_or, normalise

_OR_LATER = ("or", "later")


@dataclass(frozen=True)
class NamedLicence:
    scancode_key: str
    start: int
    """Position of the name among the text's canonical words."""
    end: int


@cache
def _name_index() -> dict[tuple[str, ...], str]:
    return exact_table().names


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
            elif end < len(words) and words[end] == "igo":
                # "CC BY-NC 3.0 IGO": the IGO port, or the licence itself where Creative
                # Commons made no port (4.0 licences apply to IGOs as they are).
                key = igo_port(key) or key
                end += 1
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
    found: list[str] = []
    for match in _CC_URL.finditer(text):
        kind, version, igo = match.groups()
        port = igo_port(f"cc-{kind.lower()}-{version}") if igo else None
        candidate = IGO_PORTS[port] if port else f"CC-{kind.upper()}-{version}"
        if normalise(candidate):
            found.append(candidate)
    found.extend(spdx for pattern, spdx in _LICENCE_URLS if pattern.search(text))
    for match in _ID_URL.finditer(text):
        normalised = normalise(match.group(1))
        if normalised:
            found.append(normalised)
    return list(dict.fromkeys(found))


def suggest(value: str) -> str | None:
    """A likely SPDX expression for a value that is not valid SPDX (`Apache-2`, `GPLv3`)."""
    keys = list(dict.fromkeys(n.scancode_key for n in find_names(value)))
    if not keys:
        return None
    operator = "OR" if re.search(r"\bor\b|/|\|", value, re.IGNORECASE) else "AND"
    expressions = (normalise(to_spdx(key)) for key in keys)
    return combine_or(expressions) if operator == "OR" else combine_and(expressions)
