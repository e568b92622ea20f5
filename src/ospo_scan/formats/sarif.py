"""SARIF 2.1.0 for code scanning (`github/codeql-action/upload-sarif`, category `ospo-scan`).

One result per rule that fails or partially passes in an in-scope repository. Archived
repositories, forks and the defaults repository cannot or need not be fixed, so they raise no
alerts unless the scan includes them (`--include-archived`, `--include-forks`); marking their
results with SARIF `suppressions` would not do, as GitHub code scanning ignores suppressions and
would open the alerts anyway.

Rules are listed once in `tool.driver.rules` and results point at them by `ruleIndex`. Each
result is located at its evidence file, or at the repository root when the file the rule looks
for is missing; in a report of several repositories, paths are prefixed with the repository's
name. The partial fingerprint depends only on the repository and the rule, so a reworded
message does not make code scanning close one alert and open another (GitHub also matches on
the path, which stays the same as long as the evidence file does). Repositories that could not
be scanned and rules that errored are tool execution notifications, not results.

A rule whose fact could not be observed (`unknown`: the token may not read it, or only a person
can judge it) raises no alert either: a code scanning alert asks for a change to the repository
and closes when the change is made, while an unknown is settled by a token permission or a
person's review, so as an alert it would stay open with nothing in the code to fix, and it must
never read as a failure. Each such rule is one `note` notification instead, naming the
repositories and what would settle it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import quote

from ospo_scan.formats._frameworks import evidenced_items
from ospo_scan.formats._views import FAILING, RuleInfo, rule_catalogue, safe_link
from ospo_scan.model import EvidenceSource, Outcome, RepoReport, Report, RepoStatus, RuleResult
from ospo_scan.rules.registry import builtin_rules
from ospo_scan.untrusted.display import neutralise

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
RULE_ID_PREFIX = "ospo-scan/"
FINGERPRINT_KEY = "ospoScanRepositoryRule/v1"
INFORMATION_URI = "https://github.com/ospo-scan/ospo-scan"

MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results; beyond it the least severe are left out."""

HEAVY_WEIGHT_SHARE = 0.5
"""A failing rule is an error when it weighs at least this share of the heaviest rule."""


MAX_WARNINGS = 100
"""Warning notifications listed at most; the JSON report has them all."""


def format_sarif(report: Report) -> str:
    rules = rule_catalogue(report)
    index = {rule.id: position for position, rule in enumerate(rules)}
    heaviest = max((rule.weight for rule in rules), default=0.0)
    several = len(report.repositories) > 1
    results = [
        _result(report, repo, result, index[result.rule], heaviest, several=several)
        for repo in report.repositories
        if repo.in_scope
        for result in repo.results
        if result.outcome in FAILING
    ]
    notifications = _notifications(report, index)
    successful = not notifications
    notifications += _unknown(report, index) + _warnings(report)
    if len(results) > MAX_RESULTS:
        successful = False
        results, left_out = _most_severe(results)
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} of the least severe results were left out: code "
                    f"scanning rejects more than {MAX_RESULTS} results in a run. The JSON "
                    "report has them all."
                },
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ospo-scan",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [
                    _rule(rule, heaviest, evidenced_items(report, rule.id)) for rule in rules
                ],
            }
        },
        "invocations": [
            {
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "entity": report.entity.name,
            "source": report.entity.source,
            "score": report.entity.score,
            "level": report.entity.level,
            "ruleset": f"{report.ruleset.id} {report.ruleset.version}",
            "entities": [
                {"name": e.name, "score": e.score, "level": e.level} for e in report.entities
            ],
        },
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(_neutralised(log), indent=2, ensure_ascii=False) + "\n"


def _neutralised(value: Any) -> Any:
    """Every string of the log without control or bidirectional characters."""
    if isinstance(value, str):
        return neutralise(value, keep_line_breaks=True)
    if isinstance(value, dict):
        return {key: _neutralised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_neutralised(item) for item in value]
    return value


def _most_severe(results: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The MAX_RESULTS most severe results (errors, then heavier rules), in their first order."""
    rank = {"error": 0, "warning": 1, "note": 2}
    order = sorted(
        range(len(results)),
        key=lambda i: (rank[results[i]["level"]], -results[i]["properties"]["weight"], i),
    )
    kept = sorted(order[:MAX_RESULTS])
    return [results[i] for i in kept], len(results) - len(kept)


def _level(weight: float, heaviest: float, outcome: Outcome) -> str:
    heavy = heaviest > 0 and weight >= HEAVY_WEIGHT_SHARE * heaviest
    if outcome is Outcome.FAIL:
        return "error" if heavy else "warning"
    return "warning" if heavy else "note"


@cache
def _descriptions() -> dict[str, str]:
    """The built-in rules' one-line descriptions, by id (installed plugins are not loaded)."""
    return {rule_id: rule.description for rule_id, rule in builtin_rules().items()}


def _description(rule: RuleInfo) -> str:
    """What the rule checks: its own description, else (a ruleset's declarative rule) what its
    remediation asks for."""
    described = _descriptions().get(rule.id) or rule.remediation
    if not described:
        return f"ospo-scan {rule.category} rule '{rule.id}'."
    return described if described.endswith(".") else described + "."


def _rule(rule: RuleInfo, heaviest: float, items: Sequence[str] = ()) -> dict[str, Any]:
    """A rule's descriptor; `items` are the framework items it evidences (`un-principles:3`)."""
    description = _description(rule)
    help_text = rule.remediation or description
    help_url = safe_link(rule.help_url)
    entry: dict[str, Any] = {
        "id": RULE_ID_PREFIX + rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("_", "-").split("-")),
        "shortDescription": {"text": description},
        "fullDescription": {"text": help_text},
        "help": {
            "text": help_text + (f" See {help_url}" if help_url else ""),
            "markdown": help_text + (f"\n\n[Learn more]({help_url})" if help_url else ""),
        },
        "defaultConfiguration": {"level": _level(rule.weight, heaviest, Outcome.FAIL)},
        "properties": {
            "category": rule.category,
            "weight": rule.weight,
            "tags": [rule.category, *items],
        },
    }
    if help_url:
        entry["helpUri"] = help_url
    return entry


def _result(
    report: Report,
    repo: RepoReport,
    result: RuleResult,
    rule_index: int,
    heaviest: float,
    *,
    several: bool,
) -> dict[str, Any]:
    text = f"{repo.name}: {result.message}" if several else result.message
    if result.remediation:
        text = f"{text} {result.remediation}"
    return {
        "ruleId": RULE_ID_PREFIX + result.rule,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": _level(result.weight, heaviest, result.outcome),
        "message": {"text": text},
        "locations": [_location(report, repo, result, several=several)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(repo.name, result.rule)},
        "properties": {
            "repository": repo.name,
            "repositoryUrl": repo.url,
            "outcome": result.outcome.value,
            "score": result.score,
            "weight": result.weight,
        },
    }


def _location(
    report: Report, repo: RepoReport, result: RuleResult, *, several: bool
) -> dict[str, Any]:
    prefix = f"{repo.name.strip('/')}/" if several else ""
    for evidence in result.evidence:
        if evidence.source is EvidenceSource.HOST:
            continue
        path = evidence.path.lstrip("/")
        if evidence.source is EvidenceSource.ORGANISATION_DEFAULT:
            defaults = report.entity.defaults_repository or ".github"
            uri = f"{defaults.strip('/')}/{path}"
        else:
            uri = prefix + path
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(uri)},
                "region": {"startLine": 1},
            },
            "message": {"text": evidence.detail or f"evidence ({evidence.source.value})"},
        }
    return {
        "physicalLocation": {"artifactLocation": {"uri": _uri(prefix or "./")}},
        "message": {"text": "repository root"},
    }


def _uri(path: str) -> str:
    """A relative URI reference for a repository path (spaces and the like percent-encoded)."""
    return quote(path, safe="/-._~!$&'()*+,;=@")


def _fingerprint(repository: str, rule: str) -> str:
    digest = hashlib.sha256(f"{repository}\0{rule}".encode()).hexdigest()
    return digest[:32]


def _notifications(report: Report, index: dict[str, int]) -> list[dict[str, Any]]:
    notifications: list[dict[str, Any]] = []
    for repo in report.repositories:
        if repo.status is RepoStatus.ERROR:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{repo.name}: {repo.error or 'could not be scanned'}"},
                }
            )
        for result in repo.results:
            if result.outcome is Outcome.ERROR:
                notifications.append(
                    {
                        "level": "error",
                        "message": {"text": f"{repo.name}: {result.message}"},
                        "associatedRule": {
                            "id": RULE_ID_PREFIX + result.rule,
                            "index": index[result.rule],
                        },
                    }
                )
    return notifications


UNKNOWN_NAMES_LISTED = 10
"""Repositories named in a rule's unknown notification; the JSON report has them all."""


def _unknown(report: Report, index: dict[str, int]) -> list[dict[str, Any]]:
    """Per rule, one note on the repositories where it could not be observed."""
    by_rule: dict[str, list[RuleResult]] = {}
    names: dict[str, list[str]] = {}
    for repo in report.repositories:
        for result in repo.results:
            if result.outcome is Outcome.UNKNOWN:
                by_rule.setdefault(result.rule, []).append(result)
                names.setdefault(result.rule, []).append(repo.name)
    notes: list[dict[str, Any]] = []
    for rule, results in by_rule.items():
        listed = names[rule][:UNKNOWN_NAMES_LISTED]
        more = len(names[rule]) - len(listed)
        where = ", ".join(listed) + (f" and {more} more" if more > 0 else "")
        notes.append(
            {
                "level": "note",
                "message": {"text": f"unknown (not scored) in {where}: {results[0].message}"},
                "associatedRule": {"id": RULE_ID_PREFIX + rule, "index": index[rule]},
            }
        )
    return notes


def _warnings(report: Report) -> list[dict[str, Any]]:
    """What the scan noticed without failing (the entities' notes, the repositories'
    warnings): notifications, never results."""
    texts = [f"{repo.name}: {warning}" for repo in report.repositories for warning in repo.warnings]
    if len(texts) > MAX_WARNINGS:
        left_out = len(texts) - MAX_WARNINGS
        texts = [*texts[:MAX_WARNINGS], f"and {left_out} more warnings in the JSON report"]
    warnings = [{"level": "warning", "message": {"text": text}} for text in texts]
    notes = [
        {"level": "note", "message": {"text": f"{entity.name}: {note}"}}
        for entity in report.entities or (report.entity,)
        for note in entity.notes
    ]
    return [*notes, *warnings]
