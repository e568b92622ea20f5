"""Reading a JSON report back: the one loader every part that reads reports goes through.

A report is checked against the shipped schema (`ospo_scan/schema/report-v1.json`) and then
turned into the same frozen dataclasses the scanner builds, so `report`, `diff` and the history
store work on a `Report`, never on loose dictionaries. Numbers keep the type JSON gave them, so
writing a loaded report again gives back the text it was read from.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from ospo_scan.errors import UsageError
from ospo_scan.model import (
    BundledLicence,
    Contacts,
    DeclaredLicence,
    DeclaredPrinciple,
    EntitySummary,
    Evidence,
    EvidenceSource,
    FrameworkView,
    ItemStatus,
    ItemView,
    LevelStatus,
    LicenceSummary,
    OspoStage,
    Outcome,
    PrincipleAnswer,
    Progress,
    Readiness,
    RepoFrameworkView,
    RepoReport,
    Report,
    RepoStatus,
    RuleEvidence,
    RuleResult,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)
from ospo_scan.report.schema import is_valid, report_schema, validator_class

_ERRORS_SHOWN = 3
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
_SOURCES = {source.value: source for source in EvidenceSource}
"""Enum members by value, looked up once per result of a checked report rather than called."""
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects a report may have; a real one is under ten deep."""


class ReportFileError(UsageError):
    """A file given as a report is not a readable ospo-scan JSON report."""


def read_report(path: Path) -> Report:
    """The report saved in a JSON file; ReportFileError when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ReportFileError(f"cannot read report {path}: {reason}") from exc
    return parse_report(text, origin=str(path))


def parse_report(text: str, *, origin: str) -> Report:
    """A report from its JSON text; `origin` names where it came from in error messages."""
    try:
        document = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError as exc:
        raise ReportFileError(f"{origin} is not a report: nested too deeply") from exc
    except ValueError as exc:
        raise ReportFileError(f"{origin} is not JSON: {exc}") from exc
    return report_from_dict(document, origin=origin)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _shape_problem(document: Any) -> str | None:
    """Why decoded JSON cannot be a report whatever its fields: nesting deeper than MAX_DEPTH,
    or a number that is not finite (walked level by level, without recursion)."""
    level: list[Any] = [document]
    for _ in range(MAX_DEPTH + 1):
        for value in level:
            if isinstance(value, float) and not math.isfinite(value):
                return f"{value} is not a number a report holds"
        level = [
            child
            for value in level
            if isinstance(value, dict | list)
            for child in (value.values() if isinstance(value, dict) else value)
        ]
        if not level:
            return None
    return f"nested more than {MAX_DEPTH} deep"


def report_from_dict(document: Any, *, origin: str) -> Report:
    """A report from its decoded JSON, after checking it against the schema."""
    problem = _shape_problem(document)
    if problem is not None:
        raise ReportFileError(f"{origin} is not an ospo-scan report: {problem}")
    if is_valid(document):
        return _report(document)
    validator = validator_class()(report_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "; ".join(_describe(e) for e in errors[:_ERRORS_SHOWN])
        more = f" (and {len(errors) - _ERRORS_SHOWN} more)" if len(errors) > _ERRORS_SHOWN else ""
        raise ReportFileError(
            f"{origin} is not an ospo-scan report: {shown}{more}",
            hint="give a file written by `ospo-scan scan --format json`",
        )
    return _report(document)


def _describe(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "the document"
    message = error.message if len(error.message) <= 120 else error.message[:117] + "..."
    return f"{where}: {message}"


def _report(document: dict[str, Any]) -> Report:
    scan = document.get("scan")
    return Report(
        tool_version=document["tool"]["version"],
        ruleset=_ruleset(document["ruleset"]),
        entity=_entity(document["entity"]),
        repositories=tuple(_repository(r) for r in document["repositories"]),
        summary=_summary(document["summary"]),
        scan=None if scan is None else _scan(scan),
        schema=document["schema"],
        entities=tuple(_entity(e) for e in document.get("entities", ())),
    )


def entity_from_dict(entity: Any, *, origin: str) -> EntitySummary:
    """A report's `entity` object, kept apart from its report (the history store keeps it for
    the audits whose whole report is not read again); ReportFileError when it is not one."""
    try:
        return _entity(entity)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportFileError(f"{origin}: not an entity of a report ({exc})") from exc


def _ruleset(ruleset: dict[str, Any]) -> RulesetInfo:
    return RulesetInfo(ruleset["id"], ruleset["version"], ruleset.get("title", ""))


def _scan(scan: dict[str, Any]) -> ScanInfo:
    return ScanInfo(scan["started"], scan["finished"], tuple(scan["targets"]), scan["shard"])


def _entity(entity: dict[str, Any]) -> EntitySummary:
    return EntitySummary(
        name=entity["name"],
        source=entity["source"],
        score=entity["score"],
        level=entity["level"],
        url=entity.get("url"),
        defaults_repository=entity.get("defaults_repository"),
        notes=tuple(entity.get("notes", ())),
        description=entity.get("description"),
        metadata=dict(entity.get("metadata", {})),
        contacts=_contacts(entity.get("contacts", {})),
        readiness={int(year): _readiness(a) for year, a in entity.get("readiness", {}).items()},
        survey_year=entity.get("survey_year"),
        defaults_reachable=entity.get("defaults_reachable", True),
        principles={n: _declared(d) for n, d in entity.get("principles", {}).items()},
        frameworks=tuple(_framework(i, f) for i, f in entity.get("frameworks", {}).items()),
    )


def _declared(declared: dict[str, Any]) -> DeclaredPrinciple:
    return DeclaredPrinciple(PrincipleAnswer(declared["answer"]), declared.get("evidence"))


def _framework(framework_id: str, framework: dict[str, Any]) -> FrameworkView:
    return FrameworkView(
        id=framework_id,
        title=framework["title"],
        version=framework["version"],
        url=framework["url"],
        items=tuple(_item(i, item) for i, item in framework["items"].items()),
        levels=dict(framework.get("levels", {})),
        missed=tuple((m["control"], m["repositories"]) for m in framework.get("missed", ())),
    )


def _item(item_id: str, item: dict[str, Any]) -> ItemView:
    by_rule = item["by_rule"]
    declared = item.get("declared")
    return ItemView(
        id=item_id,
        title=item["title"],
        meaning=item["meaning"],
        status=ItemStatus(item["status"]),
        score=item["score"],
        rules=tuple(
            RuleEvidence(
                rule=rule,
                score=by_rule.get(rule, {}).get("score"),
                outcomes={
                    Outcome(o): n for o, n in by_rule.get(rule, {}).get("outcomes", {}).items()
                },
            )
            for rule in item["rules"]
        ),
        level=item.get("level"),
        group=item.get("group"),
        declared=None if declared is None else _declared(declared),
    )


def _contacts(contacts: dict[str, Any]) -> Contacts | None:
    if not contacts:
        return None  # written the same as no profile at all
    return Contacts(
        security=contacts.get("security"),
        conduct=contacts.get("conduct"),
        maintainers=tuple(contacts.get("maintainers", ())),
    )


def _readiness(answers: dict[str, Any]) -> Readiness:
    ospo, policy, guidelines = (answers.get(k) for k in ("ospo", "policy", "guidelines"))
    return Readiness(
        ospo=None if ospo is None else OspoStage(ospo),
        policy=None if policy is None else Progress(policy),
        guidelines=None if guidelines is None else Progress(guidelines),
        recommendations=answers.get("recommendations"),
        best_practices=answers.get("best-practices"),
    )


def _summary(summary: dict[str, Any]) -> ScanSummary:
    return ScanSummary(
        repositories=summary["repositories"],
        in_scope=summary["in_scope"],
        errors=summary["errors"],
        rule_pass_rates=dict(summary["rule_pass_rates"]),
        category_scores=dict(summary.get("category_scores", {})),
        unknown=summary.get("unknown", 0),
    )


def _repository(repo: dict[str, Any]) -> RepoReport:
    return RepoReport(
        name=repo["name"],
        url=repo["url"],
        status=RepoStatus(repo["status"]),
        score=repo["score"],
        in_scope=repo["in_scope"],
        archived=repo["archived"],
        fork=repo["fork"],
        visibility=repo.get("visibility"),
        description=repo.get("description"),
        licence=_licence(repo["license"], repo["results"]),
        results=tuple(_result(r) for r in repo["results"]),
        category_scores=dict(repo.get("category_scores", {})),
        warnings=tuple(repo.get("warnings", ())),
        error=repo["error"],
        commit=repo.get("commit"),
        default_branch=repo.get("default_branch"),
        entity=repo.get("entity"),
        frameworks=tuple(_repo_framework(i, f) for i, f in repo.get("frameworks", {}).items()),
    )


def _repo_framework(framework_id: str, view: dict[str, Any]) -> RepoFrameworkView:
    status = view.get("level_status")
    return RepoFrameworkView(
        framework_id,
        dict(view["items"]),
        level=view.get("level"),
        level_status=LevelStatus(status) if status is not None else None,
        missed=tuple(view.get("missed", ())),
    )


def _licence(licence: dict[str, Any], results: list[dict[str, Any]]) -> LicenceSummary | None:
    declared = tuple(
        DeclaredLicence(d["path"], d["value"], d["expression"], d.get("suggestion"))
        for d in licence.get("declared", ())
    )
    empty = (
        licence["expression"] is None
        and not licence["files"]
        and not declared
        and not licence.get("bundled")
        and not licence.get("restrictions")
    )
    if empty and not any(r["category"] == "licensing" for r in results):
        # The writer gives an empty block when no licence rule ran, and the licence was never
        # looked for; a licensing rule means it was looked for and none was found.
        return None
    return LicenceSummary(
        expression=licence["expression"],
        files=tuple(licence["files"]),
        declared=declared,
        approved=licence.get("approved"),
        bundled=tuple(
            BundledLicence(b["path"], b["expression"], b.get("heading"))
            for b in licence.get("bundled", ())
        ),
        restrictions=tuple(licence.get("restrictions", ())),
    )


def _result(result: dict[str, Any]) -> RuleResult:
    return RuleResult(
        rule=result["rule"],
        category=result["category"],
        outcome=_OUTCOMES[result["outcome"]],
        score=result["score"],
        weight=result["weight"],
        message=result["message"],
        remediation=result["remediation"],
        help_url=result.get("help_url", ""),
        evidence=tuple(
            Evidence(e["path"], _SOURCES[e["source"]], e.get("detail")) for e in result["evidence"]
        ),
    )
