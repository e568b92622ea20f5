"""Exemptions: `{rule, reason, expires}` entries in a repository's `.ospo-scan.toml` or the
entity file. An exemption without a reason, or past its expiry, is reported as an error rather
than honoured."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ospo_scan.config._toml import TableReader, parse_toml
from ospo_scan.errors import ConfigError

REPOSITORY_CONFIG = ".ospo-scan.toml"
_KEYS = ("rule", "reason", "expires", "repositories")


@dataclass(frozen=True)
class Exemption:
    rule: str
    reason: str
    source: str
    """The file (and entry) the exemption comes from, for the report."""
    expires: dt.date | None = None
    repositories: tuple[str, ...] = ()
    """Globs of repository names (entity files only); empty means every repository."""
    line: int | None = None
    """The line of the exemption's `[[exemptions]]` header in its file."""

    @property
    def path(self) -> str:
        """The file the exemption is declared in."""
        return self.source.rsplit(" #", 1)[0]

    def applies_to(self, repository: str) -> bool:
        if not self.repositories:
            return True
        short = repository.rsplit("/", 1)[-1]
        return any(
            fnmatch.fnmatchcase(n, g) for g in self.repositories for n in (repository, short)
        )

    def problem(self, today: dt.date) -> str | None:
        """Why the exemption cannot be honoured, or None."""
        if not self.reason.strip():
            return f"exemption for {self.rule} in {self.source} has no reason; add one or remove it"
        if self.expires is not None and self.expires < today:
            return (
                f"exemption for {self.rule} in {self.source} expired on "
                f"{self.expires.isoformat()}; renew it or fix the finding"
            )
        return None


def parse_exemptions(data: dict[str, Any], *, path: str, text: str) -> list[Exemption]:
    """The `[[exemptions]]` array of a parsed TOML document; the first bad entry is an error."""
    read = read_exemptions(data, path=path, text=text)
    if read.problems:
        raise read.problems[0]
    return list(read.exemptions)


@dataclass(frozen=True)
class ExemptionsRead:
    """The exemptions of a file that could be read, and why the others could not."""

    exemptions: tuple[Exemption, ...]
    """The well-formed exemptions, in file order."""
    problems: tuple[ConfigError, ...]
    """One error per malformed exemption, naming the line of its bad value."""


def read_exemptions(data: dict[str, Any], *, path: str, text: str) -> ExemptionsRead:
    """Every `[[exemptions]]` entry on its own: a bad one is a problem, the others are kept."""
    entries = data.get("exemptions", [])
    top = TableReader(data, path=path, text=text)
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise top.error("expected an array of tables ([[exemptions]])", "exemptions")
    headers = _header_lines(text)
    lines = text.splitlines()
    exemptions: list[Exemption] = []
    problems: list[ConfigError] = []
    for index, entry in enumerate(entries, start=1):
        if len(headers) == len(entries):  # each entry's keys are looked up in its own table
            start = headers[index - 1]
            end = headers[index] - 1 if index < len(headers) else len(lines)
            table = TableReader(
                entry,
                path=path,
                text="\n".join(lines[start - 1 : end]),
                table=("exemptions",),
                first_line=start,
            )
        else:  # an inline array: the line of the first such key is the best there is
            table = TableReader(entry, path=path, text=text, table=("exemptions",))
        try:
            exemptions.append(_exemption(table, index, headers))
        except ConfigError as exc:
            problems.append(exc)
    return ExemptionsRead(tuple(exemptions), tuple(problems))


def _exemption(table: TableReader, index: int, headers: list[int]) -> Exemption:
    table.reject_unknown(_KEYS)
    rule = table.get("rule", str)
    if not rule:
        raise table.error(f"exemption #{index} names no rule", "rule")
    expires = table.get("expires", (dt.date, str))
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError as exc:
            raise table.error("expires must be a date like 2027-06-30", "expires") from exc
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    return Exemption(
        rule=rule,
        reason=table.get("reason", str, ""),
        source=f"{table.path} #{index}",
        expires=expires,
        repositories=table.string_list("repositories"),
        line=headers[index - 1] if index <= len(headers) else None,
    )


_EXEMPTIONS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*exemptions[ \t]*\]\]")


def _header_lines(text: str) -> list[int]:
    """The line numbers of the `[[exemptions]]` headers, in order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if _EXEMPTIONS_HEADER.match(line)
    ]


def unknown_rule(exemption: Exemption, known: Collection[str]) -> str | None:
    """Why an exemption's rule id is unknown (with the likely intended id), or None."""
    if exemption.rule in known:
        return None
    import difflib  # here: only an unknown rule id needs it

    close = difflib.get_close_matches(exemption.rule, sorted(known), n=1)
    guess = f" (did you mean {close[0]!r}?)" if close else ""
    return f"exemption names an unknown rule id {exemption.rule!r}{guess}"


def repository_exemptions(text: str, path: str = REPOSITORY_CONFIG) -> ExemptionsRead:
    """Exemptions from a repository's own `.ospo-scan.toml`: the well-formed ones, and a problem
    per malformed one (a file that is not valid TOML raises ConfigError)."""
    from ospo_scan.config.settings import SCAN_SETTINGS

    data = parse_toml(text, path)
    TableReader(data, path=path, text=text).reject_unknown(("exemptions", *SCAN_SETTINGS))
    read = read_exemptions(data, path=path, text=text)
    kept: list[Exemption] = []
    problems = list(read.problems)
    for exemption in read.exemptions:
        if exemption.repositories:
            problems.append(
                ConfigError(
                    "`repositories` belongs in the entity file, not a repository's own config",
                    path=path,
                    line=exemption.line,
                    key="exemptions.repositories",
                )
            )
        else:
            kept.append(exemption)
    return ExemptionsRead(tuple(kept), tuple(problems))
