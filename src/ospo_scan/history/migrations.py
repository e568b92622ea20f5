"""The history store's schema, as numbered migrations applied in order.

`PRAGMA user_version` holds how many migrations a store has had; `PRAGMA application_id` marks the
file as an ospo-scan store, so a SQLite file of any other program is recognised and left alone.
A migration is only ever appended: a released one is never edited. A migration is SQL, or a
function for what SQL cannot do (reading the recorded reports' JSON).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable

Migration = str | Callable[[sqlite3.Connection], None]

APPLICATION_ID = 0x4F53504F
"""`OSPO` in ASCII: the SQLite application id of every ospo-scan history store."""


def _from_reports(db: sqlite3.Connection) -> None:
    """Migration 3: fill the columns of migration 2 from each recorded report's JSON."""
    rows = db.execute("SELECT id, report FROM scans WHERE entity_summary IS NULL").fetchall()
    for scan_id, report in rows:
        document = json.loads(zlib.decompress(report))
        entity = document.get("entity", {})
        db.execute(
            "UPDATE scans SET entity_summary = ?, survey_year = ? WHERE id = ?",
            (entity_summary(entity), entity.get("survey_year"), scan_id),
        )
        db.executemany(
            "UPDATE scan_repositories SET visibility = ? WHERE scan_id = ? AND repository_id = "
            "(SELECT id FROM repositories WHERE name = ?)",
            (
                (repo["visibility"], scan_id, repo["name"])
                for repo in document.get("repositories", ())
                if repo.get("visibility") is not None
            ),
        )


def entity_summary(entity: object) -> bytes:
    """How `scans.entity_summary` keeps a report's `entity` object: compressed JSON."""
    return zlib.compress(json.dumps(entity, ensure_ascii=False).encode("utf-8"), 3)


MIGRATIONS: tuple[Migration, ...] = (
    # 1: scans with their report, and the outcomes history queries read without parsing reports
    """
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        entity TEXT NOT NULL,
        source TEXT NOT NULL,
        ruleset TEXT NOT NULL,
        ruleset_version TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        score REAL,
        level TEXT,
        repositories INTEGER NOT NULL,
        in_scope INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        report BLOB NOT NULL
    );
    CREATE INDEX scans_by_entity ON scans (entity, ruleset, id);
    CREATE TABLE repositories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE scan_repositories (
        scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        repository_id INTEGER NOT NULL REFERENCES repositories (id),
        status TEXT NOT NULL,
        in_scope INTEGER NOT NULL,
        score REAL,
        commit_id TEXT,
        PRIMARY KEY (scan_id, repository_id)
    ) WITHOUT ROWID;
    CREATE TABLE results (
        scan_id INTEGER NOT NULL,
        repository_id INTEGER NOT NULL,
        rule_id INTEGER NOT NULL REFERENCES rules (id),
        outcome INTEGER NOT NULL,
        PRIMARY KEY (scan_id, repository_id, rule_id),
        FOREIGN KEY (scan_id, repository_id)
            REFERENCES scan_repositories (scan_id, repository_id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE rule_rates (
        scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        rule_id INTEGER NOT NULL REFERENCES rules (id),
        pass_rate REAL,
        PRIMARY KEY (scan_id, rule_id)
    ) WITHOUT ROWID;
    """,
    # 2: what a site of many audits reads without parsing their reports: each repository's
    # visibility, the entity part of the report, and each rule's tally over the in-scope
    # repositories scanned (passing or exempt, of those where it applied)
    """
    ALTER TABLE scans ADD COLUMN survey_year INTEGER;
    ALTER TABLE scans ADD COLUMN entity_summary BLOB;
    ALTER TABLE scan_repositories ADD COLUMN visibility TEXT;
    CREATE TABLE rule_tallies (
        scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        rule_id INTEGER NOT NULL REFERENCES rules (id),
        passing INTEGER NOT NULL,
        applied INTEGER NOT NULL,
        PRIMARY KEY (scan_id, rule_id)
    ) WITHOUT ROWID;
    INSERT INTO rule_tallies (scan_id, rule_id, passing, applied)
        SELECT r.scan_id, r.rule_id, sum(r.outcome IN (0, 1)), count(*)
        FROM results r JOIN scan_repositories s
            ON s.scan_id = r.scan_id AND s.repository_id = r.repository_id
        WHERE s.in_scope AND s.status = 'ok' AND r.outcome IN (0, 1, 2, 3)
        GROUP BY r.scan_id, r.rule_id;
    """,
    _from_reports,
)

LATEST_VERSION = len(MIGRATIONS)
"""The schema version this ospo-scan writes."""

OUTCOME_CODES: dict[str, int] = {
    "pass": 0,
    "exempt": 1,
    "partial": 2,
    "fail": 3,
    "not-applicable": 4,
    "error": 5,
    "unknown": 6,
}
"""How outcomes are stored in `results.outcome` (fixed: stored data depends on it)."""

OUTCOME_NAMES: dict[int, str] = {code: name for name, code in OUTCOME_CODES.items()}
