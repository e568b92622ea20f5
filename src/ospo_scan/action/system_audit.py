"""The steps of the reusable system audit workflow (`.github/workflows/system-audit.yml`).

`python -m ospo_scan.action.system_audit plan` reads the workflow's `entities` input (JSON, from the
`OSPO_SCAN_ENTITIES` environment variable) and writes the scan matrix to `GITHUB_OUTPUT`: one
job per entity, or per shard of an entity that asks for several. After the scan jobs,
`python -m ospo_scan.action.system_audit survey SHARDS OUT` merges each entity's shards (downloaded
artefacts under SHARDS, with the ruleset `OSPO_SCAN_RULESET` names), writes one report per entity
and the readiness survey of them all under OUT, and appends the survey to `GITHUB_STEP_SUMMARY`.

```json
[{"name": "UNICEF", "targets": ["github:unicef"], "entity-file": "entities/unicef.toml",
  "token-secret": "UNICEF_TOKEN", "shards": 4},
 {"name": "UNDP", "targets": ["github:undp", "gitlab:undp"],
  "github-token-secret": "UNDP_GITHUB", "gitlab-token-secret": "UNDP_GITLAB"}]
```

A token only goes to its own host: each matrix row names the secret of the GitHub token only when
the entity has targets on GitHub, and of the GitLab token only when it has some on GitLab.

Inputs come from environment variables, never from text interpolated into a shell script.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.config import DEFAULT_RULESET, Ruleset, load_ruleset
from ospo_scan.connectors.interface import TargetKind
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.formats.json import format_json
from ospo_scan.report.loader import read_report
from ospo_scan.report.merge import merge_shards
from ospo_scan.scan.entities import counting_for
from ospo_scan.scan.targets import parse_target
from ospo_scan.survey.compute import build_survey
from ospo_scan.survey.formats import SurveyFormat, survey_formatter
from ospo_scan.survey.inputs import collect
from ospo_scan.untrusted.display import neutralise

EXIT_INCOMPLETE = 3

MAX_SHARDS = 64
MAX_JOBS = 256
"""GitHub Actions runs at most 256 jobs of one matrix."""
_KEYS = (
    "name",
    "targets",
    "entity-file",
    "token-secret",
    "github-token-secret",
    "gitlab-token-secret",
    "shards",
)
_DEFAULT_SECRETS = {TargetKind.GITHUB: "GITHUB_TOKEN", TargetKind.GITLAB: "GITLAB_TOKEN"}
"""The secret each host kind's token is read from when the entity names none."""
_SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class AuditedEntity:
    """One entity of the system audit, as the caller's `entities` input describes it."""

    name: str
    """The entity's name (also its artefacts' names)."""
    targets: tuple[str, ...]
    """What `ospo-scan scan` is given."""
    entity_file: str | None
    """Its profile in the caller's repository (answers, contacts), if any."""
    github_token_secret: str | None
    """The secret holding its GitHub token; None when no target is on GitHub."""
    gitlab_token_secret: str | None
    """The secret holding its GitLab token; None when no target is on GitLab."""
    shards: int
    """How many jobs scan it."""

    @property
    def slug(self) -> str:
        return _SLUG.sub("-", self.name).strip("-").lower() or "entity"


def parse_entities(text: str) -> tuple[AuditedEntity, ...]:
    """The `entities` input; UsageError names the entity and key of the first problem."""
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"entities: not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(document, list) or not document:
        raise UsageError("entities: expected a non-empty JSON list of entities")
    entities = tuple(_entity(item, index) for index, item in enumerate(document, start=1))
    slugs = [entity.slug for entity in entities]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise UsageError(f"entities: two entities share the name {duplicates[0]!r}")
    return entities


def scan_matrix(entities: Sequence[AuditedEntity]) -> list[dict[str, str]]:
    """One matrix row per entity shard, each with what its scan job needs."""
    rows = [
        {
            "name": entity.name,
            "slug": entity.slug,
            "targets": json.dumps(list(entity.targets)),
            "entity-file": entity.entity_file or "",
            "github-token-secret": entity.github_token_secret or "",
            "gitlab-token-secret": entity.gitlab_token_secret or "",
            "shard": f"{index}/{entity.shards}" if entity.shards > 1 else "",
            "artefact": artefact_name(entity, index),
        }
        for entity in entities
        for index in range(1, entity.shards + 1)
    ]
    if len(rows) > MAX_JOBS:
        raise UsageError(f"entities: {len(rows)} scan jobs, more than GitHub's {MAX_JOBS}")
    return rows


def artefact_name(entity: AuditedEntity, index: int) -> str:
    """The artefact of an entity's `index`-th scan job; the name gives back slug, index and count
    (read from the right), so no two jobs share one."""
    return f"report-{entity.slug}-{index}-of-{entity.shards}"


def _entity(item: Any, index: int) -> AuditedEntity:
    where = f"entities[{index}]"
    if not isinstance(item, dict):
        raise UsageError(f"{where}: expected an object with {', '.join(_KEYS)}")
    unknown = sorted(set(item) - set(_KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
    name = _text(item, "name", where)
    targets = item.get("targets")
    if isinstance(targets, str):
        targets = targets.split()
    if (
        not isinstance(targets, list)
        or not targets
        or not all(isinstance(t, str) and t for t in targets)
    ):
        raise UsageError(f"{where}.targets: expected a target or a list of targets")
    secrets = _token_secrets(item, tuple(targets), where)
    shards = item.get("shards", 1)
    if isinstance(shards, bool) or not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
        raise UsageError(f"{where}.shards: expected a whole number from 1 to {MAX_SHARDS}")
    entity_file = item.get("entity-file")
    if entity_file is not None:
        entity_file = _text(item, "entity-file", where)
    return AuditedEntity(
        name,
        tuple(targets),
        entity_file,
        secrets.get(TargetKind.GITHUB),
        secrets.get(TargetKind.GITLAB),
        shards,
    )


def _token_secrets(
    item: Mapping[str, Any], targets: tuple[str, ...], where: str
) -> dict[TargetKind, str]:
    """The secret of each host kind the targets are on, and of no other: a token is only ever
    exported to the host it belongs to."""
    try:
        hosts = {parse_target(target).kind for target in targets} - {TargetKind.LOCAL}
    except UsageError as exc:
        raise UsageError(f"{where}.targets: {exc.one_line()}") from exc
    named: dict[TargetKind, str] = {}
    for kind in _DEFAULT_SECRETS:
        key = f"{kind.value}-token-secret"
        if key in item:
            named[kind] = _secret_name(item, key, where)
    shared = _secret_name(item, "token-secret", where) if "token-secret" in item else None
    if shared is not None and named:
        raise UsageError(
            f"{where}: token-secret and {'/'.join(f'{k.value}-token-secret' for k in named)} "
            "both given; name one secret per host"
        )
    if shared is not None and len(hosts) > 1:
        raise UsageError(
            f"{where}.token-secret: the targets are on GitHub and GitLab, which never share a "
            "token; give github-token-secret and gitlab-token-secret instead"
        )
    unused = sorted(kind.value for kind in named if kind not in hosts)
    if unused:
        raise UsageError(f"{where}.{unused[0]}-token-secret: no target is on {unused[0]}")
    secrets = dict(named)
    for kind in hosts:
        secrets.setdefault(kind, shared or _DEFAULT_SECRETS[kind])
    return secrets


def _secret_name(item: Mapping[str, Any], key: str, where: str) -> str:
    secret = item.get(key)
    if not isinstance(secret, str) or not _SECRET_NAME.fullmatch(secret):
        raise UsageError(f"{where}.{key}: expected the name of a secret")
    return secret


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}.{key}: expected a non-empty string")
    return value


def survey_step(
    entities: Sequence[AuditedEntity],
    shards: Path,
    out: Path,
    ruleset_spec: str = DEFAULT_RULESET,
    survey_year: int | None = None,
) -> list[str]:
    """Merge each entity's shards, write its report and the survey; returns what is missing.

    Each entity's artefacts are looked up by their exact names (`artefact_name`), never by a
    prefix, so one entity's name starting another's ("UN", "UN Women") takes nothing of the
    other's. Shards are merged with the ruleset the scan jobs were given (`ruleset_spec`, a
    bundled id or a ruleset file in the caller's repository), loaded once. With a `survey_year`,
    every report counts for that year (as `scan --survey-year`), else for its profile's or its
    audit's year.
    """
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    ruleset: Ruleset | None = None
    for entity in entities:
        found = [
            path
            for index in range(1, entity.shards + 1)
            if (path := shards / artefact_name(entity, index) / "report.json").is_file()
        ]
        if not found:
            problems.append(f"{entity.name}: no report (its scan jobs failed)")
            continue
        loaded = [(str(path), read_report(path)) for path in found]
        report = loaded[0][1]
        if entity.shards > 1:
            ruleset = ruleset or load_ruleset(ruleset_spec)
            merged = merge_shards(loaded, ruleset)
            report = merged.report
            problems.extend(f"{entity.name}: shard {shard} missing" for shard in merged.missing)
        if survey_year is not None:
            report = counting_for(report, survey_year)
        (reports_dir / f"{entity.slug}.json").write_text(format_json(report), encoding="utf-8")
    inputs = collect([str(reports_dir), *(e.entity_file for e in entities if e.entity_file)])
    survey = build_survey(inputs.scans, inputs.answers)
    for fmt, name in (
        (SurveyFormat.MARKDOWN, "survey.md"),
        (SurveyFormat.HTML, "survey.html"),
        (SurveyFormat.CSV, "survey.csv"),
        (SurveyFormat.JSON, "survey.json"),
    ):
        (out / name).write_text(survey_formatter(fmt)(survey), encoding="utf-8", newline="")
    return problems


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    try:
        entities = parse_entities(env.get("OSPO_SCAN_ENTITIES", ""))
        match list(argv):
            case ["plan"]:
                matrix = json.dumps({"include": scan_matrix(entities)}, separators=(",", ":"))
                _append(env.get("GITHUB_OUTPUT"), f"matrix={matrix}\n")
                return 0
            case ["survey", shards, out]:
                ruleset = env.get("OSPO_SCAN_RULESET", "").strip() or DEFAULT_RULESET
                year = parse_survey_year(env.get("OSPO_SCAN_SURVEY_YEAR", ""))
                problems = survey_step(entities, Path(shards), Path(out), ruleset, year)
                summary = (Path(out) / "survey.md").read_text(encoding="utf-8")
                notes = "".join(f"- {neutralise(p)}\n" for p in problems)
                _append(env.get("GITHUB_STEP_SUMMARY"), summary + (f"\n{notes}" if notes else ""))
                for problem in problems:
                    print(f"ospo-scan: warning: {neutralise(problem)}", file=sys.stderr)
                return EXIT_INCOMPLETE if problems else 0
    except OspoScanError as exc:
        print(f"ospo-scan: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    print(
        "usage: python -m ospo_scan.action.system_audit plan | survey SHARDS OUT", file=sys.stderr
    )
    return 2


def parse_survey_year(text: str) -> int | None:
    """The workflow's `survey-year` input: a year, or empty for the year of each audit."""
    if not text.strip():
        return None
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise UsageError(f"survey-year: expected a year such as 2025, not {text.strip()!r}")
    return int(text)


def _append(path: str | None, text: str) -> None:
    """Append to a GitHub Actions file (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), or print."""
    if not path:
        sys.stdout.write(text)
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
