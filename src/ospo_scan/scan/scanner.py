"""The Scanner: targets -> snapshots -> rule results -> report."""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from typing import Any

from ospo_scan.config import Ruleset
from ospo_scan.config.entity import EntityProfile
from ospo_scan.config.exemptions import (
    REPOSITORY_CONFIG,
    Exemption,
    repository_exemptions,
    unknown_rule,
)
from ospo_scan.connectors import connector_for
from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    unexpected_failure,
)
from ospo_scan.errors import ConfigError, ConnectorError, OspoScanError, TargetRejected
from ospo_scan.model import RepoReport, Report, RepoStatus, ScanInfo
from ospo_scan.scan.entities import (
    TargetFailure,
    build_report,
    check_entity_exemptions,
    qualified,
    ruleset_for,
    with_profile,
)
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.scan.targets import parse_target
from ospo_scan.snapshot import HostFact, RepoMetadata, Snapshot
from ospo_scan.untrusted.redaction import redacted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressUpdate:
    """The scan is about to read one more repository."""

    name: str
    """The repository's name (untrusted: neutralise it before showing it)."""
    done: int
    """Repositories reached so far, this one included."""
    total: int | None
    """Repositories the targets hold, when every connector can say beforehand."""

    def __str__(self) -> str:
        return f"scanning {self.name}"


Progress = Callable[[ProgressUpdate], None]


@dataclass(frozen=True)
class ScopePolicy:
    """Which repositories count towards the entity score, and which are scanned at all."""

    include_archived: bool = False
    include_forks: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    visibility: str = "public"

    def selected(self, name: str, metadata: RepoMetadata) -> bool:
        """Whether the repository is scanned and listed (name globs, visibility)."""
        names = (name, name.rsplit("/", 1)[-1])
        if self.include and not any(fnmatch.fnmatchcase(n, g) for g in self.include for n in names):
            return False
        if any(fnmatch.fnmatchcase(n, g) for g in self.exclude for n in names):
            return False
        if self.visibility == "all":
            return True
        public = metadata.visibility == "public"
        # `private` means everything not public: GitLab's `internal` projects included.
        return public if self.visibility == "public" else not public

    def in_scope(self, metadata: RepoMetadata, *, is_defaults: bool) -> bool:
        if is_defaults:
            return False
        if metadata.archived and not self.include_archived:
            return False
        return not (metadata.fork and not self.include_forks)


class Scanner:
    """Scans targets with a ruleset and rolls the results up into one report."""

    def __init__(
        self,
        ruleset: Ruleset | None = None,
        options: ScanOptions | None = None,
        *,
        scope: ScopePolicy | None = None,
        progress: Progress | None = None,
        today: dt.date | None = None,
        profile: EntityProfile | None = None,
    ) -> None:
        """`ruleset` None takes the one the entity profiles name (else the default);
        `profile` (`--entity-file`) replaces every target's own profile."""
        self.chosen_ruleset = ruleset
        self.options = options or ScanOptions()
        self.scope = scope or ScopePolicy(
            include=self.options.include,
            exclude=self.options.exclude,
            visibility=self.options.visibility,
        )
        self.progress = progress or (lambda message: None)
        self.today = today or dt.date.today()
        self.profile = profile
        self._total: int | None = None
        self._done = 0

    def scan(self, targets: Sequence[str]) -> Report:
        """Scan every target. Configuration errors propagate; a target or repository that
        cannot be read becomes an error row."""
        started = utc_now()
        return self.report(self.open(targets), targets, started)

    def open(self, targets: Sequence[str]) -> list[EntitySource | TargetFailure]:
        """Enumerate every target through its connector (nothing is read yet)."""
        sources: list[EntitySource | TargetFailure] = []
        for target in [parse_target(t, self.options) for t in targets]:
            sources.extend(self._open(target))
        return sources

    def report(
        self,
        sources: Sequence[EntitySource | TargetFailure],
        targets: Sequence[str] = (),
        started: str | None = None,
    ) -> Report:
        """Read and evaluate the repositories of opened sources, rolled up into one report."""
        started = started or utc_now()
        opened = [s for s in sources if isinstance(s, EntitySource)]
        ruleset = self.chosen_ruleset or ruleset_for(opened)
        for entity in opened:
            check_entity_exemptions(entity.profile, ruleset)
        qualify = len(sources) > 1
        counts = [
            len(s.repositories) if isinstance(s.repositories, Sized) else None for s in opened
        ]
        self._total = None if None in counts else sum(c or 0 for c in counts)
        self._done = 0
        reached: dict[int, list[tuple[Snapshot | RepoFailure, bool]]] = {}
        prepared: dict[int, dict[str, Any]] = {}
        if HostFact.CI_DEFINITIONS in ruleset.host_facts:
            # here: a ruleset without CI rules imports no YAML reader nor workflow audit
            from ospo_scan.scan.ci import audits_workflows, prepare_ci

            # The workflow audit runs once over every repository: read them all first.
            reached = {id(source): list(self._reach(source, ruleset)) for source in opened}
            snapshots = [
                i for items in reached.values() for i, _ in items if isinstance(i, Snapshot)
            ]
            analyses = prepare_ci(snapshots, audit=audits_workflows(ruleset))
            prepared = {
                id(snapshot): found for snapshot, found in zip(snapshots, analyses, strict=True)
            }
        scanned: list[tuple[EntitySource | TargetFailure, list[RepoReport]]] = []
        for source in sources:
            if isinstance(source, TargetFailure):
                scanned.append((source, [source.row()]))
                continue
            repos = list(self._scan_source(source, ruleset, reached.get(id(source)), prepared))
            scanned.append((source, qualified(source, repos) if qualify else repos))
        shard = str(self.options.shard) if self.options.shard else None
        report = build_report(ruleset, scanned, ScanInfo(started, utc_now(), tuple(targets), shard))
        # Hosts and proxies may echo a credential in an error body: no secret enters the report.
        return redacted(report)

    def _open(self, target: Target) -> list[EntitySource | TargetFailure]:
        try:
            sources = connector_for(target.kind).open_entities(target, self.options)
        except ConnectorError as exc:
            if isinstance(exc, TargetRejected):
                raise
            log.debug("target %s could not be read", target.raw, exc_info=True)
            return [TargetFailure(target, exc.one_line())]
        except OspoScanError:
            raise  # what the user gave is wrong: nothing is scanned
        except Exception as exc:  # one target must never cost the others their report
            log.debug("target %s could not be read", target.raw, exc_info=True)
            return [TargetFailure(target, unexpected_failure(exc))]
        if self.profile is None:
            return list(sources)
        return [with_profile(source, self.profile) for source in sources]

    def _reach(
        self, source: EntitySource, ruleset: Ruleset
    ) -> Iterator[tuple[Snapshot | RepoFailure, bool]]:
        """The source's selected repositories, each with whether it is in scope."""
        source.ask_for(ruleset.host_facts)
        for item in _guarded(source):
            unlisted = isinstance(item, RepoFailure) and item.unlisted
            if not unlisted and not self.scope.selected(item.name, item.metadata):
                continue
            is_defaults = source.defaults_repository is not None and (
                item.name == source.defaults_repository
                or item.name.rsplit("/", 1)[-1] == source.defaults_repository.rsplit("/", 1)[-1]
            )
            self._done += 1
            self.progress(ProgressUpdate(item.name, self._done, self._total))
            yield item, self.scope.in_scope(item.metadata, is_defaults=is_defaults)

    def _scan_source(
        self,
        source: EntitySource,
        ruleset: Ruleset,
        reached: Iterable[tuple[Snapshot | RepoFailure, bool]] | None = None,
        prepared: Mapping[int, dict[str, Any]] | None = None,
    ) -> Iterator[RepoReport]:
        """The source's repositories evaluated one by one, read now unless `reached` already;
        `prepared`: what the pre-pass made of each snapshot (by its id)."""
        entity_exemptions = source.profile.exemptions if source.profile else ()
        for item, in_scope in self._reach(source, ruleset) if reached is None else reached:
            found = (prepared or {}).get(id(item))
            yield self._evaluate(item, in_scope, ruleset, entity_exemptions, found)

    def _evaluate(
        self,
        item: Snapshot | RepoFailure,
        in_scope: bool,
        ruleset: Ruleset,
        entity_exemptions: Sequence[Exemption],
        prepared: dict[str, Any] | None,
    ) -> RepoReport:
        if isinstance(item, RepoFailure):
            return _failed(item, in_scope)
        exemptions = [e for e in entity_exemptions if e.applies_to(item.name)]
        try:
            own, warnings = _own_exemptions(item, ruleset)
            return evaluate_repository(
                item,
                ruleset,
                in_scope=in_scope,
                exemptions=exemptions + own,
                extra_warnings=warnings,
                today=self.today,
                prepared=prepared,
            )
        except Exception as exc:  # one repository must never cost the others their report
            log.debug("evaluating %s failed", item.name, exc_info=True)
            failure = RepoFailure(item.name, item.url, unexpected_failure(exc), item.metadata)
            return _failed(failure, in_scope)


def utc_now() -> str:
    """The current time as reports write it: ISO 8601 in UTC to the millisecond, `Z` for UTC.

    Milliseconds, so that scans run one after the other in a script still sort in order.
    """
    now = dt.datetime.now(dt.timezone.utc)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _guarded(source: EntitySource) -> Iterator[Snapshot | RepoFailure]:
    """The source's repositories; a connector failing part-way keeps what it already yielded."""
    iterator = iter(source.repositories)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a connector's own error, or anything a hostile host provoked
            log.debug("listing of %s stopped", source.name, exc_info=True)
            reason = exc.one_line() if isinstance(exc, OspoScanError) else unexpected_failure(exc)
            yield RepoFailure(
                f"{source.name}/*",
                source.url or source.name,
                f"the listing stopped part-way, later repositories were not scanned: {reason}",
                unlisted=True,
            )
            return
        yield item


def _failed(failure: RepoFailure, in_scope: bool) -> RepoReport:
    return RepoReport(
        name=failure.name,
        url=failure.url,
        status=RepoStatus.ERROR,
        score=None,
        in_scope=in_scope,
        archived=failure.metadata.archived,
        fork=failure.metadata.fork,
        visibility=failure.metadata.visibility,
        description=failure.metadata.description,
        error=failure.reason,
        default_branch=failure.metadata.default_branch,
    )


def _own_exemptions(
    snapshot: Snapshot, ruleset: Ruleset
) -> tuple[list[Exemption], tuple[str, ...]]:
    """The repository's own exemptions, and warnings about those that cannot be used."""
    config = snapshot.read_text(REPOSITORY_CONFIG)
    if config is None or config.binary:
        return [], ()
    try:
        read = repository_exemptions(config.text)
    except ConfigError as exc:
        return [], (f"{exc.one_line()}; its exemptions were ignored",)
    usable: list[Exemption] = []
    warnings = [f"{problem.one_line()}; that exemption was ignored" for problem in read.problems]
    for exemption in read.exemptions:
        problem = unknown_rule(exemption, ruleset.known_rule_ids)
        if problem is None:
            usable.append(exemption)
        else:
            where = f"{REPOSITORY_CONFIG}:{exemption.line}" if exemption.line else REPOSITORY_CONFIG
            warnings.append(f"{where}: {problem}; it was ignored")
    return usable, tuple(warnings)
