"""The entity profile, `ospo-entity.toml` (or `--entity-file`), parsed once into `EntityProfile`.

```toml
name = "Demo Agency"
description = "..."
url = "https://example.org"
ruleset = "un-ospo"
survey-year = 2025        # the survey year scans count for (default: the year a scan starts)
[metadata]
country = "..."
[contacts]                # and [readiness.YEAR], [principles.N]: see config/profile.py
security = "security@example.org"
[[exemptions]]            # {rule, reason, expires, repositories}: see config/exemptions.py
rule = "changelog"
reason = "..."
[repositories.web-app]    # host facts a local entity simulates (read by the local connector)
archived = true
fork = false
description = "..."
topics = ["health"]
visibility = "public"     # public, private or internal
```

Unknown keys are errors that name the file, line and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_scan._compat import tomllib
from ospo_scan.config._toml import TOO_DEEP
from ospo_scan.config.exemptions import Exemption, parse_exemptions
from ospo_scan.config.profile import (
    SURVEY_YEARS,
    parse_contacts,
    parse_principles,
    parse_readiness,
)
from ospo_scan.errors import ConfigError
from ospo_scan.model import Contacts, DeclaredPrinciple, Readiness
from ospo_scan.untrusted.bounded_read import read_regular_file

ENTITY_FILE = "ospo-entity.toml"
_MAX_SIZE = 1024 * 1024
_TOP_LEVEL_KEYS = frozenset(
    {
        "name",
        "description",
        "url",
        "ruleset",
        "metadata",
        "contacts",
        "readiness",
        "survey-year",
        "principles",
        "exemptions",
        "repositories",
    }
)
_REPOSITORY_KEYS = frozenset({"archived", "fork", "description", "topics", "visibility"})
VISIBILITIES = ("public", "private", "internal")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


@dataclass(frozen=True)
class RepositoryFacts:
    """What the entity file says of one repository; None leaves the connector's default."""

    archived: bool | None = None
    """Simulates an archived repository."""
    fork: bool | None = None
    """Simulates a fork."""
    description: str | None = None
    """The repository's one-line description."""
    topics: tuple[str, ...] = ()
    """The repository's topics."""
    visibility: str | None = None
    """public, private or internal (a local repository is public by default)."""
    line: int | None = None
    """Where the repository's table starts in the entity file."""


@dataclass(frozen=True)
class EntityProfile:
    """The entity's own description of itself: who it is, its answers, its exemptions."""

    path: str
    """Where the file is, as the user named it."""
    name: str | None = None
    """The entity's name (the directory's name when absent)."""
    description: str | None = None
    """What the entity is."""
    url: str | None = None
    """The entity's home page."""
    ruleset: str | None = None
    """The ruleset the entity asks for (a bundled id, or a path relative to the file);
    `--ruleset` wins."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """The `[metadata]` table."""
    contacts: Contacts = field(default_factory=Contacts)
    """The `[contacts]` table."""
    readiness: Mapping[int, Readiness] = field(default_factory=dict)
    """The `[readiness.YEAR]` tables: the entity's survey answers by year."""
    survey_year: int | None = None
    """`survey-year`: the survey year this entity's scans count for (an audit in January for
    last year's survey); None: the year each scan started."""
    principles: Mapping[str, DeclaredPrinciple] = field(default_factory=dict)
    """The `[principles.N]` tables: what the entity declares of each UN Open Source Principle."""
    exemptions: tuple[Exemption, ...] = ()
    """The `[[exemptions]]` that apply to the entity's repositories."""
    repositories: Mapping[str, RepositoryFacts] = field(default_factory=dict)
    """`[repositories.<directory>]` tables, by directory name (local entities only)."""

    def ruleset_spec(self) -> str | None:
        """The `ruleset` key, a relative path resolved against the file's directory."""
        if self.ruleset is None or not _is_path(self.ruleset):
            return self.ruleset
        return str(Path(self.path).parent / self.ruleset)


def _is_path(spec: str) -> bool:
    return spec.endswith(".toml") or "/" in spec or "\\" in spec


def load_entity_profile(file: Path) -> EntityProfile:
    """Parse the entity file at `file` (read bounded, never through a FIFO or a device).

    Raises ConfigError naming the file, line and key of the first problem.
    """
    path = str(file)
    try:
        data = read_regular_file(file, _MAX_SIZE + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the entity file: {exc.strerror}", path=path) from exc
    if len(data) > _MAX_SIZE:
        raise ConfigError("the entity file is larger than 1 MiB", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise ConfigError("not valid UTF-8", path=path, line=bad_line) from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line: int | None = int(position.group(1)) if position else None
        raise ConfigError(
            f"invalid TOML: {_TOML_POSITION.sub('', message)}", path=path, line=line
        ) from exc
    except RecursionError as exc:
        raise ConfigError(f"invalid TOML: {TOO_DEEP}", path=path) from exc
    return _Parser(path, text).entity(document)


class _Parser:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = text.splitlines()

    def fail(self, message: str, key: tuple[str, ...]) -> ConfigError:
        return ConfigError(message, path=self.path, line=self.line_of(key), key=".".join(key))

    def entity(self, document: dict[str, Any]) -> EntityProfile:
        for key in document:
            if key not in _TOP_LEVEL_KEYS:
                allowed = ", ".join(sorted(_TOP_LEVEL_KEYS))
                raise self.fail(f"unknown key (allowed: {allowed})", (key,))
        metadata = self.table(document, ("metadata",))
        for key, value in metadata.items():
            if not isinstance(value, str):
                raise self.fail("metadata values must be strings", ("metadata", key))
        repositories = self.table(document, ("repositories",))
        facts: dict[str, RepositoryFacts] = {}
        for name in repositories:
            facts[name] = self.repository(repositories, name)
        return EntityProfile(
            path=self.path,
            name=self.string(document, ("name",)),
            description=self.string(document, ("description",)),
            url=self.string(document, ("url",)),
            ruleset=self.string(document, ("ruleset",)),
            metadata=dict(metadata),
            contacts=parse_contacts(self.table(document, ("contacts",)), self.fail),
            readiness=parse_readiness(self.table(document, ("readiness",)), self.fail),
            survey_year=self.year(document, ("survey-year",)),
            principles=parse_principles(self.table(document, ("principles",)), self.fail),
            exemptions=tuple(parse_exemptions(document, path=self.path, text=self.text)),
            repositories=facts,
        )

    def repository(self, repositories: dict[str, Any], name: str) -> RepositoryFacts:
        where = ("repositories", name)
        table = self.table(repositories, where)
        for key in table:
            if key not in _REPOSITORY_KEYS:
                allowed = ", ".join(sorted(_REPOSITORY_KEYS))
                raise self.fail(f"unknown key (allowed: {allowed})", (*where, key))
        topics = table.get("topics", [])
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise self.fail("must be a list of strings", (*where, "topics"))
        visibility = self.string(table, (*where, "visibility"))
        if visibility is not None and visibility not in VISIBILITIES:
            raise self.fail(f"must be one of {', '.join(VISIBILITIES)}", (*where, "visibility"))
        return RepositoryFacts(
            archived=self.boolean(table, (*where, "archived")),
            fork=self.boolean(table, (*where, "fork")),
            description=self.string(table, (*where, "description")),
            topics=tuple(topics),
            visibility=visibility,
            line=self.line_of(where),
        )

    def table(self, parent: dict[str, Any], key: tuple[str, ...]) -> dict[str, Any]:
        value = parent.get(key[-1], {})
        if not isinstance(value, dict):
            raise self.fail("must be a table", key)
        return value

    def string(self, parent: dict[str, Any], key: tuple[str, ...]) -> str | None:
        value = parent.get(key[-1])
        if value is not None and not isinstance(value, str):
            raise self.fail("must be a string", key)
        return value

    def boolean(self, parent: dict[str, Any], key: tuple[str, ...]) -> bool | None:
        value = parent.get(key[-1])
        if value is not None and not isinstance(value, bool):
            raise self.fail("must be true or false", key)
        return value

    def year(self, parent: dict[str, Any], key: tuple[str, ...]) -> int | None:
        value = parent.get(key[-1])
        if value is not None and not (
            isinstance(value, int)
            and not isinstance(value, bool)
            and SURVEY_YEARS[0] <= value <= SURVEY_YEARS[1]
        ):
            raise self.fail(f"a year from {SURVEY_YEARS[0]} to {SURVEY_YEARS[1]} was expected", key)
        return value

    def line_of(self, key: tuple[str, ...]) -> int | None:
        """The line where a key is set, found by a plain text search (TOML keeps no positions)."""
        own_header = _header_pattern(key)
        for number, line in enumerate(self.lines, start=1):
            if own_header.match(line):
                return number
        *table, last = key
        start = 0
        if table:
            header = _header_pattern(table)
            start = next((i + 1 for i, line in enumerate(self.lines) if header.match(line)), 0)
            if not start:
                return self._first_mention(last)
        assignment = re.compile(rf"^\s*[\"']?{re.escape(last)}[\"']?\s*[=.]")
        for number, line in enumerate(self.lines[start:], start=start + 1):
            if line.lstrip().startswith("["):
                break
            if assignment.match(line):
                return number
        return self._first_mention(last) or start or None

    def _first_mention(self, word: str) -> int | None:
        pattern = re.compile(rf"(^|[^\w-]){re.escape(word)}($|[^\w-])")
        return next((i + 1 for i, line in enumerate(self.lines) if pattern.search(line)), None)


def _header_pattern(table: Sequence[str]) -> re.Pattern[str]:
    parts = r"\s*\.\s*".join(rf"[\"']?{re.escape(part)}[\"']?" for part in table)
    return re.compile(rf"^\s*\[\[?\s*{parts}\s*\]\]?")
