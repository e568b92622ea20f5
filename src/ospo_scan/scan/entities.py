"""From scanned entities to one report: a row per entity, unique repository names, the roll-up.

A scan may name several targets, and one local directory may hold several entities; each is
an `EntitySource`. A target that cannot be read at all is a `TargetFailure`, which becomes an
error row so that the other targets' results are still reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ospo_scan import __version__
from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.config.entity import EntityProfile
from ospo_scan.config.exemptions import unknown_rule
from ospo_scan.connectors.interface import EntitySource, Target, TargetKind
from ospo_scan.errors import ConfigError, UsageError
from ospo_scan.model import (
    EntitySummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)
from ospo_scan.scan.frameworks import entity_frameworks
from ospo_scan.scan.scoring import entity_score, mean_category_scores, rule_pass_rates

NOT_SCANNED = "could not be scanned"
"""How an entity's notes begin when its target could not be read at all."""


@dataclass(frozen=True)
class TargetFailure:
    """A target that could not be enumerated at all (host down, permission, timeout)."""

    target: Target
    """The target as parsed."""
    reason: str
    """Why, in one line."""

    @property
    def name(self) -> str:
        return self.target.raw or self.target.path

    def row(self) -> RepoReport:
        return RepoReport(
            name=self.name,
            url=self.target.raw,
            status=RepoStatus.ERROR,
            score=None,
            in_scope=True,
            error=self.reason,
        )


Scanned = tuple[EntitySource | TargetFailure, list[RepoReport]]
"""One entity (or failed target) and its repositories' reports."""


def with_profile(source: EntitySource, profile: EntityProfile) -> EntitySource:
    """The source with `--entity-file`'s profile instead of its own. The source keeps its host
    identity (`name` is the organisation or group); the report shows the profile's name."""
    notes = source.notes
    if profile.repositories and source.source is not TargetKind.LOCAL:
        notes = (
            *notes,
            f"{profile.path}: [repositories] tables simulate host facts for local entities; "
            f"the host's own facts were used for {source.name}",
        )
    return replace(source, profile=profile, notes=notes)


def display_name(source: EntitySource) -> str:
    """The entity's name as a reader knows it: the profile's, else the host's or directory's."""
    return (source.profile.name if source.profile else None) or source.name


def ruleset_for(sources: Sequence[EntitySource]) -> Ruleset:
    """The ruleset the entity profiles ask for, or the default when none does."""
    wanted = {
        spec: source.profile.path
        for source in sources
        if source.profile is not None and (spec := source.profile.ruleset_spec()) is not None
    }
    if len(wanted) > 1:
        asked = "; ".join(f"{path} asks for {spec}" for spec, path in wanted.items())
        raise UsageError(
            f"the entities ask for different rulesets ({asked})",
            hint="choose one with --ruleset",
        )
    if not wanted:
        return load_ruleset()
    spec, path = next(iter(wanted.items()))
    try:
        return load_ruleset(spec)
    except UsageError as exc:
        raise ConfigError(exc.message, path=path, key="ruleset", hint=exc.hint) from exc


def check_entity_exemptions(profile: EntityProfile | None, ruleset: Ruleset) -> None:
    """An entity file's exemption naming an unknown rule is the OSPO's own mistake: an error."""
    for exemption in profile.exemptions if profile else ():
        problem = unknown_rule(exemption, ruleset.known_rule_ids)
        if problem is not None:
            path = profile.path if profile else ""
            raise ConfigError(problem, path=path, line=exemption.line, key="exemptions.rule")


def qualified(source: EntitySource, repos: list[RepoReport]) -> list[RepoReport]:
    """Repository names made unique across entities: `owner/name` stays, `name` becomes
    `directory/name`."""
    named = [
        replace(r, name=f"{source.qualifier}/{r.name}")
        if source.qualifier and "/" not in r.name
        else r
        for r in repos
    ]
    return [replace(r, entity=display_name(source)) for r in named]


def build_report(ruleset: Ruleset, scanned: Sequence[Scanned], scan: ScanInfo | None) -> Report:
    """The report: the combined entity, a row per entity when there are several, the summary."""
    return assemble(ruleset, [(_entity(ruleset, s, rows), rows) for s, rows in scanned], scan)


def assemble(
    ruleset: Ruleset,
    entities: Sequence[tuple[EntitySummary, list[RepoReport]]],
    scan: ScanInfo | None,
) -> Report:
    """The report of entities and their repositories' reports: repositories in a stable order
    (by name, whatever order a host listed them in), the combined entity, the summary; each
    entity's framework views computed from its own repositories."""
    mapping = ruleset.mapping
    repos = _unique([repo for _, rows in entities for repo in sorted(rows, key=_by_name)])
    summaries = tuple(
        replace(summary, frameworks=entity_frameworks(mapping, rows, summary.principles))
        for summary, rows in entities
    )
    if len(summaries) == 1:
        combined = summaries[0]
    else:
        kinds = {e.source for e in summaries}
        score = entity_score(repos)
        combined = EntitySummary(
            name=" + ".join(e.name for e in summaries),
            source=kinds.pop() if len(kinds) == 1 else "mixed",
            score=score,
            level=ruleset.level_for(score),
            defaults_repository=next(
                (e.defaults_repository for e in summaries if e.defaults_repository), None
            ),
            notes=tuple(note for e in summaries for note in e.notes),
            frameworks=entity_frameworks(mapping, repos),
        )
    info = RulesetInfo(ruleset.id, ruleset.version, ruleset.title)
    return Report(
        __version__,
        info,
        combined,
        tuple(repos),
        _summary(repos),
        scan,
        entities=summaries if len(summaries) > 1 else (),
    )


def _summary(repos: Sequence[RepoReport]) -> ScanSummary:
    errors = sum(r.status is RepoStatus.ERROR for r in repos) + sum(
        res.outcome is Outcome.ERROR for r in repos for res in r.results
    )
    return ScanSummary(
        repositories=len(repos),
        in_scope=sum(r.in_scope for r in repos),
        errors=errors,
        rule_pass_rates=rule_pass_rates(repos),
        category_scores=mean_category_scores(repos),
        unknown=sum(r.unknown for r in repos),
    )


def entity_parts(report: Report) -> tuple[Report, ...]:
    """Each entity's part of a scan of several, as the report of that entity alone (its
    repositories, its summary); a report of one entity is its own only part."""
    if not report.entities:
        return (report,)
    parts = []
    for entity in report.entities:
        repos = [repo for repo in report.repositories if repo.entity == entity.name]
        parts.append(
            replace(
                report,
                entity=entity,
                repositories=tuple(repos),
                summary=_summary(repos),
                entities=(),
            )
        )
    return tuple(parts)


def _by_name(repo: RepoReport) -> tuple[str, str]:
    return repo.name.casefold(), repo.name


def _entity(
    ruleset: Ruleset, source: EntitySource | TargetFailure, repos: list[RepoReport]
) -> EntitySummary:
    score = entity_score(repos)
    if isinstance(source, TargetFailure):
        return EntitySummary(
            name=source.name,
            source=source.target.kind.value,
            score=None,
            level=None,
            notes=(f"{NOT_SCANNED}: {source.reason}",),
        )
    profile = source.profile
    return EntitySummary(
        name=display_name(source),
        source=source.source.value,
        score=score,
        level=ruleset.level_for(score),
        url=(profile.url if profile else None) or source.url,
        defaults_repository=source.defaults_repository,
        notes=source.notes,
        description=profile.description if profile else None,
        metadata=dict(profile.metadata) if profile else {},
        contacts=profile.contacts if profile and profile.contacts.given else None,
        readiness=dict(profile.readiness) if profile else {},
        survey_year=profile.survey_year if profile else None,
        defaults_reachable=source.defaults_reachable and source.source is not TargetKind.GITLAB,
        principles=dict(profile.principles) if profile else {},
    )


def _unique(repos: list[RepoReport]) -> list[RepoReport]:
    """Repository names made unique when two entities still share one (same directory name)."""
    seen: dict[str, int] = {}
    unique = []
    for repo in repos:
        count = seen.get(repo.name, 0) + 1
        seen[repo.name] = count
        unique.append(repo if count == 1 else replace(repo, name=f"{repo.name} ({count})"))
    return unique


def counting_for(report: Report, survey_year: int) -> Report:
    """The report with every entity counting for `survey_year` in the readiness survey."""
    return replace(
        report,
        entity=replace(report.entity, survey_year=survey_year),
        entities=tuple(replace(e, survey_year=survey_year) for e in report.entities),
    )
