"""The system audit's memory and site: each entity's reports kept between runs, published.

`python -m ospo_scan.action.system_publish SURVEY SITE` runs after the survey step wrote each
entity's merged report under SURVEY/reports. For each entity it fetches the history branch (the
Action's, `OSPO_SCAN_HISTORY_BRANCH`, default `ospo-scan-history`), rebuilds a history store from
the reports kept under `system-audit/SLUG/`, adds this run's report to the branch and the store,
and then builds the site of every kept audit with `ospo-scan site` into SITE.

A branch keeps the reports because it lasts as long as the repository (an artifact expires, a
cache entry unused for a week is evicted) and each run adds one file per entity, so concurrent
runs never conflict. A failure to fetch or push is a warning, never a failed audit: the site is
then built from what could be restored and this run's reports.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ospo_scan.action.history import (
    GitFailed,
    HistoryPlace,
    Restored,
    audit_name,
    restore,
    save,
)
from ospo_scan.action.system_audit import AuditedEntity, parse_entities
from ospo_scan.config import DEFAULT_RULESET
from ospo_scan.errors import OspoScanError
from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.report.loader import parse_report
from ospo_scan.untrusted.display import neutralise

HISTORY_DIRECTORY = "system-audit"
"""The directory on the history branch holding a directory of reports per entity slug."""


def entity_place(env: Mapping[str, str], entity: AuditedEntity) -> HistoryPlace:
    """Where the entity's audits are kept: its own directory on the branch, its own working copy
    and store."""
    temp = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    return replace(
        HistoryPlace.from_environment(env, entity.targets),
        directory=f"{HISTORY_DIRECTORY}/{entity.slug}",
        checkout=temp / "ospo-scan-system-history" / entity.slug,
        store=temp / "ospo-scan-system-stores" / f"{entity.slug}.sqlite3",
    )


def remember(env: Mapping[str, str], entity: AuditedEntity, report: Path) -> Path:
    """Restore the entity's kept audits into its store, add this run's report to the branch and
    to the store; returns the store. Every failure of the branch is a printed warning."""
    place = entity_place(env, entity)
    place.store.parent.mkdir(parents=True, exist_ok=True)
    place.store.unlink(missing_ok=True)
    restored = restore(place, env)
    _note(entity, restored)
    if not restored.usable:
        # whatever a failed rebuild left is not this entity's history
        place.store.unlink(missing_ok=True)
    else:
        try:
            print(
                f"{neutralise(entity.name)}: "
                + save(place, env, report, audit_name(report, env.get("GITHUB_RUN_ID", ""))),
                flush=True,
            )
        except GitFailed as exc:
            _warn(f"{entity.name}: this audit could not be saved to branch {place.branch}: {exc}")
    text = report.read_text(encoding="utf-8")
    with open_store(place.store) as store:
        store.record_scan(parse_report(text, origin=str(report)), text, format_json)
    return place.store


def publish_step(
    entities: Sequence[AuditedEntity],
    survey: Path,
    site: Path,
    env: Mapping[str, str],
) -> int:
    """Remember each entity's report and build the site; the site command's exit code."""
    stores = [
        remember(env, entity, report)
        for entity in entities
        if (report := survey / "reports" / f"{entity.slug}.json").is_file()
    ]
    if not stores:
        _warn("no entity has a report this run; no site built")
        return 0
    command = [sys.executable, "-m", "ospo_scan", "site"]
    for store in stores:
        command += ["--history", str(store)]
    command += [entity.entity_file for entity in entities if entity.entity_file]
    command += ["--output", str(site)]
    command += ["--ruleset", env.get("OSPO_SCAN_RULESET", "").strip() or DEFAULT_RULESET]
    if env.get("OSPO_SCAN_SITE_INCLUDE_PRIVATE", "").strip().lower() == "true":
        command += ["--include-private"]
    built = subprocess.run(command, check=False).returncode
    if built == 0:
        _append(env.get("GITHUB_OUTPUT"), "site=true\n")
    return built


def _note(entity: AuditedEntity, restored: Restored) -> None:
    line = f"{entity.name}: {restored.note}"
    if restored.usable:
        print(neutralise(line), flush=True)
    else:
        _warn(line)
    for skipped in restored.skipped:
        _warn(f"{entity.name}: a kept report was skipped: {skipped}")


def _warn(text: str) -> None:
    print(f"::warning title=ospo-scan history::{neutralise(text)}", flush=True)


def _append(path: str | None, text: str) -> None:
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(text)


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    try:
        entities = parse_entities(env.get("OSPO_SCAN_ENTITIES", ""))
        match list(argv):
            case [survey, site]:
                return publish_step(entities, Path(survey), Path(site), env)
    except OspoScanError as exc:
        print(f"ospo-scan: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    print("usage: python -m ospo_scan.action.system_publish SURVEY SITE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
