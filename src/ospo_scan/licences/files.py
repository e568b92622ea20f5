"""Which files are licence candidates."""

from __future__ import annotations

import re

from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

_LICENCE_NAME = re.compile(
    r"""^(?:
        (?:un)?licen[cs]e(?:s)?     # LICENSE, LICENCE, LICENSES, UNLICENSE
      | copying(?:\.lesser|\.lib)?  # COPYING, COPYING.LESSER
      | copyright
      | [a-z0-9.+-]+[-_]licen[cs]e  # MIT-LICENSE, APACHE_LICENSE
    )
    (?:[-_.][a-z0-9.+_-]+)?         # LICENSE-MIT, LICENSE.Apache-2.0, LICENSE.md, LICENSE_1_0.txt
    $""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_LICENCE_EXTENSIONS = (".py", ".js", ".ts", ".go", ".rs", ".java", ".rb", ".json", ".yml")


def is_licence_name(name: str) -> bool:
    lowered = name.lower()
    return bool(_LICENCE_NAME.match(name)) and not lowered.endswith(_NOT_LICENCE_EXTENSIONS)


def licence_candidates(snapshot: Snapshot) -> list[FileEntry]:
    """Licence files at the root and in a REUSE `LICENSES/` directory. Never inherited."""
    found = [
        e
        for e in snapshot.entries("")
        if e.kind in (EntryKind.FILE, EntryKind.OUTSIDE_LINK) and is_licence_name(e.name)
    ]
    found.sort(key=lambda e: e.name.lower())
    found.extend(
        sorted(
            (e for e in snapshot.entries("LICENSES") if e.kind is not EntryKind.DIRECTORY),
            key=lambda e: e.name.lower(),
        )
    )
    return found
