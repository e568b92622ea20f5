"""End to end: `--ruleset osps-baseline` on real `git init` repositories carries the Baseline
level each repository attains, and the entity's count per level, through JSON and back."""

from __future__ import annotations

import json
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.config.frameworks import ItemRef, load_framework
from ospo_scan.fix.licence_text import licence_text
from tests.cli.entity import run, run_bytes
from tests.conftest import RepoFactory
from tests.scanning import validated

CONTRIBUTING = (
    "# Contributing\n\nOpen an issue to discuss the change, then a pull request against main.\n"
    "Every pull request is reviewed by a maintainer and must pass the tests before it is merged.\n"
)
SECURITY = "# Security\n\nReport vulnerabilities privately to security@agency.example.\n"
GOVERNANCE = (
    "# Governance\n\nThe maintainers decide by consensus; the lead maintainer breaks ties.\n"
    "Maintainers review and merge changes and publish the releases.\n"
)
KEPT = {
    "README.md": "# Kept\n\nA tool the agency keeps well.\n",
    "LICENSE": licence_text("MIT", "Agency for Digital Services", 2025),
    "SECURITY.md": SECURITY,
    "CONTRIBUTING.md": CONTRIBUTING,
    "GOVERNANCE.md": GOVERNANCE,
    "MAINTAINERS": "Ada Lovelace <ada@agency.example>\n",
}


def test_the_baseline_ruleset_gives_each_repository_its_level(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "kept", KEPT)
    git_repo_factory(entity / "unlicensed", {k: v for k, v in KEPT.items() if k != "LICENSE"})
    output = tmp_path / "report.json"
    code, _, err = run(
        "scan", str(entity), "--ruleset", "osps-baseline", "--no-history", "--output", str(output)
    )
    assert code == 0, err
    doc = validated(json.loads(output.read_text(encoding="utf-8")))
    assert doc["ruleset"]["id"] == "osps-baseline"
    views = {r["name"]: r["frameworks"]["osps-baseline"] for r in doc["repositories"]}
    # Every evidenced level-1 control is met, but most level-1 controls no rule evidences;
    # what it misses are documents of levels 2 and 3 (a threat model, a secrets policy).
    assert views["kept"]["level"] == 0
    assert views["kept"]["level_status"] == "unconfirmed"
    framework = load_framework("osps-baseline")
    assert framework is not None
    levels = {item.id: item.level for item in framework.items}
    assert views["kept"]["missed"]
    assert {levels[control] for control in views["kept"]["missed"]} == {2, 3}
    assert "OSPS-BR-07.02" in views["kept"]["missed"]
    assert views["unlicensed"]["level"] == 0
    assert views["unlicensed"]["level_status"] == "attained"
    assert "OSPS-LE-03.01" in views["unlicensed"]["missed"]
    baseline = doc["entity"]["frameworks"]["osps-baseline"]
    assert baseline["version"] == "2026.02.19"
    assert baseline["levels"] == {"0": 1, "1": 0, "2": 0, "3": 0, "unconfirmed": 1}
    # The five controls missed most often: both repositories lack a secrets policy (the
    # first in the framework's order); the licence only one misses ranks below them.
    assert len(baseline["missed"]) == 5
    assert baseline["missed"][0] == {"control": "OSPS-BR-07.02", "repositories": 2}
    assert {"control": "OSPS-LE-03.01", "repositories": 1} not in baseline["missed"]
    assert baseline["items"]["OSPS-AC-01.01"]["status"] == "not-evidenced"

    again = tmp_path / "again.json"
    code, _, err = run("report", str(output), "--output", str(again))
    assert code == 0, err
    assert again.read_bytes() == output.read_bytes()
    code, text = run_bytes("report", str(output), "--format", "table")
    assert code == 0
    assert "levels attained: 0: 1 (50%)" in text.decode()
    code, table = run_bytes("report", str(output), "--format", "csv")
    header, kept_row = table.decode().split("\r\n")[:2]
    assert header.endswith("osps-baseline:level,osps-baseline:level_status")
    assert kept_row.endswith(",0,unconfirmed")
    code, markdown = run_bytes("report", str(output), "--format", "markdown")
    assert "Levels attained: 0: 1 (50%)" in markdown.decode()
    code, html = run_bytes("report", str(output), "--format", "html")
    assert '<p class="levels">levels attained: 0: 1 (50%)' in html.decode()


def test_the_baseline_ruleset_maps_only_what_its_rules_check() -> None:
    mapping = load_ruleset("osps-baseline", load_plugins=False).mapping
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-LE-02.01")) == ("license-approved",)
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-VM-02.01")) == ("security-policy",)
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-VM-03.01")) == ("security-policy",)
    # Release controls do not apply before a release; rules that fail without one stay out.
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-BR-02.01")) == ()
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-BR-04.01")) == ()
