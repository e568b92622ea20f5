"""What the survey takes from its inputs: reports (scores, levels, per-rule tallies, the
answers the report carried) and entity files (answers only).

`collect` reads the command's INPUT arguments: report JSON files, entity files, or directories
searched for both. A directory is searched where reports and entity files live: a JSON file is a
report when it names the report schema, and an entity directory's children (its repositories)
are not searched, nor is any `.git`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
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
from ospo_scan.untrusted.bounded_read import read_regular_file

_PASSING = (Outcome.PASS, Outcome.EXEMPT)
MAX_FILES = 100_000
"""A directory holding more candidate files than this is refused rather than read for hours."""
REPORT_MARK = b'"ospo-scan/report/'
"""What a report's head holds: its schema id (`"schema": "ospo-scan/report/v1"` comes first)."""
_HEAD = 64 * 1024
_SHOWN = 3


@dataclass
class SurveyInputs:
    """Everything read from the command's arguments."""

    scans: list[EntityScan] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    """The reports read, given or found in directories, in the order read."""
    answers: dict[str, dict[int, Readiness]] = field(default_factory=dict)
    principles: dict[str, dict[str, DeclaredPrinciple]] = field(default_factory=dict)
    """What entity files declare of the UN Open Source Principles, by entity name."""
    warnings: list[str] = field(default_factory=list)
    """Reports in searched directories that could not be read, each with why."""
    not_reports: list[str] = field(default_factory=list)
    """JSON files in searched directories that are not ospo-scan reports."""

    def skipped_summary(self) -> str | None:
        """One line on the JSON files that were skipped, or None when there were none."""
        if not self.not_reports:
            return None
        count = len(self.not_reports)
        shown = ", ".join(self.not_reports[:_SHOWN]) + (", ..." if count > _SHOWN else "")
        files = (
            "1 JSON file that is not an ospo-scan report"
            if count == 1
            else f"{count} JSON files that are not ospo-scan reports"
        )
        return f"skipped {files}: {shown}"


def scans_of(report: Report) -> list[EntityScan]:
    """The survey's view of a report: one scan per entity it covers."""
    if report.scan is None:
        raise UsageError(
            f"the report of {report.entity.name} has no scan date",
            hint="the survey places scans by year: scan again with this version",
        )
    entities = report.entities or (report.entity,)
    single = len(entities) == 1
    scans = (
        entity_scan(
            entity,
            report.scan.started,
            _tallies(r for r in report.repositories if single or r.entity == entity.name),
        )
        for entity in entities
    )
    return [scan for scan in scans if scan is not None]


def entity_scan(
    entity: EntitySummary, started: str, rules: Mapping[str, RuleTally]
) -> EntityScan | None:
    """The survey's view of one entity's scan started at `started` (ISO 8601 UTC) with these
    rule tallies; None for a target that could not be read at all."""
    if _failed_target(entity):
        return None
    return EntityScan(
        entity=entity.name,
        started=datetime.fromisoformat(started.replace("Z", "+00:00")),
        score=entity.score,
        level=entity.level,
        rules=dict(rules),
        readiness=dict(entity.readiness),
        survey_year=entity.survey_year,
        principles=_principle_scores(entity),
        declared=dict(entity.principles),
    )


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
    read = 0
    for directory, children, names in os.walk(root):
        children.sort()
        if ENTITY_FILE in names:
            children.clear()  # an entity directory's children are its repositories
        else:
            children[:] = [child for child in children if child != ".git"]
        for name in sorted(names):
            path = Path(directory) / name
            if not (name == ENTITY_FILE or name.endswith(".json")) or path.is_symlink():
                continue
            read += 1
            if read > MAX_FILES:
                raise UsageError(f"{root} holds more than {MAX_FILES} report or entity files")
            if name == ENTITY_FILE or _names_report_schema(path):
                _read_file(path, inputs, searched=True)
            else:
                inputs.not_reports.append(str(path))


def _names_report_schema(path: Path) -> bool:
    try:
        head = read_regular_file(path, _HEAD)
    except OSError:
        return True  # read again as a report, which says why it cannot be
    return REPORT_MARK in head


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
        inputs.warnings.append(f"skipped {path}: {exc.one_line()}")
        return
    inputs.scans.extend(scans_of(report))
    inputs.reports.append(report)


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
