"""The repository's OpenSSF Security Insights file, read once and checked against its schema.

`security-insights.yml` (at the root, in `.github/` or in `.gitlab/`) says in a machine-readable
way how a project handles security: who to report vulnerabilities to, which repositories make up
the project, where releases are distributed, what assessments were made. It is read as plain
YAML data within bounds (`untrusted.yaml_data`) and validated against the JSON Schema translated
from the specification's CUE schema for its `header.schema-version` (2.0.0 to 2.2.x; see
`schema/security-insights/SOURCE.md`). Rules share one reading through `security_insights`;
what a valid file says is evidence only where a control allows a declaration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import re2
from jsonschema import Draft202012Validator, ValidationError, validators

from ospo_scan.model import Evidence, EvidenceSource
from ospo_scan.rules.interface import RuleContext
from ospo_scan.snapshot import Snapshot
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.yaml_data import YamlDataError, load_yaml

FILE_NAMES = ("security-insights.yml", "security-insights.yaml")
DIRECTORIES = ("", ".github", ".gitlab")
"""Where the specification says the file lives, in the order looked at."""
SCHEMA_VERSIONS = ("2.0.0", "2.1.0", "2.2.0")
"""The specification's releases whose schema ships with ospo-scan."""
WRITTEN_VERSION = "2.2.0"
"""The version `fix` writes."""
MAX_BYTES = 256 * 1024
"""A Security Insights file is a few kilobytes; one beyond this is refused, not judged."""
SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class InsightsProblem:
    """One way the file fails its schema."""

    field: str
    """Where, as a path into the document (`project.administrators[0].email`), neutralised;
    '' for the document itself."""
    cause: str
    """What is wrong, in ospo-scan's words (never the file's own text)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.cause}" if self.field else self.cause


@dataclass(frozen=True)
class SecurityInsights:
    """A Security Insights file as read."""

    path: str
    """The file's path in the repository."""
    version: str | None
    """`header.schema-version` when it is one this scan has a schema for."""
    document: Mapping[str, Any]
    """The parsed document ({} when it is not a YAML mapping)."""
    problems: tuple[InsightsProblem, ...]
    """Why the file fails its schema; () when it is valid."""

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def evidence(self) -> Evidence:
        note = f"Security Insights {self.version}" if self.valid else "invalid"
        return Evidence(self.path, EvidenceSource.REPOSITORY, note)

    def value(self, *keys: str) -> Any:
        """The value at `keys` of a valid file (`value("project", "repositories")`); None when
        the file is invalid or does not say."""
        if not self.valid:
            return None
        current: Any = self.document
        for key in keys:
            if not isinstance(current, Mapping) or key not in current:
                return None
            current = current[key]
        return current

    def described_problems(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:SHOWN_PROBLEMS])
        more = len(self.problems) - SHOWN_PROBLEMS
        return shown + (f" (and {more} more)" if more > 0 else "")


def reporting_channels(insights: SecurityInsights) -> list[tuple[str, str]]:
    """(field, value) of each private vulnerability reporting channel a valid file names:
    `project.vulnerability-reporting` contact e-mail, policy and bug bounty pages (OSPS-VM-02.01,
    OSPS-VM-03.01). Empty when the project says it accepts no reports."""
    reporting = insights.value("project", "vulnerability-reporting")
    if not isinstance(reporting, Mapping) or reporting.get("reports-accepted") is not True:
        return []
    field = "project.vulnerability-reporting"
    found = []
    contact = reporting.get("contact")
    if isinstance(contact, Mapping) and isinstance(contact.get("email"), str):
        found.append((f"{field}.contact.email", str(contact["email"])))
    for key in ("policy", "security-policy", "bug-bounty-program"):
        if isinstance(reporting.get(key), str):
            found.append((f"{field}.{key}", str(reporting[key])))
    return found


def assessments(insights: SecurityInsights) -> list[Mapping[str, Any]]:
    """The security assessments a valid file records, the project's own first
    (`repository.security.assessments`; OSPS-SA-03.01)."""
    recorded = insights.value("repository", "security", "assessments")
    if not isinstance(recorded, Mapping):
        return []
    own = [recorded["self"]] if isinstance(recorded.get("self"), Mapping) else []
    others = recorded.get("third-party")
    return own + [a for a in others or [] if isinstance(a, Mapping)]


def find_insights_file(snapshot: Snapshot) -> str | None:
    """The path of the repository's Security Insights file, if it has one."""
    for directory in DIRECTORIES:
        for name in FILE_NAMES:
            entry = snapshot.find_file(f"{directory}/{name}" if directory else name)
            if entry is not None:
                return entry.path
    return None


def read_insights(snapshot: Snapshot) -> SecurityInsights | None:
    """The repository's Security Insights file, parsed and validated; None when it has none."""
    path = find_insights_file(snapshot)
    if path is None:
        return None
    text = snapshot.read_text(path, MAX_BYTES)
    if text is None or text.binary:
        return _refused(path, "the file could not be read as text")
    if text.truncated:
        return _refused(path, f"the file is larger than {MAX_BYTES // 1024} KiB")
    try:
        document = load_yaml(text.text)
    except YamlDataError as exc:
        return _refused(path, str(exc))
    if not isinstance(document, dict):
        return _refused(path, "the document is not a mapping of fields")
    version, problems = validate_insights(document)
    return SecurityInsights(path, version if not problems else None, document, problems)


def _refused(path: str, cause: str) -> SecurityInsights:
    return SecurityInsights(path, None, {}, (InsightsProblem("", cause),))


def security_insights(context: RuleContext) -> SecurityInsights | None:
    """The repository's Security Insights file, read once per repository for every rule."""
    return context.memo("security-insights", lambda: read_insights(context.snapshot))


def valid_insights(context: RuleContext) -> SecurityInsights | None:
    """The repository's Security Insights file when it is valid: what other rules may rely on."""
    found = security_insights(context)
    return found if found is not None and found.valid else None


def schema_for(version: str) -> str | None:
    """The shipped schema that checks a file declaring `version` (`2.1.3` -> `2.1.0`)."""
    parts = version.split(".")
    if len(parts) != 3:
        return None
    return next((v for v in SCHEMA_VERSIONS if v.split(".")[:2] == parts[:2]), None)


def validate_insights(
    document: Mapping[str, Any],
) -> tuple[str | None, tuple[InsightsProblem, ...]]:
    """The shipped schema version the document is checked against, and its problems."""
    header = document.get("header")
    declared = header.get("schema-version") if isinstance(header, Mapping) else None
    if declared is None:
        return None, (InsightsProblem("header.schema-version", "missing"),)
    if not isinstance(declared, str):
        cause = "must be a string such as 2.2.0 (quote it)"
        return None, (InsightsProblem("header.schema-version", cause),)
    version = schema_for(declared)
    if version is None:
        cause = (
            f"{neutralise(declared[:40])} is not a version this scan reads "
            f"({', '.join(SCHEMA_VERSIONS[:-1])} or {SCHEMA_VERSIONS[-1]})"
        )
        return None, (InsightsProblem("header.schema-version", cause),)
    errors = _validator(version).iter_errors(document)
    problems = sorted({p for error in errors for p in _problems(error)}, key=_order)
    return version, tuple(problems)


def _order(problem: InsightsProblem) -> tuple[str, str]:
    return problem.field, problem.cause


@cache
def _schema(version: str) -> dict[str, Any]:
    text = (files("ospo_scan") / "schema" / "security-insights" / f"v{version}.json").read_text(
        encoding="utf-8"
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _rejects_pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's `pattern` in RE2, the dialect CUE's `=~` is written in: linear in the text."""
    if isinstance(instance, str) and _compiled(pattern).search(instance) is None:
        yield ValidationError(f"does not match {pattern}")


@cache
def _compiled(pattern: str) -> Any:
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options)


_Validator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _rejects_pattern}
)


@cache
def _validator(version: str) -> Any:
    return _Validator(_schema(version), format_checker=Draft202012Validator.FORMAT_CHECKER)


_PATTERN_CAUSES = {
    "^https?://[^\\s]+$": "must be an http(s) URL without spaces",
    "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$": "must be an e-mail address",
    "^[1-9]+\\.[0-9]+\\.[0-9]+$": "must be a version such as 2.2.0",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "must be a date written YYYY-MM-DD",
}


def _field(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + neutralise(str(part))[:60]
    return text


def _problems(error: ValidationError) -> list[InsightsProblem]:
    where = _field(list(error.absolute_path))
    joined = (where + ".") if where else ""
    keyword, instance = str(error.validator), error.instance
    expected: Any = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "required" and isinstance(instance, Mapping):
        return [InsightsProblem(joined + k, "missing") for k in expected if k not in instance]
    if keyword == "additionalProperties" and isinstance(instance, Mapping):
        known = set(schema.get("properties", {}))
        return [
            InsightsProblem(joined + neutralise(str(k))[:60], "is not a field of this version")
            for k in instance
            if k not in known
        ]
    if keyword == "type":
        wanted = {
            "string": "text",
            "boolean": "true or false",
            "array": "a list",
            "object": "a mapping of fields",
        }
        return [InsightsProblem(where, f"must be {wanted.get(str(expected), str(expected))}")]
    if keyword == "pattern":
        return [InsightsProblem(where, _PATTERN_CAUSES.get(str(expected), "has the wrong form"))]
    if keyword == "format":
        return [InsightsProblem(where, "must be a date written YYYY-MM-DD")]
    if keyword in ("enum", "const"):
        allowed = expected if isinstance(expected, list) else [expected]
        return [InsightsProblem(where, f"must be one of {', '.join(map(str, allowed))}")]
    if keyword == "minItems":
        return [InsightsProblem(where, f"must list at least {expected}")]
    if keyword == "items" and expected is False:
        return [InsightsProblem(where, "lists more than allowed")]
    return [InsightsProblem(where, f"fails the schema's {keyword} check")]
