"""A history store that cannot be used never costs a scan its outputs or its exit code.

Each scan is a real `ospo-scan scan` process writing a JSON and an HTML report; the store is made
unusable as it happens in the field: a home where the default store cannot be created, a store
damaged after its header, another process holding the store's write lock past the busy timeout.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.entity import Entity

SCAN = [sys.executable, "-m", "ospo_scan", "scan"]
# The same command with the store's busy timeout cut to two seconds, so that a held lock is not
# waited out for the full minute.
SCAN_WITH_SHORT_BUSY_TIMEOUT = [
    sys.executable,
    "-c",
    "import sys; import ospo_scan.history.store as store; store.BUSY_TIMEOUT_SECONDS = 2.0; "
    "from ospo_scan.cli import main; main(['scan', *sys.argv[1:]], prog_name='ospo-scan')",
]


def _scan(
    entity: Entity, out: Path, env: dict[str, str], command: list[str] = SCAN
) -> subprocess.CompletedProcess[str]:
    out.mkdir(exist_ok=True)
    return subprocess.run(
        [
            *command,
            str(entity.root),
            "--output",
            str(out / "report.json"),
            "--output",
            str(out / "report.html"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _environment(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OSPO_SCAN_HISTORY", "XDG_DATA_HOME")}
    return {**env, **variables}


def _assert_written(out: Path, entity: str = "agency") -> None:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["entity"]["name"] == entity
    assert "</html>" in (out / "report.html").read_text(encoding="utf-8")


def _scan_count(store: Path) -> int:
    with sqlite3.connect(store) as db:
        return int(db.execute("SELECT count(*) FROM scans").fetchone()[0])


def test_a_default_store_that_cannot_be_created_is_a_warning(
    entity: Entity, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".local").write_text("", encoding="utf-8")  # as unwritable as a read-only home
    done = _scan(entity, tmp_path / "out", _environment(HOME=str(home)))
    assert done.returncode == 0, done.stderr
    _assert_written(tmp_path / "out")
    (warning,) = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warning.startswith("ospo-scan: warning: this scan was not recorded, and has no trends")
    assert str(home / ".local" / "share" / "ospo-scan" / "history.sqlite3") in warning


def test_a_store_damaged_after_its_header_is_a_warning(entity: Entity, tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite3"
    env = _environment(OSPO_SCAN_HISTORY=str(store))
    assert _scan(entity, tmp_path / "first", env).returncode == 0
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
    data = bytearray(store.read_bytes())
    data[page_size:] = b"\xa5" * (len(data) - page_size)  # every page but the first
    store.write_bytes(bytes(data))
    done = _scan(entity, tmp_path / "out", env)
    assert done.returncode == 0, done.stderr
    _assert_written(tmp_path / "out")
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 2, done.stderr
    assert "no trends or regressions: history store" in warnings[0]
    assert "this scan was not recorded in history store" in warnings[1]


def test_an_incomplete_scan_keeps_exit_3_when_the_store_fails(
    entity: Entity, tmp_path: Path
) -> None:
    (entity.root / "broken").mkdir()
    (entity.root / "broken" / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".local").write_text("", encoding="utf-8")
    done = _scan(entity, tmp_path / "out", _environment(HOME=str(home)))
    assert done.returncode == 3, done.stderr
    assert "this scan was not recorded" in done.stderr
    assert "scan incomplete" in done.stderr
    _assert_written(tmp_path / "out")


def test_a_lock_held_past_the_busy_timeout_is_a_warning(entity: Entity, tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite3"
    env = _environment(OSPO_SCAN_HISTORY=str(store))
    assert _scan(entity, tmp_path / "first", env).returncode == 0
    holder = sqlite3.connect(store, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another scan, recording for longer than the timeout
        done = _scan(entity, tmp_path / "out", env, SCAN_WITH_SHORT_BUSY_TIMEOUT)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0, done.stderr
    _assert_written(tmp_path / "out")
    (warning,) = [line for line in done.stderr.splitlines() if "warning" in line]
    assert "this scan was not recorded in history store" in warning
    assert "database is locked" in warning
    assert "incomplete" not in done.stderr
    assert _scan_count(store) == 1
