"""What fix mode produces: a plan of files per repository, and what applying it did."""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.model import Outcome

FIX_PLAN_SCHEMA_ID = "ospo-scan/fix-plan/v1"


@dataclass(frozen=True)
class ProposedFile:
    """A file the plan would add to a repository."""

    path: str
    """Path inside the repository, POSIX separators."""
    content: str
    """The whole file, filled from its template."""
    rule: str
    """The rule the file makes pass."""
    outcome: Outcome
    """The rule's outcome now."""
    reason: str
    """Why the file is proposed: the rule's message, or the repositories it covers."""
    notes: tuple[str, ...] = ()
    """What a reviewer should know, e.g. that the file refers to a file the plan skipped."""


@dataclass(frozen=True)
class SkippedFix:
    """A fix the plan does not make, and what the user can do about it."""

    rule: str
    """The failing rule."""
    reason: str
    """Why nothing is proposed, e.g. `contacts.security` missing from the entity profile."""


@dataclass(frozen=True)
class CoveredFix:
    """A failing rule fixed for this repository by a file proposed in the defaults repository."""

    rule: str
    """The failing rule."""
    path: str
    """The file proposed in the defaults repository."""
    repository: str
    """The defaults repository (`.github`)."""


@dataclass(frozen=True)
class RepositoryPlan:
    """Everything the plan proposes for one repository."""

    name: str
    """The repository's name in its entity (`org/repo` on a host, the directory locally)."""
    url: str
    """Where the repository is (web URL, or a `file://` URL locally)."""
    files: tuple[ProposedFile, ...] = ()
    """Files to add, in path order."""
    skipped: tuple[SkippedFix, ...] = ()
    """Failing rules the plan leaves alone, with the reason."""
    covered: tuple[CoveredFix, ...] = ()
    """Failing rules fixed by an organisation-wide file instead."""
    create: bool = False
    """The repository does not exist yet (the organisation's defaults repository)."""
    excluded: str | None = None
    """Why the repository is not fixed at all (archived, a fork, could not be scanned)."""


@dataclass(frozen=True)
class FixPlan:
    """The whole plan: what `fix` proposes for every repository of the target."""

    entity: str
    """The entity's name."""
    source: str
    """local, github or gitlab."""
    score: float | None
    """The entity score now, before any fix."""
    repositories: tuple[RepositoryPlan, ...]
    """One plan per repository, the defaults repository first."""
    defaults_repository: str | None = None
    """The repository holding organisation-wide files (`.github`), when the plan uses one."""
    schema: str = FIX_PLAN_SCHEMA_ID

    @property
    def file_count(self) -> int:
        return sum(len(r.files) for r in self.repositories)
