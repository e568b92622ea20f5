"""The connector interface: a host or directory becomes an entity of repository snapshots.

`ConnectorError` (defined in errors.py) is this kind's exception base. How a failure on the way to
a host is classified (refused, silent) is shared here too, so every host connector gives a dead
host up the same way.
"""

from __future__ import annotations

import enum
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ospo_scan.config.entity import EntityProfile
from ospo_scan.errors import ConnectorError as ConnectorError
from ospo_scan.snapshot import (
    FileTypes,
    HostFact,
    RepoMetadata,
    Snapshot,
    counts_towards_types,
    extension_of,
)
from ospo_scan.untrusted.answer_limits import MIB, AnswerLimits


class RepositoryPart(Protocol):
    """One part of the repositories (`scan --shard I/N`, built by `scan.sharding`)."""

    def holds(self, full_name: str) -> bool:
        """Whether the repository of that full name belongs to this part."""
        ...


class TargetKind(str, enum.Enum):
    LOCAL = "local"
    GITHUB = "github"
    GITLAB = "gitlab"


@dataclass(frozen=True)
class Target:
    """A parsed `scan` argument."""

    kind: TargetKind
    path: str
    """Local path, or `ORG[/REPO]` / `GROUP[/SUB...][/PROJECT]` on a host."""
    base_url: str | None = None
    """API root (or web root of a self-hosted instance) when the target named one."""
    raw: str = ""
    """The argument as given."""


@dataclass(frozen=True)
class ScanOptions:
    """Options every connector honours."""

    visibility: str = "public"
    """public, private or all."""
    github_url: str | None = None
    gitlab_url: str | None = None
    token_env: str | None = None
    """Name of the environment variable holding the host token, instead of the default names."""
    max_wait: float = 900.0
    """Seconds the connector may wait for a rate limit to reset before giving up."""
    answer_deadline: float = 300.0
    """Seconds one answer from a host may take in all, headers and body together: a host that
    drips its answer byte by byte is silent once this passes."""
    scan_deadline: float = 6 * 3600.0
    """Seconds a scan may spend talking to one host; after that the host counts as silent."""
    max_answer_bytes: int = 128 * MIB
    """Largest answer read from a host; a larger one fails its request, not the scan."""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    host_licence: bool = False
    """Also ask the host's own licence detection where it costs a request per repository
    (GitLab groups; GitHub's comes free with the listing)."""
    shard: RepositoryPart | None = None
    """Read only the repositories of this part (`--shard I/N`); the others are not fetched."""

    def in_shard(self, full_name: str) -> bool:
        return self.shard is None or self.shard.holds(full_name)


@dataclass(frozen=True)
class RepoFailure:
    """A repository that was enumerated but could not be read."""

    name: str
    url: str
    reason: str
    metadata: RepoMetadata = field(default_factory=RepoMetadata)
    unlisted: bool = False
    """Stands for repositories that could not even be listed; never filtered out of a report."""


def unexpected_failure(exc: BaseException) -> str:
    """A one-line reason for an exception no part of the scan anticipated."""
    if isinstance(exc, RecursionError):
        return "cannot be scanned: its files or metadata nest too deeply"
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"cannot be scanned: {type(exc).__name__}" + (f": {detail}" if detail else "")


@dataclass(frozen=True)
class EntitySource:
    """What a connector yields: the entity and its repositories, streamed."""

    name: str
    source: TargetKind
    repositories: Iterable[Snapshot | RepoFailure]
    url: str | None = None
    defaults_repository: str | None = None
    """Name of the repository that supplies organisation defaults (it is never scored)."""
    profile: EntityProfile | None = None
    """The entity's profile (`ospo-entity.toml` or `--entity-file`): metadata, contacts,
    readiness answers and the exemptions that apply to every repository."""
    notes: tuple[str, ...] = ()
    """What the report should say about the source (e.g. GitLab has no organisation defaults)."""
    qualifier: str | None = None
    """What makes the repositories' names unique beside other entities' (a local entity's
    directory name); host names are `owner/name` already."""
    defaults_reachable: bool = True
    """Whether one file in the organisation's defaults repository would reach the repositories:
    False on GitLab (no such inheritance) and in a local directory of git repositories with
    neither an entity file nor a `.github` repository (a new `.github` directory there would
    not be read as one)."""
    ask_for: Callable[[frozenset[HostFact]], None] = lambda facts: None
    """Tells the connector, before the repositories are read, the host facts beyond every
    scan's that the ruleset's rules read (`Rule.host_facts`); it asks the host for no other."""


class Connector(ABC):
    """Turns a target into snapshots."""

    @abstractmethod
    def open(self, target: Target, options: ScanOptions) -> EntitySource:
        """Enumerate the target. Raises ConnectorError when nothing at all can be read."""

    def open_entities(self, target: Target, options: ScanOptions) -> list[EntitySource]:
        """The entities a target holds: one, unless a connector can find several (a local
        directory of entity directories)."""
        return [self.open(target, options)]


# -- network failures, as the host connectors classify them ---------------------------------

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection: a host that drops connection attempts is given up soon."""


def connection_refused(exc: BaseException) -> bool:
    """Whether a connection was refused (nothing listens), anywhere in the exception's causes."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return False


def answer_limits(options: ScanOptions) -> AnswerLimits:
    """The bounds on a host's answers for one scan, its deadline counted from now."""
    return AnswerLimits(
        deadline=options.answer_deadline,
        max_bytes=options.max_answer_bytes,
        scan_deadline=time.monotonic() + options.scan_deadline,
    )


def connection_problem(exc: BaseException) -> str:
    from ospo_scan.untrusted.answers import AnswerTooSlow

    if isinstance(exc, AnswerTooSlow):
        return str(exc)
    if connection_refused(exc):
        return "connection refused"
    import requests

    if isinstance(exc, requests.ConnectTimeout):
        return "no connection within the timeout"
    if isinstance(exc, requests.ReadTimeout):
        return "no answer within the timeout"
    return type(exc).__name__


# The write side (`fix --write`, `fix --open-pr`): what each connector's writer reports.

FIX_BRANCH = "ospo-scan/fix"
"""The one branch fix mode pushes to on a host, and from which it opens its request."""


class ApplyStatus(str, enum.Enum):
    """What applying a repository's plan did."""

    WRITTEN = "written"
    """Files were written into a local working tree."""
    INCOMPLETE = "incomplete"
    """Some files were written, others refused (a link on the way, an unsafe path)."""
    UNCHANGED = "unchanged"
    """Nothing needed doing (no files proposed, or every file already there)."""
    OPENED = "opened"
    """A pull or merge request was opened."""
    UPDATED = "updated"
    """The existing fix branch and request were updated."""
    SKIPPED = "skipped"
    """The repository cannot be changed (archived, no push access)."""
    FAILED = "failed"
    """An error stopped this repository; the others went on."""


@dataclass(frozen=True)
class ApplyResult:
    """The outcome of applying one repository's plan."""

    repository: str
    """The repository's name."""
    status: ApplyStatus
    """What happened."""
    detail: str
    """One line saying what was done or why not."""
    files: tuple[str, ...] = ()
    """The files written or committed."""
    url: str | None = None
    """The pull or merge request, when one was opened or updated."""


SAMPLED_PATHS = 5
"""Paths a file count keeps of each extension."""
_LINK_MODE = "120000"
"""Git's file mode of a symbolic link."""


class FileTally:
    """Counts files by extension as a walk meets them, keeping the first paths of each."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.samples: dict[str, list[str]] = {}

    def add(self, path: str) -> None:
        extension = extension_of(path.rsplit("/", 1)[-1])
        self.counts[extension] = self.counts.get(extension, 0) + 1
        kept = self.samples.setdefault(extension, [])
        if len(kept) < SAMPLED_PATHS:
            kept.append(path)

    def add_listed(self, entry: object) -> None:
        """Counts an entry of a host's recursive tree listing (GitHub's `git/trees`, GitLab's
        `repository/tree`: `type`, `path`, `mode`) when it is a file of the repository's own:
        not a directory, submodule or link, not under a hidden or dependency directory."""
        if not isinstance(entry, dict) or entry.get("type") != "blob":
            return
        path = entry.get("path")
        if not isinstance(path, str) or str(entry.get("mode")) == _LINK_MODE:
            return
        if counts_towards_types(path):
            self.add(path)

    def file_types(self, *, complete: bool = True) -> FileTypes:
        samples = {extension: tuple(paths) for extension, paths in self.samples.items()}
        return FileTypes(dict(self.counts), complete=complete, samples=samples)
