"""Words added to a licence text that restrict what the licence allows.

Projects insert sentences into licence texts. Most are harmless (the project's name, another
copyright line), but some take away what the licence grants: no commercial use, no military
use, use in one field only, no modification. A licence text with such words is no longer the
licence it was copied from, so it is reported as modified and judged as such.
"""

from __future__ import annotations

import re

from ospo_scan.licences.igo import un_additions

_LIMIT = r"(?:not|no|never|prohibited|forbidden|forbids|prohibits|only|solely|exclusively)"
_SCOPE = (
    r"(?P<scope>commercial|commercially|military|armed|weapons?|warfare|defen[cs]e|surveillance"
    r"|modif(?:y|ied|ies|ication|ications)|alter(?:ed|ation|ations)?|derivative|derivatives"
    r"|sell|sold|resale|resell|profit|government|governmental|academic|research|educational"
    r"|personal use|internal use|field of use)"
)
_NEAR = r"(?: [a-z0-9]+){0,8}? "
"""Up to eight words between the two halves of a restriction (bounded, so matching stays
linear)."""
_RESTRICTIONS = (
    re.compile(rf"\b{_LIMIT}\b{_NEAR}{_SCOPE}\b"),
    re.compile(rf"\b{_SCOPE}\b{_NEAR}{_LIMIT}\b"),
)
QUOTED_WORDS = 24
"""Words of an inserted passage quoted in a message."""


def restricts_use(words: str, licence_words: frozenset[str] = frozenset()) -> bool:
    """Whether normalised words inserted into (or added to) a licence text restrict its use.

    `licence_words` are the words of the licence text itself: a restriction must be about
    something the licence does not speak of (a licence that says "derivative works shall not
    include ..." is not restricted by an edit near those words). The UN-system additions
    (privileges and immunities, arbitration, the entity's emblem) say what the licence does not
    cover; they take nothing from it and are not restrictions."""
    if un_additions(words):
        return False
    return any(
        found.group("scope").split()[0] not in licence_words
        for pattern in _RESTRICTIONS
        for found in pattern.finditer(words)
    )


def quote(words: list[str] | tuple[str, ...]) -> str:
    """Inserted words as a message quotes them: the first few, with an ellipsis for the rest."""
    shown = " ".join(words[:QUOTED_WORDS])
    return f"“{shown}{' …' if len(words) > QUOTED_WORDS else ''}”"
