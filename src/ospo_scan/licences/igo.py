"""Licences of intergovernmental organisations: Creative Commons' IGO ports and the additions
UN-system entities attach to their licences.

Creative Commons ported its 3.0 licences for intergovernmental organisations (IGOs); SPDX lists
four of the six ports and scancode carries the same four. The two SPDX lacks get `LicenseRef-`
ids of their own. The 4.0 licences have no IGO ports: they apply to IGOs as they are, so a
"CC BY 4.0 IGO" is CC-BY-4.0.

UN entities add the same few clauses to whatever licence they use: their privileges and
immunities are not waived, disputes go to arbitration under the UNCITRAL rules, and their name,
logo and emblem are not licensed. These change neither which licence applies nor whether it is
open, so they are recognised and noted rather than read as another licence.
"""

from __future__ import annotations

import re

IGO_PORTS: dict[str, str] = {
    "cc-by-3.0-igo": "CC-BY-3.0-IGO",
    "cc-by-sa-3.0-igo": "CC-BY-SA-3.0-IGO",
    "cc-by-nc-3.0-igo": "LicenseRef-CC-BY-NC-3.0-IGO",
    "cc-by-nd-3.0-igo": "LicenseRef-CC-BY-ND-3.0-IGO",
    "cc-by-nc-sa-3.0-igo": "CC-BY-NC-SA-3.0-IGO",
    "cc-by-nc-nd-3.0-igo": "CC-BY-NC-ND-3.0-IGO",
}
"""Key of each Creative Commons IGO port (scancode's, where it has one) -> SPDX id."""


def igo_port(key: str) -> str | None:
    """The IGO port of a Creative Commons licence key (`cc-by-nc-3.0` -> `cc-by-nc-3.0-igo`),
    or None when Creative Commons made none (the 4.0 licences, other licences)."""
    port = f"{key}-igo"
    return port if port in IGO_PORTS else None


# Each pattern reads normalised licence words (lower case, no punctuation); every quantifier is
# bounded or over disjoint alternatives, so matching stays linear in the text's length.
_ADDITIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("privileges and immunities", re.compile(r"\bprivileges (?:and|or) immunities\b")),
    (
        "arbitration under UNCITRAL rules",
        re.compile(r"\buncitral\b|\barbitration (?:rules|in accordance)\b"),
    ),
    (
        "name, logo and emblem excluded",
        re.compile(
            r"\b(?:logos?|emblems?|flags?)\b(?: [a-z0-9]+){0,30}? (?:not|no|nothing|without|"
            r"prior written permission|prohibited|reserved|trademarks?)\b"
            r"|\b(?:nothing|not|no right)\b(?: [a-z0-9]+){0,30}? (?:logos?|emblems?|flags?)\b"
        ),
    ),
)


def un_additions(words: str) -> tuple[str, ...]:
    """The UN-system additions a run of normalised words carries, by name."""
    return tuple(name for name, pattern in _ADDITIONS if pattern.search(words))
