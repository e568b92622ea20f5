"""Helpers to scan real directories in tests and check reports against the JSON schema."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema

from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.formats.json import report_to_dict
from ospo_scan.model import Outcome, RepoReport, Report, RepoStatus, RuleResult
from ospo_scan.rules.registry import builtin_rules
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.snapshot import Snapshot


def local_snapshots(path: Path) -> list[Snapshot]:
    """The snapshots the local connector makes of a directory (failures are an error here)."""
    source = LocalConnector().open(Target(TargetKind.LOCAL, str(path)), ScanOptions())
    snapshots = []
    for item in source.repositories:
        assert isinstance(item, Snapshot), f"{item.name} could not be read: {item}"
        snapshots.append(item)
    return snapshots


def local_snapshot(path: Path) -> Snapshot:
    (snapshot,) = local_snapshots(path)
    return snapshot


@cache
def default_ruleset() -> Ruleset:
    return load_ruleset("un-ospo", load_plugins=False)


def evaluate(path: Path, ruleset: Ruleset | None = None) -> RepoReport:
    """Scan one repository directory with the default ruleset."""
    return evaluate_repository(local_snapshot(path), ruleset or default_ruleset())


def result(report: RepoReport, rule_id: str) -> RuleResult:
    return next(r for r in report.results if r.rule == rule_id)


def outcome(path: Path, rule_id: str) -> Outcome:
    return result(evaluate(path), rule_id).outcome


@cache
def report_schema() -> dict[str, Any]:
    text = (files("ospo_scan") / "schema" / "report-v1.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validated(document: dict[str, Any]) -> dict[str, Any]:
    """The document, after checking it against the shipped report schema."""
    jsonschema.validate(document, report_schema(), cls=jsonschema.Draft202012Validator)
    return document


def report_json(report: Report) -> dict[str, Any]:
    return validated(report_to_dict(report))


def comparable_results(
    report: Report, prefix: str, unsupplied: frozenset[str] = frozenset()
) -> dict[str, list[tuple[object, ...]]]:
    """Per repository (name without `prefix`), what every rule but the host-only ones found,
    so that one set of repositories scanned through two connectors can be compared.

    `recent-activity` is left out too: a host says when the repository was last pushed to, a
    clone when its head commit was made. `unsupplied`: rules whose facts one of the connectors
    cannot supply (not-applicable there), left out as well."""
    host_only = {rule.id for rule in builtin_rules().values() if rule.host_only}
    host_only |= {"recent-activity", *unsupplied}
    found: dict[str, list[tuple[object, ...]]] = {}
    for repo in report.repositories:
        assert repo.status is RepoStatus.OK, f"{repo.name}: {repo.error}"
        name = repo.name.removeprefix(prefix)
        found[name] = [
            (
                r.rule,
                r.outcome,
                r.score,
                r.message.replace(prefix, ""),
                tuple((e.path, e.source, e.detail) for e in r.evidence),
            )
            for r in repo.results
            if r.rule not in host_only
        ]
    return found
