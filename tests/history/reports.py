"""Reports for history tests: real scans of git repositories, and generated ones for sizes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ospo_scan.model import Outcome, Report, RuleResult, ScanInfo
from ospo_scan.scan.scanner import Scanner
from tests.scanning import default_ruleset


def scan(path: Path) -> Report:
    """The report the scanner makes of a local target."""
    return Scanner(default_ruleset()).scan([str(path)])


def dated(report: Report, started: str) -> Report:
    """The report as if its scan had started (and finished) at `started`."""
    assert report.scan is not None
    return replace(report, scan=ScanInfo(started, started, report.scan.targets))


def with_outcome(report: Report, repository: str, rule: str, outcome: Outcome) -> Report:
    """The report with one rule's outcome for one repository replaced."""

    def changed(result: RuleResult) -> RuleResult:
        return replace(result, outcome=outcome) if result.rule == rule else result

    repositories = tuple(
        replace(r, results=tuple(map(changed, r.results))) if r.name == repository else r
        for r in report.repositories
    )
    return replace(report, repositories=repositories)
