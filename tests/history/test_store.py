"""The history store on real SQLite files: recording, reading back, and refusing foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ospo_scan.formats.json import format_json
from ospo_scan.history.checks import StoreError, check_store
from ospo_scan.history.migrations import APPLICATION_ID, LATEST_VERSION
from ospo_scan.history.store import open_store
from ospo_scan.model import Outcome, Report
from ospo_scan.report.loader import parse_report
from tests.history.reports import dated, scan, with_outcome

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report() -> Report:
    return dated(scan(ROOT / "fixtures" / "noncompliant"), "2026-03-02T06:00:00Z")


def test_a_recorded_scan_reads_back_exactly(tmp_path: Path, report: Report) -> None:
    path = tmp_path / "store" / "history.sqlite3"
    text = format_json(report)
    with open_store(path) as store:
        scan_id = store.record(report, text)
    with open_store(path, create=False) as store:  # type: ignore[union-attr]
        (record,) = store.scans()
        assert record.id == scan_id
        assert (record.started, record.entity, record.ruleset) == (
            "2026-03-02T06:00:00Z",
            "Non-compliant demo",
            "un-ospo",
        )
        assert (record.score, record.level) == (report.entity.score, report.entity.level)
        assert (record.repositories, record.errors) == (2, 0)
        assert store.report_json(scan_id) == text
        assert parse_report(text, origin="store") == report
        outcomes = store.outcomes(scan_id)
        assert outcomes == {
            repo.name: {r.rule: r.outcome for r in repo.results} for repo in report.repositories
        }
        assert store.rule_rates(scan_id) == report.summary.rule_pass_rates
        assert store.repository_scores(scan_id) == {r.name: r.score for r in report.repositories}


def test_scans_are_listed_oldest_first_and_by_entity(tmp_path: Path, report: Report) -> None:
    other = with_outcome(report, "bare", "readme", Outcome.PASS)
    renamed = type(report.entity)(**{**report.entity.__dict__, "name": "Other agency"})
    with open_store(tmp_path / "h.sqlite3") as store:
        first = store.record(report, format_json(report))
        second = store.record(dated(other, "2026-03-09T06:00:00Z"), format_json(other))
        third_report = dated(
            type(report)(**{**report.__dict__, "entity": renamed}), "2026-03-10T06:00:00Z"
        )
        third = store.record(third_report, format_json(third_report))
        assert [r.id for r in store.scans()] == [first, second, third]
        assert [r.id for r in store.scans("Other agency")] == [third]
        assert [r.id for r in store.earlier("Non-compliant demo", "un-ospo")] == [first, second]
        assert store.outcomes(second)["bare"]["readme"] is Outcome.PASS


def test_the_same_scan_is_recorded_once(tmp_path: Path, report: Report) -> None:
    with open_store(tmp_path / "h.sqlite3") as store:
        first = store.record(report, format_json(report), uid="scan-1")
        assert store.record(report, format_json(report), uid="scan-1") == first
        assert len(store.scans()) == 1


def test_a_new_store_is_marked_and_versioned(tmp_path: Path, report: Report) -> None:
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        store.record(report, format_json(report))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "h.sqlite3"
    assert open_store(path, create=False) is None
    assert not path.parent.exists()


def test_an_empty_file_becomes_a_store(tmp_path: Path, report: Report) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    with open_store(path) as store:
        store.record(report, format_json(report))
        assert len(store.scans()) == 1


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _other_programs_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    db.execute("INSERT INTO invoices (total) VALUES (12.5)")
    db.commit()
    db.close()


def _newer_store(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    db.execute("CREATE TABLE scans_v2 (id INTEGER PRIMARY KEY)")
    db.commit()
    db.close()


def _damaged_store(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("CREATE TABLE filler (x TEXT)")
    db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the 100-byte header
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_text("name,score\nregistry,90\n", encoding="utf-8"),
            "is not an ospo-scan",
        ),
        (_other_programs_database, "is not an ospo-scan"),
        (_newer_store, rf"newer ospo-scan \(schema {LATEST_VERSION + 1}"),
        (_damaged_store, "damaged or unreadable"),
    ],
    ids=["text-file", "other-database", "newer-schema", "damaged"],
)
def test_a_file_that_is_not_a_usable_store_is_refused_and_left_alone(
    tmp_path: Path, report: Report, make: object, message: str
) -> None:
    path = tmp_path / "h.sqlite3"
    make(path)  # type: ignore[operator]
    before = _snapshot(tmp_path)
    with pytest.raises(StoreError, match=message) as raised:
        open_store(path)
    assert raised.value.exit_code == 2
    with pytest.raises(StoreError):
        open_store(path, create=False)
    with pytest.raises(StoreError):
        check_store(path)
    assert _snapshot(tmp_path) == before  # not written, and no -wal or -shm beside it
