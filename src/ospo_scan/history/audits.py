"""What the store's tables tell of many audits without parsing their reports: each audit's
figures, each rule's tally, each repository's visibility and its outcomes over time.

A site of a year of weekly audits of fifty entities reads these; it parses the full report only
of the audits whose evidence it shows.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ospo_scan.history.checks import StoreError
from ospo_scan.history.migrations import OUTCOME_NAMES
from ospo_scan.history.store import HistoryStore
from ospo_scan.model import Outcome, RepoStatus

_OUTCOMES = {code: Outcome(name) for code, name in OUTCOME_NAMES.items()}
_STATUSES = {status.value: status for status in RepoStatus}
_PER_QUERY = 500
"""Scan ids per query (SQLite allows 999 parameters in older versions)."""


@dataclass(frozen=True)
class AuditRecord:
    """One recorded audit of an entity, as the `scans` table keeps it."""

    scan_id: int
    """Its id in its store."""
    uid: str
    """What identifies it across stores (a digest of its report's JSON text)."""
    started: str
    """When it started, ISO 8601 UTC ('' when the report carried no date)."""
    entity: str
    """The entity's name."""
    score: float | None
    """The entity score."""
    level: str | None
    """The ruleset's level for the score."""
    survey_year: int | None
    """The survey year the report gave, if any."""


@dataclass(frozen=True)
class RepositoryRecord:
    """A repository in one audit, as `scan_repositories` keeps it."""

    name: str
    """The repository's name."""
    status: RepoStatus
    """Whether it could be scanned."""
    in_scope: bool
    """Whether it counts for the entity's score."""
    score: float | None
    """Its score."""
    visibility: str | None
    """public, private or internal; None when the report did not record it."""


def audit_records(store: HistoryStore) -> list[AuditRecord]:
    """Every audit in the store, in the order recorded."""
    rows = _rows(
        store,
        "SELECT id, uid, started, entity, score, level, survey_year FROM scans ORDER BY id",
    )
    return [AuditRecord(*row) for row in rows]


def rule_tallies(store: HistoryStore) -> dict[int, dict[str, tuple[int, int]]]:
    """Per audit, per rule: in-scope repositories passing (or exempt), and those where it
    applied."""
    tallies: dict[int, dict[str, tuple[int, int]]] = {}
    rows = _rows(
        store,
        "SELECT t.scan_id, u.name, t.passing, t.applied FROM rule_tallies t "
        "JOIN rules u ON u.id = t.rule_id",
    )
    for scan_id, rule, passing, applied in rows:
        tallies.setdefault(scan_id, {})[rule] = (passing, applied)
    return tallies


def rule_names(store: HistoryStore) -> list[str]:
    """Every rule the store has recorded a result or a pass rate of."""
    return [name for (name,) in _rows(store, "SELECT name FROM rules ORDER BY name")]


def entity_summary(store: HistoryStore, scan_id: int) -> dict[str, Any]:
    """The `entity` object of an audit's report."""
    rows = _rows(store, "SELECT entity_summary FROM scans WHERE id = ?", (scan_id,))
    try:
        document = json.loads(zlib.decompress(rows[0][0]))
    except (IndexError, zlib.error, TypeError, ValueError) as exc:
        raise StoreError(f"history store {store.path}: scan {scan_id} is damaged") from exc
    if not isinstance(document, dict):
        raise StoreError(f"history store {store.path}: scan {scan_id} is damaged")
    return document


def repositories(store: HistoryStore, scan_ids: Sequence[int]) -> dict[int, list[RepositoryRecord]]:
    """The repositories of each of the audits, by scan id."""
    found: dict[int, list[RepositoryRecord]] = {scan_id: [] for scan_id in scan_ids}
    for chunk in _chunks(scan_ids):
        rows = _rows(
            store,
            "SELECT s.scan_id, r.name, s.status, s.in_scope, s.score, s.visibility "
            "FROM scan_repositories s JOIN repositories r ON r.id = s.repository_id "
            f"WHERE s.scan_id IN ({_marks(chunk)})",
            chunk,
        )
        for scan_id, name, status, in_scope, score, visibility in rows:
            try:
                state = _STATUSES[status]
            except KeyError as exc:
                raise StoreError(f"history store {store.path} is damaged: {exc}") from exc
            record = RepositoryRecord(name, state, bool(in_scope), score, visibility)
            found[scan_id].append(record)
    return found


def outcome_histories(
    store: HistoryStore, keys: Mapping[int, int], names: Iterable[str]
) -> dict[str, dict[str, dict[int, Outcome]]]:
    """Per repository of `names`, per rule, its outcome in each of the audits (scan ids, the
    keys of `keys`) that ran the rule on it, by the audit's value in `keys`. The store groups
    them, so a year of weekly audits is a row per repository and rule, not one per outcome."""
    wanted = set(names)
    histories: dict[str, dict[str, dict[int, Outcome]]] = {}
    for chunk in _chunks(list(keys)):
        rows = _rows(
            store,
            "SELECT p.name, u.name, g.joined FROM (SELECT repository_id, rule_id, "
            "group_concat(scan_id * 8 + outcome) AS joined FROM results "
            f"WHERE scan_id IN ({_marks(chunk)}) GROUP BY repository_id, rule_id) g "
            "JOIN repositories p ON p.id = g.repository_id JOIN rules u ON u.id = g.rule_id",
            chunk,
        )
        for repository, rule, joined in rows:
            if repository not in wanted:
                continue
            try:  # each number is a scan id and an outcome code (0 to 6) in its last 3 bits
                numbers = list(map(int, joined.split(",")))
                outcomes = list(map(_OUTCOMES.__getitem__, [number & 7 for number in numbers]))
                audits = list(map(keys.__getitem__, [number >> 3 for number in numbers]))
            except (KeyError, ValueError) as exc:
                raise StoreError(f"history store {store.path} is damaged: {exc}") from exc
            by_audit = histories.setdefault(repository, {}).setdefault(rule, {})
            by_audit.update(zip(audits, outcomes, strict=True))
    return histories


def failing(store: HistoryStore, scan_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Per audit, per rule: the in-scope repositories scanned that fail it or pass it partly."""
    found: dict[int, dict[str, list[str]]] = {}
    for chunk in _chunks(scan_ids):
        rows = _rows(
            store,
            "SELECT r.scan_id, u.name, p.name FROM results r "
            "JOIN scan_repositories s ON s.scan_id = r.scan_id "
            "AND s.repository_id = r.repository_id "
            "JOIN repositories p ON p.id = r.repository_id JOIN rules u ON u.id = r.rule_id "
            f"WHERE r.scan_id IN ({_marks(chunk)}) AND r.outcome IN (2, 3) "
            "AND s.in_scope AND s.status = 'ok'",
            chunk,
        )
        for scan_id, rule, repository in rows:
            found.setdefault(scan_id, {}).setdefault(rule, []).append(repository)
    return found


def _rows(
    store: HistoryStore, query: str, parameters: Sequence[object] = ()
) -> list[tuple[Any, ...]]:
    return store.query(query, parameters)


def _chunks(scan_ids: Sequence[int]) -> Iterable[Sequence[int]]:
    return (scan_ids[n : n + _PER_QUERY] for n in range(0, len(scan_ids), _PER_QUERY))


def _marks(chunk: Sequence[int]) -> str:
    return ", ".join("?" * len(chunk))
