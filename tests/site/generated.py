"""A generated system for the site's size tests: entities of many repositories audited weekly,
recorded into a real store (no scans: the reports are made as the scanner makes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.model import (
    EntitySummary,
    Evidence,
    EvidenceSource,
    LicenceSummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)

_FIRST_WEEK = datetime(2025, 11, 3, 6, tzinfo=timezone.utc)
_OUTCOMES = (Outcome.PASS, Outcome.FAIL, Outcome.PARTIAL, Outcome.PASS, Outcome.NOT_APPLICABLE)
_SCORES = {Outcome.PASS: 1.0, Outcome.PARTIAL: 0.5, Outcome.FAIL: 0.0}


@dataclass(frozen=True)
class Size:
    """How much there is."""

    entities: int
    repositories: int
    audits: int
    rules: int


def gone(size: Size) -> int:
    """The repository that leaves half-way."""
    return size.repositories - 2


def published(size: Size) -> list[int]:
    """The repositories a site publishes: public in the latest audit that saw them."""
    return [n for n in range(size.repositories) if n % 10 != 5 and n != 1]


def _results(size: Size, entity: int, repository: int, week: int) -> tuple[RuleResult, ...]:
    results = []
    for rule in range(size.rules):
        drift = (repository + rule + week // 7) % 11 == 0  # a few outcomes change over time
        outcome = _OUTCOMES[(entity + repository * 3 + rule + drift) % len(_OUTCOMES)]
        results.append(
            RuleResult(
                rule=f"rule-{rule:02d}",
                category=("documentation", "licensing", "security")[rule % 3],
                outcome=outcome,
                score=_SCORES.get(outcome),
                weight=float(1 + rule % 5),
                message=f"What rule {rule} found in repository {repository}.",
                remediation="" if outcome is Outcome.PASS else f"Do what rule {rule} asks.",
                help_url=f"https://example.org/rules/{rule}",
                evidence=(Evidence(f"docs/rule-{rule}.md", EvidenceSource.REPOSITORY),)
                if outcome is Outcome.PASS
                else (),
            )
        )
    return tuple(results)


def audit(size: Size, entity: int, week: int) -> Report:
    """An entity's audit in a given week. Its last repository but one leaves after the first
    half of the audits; one in ten is private; one turns private in the last audit."""
    repos = []
    for n in range(size.repositories):
        if n == gone(size) and week >= size.audits // 2:
            continue
        private = n % 10 == 5 or (n == 1 and week == size.audits - 1)
        repos.append(
            RepoReport(
                name=f"e{entity}-repository-{n:03d}",
                url=f"https://github.com/e{entity}/repository-{n:03d}",
                status=RepoStatus.OK,
                score=float((n * 37 + week + entity) % 101),
                in_scope=True,
                visibility="private" if private else "public",
                description=f"Repository {n} of entity {entity}",
                licence=LicenceSummary("MIT", ("LICENSE",), approved=True),
                results=_results(size, entity, n, week),
            )
        )
    started = (_FIRST_WEEK + timedelta(weeks=week)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Report(
        tool_version="test",
        ruleset=RulesetInfo("generated", "1"),
        entity=EntitySummary(f"Entity {entity}", "github", 40.0 + week % 30, "developing"),
        repositories=tuple(repos),
        summary=ScanSummary(len(repos), len(repos), 0, {}),
        scan=ScanInfo(started, started, (f"github:e{entity}",)),
    )


def record(size: Size, store: Path) -> None:
    with open_store(store) as opened:
        for week in range(size.audits):
            for entity in range(size.entities):
                report = audit(size, entity, week)
                opened.record(report, format_json(report))
