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
from tests.rules.ci_fixtures import GOOD_GITHUB
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
    # CI that tests, and analyses dependencies and code, on every pull request
    ".github/workflows/ci.yml": GOOD_GITHUB[".github/workflows/ci.yml"],
    ".github/workflows/codeql.yml": GOOD_GITHUB[".github/workflows/codeql.yml"],
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
    assert '<p class="levels">Levels attained: 0: 1 (50%)' in html.decode()


def test_the_baseline_ruleset_maps_only_what_its_rules_check() -> None:
    mapping = load_ruleset("osps-baseline", load_plugins=False).mapping
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-LE-02.01")) == ("license-approved",)
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-VM-02.01")) == ("security-policy",)
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-VM-03.01")) == (
        "private-vulnerability-reporting",
    )
    # Release controls do not apply before a release: their rules are not-applicable without
    # one, while rules that fail without one (versioned-releases, changelog) stay out.
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-BR-02.01")) == ("release-versions",)
    assert mapping.rules_for(ItemRef("osps-baseline", "OSPS-BR-04.01")) == ("release-notes",)


ONE_CONTROL = """
id = "one-control"
version = "1"
title = "One Baseline control"

[levels]
leading = 90
initial = 0

[rules.license]
weight = 1
evidences = ["osps-baseline:OSPS-LE-03.01"]
"""


def test_controls_no_rule_evidences_are_summed_up_not_listed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    """A ruleset that maps a few of the 64 controls lists those few; the rest, one line."""
    entity = tmp_path / "entity"
    git_repo_factory(entity / "kept", KEPT)
    ruleset = tmp_path / "one-control.toml"
    ruleset.write_text(ONE_CONTROL, encoding="utf-8")
    output = tmp_path / "report.json"
    code, _, err = run(
        "scan", str(entity), "--ruleset", str(ruleset), "--no-history", "--output", str(output)
    )
    assert code == 0, err
    doc = json.loads(output.read_text(encoding="utf-8"))
    assert len(doc["entity"]["frameworks"]["osps-baseline"]["items"]) == 64  # JSON keeps all
    summed = (
        "63 of 64 controls no rule of the ruleset evidences (level 1: 23, level 2: 19, level 3: 21)"
    )
    views = {}
    for name in ("table", "markdown", "html", "csv"):
        code, shown = run_bytes("report", str(output), "--format", name)
        assert code == 0
        views[name] = shown.decode()
    for name in ("table", "markdown", "html"):
        assert "OSPS-LE-03.01" in views[name]
        assert "OSPS-AC-01.01" not in views[name]
        assert summed.lower() in " ".join(views[name].split()).lower()  # wrapped in the table
    header = views["csv"].split("\r\n")[0].split(",")
    assert [c for c in header if c.startswith("osps-baseline:")] == [
        "osps-baseline:OSPS-LE-03.01",
        "osps-baseline:level",
        "osps-baseline:level_status",
    ]
