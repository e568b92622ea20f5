"""The store under real processes: a scan killed while recording, and scans recording at once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.report.loader import parse_report
from tests.history.reports import dated, scan

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "noncompliant"

# Records the report in REPORT into STORE, and stops for good inside the transaction, after
# the scan and its results are written and before the commit, saying so on stdout.
_KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from dataclasses import replace
    from pathlib import Path
    from ospo_scan.history.store import open_store
    from ospo_scan.report.loader import read_report

    class StopInside(dict):
        def items(self):
            print("inside the transaction", flush=True)
            time.sleep(120)
            return super().items()

    report = read_report(Path(sys.argv[1]))
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    summary = replace(report.summary, rule_pass_rates=StopInside(report.summary.rule_pass_rates))
    store = open_store(Path(sys.argv[2]))
    store.record(replace(report, summary=summary), text)
    """
)


def _counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = ("scans", "scan_repositories", "results", "rule_rates")
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_scan_killed_while_recording_leaves_no_trace(tmp_path: Path) -> None:
    report = dated(scan(FIXTURE), "2026-03-02T06:00:00Z")
    store_path = tmp_path / "history.sqlite3"
    with open_store(store_path) as store:
        store.record(report, format_json(report))
    before = _counts(store_path)
    report_file = tmp_path / "second.json"
    report_file.write_text(format_json(dated(report, "2026-03-09T06:00:00Z")), encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(report_file), str(store_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "inside the transaction\n"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert _counts(store_path) == before  # nothing of the killed scan, and no damage
    with open_store(store_path) as store:  # the scan that was killed can be recorded anew
        text = report_file.read_text(encoding="utf-8")
        store.record(parse_report(text, origin="second"), text)
        assert [r.started for r in store.scans()] == [
            "2026-03-02T06:00:00Z",
            "2026-03-09T06:00:00Z",
        ]


def test_four_scans_into_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    store_path = tmp_path / "shared" / "history.sqlite3"
    env = {**os.environ, "OSPO_SCAN_HISTORY": str(store_path)}
    scans = [
        subprocess.Popen(
            [sys.executable, "-m", "ospo_scan", "scan", str(FIXTURE), "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    finished = [process.communicate(timeout=300) for process in scans]
    for process, (_out, err) in zip(scans, finished, strict=True):
        assert process.returncode == 0, err
    with open_store(store_path, create=False) as store:  # type: ignore[union-attr]
        records = store.scans()
        assert len(records) == 4, [err for _, err in finished]  # a lost scan says why
        written = {json.loads(out)["scan"]["started"] for out, _ in finished}
        assert {r.started for r in records} == written
        for record in records:
            assert set(store.outcomes(record.id)) == {"bare", "half"}
            assert store.report_json(record.id) in {out for out, _ in finished}
    assert _counts(store_path)["scans"] == 4
