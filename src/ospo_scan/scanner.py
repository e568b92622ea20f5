"""The Scanner: targets -> snapshots -> rule results -> report."""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ospo_scan import __version__
from ospo_scan.config import Ruleset
from ospo_scan.config._toml import load_toml
from ospo_scan.config.exemptions import (
    REPOSITORY_CONFIG,
    Exemption,
    parse_exemptions,
    repository_exemptions,
)
from ospo_scan.connectors import connector_for
from ospo_scan.connectors.interface import EntitySource, RepoFailure, ScanOptions
from ospo_scan.errors import ConfigError, OspoScanError
from ospo_scan.evaluation import evaluate_repository
from ospo_scan.model import (
    EntitySummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RulesetInfo,
    ScanSummary,
)
from ospo_scan.scoring import entity_score, mean_category_scores, rule_pass_rates
from ospo_scan.snapshot import RepoMetadata, Snapshot
from ospo_scan.targets import parse_target

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


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
        ruleset: Ruleset,
        options: ScanOptions | None = None,
        *,
        scope: ScopePolicy | None = None,
        progress: Progress | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.options = options or ScanOptions()
        self.scope = scope or ScopePolicy(
            include=self.options.include,
            exclude=self.options.exclude,
            visibility=self.options.visibility,
        )
        self.progress = progress or (lambda message: None)
        self.today = today or dt.date.today()

    def scan(self, targets: Sequence[str]) -> Report:
        """Scan every target (connector errors propagate; repository errors are reported)."""
        return self.report(self.open(targets))

    def open(self, targets: Sequence[str]) -> list[EntitySource]:
        """Enumerate every target through its connector (nothing is read yet)."""
        parsed = [parse_target(t, self.options) for t in targets]
        return [connector_for(t.kind).open(t, self.options) for t in parsed]

    def report(self, sources: Sequence[EntitySource]) -> Report:
        """Read and evaluate the repositories of opened sources, rolled up into one report."""
        repositories: list[RepoReport] = []
        for source in sources:
            repositories.extend(self._scan_source(source))
        return self._report(sources, repositories)

    def _scan_source(self, source: EntitySource) -> Iterable[RepoReport]:
        entity_exemptions = _entity_exemptions(source)
        for item in _guarded(source):
            unlisted = isinstance(item, RepoFailure) and item.unlisted
            if not unlisted and not self.scope.selected(item.name, item.metadata):
                continue
            is_defaults = source.defaults_repository is not None and (
                item.name == source.defaults_repository
                or item.name.rsplit("/", 1)[-1] == source.defaults_repository.rsplit("/", 1)[-1]
            )
            in_scope = self.scope.in_scope(item.metadata, is_defaults=is_defaults)
            self.progress(f"scanning {item.name}")
            if isinstance(item, RepoFailure):
                yield _failed(item, in_scope)
                continue
            exemptions = [e for e in entity_exemptions if e.applies_to(item.name)]
            own, warnings = _own_exemptions(item)
            yield evaluate_repository(
                item,
                self.ruleset,
                in_scope=in_scope,
                exemptions=exemptions + own,
                extra_warnings=warnings,
                today=self.today,
            )

    def _report(self, sources: Sequence[EntitySource], repos: list[RepoReport]) -> Report:
        score = entity_score(repos)
        errors = sum(r.status is RepoStatus.ERROR for r in repos) + sum(
            res.outcome is Outcome.ERROR for r in repos for res in r.results
        )
        kinds = {s.source.value for s in sources}
        entity = EntitySummary(
            name=" + ".join(s.name for s in sources),
            source=kinds.pop() if len(kinds) == 1 else "mixed",
            score=score,
            level=self.ruleset.level_for(score),
            url=sources[0].url if len(sources) == 1 else None,
            defaults_repository=next(
                (s.defaults_repository for s in sources if s.defaults_repository), None
            ),
            notes=tuple(note for s in sources for note in s.notes),
        )
        summary = ScanSummary(
            repositories=len(repos),
            in_scope=sum(r.in_scope for r in repos),
            errors=errors,
            rule_pass_rates=rule_pass_rates(repos),
            category_scores=mean_category_scores(repos),
        )
        ruleset = RulesetInfo(self.ruleset.id, self.ruleset.version, self.ruleset.title)
        return Report(__version__, ruleset, entity, tuple(repos), summary)


def _guarded(source: EntitySource) -> Iterator[Snapshot | RepoFailure]:
    """The source's repositories; a connector failing part-way keeps what it already yielded."""
    iterator = iter(source.repositories)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except OspoScanError as exc:
            log.debug("listing of %s stopped", source.name, exc_info=True)
            yield RepoFailure(
                f"{source.name}/*",
                source.url or source.name,
                f"the listing stopped part-way, later repositories were not scanned: "
                f"{exc.one_line()}",
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
        description=failure.metadata.description,
        error=failure.reason,
    )


def _entity_exemptions(source: EntitySource) -> list[Exemption]:
    if not source.entity_file:
        return []
    data, text = load_toml(Path(source.entity_file))
    return parse_exemptions(data, path=source.entity_file, text=text)


def _own_exemptions(snapshot: Snapshot) -> tuple[list[Exemption], tuple[str, ...]]:
    config = snapshot.read_text(REPOSITORY_CONFIG)
    if config is None or config.binary:
        return [], ()
    try:
        return repository_exemptions(config.text), ()
    except ConfigError as exc:
        return [], (f"{exc.one_line()}; its exemptions were ignored",)
