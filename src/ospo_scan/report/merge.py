"""`ospo-scan merge`: the shards of one scan (`scan --shard I/N`) joined into its whole report.

Every shard lists the same entities and reads only its own part of their repositories, so the
whole report is each entity's repositories from every shard, scored again as the unsharded scan
scores them. Shards of different entities, rulesets, targets or tool versions never make one
report; a missing shard leaves an error row in its place, so the report says it is incomplete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ospo_scan.config import Ruleset
from ospo_scan.errors import UsageError
from ospo_scan.model import EntitySummary, RepoReport, Report, RepoStatus, ScanInfo
from ospo_scan.scan.entities import assemble
from ospo_scan.scan.scoring import entity_score
from ospo_scan.scan.sharding import Shard, parse_shard


@dataclass(frozen=True)
class Merged:
    """The whole report, and which shards it lacks."""

    report: Report
    missing: tuple[str, ...] = ()
    """The missing shards, as `I/N`; each has an error row in the report."""


def merge_shards(shards: Sequence[tuple[str, Report]], ruleset: Ruleset) -> Merged:
    """One report from `(origin, report)` shards of one scan; UsageError when they cannot be."""
    if not shards:
        raise UsageError("no report to merge")
    first = shards[0][1]
    count, indexes = _check_same_scan(shards)
    if (ruleset.id, ruleset.version) != (first.ruleset.id, first.ruleset.version):
        raise UsageError(
            f"the shards were scanned with ruleset {first.ruleset.id} {first.ruleset.version}, "
            f"not {ruleset.id} {ruleset.version}",
            hint="give the ruleset they were scanned with: --ruleset ID or PATH",
        )
    seen: dict[int, str] = {}
    for (origin, _), index in zip(shards, indexes, strict=True):
        if index in seen:
            raise UsageError(f"shard {index}/{count} is given twice: {seen[index]} and {origin}")
        seen[index] = origin
    missing = [index for index in range(1, count + 1) if index not in seen]
    entities = _entities(first)
    rows: dict[str, dict[str, RepoReport]] = {entity.name: {} for entity in entities}
    origins: dict[str, str] = {}
    for origin, report in shards:
        for repo in report.repositories:
            into = rows.get(_entity_of(repo, entities))
            if into is None:
                raise UsageError(f"{origin}: {repo.name} belongs to no entity of the scan")
            earlier = into.get(repo.name)
            # a row every shard writes (a target or listing that failed) is kept once
            if earlier is not None and (earlier != repo or repo.status is RepoStatus.OK):
                raise UsageError(
                    f"{repo.name} is in two shards: {origins[repo.name]} and {origin}",
                    hint="merge the reports `scan --shard I/N` wrote, unchanged",
                )
            into[repo.name] = repo
            origins.setdefault(repo.name, origin)
    by_name = {entity.name: entity for entity in entities}
    for (origin, report), index in zip(shards, indexes, strict=True):
        for repo in report.repositories:
            entity = by_name[_entity_of(repo, entities)]
            hashed = _sharded_name(repo, entity, several=len(entities) > 1)
            if repo.status is RepoStatus.OK and not Shard(index, count).holds(hashed):
                raise UsageError(
                    f"{origin}: {repo.name} does not belong in shard {index}/{count}",
                    hint="merge the reports `scan --shard I/N` wrote, unchanged",
                )
    merged = []
    for template in entities:
        repos = list(rows[template.name].values())
        repos.extend(_missing_row(template, index, count) for index in missing)
        notes = _notes(template.name, [report for _, report in shards])
        score = entity_score(repos)
        merged.append(
            (replace(template, score=score, level=ruleset.level_for(score), notes=notes), repos)
        )
    scans = [report.scan for _, report in shards if report.scan is not None]
    scan = ScanInfo(
        started=min(s.started for s in scans),
        finished=max(s.finished for s in scans),
        targets=scans[0].targets,
        shard=None,
    )
    report = replace(assemble(ruleset, merged, scan), tool_version=first.tool_version)
    if missing:  # a missing shard's row is an error, not a repository enumerated
        counted = report.summary.repositories - len(missing) * len(merged)
        report = replace(report, summary=replace(report.summary, repositories=counted))
    return Merged(report, tuple(f"{index}/{count}" for index in missing))


def _check_same_scan(shards: Sequence[tuple[str, Report]]) -> tuple[int, list[int]]:
    """How many shards the scan was split into and which each report is, after checking that
    every report is a shard of the same scan."""
    infos: list[ScanInfo] = []
    for origin, report in shards:
        if report.scan is None or report.scan.shard is None:
            raise UsageError(f"{origin} is not a shard: it was not scanned with --shard I/N")
        infos.append(report.scan)
    first_origin, first = shards[0]
    for (origin, report), info in zip(shards, infos, strict=True):
        differences = [
            ("tool version", first.tool_version, report.tool_version),
            ("ruleset", _ruleset(first), _ruleset(report)),
            ("entities", _names(first), _names(report)),
            ("targets", " ".join(infos[0].targets), " ".join(info.targets)),
        ]
        for what, expected, found in differences:
            if expected != found:
                raise UsageError(
                    f"{origin} is not a shard of the same scan as {first_origin}: "
                    f"{what} {found!r}, not {expected!r}"
                )
    parts = [parse_shard(info.shard or "") for info in infos]
    counts = {part.count for part in parts}
    if len(counts) > 1:
        raise UsageError(f"the shards split the scan differently: into {sorted(counts)} parts")
    return counts.pop(), [part.index for part in parts]


def _sharded_name(repo: RepoReport, entity: EntitySummary, *, several: bool) -> str:
    """The name `scan --shard` hashed: the host's full name, or a local directory's name, which
    a scan of several targets qualifies with its entity's directory (`agency/app`)."""
    if several and entity.source == "local":
        return repo.name.split("/", 1)[-1]
    return repo.name


def _entities(report: Report) -> tuple[EntitySummary, ...]:
    return report.entities or (report.entity,)


def _entity_of(repo: RepoReport, entities: Sequence[EntitySummary]) -> str:
    if len(entities) == 1:
        return entities[0].name
    # a target that could not be read at all has one row, named as its entity
    return repo.entity if repo.entity is not None else repo.name


def _missing_row(entity: EntitySummary, index: int, count: int) -> RepoReport:
    return RepoReport(
        name=f"{entity.name}: shard {index}/{count}",
        url=entity.url or "",
        status=RepoStatus.ERROR,
        score=None,
        in_scope=False,  # not a repository: the missing part's repositories are unknown
        error=f"shard {index}/{count} of the scan is missing: its repositories are not in "
        "this report",
    )


def _notes(entity: str, reports: Sequence[Report]) -> tuple[str, ...]:
    """Every shard's notes on the entity, each once, in the order they first appear."""
    notes: dict[str, None] = {}
    for report in reports:
        for summary in _entities(report):
            if summary.name == entity:
                notes.update(dict.fromkeys(summary.notes))
    return tuple(notes)


def _ruleset(report: Report) -> str:
    return f"{report.ruleset.id} {report.ruleset.version}"


def _names(report: Report) -> str:
    return " + ".join(entity.name for entity in _entities(report))
