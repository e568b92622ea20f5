"""The history store: one SQLite file holding every recorded scan.

A scan is recorded in one transaction, so a process killed part-way leaves the store as it was.
The store runs in WAL mode with a busy timeout, so several scans can record into one file at
once. Before anything is written the file is checked: a file that is not an ospo-scan store, or
one made by a newer ospo-scan, is refused (`StoreError`, exit 2) and never modified.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, overload

from ospo_scan.history.checks import BUSY_TIMEOUT_SECONDS, StoreError, check_store
from ospo_scan.history.migrations import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    OUTCOME_CODES,
    OUTCOME_NAMES,
    entity_summary,
)
from ospo_scan.history.records import ScanRecord
from ospo_scan.model import Outcome, Report, RepoStatus
from ospo_scan.scan.entities import entity_parts

_OUTCOMES = {code: Outcome(name) for code, name in OUTCOME_NAMES.items()}
_NAMES_PER_QUERY = 500
"""Names looked up per query (SQLite allows 999 parameters in older versions)."""
_COMPRESSION_LEVEL = 3
"""Reports are repetitive: zlib's fast levels shrink them 30-fold at twice the speed of level 6."""
_SCAN_COLUMNS = (
    "id, started, entity, ruleset, ruleset_version, score, level, repositories, errors, source"
)

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _damage_is_a_store_error(
    method: Callable[Concatenate[HistoryStore, _P], _T],
) -> Callable[Concatenate[HistoryStore, _P], _T]:
    """SQLite finds most damage only when a page is read: say so in one line, as opening does."""

    def guarded(store: HistoryStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return method(store, *args, **kwargs)
        except (sqlite3.DatabaseError, KeyError) as exc:
            reason = exc if isinstance(exc, sqlite3.DatabaseError) else "a row refers to nothing"
            message = f"history store {store.path} is damaged or unreadable: {reason}"
            raise StoreError(message) from exc

    return guarded


class HistoryStore:
    """An open history store. Use `open_store` to get one."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so concurrent writers queue instead of failing."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(self, report: Report, report_json: str, *, uid: str | None = None) -> int:
        """Record a scan (its report and the JSON text written for it); the new scan's id.

        `uid` identifies the scan across stores (by default a digest of its JSON text): recording
        one already present returns its id.
        """
        with self._transaction() as db:
            return self._insert(db, report, report_json, uid)

    def record_scan(
        self, report: Report, report_json: str, json_of: Callable[[Report], str]
    ) -> tuple[int, ...]:
        """Record a scan as its entities' history sees it, whole or not at all: a scan of several
        entities is one record per entity (its part, written by `json_of`), so each entity's
        history, trends and regressions include it; a scan of one entity is its report as
        written. The ids of the records."""
        parts = entity_parts(report)
        texts = [report_json] if len(parts) == 1 else [json_of(part) for part in parts]
        with self._transaction() as db:
            return tuple(
                self._insert(db, part, text, None) for part, text in zip(parts, texts, strict=True)
            )

    def _insert(
        self, db: sqlite3.Connection, report: Report, report_json: str, uid: str | None
    ) -> int:
        uid = uid or hashlib.sha256(report_json.encode("utf-8")).hexdigest()
        scan = report.scan
        started = scan.started if scan else ""
        known = db.execute("SELECT id FROM scans WHERE uid = ?", (uid,)).fetchone()
        if known:
            return int(known[0])
        cursor = db.execute(
            "INSERT INTO scans (uid, started, finished, entity, source, ruleset, "
            "ruleset_version, tool_version, score, level, repositories, in_scope, errors, "
            "report, survey_year, entity_summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uid,
                started,
                scan.finished if scan else "",
                report.entity.name,
                report.entity.source,
                report.ruleset.id,
                report.ruleset.version,
                report.tool_version,
                report.entity.score,
                report.entity.level,
                report.summary.repositories,
                report.summary.in_scope,
                report.summary.errors,
                zlib.compress(report_json.encode("utf-8"), _COMPRESSION_LEVEL),
                report.entity.survey_year,
                entity_summary(json.loads(report_json).get("entity", {})),
            ),
        )
        scan_id = int(cursor.lastrowid or 0)
        self._record_outcomes(db, scan_id, report)
        return scan_id

    def _record_outcomes(self, db: sqlite3.Connection, scan_id: int, report: Report) -> None:
        repository_ids = _ids(db, "repositories", (r.name for r in report.repositories))
        rule_ids = _ids(
            db,
            "rules",
            [
                *(res.rule for r in report.repositories for res in r.results),
                *report.summary.rule_pass_rates,
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO scan_repositories (scan_id, repository_id, status, "
            "in_scope, score, commit_id, visibility) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    scan_id,
                    repository_ids[r.name],
                    r.status.value,
                    r.in_scope,
                    r.score,
                    r.commit,
                    r.visibility,
                )
                for r in report.repositories
            ),
        )
        db.executemany(
            "INSERT OR IGNORE INTO results (scan_id, repository_id, rule_id, outcome) "
            "VALUES (?, ?, ?, ?)",
            (
                (scan_id, repository_ids[r.name], rule_ids[res.rule], OUTCOME_CODES[res.outcome])
                for r in report.repositories
                for res in r.results
            ),
        )
        db.executemany(
            "INSERT INTO rule_rates (scan_id, rule_id, pass_rate) VALUES (?, ?, ?)",
            (
                (scan_id, rule_ids[rule], rate)
                for rule, rate in report.summary.rule_pass_rates.items()
            ),
        )
        db.executemany(
            "INSERT INTO rule_tallies (scan_id, rule_id, passing, applied) VALUES (?, ?, ?, ?)",
            (
                (scan_id, rule_ids[rule], passing, applied)
                for rule, (passing, applied) in _tallies(report).items()
            ),
        )

    @_damage_is_a_store_error
    def scans(self, entity: str | None = None) -> list[ScanRecord]:
        """Recorded scans, oldest first; of one entity when `entity` is given."""
        query = f"SELECT {_SCAN_COLUMNS} FROM scans"
        parameters: tuple[str, ...] = ()
        if entity is not None:
            query += " WHERE entity = ?"
            parameters = (entity,)
        rows = self._db.execute(query + " ORDER BY id", parameters).fetchall()
        return [ScanRecord(*row) for row in rows]

    @_damage_is_a_store_error
    def query(self, query: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read query (for `history.audits`, which reads many audits at once)."""
        return self._db.execute(query, parameters).fetchall()

    @_damage_is_a_store_error
    def scan(self, scan_id: int) -> ScanRecord | None:
        row = self._db.execute(
            f"SELECT {_SCAN_COLUMNS} FROM scans WHERE id = ?", (scan_id,)
        ).fetchone()
        return ScanRecord(*row) if row else None

    @_damage_is_a_store_error
    def earlier(self, entity: str, ruleset: str) -> list[ScanRecord]:
        """The scans of an entity with a ruleset, oldest first."""
        rows = self._db.execute(
            f"SELECT {_SCAN_COLUMNS} FROM scans WHERE entity = ? AND ruleset = ? ORDER BY id",
            (entity, ruleset),
        ).fetchall()
        return [ScanRecord(*row) for row in rows]

    @_damage_is_a_store_error
    def report_json(self, scan_id: int) -> str | None:
        """The JSON text written for a scan, exactly; None for an unknown id."""
        row = self._db.execute("SELECT report FROM scans WHERE id = ?", (scan_id,)).fetchone()
        if row is None:
            return None
        try:
            return zlib.decompress(row[0]).decode("utf-8")
        except (zlib.error, UnicodeDecodeError, TypeError) as exc:
            raise StoreError(f"history store {self.path}: scan {scan_id} is damaged") from exc

    @_damage_is_a_store_error
    def outcomes(self, scan_id: int) -> dict[str, dict[str, Outcome]]:
        """Per repository of a scan, its outcome per rule (repositories without results too)."""
        repositories = dict(
            self._db.execute(
                "SELECT r.id, r.name FROM scan_repositories s JOIN repositories r "
                "ON r.id = s.repository_id WHERE s.scan_id = ?",
                (scan_id,),
            ).fetchall()
        )
        rules = dict(self._db.execute("SELECT id, name FROM rules").fetchall())
        found: dict[str, dict[str, Outcome]] = {name: {} for name in repositories.values()}
        rows = self._db.execute(
            "SELECT repository_id, rule_id, outcome FROM results WHERE scan_id = ?", (scan_id,)
        )
        for repository, rule, outcome in rows:
            found[repositories[repository]][rules[rule]] = _OUTCOMES[outcome]
        return found

    @_damage_is_a_store_error
    def repository_scores(self, scan_id: int) -> dict[str, float | None]:
        return dict(
            self._db.execute(
                "SELECT r.name, s.score FROM scan_repositories s JOIN repositories r "
                "ON r.id = s.repository_id WHERE s.scan_id = ?",
                (scan_id,),
            ).fetchall()
        )

    @_damage_is_a_store_error
    def rule_rates(self, scan_id: int) -> dict[str, float | None]:
        return dict(
            self._db.execute(
                "SELECT u.name, t.pass_rate FROM rule_rates t JOIN rules u ON u.id = t.rule_id "
                "WHERE t.scan_id = ?",
                (scan_id,),
            ).fetchall()
        )


def _tallies(report: Report) -> dict[str, tuple[int, int]]:
    """Per rule: in-scope repositories scanned that pass it (or are exempt), and those where it
    applied (the survey's tally)."""
    tallies: dict[str, tuple[int, int]] = {}
    for repo in report.repositories:
        if not repo.in_scope or repo.status is not RepoStatus.OK:
            continue
        for result in repo.results:
            if result.outcome.counts:
                passing, applied = tallies.get(result.rule, (0, 0))
                passed = result.outcome in (Outcome.PASS, Outcome.EXEMPT)
                tallies[result.rule] = (passing + passed, applied + 1)
    return tallies


def _ids(db: sqlite3.Connection, table: str, names: Iterable[str]) -> dict[str, int]:
    """The ids of names in a name table (`repositories`, `rules`), adding the missing ones."""
    wanted = list(dict.fromkeys(names))
    db.executemany(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)", ((n,) for n in wanted))
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), _NAMES_PER_QUERY):
        chunk = wanted[start : start + _NAMES_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT name, id FROM {table} WHERE name IN ({marks})"
        ids.update(db.execute(query, chunk).fetchall())
    return ids


@overload
def open_store(path: Path, *, create: Literal[True] = True) -> HistoryStore: ...


@overload
def open_store(path: Path, *, create: bool) -> HistoryStore | None: ...


def open_store(path: Path, *, create: bool = True) -> HistoryStore | None:
    """Open the store at `path`, migrating a store of an earlier version (and creating one,
    when `create`).

    Without `create`, a store that does not exist yet gives None: there is no history to read.
    Raises StoreError for a file that is not a usable ospo-scan store.
    """
    check_store(path)
    if not create and not path.exists():
        return None
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open history store {path}: {exc}") from exc
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        if not create and connection.execute("PRAGMA user_version").fetchone()[0] == 0:
            connection.close()
            return None  # an empty file: nothing to read
        _prepare(connection)  # a store of an earlier version is migrated before it is read
    except sqlite3.Error as exc:
        connection.close()
        raise StoreError(f"history store {path} cannot be used: {exc}") from exc
    return HistoryStore(path, connection)


def memory_store() -> HistoryStore:
    """A new store in memory: reports read from files, recorded to be read like a store's."""
    connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _prepare(connection)
    return HistoryStore(Path(":memory:"), connection)


def _prepare(db: sqlite3.Connection) -> None:
    """WAL mode, then every migration the store lacks, in one transaction."""
    db.execute("PRAGMA journal_mode = WAL")
    if db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
        if version > LATEST_VERSION:
            raise sqlite3.DatabaseError(f"schema {version} is newer than {LATEST_VERSION}")
        for migration in MIGRATIONS[version:]:
            if callable(migration):
                migration(db)
                continue
            for statement in migration.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {LATEST_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
