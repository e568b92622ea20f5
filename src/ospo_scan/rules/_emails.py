"""E-mail addresses in prose, as people write them in security policies.

Recognises plain addresses (a full stop that ends the sentence is not part of the domain),
the usual obfuscations (`name[@]example.org`, `name (at) example (dot) org`,
`name at example dot org`) and anti-spam markers (`name nospam @ gmail.com`, with the reader
asked to remove the blanks and the marker). Every pattern is linear: bounded repetitions of
character classes that cannot overlap their neighbours, so no input makes them backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOCAL = r"[\w.+-]{1,64}"
_AT = (
    r"(?:[ \t]{0,3}(?:@|\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\})[ \t]{0,3}"
    r"|[ \t]{1,3}at[ \t]{1,3})"
)
_LABEL = r"[A-Za-z0-9-]{1,63}"
_DOT = r"(?:\.|[ \t]{0,3}(?:\[dot\]|\(dot\)|\{dot\})[ \t]{0,3}|[ \t]{1,3}dot[ \t]{1,3})"
_ADDRESS = re.compile(
    rf"(?<![\w.+-])(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,8}})",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(_DOT, re.IGNORECASE)
_TOP_LEVEL = re.compile(r"[A-Za-z]{2,63}")
_SPAM_MARKER = re.compile(r"no[-_.]?spam|remove[-_.]?this|spam[-_.]?free", re.IGNORECASE)
_WORD_BEFORE = re.compile(rf"({_LOCAL})[ \t]{{1,3}}$")
_LOOK_BACK = 70


@dataclass(frozen=True)
class Email:
    """An address found in text."""

    address: str
    """The address as a mail client needs it (obfuscation and anti-spam markers undone)."""
    obfuscated: bool
    """Whether the text disguised it (`[@]`, `at`/`dot`, blanks, a `nospam` marker)."""


def find_emails(text: str) -> list[Email]:
    """Every e-mail address in `text`, in order."""
    found: list[Email] = []
    for match in _ADDRESS.finditer(text):
        local = match.group("local").strip(".")
        domain_parts = _DOT_WORD.split(match.group("domain"))
        if not local or not _TOP_LEVEL.fullmatch(domain_parts[-1]):
            continue
        at, plain_dots = match.group("at"), match.group("domain") == ".".join(domain_parts)
        if at.strip().lower() == "at" and plain_dots:
            continue  # "look at example.org" is prose; "name at example dot org" is an address
        obfuscated = at != "@" or not plain_dots
        if _SPAM_MARKER.fullmatch(local):
            # `name nospam @ example.org`: the marker stands between the words of the address.
            before = _WORD_BEFORE.search(text[max(0, match.start() - _LOOK_BACK) : match.start()])
            if before is None:
                continue
            local = before.group(1)
        cleaned = _SPAM_MARKER.sub("", local).strip(".-_")
        obfuscated = obfuscated or cleaned != local
        if cleaned:
            found.append(Email(f"{cleaned}@{'.'.join(domain_parts)}", obfuscated))
    return found
