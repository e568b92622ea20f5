"""Reports and entity files beside the stores: files, and directories searched as `survey`
searches them, count as audits (SPEC §12)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.site.links import entity_page, repository_page
from tests.site.pages import broken_links, pages_of
from tests.site.system import System


def _report_of(system: System, entity: Path, name: str, started: str) -> str:
    """A report of `entity` scanned now, renamed `name` and dated `started`."""
    result = CliRunner().invoke(
        main, ["scan", str(entity), "--format", "json", "--no-history"], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    document["entity"]["name"] = name
    document["scan"]["started"] = document["scan"]["finished"] = started
    return json.dumps(document)


def test_reports_in_a_directory_count_as_audits(system: System, tmp_path: Path) -> None:
    given = tmp_path / "given"
    (given / "2025").mkdir(parents=True)
    (given / "2026" / "week-2").mkdir(parents=True)
    (given / "office").mkdir()
    older = _report_of(system, system.bureau, "office", "2025-11-03T06:00:00Z")
    newer = _report_of(system, system.bureau, "office", "2026-01-05T06:00:00Z")
    (given / "2025" / "office.json").write_text(older, encoding="utf-8")
    (given / "2026" / "week-2" / "office.json").write_text(newer, encoding="utf-8")
    (given / "2026" / "notes.json").write_text('{"not": "a report"}', encoding="utf-8")
    (given / "office" / "ospo-entity.toml").write_text(
        'name = "office"\n[readiness.2026]\nospo = "established"\n', encoding="utf-8"
    )
    site = tmp_path / "site"
    result = CliRunner().invoke(
        main,
        ["site", "--history", str(system.store), str(given), "--output", str(site)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    pages = pages_of(site)
    office = pages[entity_page("office")].all_text
    assert "2 audits" in office
    assert "last audit 2026-01-05" in office
    assert "previous audit 2025-11-03" in office
    assert repository_page("office", "tool") in pages
    assert "office" in pages["index.html"].all_text
    survey = pages["survey.html"].all_text
    assert "office" in survey
    assert broken_links(site, pages) == []


def test_a_report_file_and_the_same_audit_in_a_store_are_one_audit(
    system: System, tmp_path: Path
) -> None:
    from ospo_scan.history.store import open_store

    store = open_store(system.store, create=False)
    assert store is not None
    with store:
        record = next(r for r in store.scans() if r.entity == "bureau")
        text = store.report_json(record.id)
    assert text is not None
    copy = tmp_path / "bureau.json"
    copy.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = CliRunner().invoke(
        main,
        ["site", "--history", str(system.store), str(copy), "--output", str(site)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert "· 1 audit" in pages_of(site)[entity_page("bureau")].all_text
