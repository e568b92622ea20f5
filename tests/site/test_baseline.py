"""The OSPS Baseline on the site: entity level shares on the index and entity pages, each
repository's level, when the audit's ruleset maps to the Baseline; nothing when it does not."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.history.store import open_store
from ospo_scan.site.links import entity_page, repository_page
from tests.site.pages import pages_of
from tests.site.system import System


def _site(store: Path, output: Path) -> dict[str, str]:
    result = CliRunner().invoke(
        main, ["site", "--history", str(store), "--output", str(output)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return {name: page.all_text for name, page in pages_of(output).items()}


def _latest_reports(store: Path) -> dict[str, dict[str, object]]:
    opened = open_store(store, create=False)
    assert opened is not None
    with opened:
        return {
            record.entity: json.loads(opened.report_json(record.id) or "")
            for record in opened.scans()
        }


def test_levels_are_shown_where_the_ruleset_maps_to_the_baseline(
    tmp_path: Path, git_home: Path
) -> None:
    system = System(tmp_path / "system", git_home)
    system.audit(system.bureau, "--ruleset", "osps-baseline")
    pages = _site(system.store, tmp_path / "site")
    report = _latest_reports(system.store)["bureau"]
    entity = report["entity"]["frameworks"]["osps-baseline"]  # type: ignore[index]
    total = sum(entity["levels"].values())
    assert total == 2
    shares = [
        f"{label} {round(100 * entity['levels'][bucket] / total)}%"
        for bucket, label in (("0", "no level"), ("1", "level 1"), ("2", "level 2"))
    ]
    for name in ("index.html", entity_page("bureau")):
        assert all(share in pages[name] for share in shares), name
    assert "OSPS Baseline levels" in pages["index.html"]
    assert "Baseline level" in pages[entity_page("bureau")]
    for repo in report["repositories"]:  # type: ignore[attr-defined]
        level = repo["frameworks"]["osps-baseline"]["level"]
        expected = "no level" if level == 0 else f"level {level}"
        assert f"OSPS Baseline {expected}" in pages[repository_page("bureau", repo["name"])]


NO_BASELINE = """
id = "no-baseline"
extends = "un-ospo"

# un-ospo's own mappings, without the Baseline controls they evidence
[rules.license]
evidences = ["un-principles:1", "dpg:2"]

[rules.contributing]
evidences = ["un-principles:4"]

[rules.security-policy]
evidences = ["un-principles:3"]

[rules.branch-protection]
evidences = ["un-principles:3"]
"""


def test_nothing_of_the_baseline_is_shown_without_it(tmp_path: Path, git_home: Path) -> None:
    ruleset = tmp_path / "no-baseline.toml"
    ruleset.write_text(NO_BASELINE, encoding="utf-8")
    system = System(tmp_path / "system", git_home)
    system.audit(system.agency, "--ruleset", str(ruleset))
    system.audit(system.bureau, "--ruleset", str(ruleset))
    assert "osps-baseline" not in _latest_reports(system.store)["bureau"]["entity"]["frameworks"]  # type: ignore[index]
    pages = _site(system.store, tmp_path / "site")
    for name, text in pages.items():
        if not name.startswith("rule/") and name != "survey.html":
            assert "Baseline" not in text, name
