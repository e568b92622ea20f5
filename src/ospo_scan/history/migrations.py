"""The history store's schema, as numbered migrations applied in order.

`PRAGMA user_version` holds how many migrations a store has had; `PRAGMA application_id` marks the
file as an ospo-scan store, so a SQLite file of any other program is recognised and left alone.
A migration is only ever appended: a released one is never edited.
"""

from __future__ import annotations

APPLICATION_ID = 0x4F53504F
"""`OSPO` in ASCII: the SQLite application id of every ospo-scan history store."""

MIGRATIONS: tuple[str, ...] = (
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
