"""A store written before the site's tables (schema 1) is migrated when opened: each
repository's visibility, the entity part of each report and each rule's tally are filled in
from the reports it kept, exactly as recording them now fills them."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from ospo_scan.formats.json import format_json
from ospo_scan.history.audits import (
    audit_records,
    entity_summary,
    repositories,
    rule_tallies,
)
from ospo_scan.history.migrations import LATEST_VERSION, MIGRATIONS
from ospo_scan.history.store import open_store
from ospo_scan.model import Outcome, Report
from tests.history.reports import dated, scan

ROOT = Path(__file__).resolve().parents[2]

_SITE_TABLES = """
ALTER TABLE scans DROP COLUMN survey_year;
ALTER TABLE scans DROP COLUMN entity_summary;
ALTER TABLE scan_repositories DROP COLUMN visibility;
DROP TABLE rule_tallies;
PRAGMA user_version = 1;
"""


@pytest.fixture(scope="module")
def report() -> Report:
    scanned = scan(ROOT / "fixtures" / "noncompliant")
    return replace(
        scanned,
        repositories=tuple(
            replace(r, visibility="public" if n == 0 else "private")
            for n, r in enumerate(scanned.repositories)
        ),
    )


def _figures(path: Path) -> tuple[object, ...]:
    store = open_store(path, create=False)
    assert store is not None
    with store:
        records = audit_records(store)
        ids = [r.scan_id for r in records]
        return (
            [(r.entity, r.started, r.survey_year) for r in records],
            rule_tallies(store),
            {i: sorted(repositories(store, ids)[i], key=lambda r: r.name) for i in ids},
            [entity_summary(store, i) for i in ids],
        )


def test_a_schema_1_store_is_migrated_when_read(tmp_path: Path, report: Report) -> None:
    recorded, older = tmp_path / "recorded.sqlite3", tmp_path / "older.sqlite3"
    for path in (recorded, older):
        with open_store(path) as store:
            for started in ("2026-01-05T06:00:00Z", "2026-01-12T06:00:00Z"):
                audit = dated(report, started)
                store.record(audit, format_json(audit))
    db = sqlite3.connect(older)
    db.executescript(_SITE_TABLES)
    db.close()
    assert _version(older) == 1

    assert _figures(older) == _figures(recorded)  # opened to read, and migrated first
    assert _version(older) == LATEST_VERSION == len(MIGRATIONS)
    figures = _figures(recorded)
    names = [r.name for r in report.repositories]
    visibilities = [(r.name, r.visibility) for r in figures[2][1]]  # type: ignore[index]
    assert sorted(visibilities) == sorted(
        (name, "public" if n == 0 else "private") for n, name in enumerate(names)
    )
    readme = [
        next(x.outcome for x in r.results if x.rule == "readme")
        for r in report.repositories
        if r.in_scope and r.results
    ]
    passing = sum(outcome in (Outcome.PASS, Outcome.EXEMPT) for outcome in readme)
    applied = sum(outcome.counts for outcome in readme)
    assert figures[1][1]["readme"] == (passing, applied)  # type: ignore[index]


def _version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()
