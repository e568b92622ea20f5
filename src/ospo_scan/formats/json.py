"""The JSON report, schema `ospo-scan/report/v1` (schema file: ospo_scan/schema/report-v1.json)."""

from __future__ import annotations

import json
from typing import Any

from ospo_scan.model import (
    BundledLicence,
    Contacts,
    DeclaredLicence,
    EntitySummary,
    Evidence,
    FrameworkView,
    ItemView,
    LicenceSummary,
    RepoFrameworkView,
    RepoReport,
    Report,
    RuleResult,
)


def format_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


def report_to_dict(report: Report) -> dict[str, Any]:
    head: dict[str, Any] = {
        "schema": report.schema,
        "tool": {"name": "ospo-scan", "version": report.tool_version},
        "ruleset": {
            "id": report.ruleset.id,
            "version": report.ruleset.version,
            "title": report.ruleset.title,
        },
    }
    if report.scan is not None:
        head["scan"] = {
            "started": report.scan.started,
            "finished": report.scan.finished,
            "targets": list(report.scan.targets),
            "shard": report.scan.shard,
        }
    return head | {
        "entity": _entity(report.entity),
        "entities": [_entity(e) for e in report.entities],
        "repositories": [_repository(r) for r in report.repositories],
        "summary": {
            "repositories": report.summary.repositories,
            "in_scope": report.summary.in_scope,
            "errors": report.summary.errors,
            "rule_pass_rates": report.summary.rule_pass_rates,
            "category_scores": report.summary.category_scores,
        }
        # written only when some fact could not be observed, so reports without one keep their form
        | ({"unknown": report.summary.unknown} if report.summary.unknown else {}),
    }


def _entity(entity: EntitySummary) -> dict[str, Any]:
    written = {
        "name": entity.name,
        "source": entity.source,
        "url": entity.url,
        "score": entity.score,
        "level": entity.level,
        "defaults_repository": entity.defaults_repository,
        "notes": list(entity.notes),
        "description": entity.description,
        "metadata": dict(entity.metadata),
        "contacts": _contacts(entity.contacts),
        "readiness": {str(year): r.as_answers() for year, r in entity.readiness.items()},
        "principles": {number: d.as_answer() for number, d in entity.principles.items()},
        "frameworks": {f.id: _framework(f) for f in entity.frameworks},
    }
    if not entity.defaults_reachable:
        written["defaults_reachable"] = False
    if entity.survey_year is not None:
        written["survey_year"] = entity.survey_year
    return written


def _framework(framework: FrameworkView) -> dict[str, Any]:
    return {
        "title": framework.title,
        "version": framework.version,
        "url": framework.url,
        "items": {item.id: _item(item) for item in framework.items},
    } | (
        {
            "levels": dict(framework.levels),
            "missed": [{"control": c, "repositories": n} for c, n in framework.missed],
        }
        if framework.levels
        else {}
    )


def _item(item: ItemView) -> dict[str, Any]:
    written: dict[str, Any] = {
        "title": item.title,
        "meaning": item.meaning,
        "status": item.status.value,
        "score": item.score,
        "rules": list(item.rule_ids),
        "by_rule": {
            rule.rule: {
                "score": rule.score,
                "outcomes": {outcome.value: n for outcome, n in rule.outcomes.items()},
            }
            for rule in item.rules
        },
    }
    if item.level is not None:
        written["level"] = item.level
    if item.group is not None:
        written["group"] = item.group
    if item.declared is not None:
        written["declared"] = item.declared.as_answer()
    return written


def _contacts(contacts: Contacts | None) -> dict[str, Any]:
    """Only the contacts the profile gives: none is ever invented."""
    found: dict[str, Any] = {}
    if contacts is None:
        return found
    if contacts.security is not None:
        found["security"] = contacts.security
    if contacts.conduct is not None:
        found["conduct"] = contacts.conduct
    if contacts.maintainers:
        found["maintainers"] = list(contacts.maintainers)
    return found


def _repository(repo: RepoReport) -> dict[str, Any]:
    return {
        "name": repo.name,
        "url": repo.url,
        "commit": repo.commit,
        "default_branch": repo.default_branch,
        "status": repo.status.value,
        "score": repo.score,
        "in_scope": repo.in_scope,
        "archived": repo.archived,
        "fork": repo.fork,
        "visibility": repo.visibility,
        "description": repo.description,
        "license": _licence(repo.licence),
        "category_scores": repo.category_scores,
        "results": [_result(r) for r in repo.results],
        "warnings": list(repo.warnings),
        "error": repo.error,
        "entity": repo.entity,
        "frameworks": {f.id: _repo_framework(f) for f in repo.frameworks},
    } | ({"unknown": repo.unknown} if repo.unknown else {})


def _repo_framework(view: RepoFrameworkView) -> dict[str, Any]:
    written: dict[str, Any] = {"items": dict(view.items)}
    if view.level is not None and view.level_status is not None:
        written |= {
            "level": view.level,
            "level_status": view.level_status.value,
            "missed": list(view.missed),
        }
    return written


def _licence(licence: LicenceSummary | None) -> dict[str, Any]:
    if licence is None:
        return {
            "expression": None,
            "files": [],
            "declared": [],
            "approved": None,
            "bundled": [],
            "restrictions": [],
        }
    return {
        "expression": licence.expression,
        "files": list(licence.files),
        "declared": [_declared(d) for d in licence.declared],
        "approved": licence.approved,
        "bundled": [_bundled(b) for b in licence.bundled],
        "restrictions": list(licence.restrictions),
    }


def _bundled(bundled: BundledLicence) -> dict[str, Any]:
    return {"path": bundled.path, "expression": bundled.expression, "heading": bundled.heading}


def _declared(declared: DeclaredLicence) -> dict[str, Any]:
    return {
        "path": declared.path,
        "value": declared.value,
        "expression": declared.expression,
        "suggestion": declared.suggestion,
    }


def _result(result: RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "category": result.category,
        "outcome": result.outcome.value,
        "score": result.score,
        "weight": result.weight,
        "message": result.message,
        "remediation": result.remediation,
        "help_url": result.help_url,
        "evidence": [_evidence(e) for e in result.evidence],
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {"path": evidence.path, "source": evidence.source.value, "detail": evidence.detail}
