r"""Rules an organisation declares in its ruleset, without Python.

```toml
[rules.publiccode-file]
type = "file-exists"            # or "file-contains" with `pattern`
category = "metadata"
description = "publiccode.yml describes the software for public-code catalogues."
paths = ["publiccode.yml", "publiccode.yaml"]
remediation = "Add a publiccode.yml (https://yml.publiccode.tools/)."
```

Paths are globs over the listed directories (root, `.github/`, `docs/`, ...), matched
case-insensitively; the first match is the evidence.

A `file-contains` pattern runs on text a repository supplies, so it runs on RE2, whose matching
time is linear in the text whatever the pattern: `^(\w+\s?)+:` cannot take hours on a crafted
file. RE2 has no backreferences or lookaround; such a pattern is refused when the ruleset loads.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

import re2

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.snapshot import LISTED_DIRECTORIES, EntryKind, FileEntry, Snapshot


class UnsupportedPattern(ValueError):
    """A `file-contains` pattern the linear-time engine cannot take, with the engine's reason."""


def linear_pattern(pattern: str) -> Any:
    """`pattern` compiled with RE2, `^` and `$` matching at line ends as in Python's MULTILINE.

    Raises UnsupportedPattern when RE2 rejects it (a syntax error, a backreference, lookaround).
    """
    options = re2.Options()
    options.log_errors = False  # the reason reaches the user as a ruleset error instead
    try:
        return re2.compile(f"(?m){pattern}", options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", errors="replace")
        raise UnsupportedPattern(str(reason).replace(f"(?m){pattern}", pattern)) from exc


@dataclass(frozen=True)
class DeclaredRuleText:
    """The user-facing texts of a declared rule."""

    category: str
    description: str
    remediation: str
    help_url: str


_WHERE = (
    " (case-insensitive globs over the listed directories: "
    + ", ".join(f"{d}/" if d else "the root" for d in LISTED_DIRECTORIES)
    + ")"
)
"""Where declared globs look: the directories a connector lists, nothing deeper."""


class FileExistsRule(Rule):
    """Passes when a regular file matches one of the globs."""

    def __init__(self, rule_id: str, text: DeclaredRuleText, paths: tuple[str, ...]) -> None:
        self.id = rule_id
        self.category = text.category
        self.description = text.description
        self.remediation = text.remediation
        self.help_url = text.help_url
        self.paths = paths

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", ", ".join(self.paths) + _WHERE),
            ("fails when", "no regular file matches"),
        )

    def check(self, context: RuleContext) -> Finding:
        match = first_match(context.snapshot, self.paths)
        if match is None:
            return Finding(Outcome.FAIL, f"No file matches {', '.join(self.paths)}.")
        return Finding(
            Outcome.PASS,
            f"{match.path} is present.",
            (Evidence(match.path, EvidenceSource.REPOSITORY),),
        )


class FileContainsRule(FileExistsRule):
    """Passes when a file matching the globs contains the pattern; partial when none does."""

    def __init__(
        self, rule_id: str, text: DeclaredRuleText, paths: tuple[str, ...], pattern: str
    ) -> None:
        super().__init__(rule_id, text, paths)
        self.pattern = pattern
        """The pattern as the ruleset wrote it."""
        self._compiled = linear_pattern(pattern)

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            ("passes when", f"one of the matching files contains a match of /{self.pattern}/"),
            (
                "partial when",
                "files match but none contains the pattern (or none can be read as text): the "
                "file is there, its content is not yet what the rule asks",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        candidates = all_matches(snapshot, self.paths)
        if not candidates:
            return Finding(Outcome.FAIL, f"No file matches {', '.join(self.paths)}.")
        for entry in candidates:
            text = snapshot.read_text(entry.path)
            if text is not None and not text.binary and self._compiled.search(text.text):
                return Finding(
                    Outcome.PASS,
                    f"{entry.path} matches /{self.pattern}/.",
                    (Evidence(entry.path, EvidenceSource.REPOSITORY),),
                )
        names = ", ".join(e.path for e in candidates)
        return Finding(
            Outcome.PARTIAL,
            f"{names} does not match /{self.pattern}/.",
            tuple(Evidence(e.path, EvidenceSource.REPOSITORY) for e in candidates),
        )


def all_matches(snapshot: Snapshot, globs: tuple[str, ...]) -> list[FileEntry]:
    """Regular files in the listed directories matching any glob, in glob order."""
    entries = [e for listing in snapshot.listings.values() for e in listing]
    found: list[FileEntry] = []
    for glob in globs:
        pattern = glob.lower().lstrip("/")
        for entry in sorted(entries, key=lambda e: e.path):
            if (
                entry.kind is EntryKind.FILE
                and fnmatch.fnmatchcase(entry.path.lower(), pattern)
                and entry not in found
            ):
                found.append(entry)
    return found


def first_match(snapshot: Snapshot, globs: tuple[str, ...]) -> FileEntry | None:
    matches = all_matches(snapshot, globs)
    return matches[0] if matches else None
