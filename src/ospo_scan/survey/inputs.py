"""What the survey takes from its inputs: reports (scores, levels, per-rule tallies, the
answers the report carried) and entity files (answers only).

`collect` reads the command's INPUT arguments: report JSON files, entity files, or directories
searched for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ospo_scan.config.entity import ENTITY_FILE, load_entity_profile
from ospo_scan.errors import UsageError
from ospo_scan.model import (
    DeclaredPrinciple,
    EntitySummary,
    Outcome,
    Readiness,
    RepoReport,
    Report,
    RepoStatus,
)
from ospo_scan.report.loader import ReportFileError, read_report
from ospo_scan.scan.entities import NOT_SCANNED
from ospo_scan.survey.model import EntityScan, RuleTally
from ospo_scan.survey.principles import PRINCIPLES

_PASSING = (Outcome.PASS, Outcome.EXEMPT)
MAX_FILES = 100_000
"""A directory holding more candidate files than this is refused rather than read for hours."""


@dataclass
class SurveyInputs:
    """Everything read from the command's arguments."""

    scans: list[EntityScan] = field(default_factory=list)
    answers: dict[str, dict[int, Readiness]] = field(default_factory=dict)
    principles: dict[str, dict[str, DeclaredPrinciple]] = field(default_factory=dict)
    """What entity files declare of the UN Open Source Principles, by entity name."""
    skipped: list[str] = field(default_factory=list)
    """Files in searched directories that were not reports, each with why."""


def scans_of(report: Report) -> list[EntityScan]:
    """The survey's view of a report: one scan per entity it covers."""
    if report.scan is None:
        raise UsageError(
            f"the report of {report.entity.name} has no scan date",
            hint="the survey places scans by year: scan again with this version",
        )
    started = datetime.fromisoformat(report.scan.started.replace("Z", "+00:00"))
    entities = report.entities or (report.entity,)
    single = len(entities) == 1
    return [
        EntityScan(
            entity=entity.name,
            started=started,
            score=entity.score,
            level=entity.level,
            rules=_tallies(r for r in report.repositories if single or r.entity == entity.name),
            readiness=dict(entity.readiness),
            principles=_principle_scores(entity),
            declared=dict(entity.principles),
        )
        for entity in entities
        if not _failed_target(entity)
    ]


def collect(arguments: Sequence[str]) -> SurveyInputs:
    """Read report files, entity files and directories (searched for both)."""
    inputs = SurveyInputs()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            _read_directory(path, inputs)
        elif path.is_file():
            _read_file(path, inputs, searched=False)
        else:
            raise UsageError(f"no such file or directory: {argument}")
    return inputs


def _read_directory(root: Path, inputs: SurveyInputs) -> None:
    candidates = sorted(p for p in root.rglob("*") if p.suffix == ".json" or p.name == ENTITY_FILE)
    if len(candidates) > MAX_FILES:
        raise UsageError(f"{root} holds more than {MAX_FILES} report or entity files")
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            _read_file(path, inputs, searched=True)


def _read_file(path: Path, inputs: SurveyInputs, *, searched: bool) -> None:
    if path.suffix == ".toml":
        profile = load_entity_profile(path)
        name = profile.name or path.resolve().parent.name
        inputs.answers.setdefault(name, {}).update(profile.readiness)
        if profile.principles:
            inputs.principles[name] = dict(profile.principles)
        return
    try:
        report = read_report(path)
    except ReportFileError as exc:
        if not searched:
            raise
        inputs.skipped.append(f"{path}: {exc.one_line()}")
        return
    inputs.scans.extend(scans_of(report))


def _tallies(repositories: Iterable[RepoReport]) -> dict[str, RuleTally]:
    tallies: dict[str, RuleTally] = {}
    for repo in repositories:
        if not repo.in_scope or repo.status is not RepoStatus.OK:
            continue
        for result in repo.results:
            if result.outcome.counts:
                passed = 1 if result.outcome in _PASSING else 0
                tallies[result.rule] = tallies.get(result.rule, RuleTally(0, 0)) + RuleTally(
                    passed, 1
                )
    return tallies


def _principle_scores(entity: EntitySummary) -> dict[str, float | None]:
    view = entity.framework(PRINCIPLES)
    return {item.id: item.score for item in view.items} if view else {}


def _failed_target(entity: EntitySummary) -> bool:
    """A target that could not be read at all: no evidence, not a scan of the entity."""
    return entity.score is None and any(n.startswith(NOT_SCANNED) for n in entity.notes)
