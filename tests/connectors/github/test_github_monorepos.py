"""A monorepo on GitHub: the package directories a workspace names are listed in more rounds of
the batched queries, so the licence and changelog rules judge them as on a local clone."""

from __future__ import annotations

import json
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.fix.licence_text import licence_text
from ospo_scan.model import Outcome
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.scanning import evaluate, result

MIT = licence_text("MIT", "Agency for Digital Services", 2025)
FILES = {
    "README.md": "# Toolkit\n\nShared form components. Install with npm install @agency/forms.\n",
    "package.json": json.dumps({"private": True, "workspaces": ["packages/*", "tools/cli"]}),
    "packages/forms/package.json": '{"name": "@agency/forms"}',
    "packages/forms/LICENSE": MIT,
    "packages/forms/CHANGELOG.md": "# @agency/forms\n\n## 2.0.0\n\n- Date fields.\n",
    "packages/dates/package.json": '{"name": "@agency/dates"}',
    "packages/dates/LICENSE.md": MIT,
    "packages/dates/CHANGELOG.md": "# @agency/dates\n\n## 1.1.0\n\n- ISO weeks.\n",
    "tools/cli/package.json": '{"name": "@agency/cli"}',
    "tools/cli/LICENSE": MIT,
}


def test_a_github_monorepo_is_judged_per_package_as_a_clone_is(
    fake_github: FakeFactory, git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", {"toolkit": FakeRepo("toolkit", FILES)})})
    rules = load_ruleset("un-ospo", load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan(["github:un-org/toolkit"])
    (hosted,) = report.repositories
    clone = evaluate(git_repo_factory(tmp_path / "toolkit", FILES))

    licence = result(hosted, "license")
    changelog = result(hosted, "changelog")

    assert licence.outcome is Outcome.PARTIAL
    assert licence.message == (
        "No licence file at the root; every package of package.json (packages/*, tools/cli) "
        "carries its own (packages/dates/LICENSE.md (MIT), packages/forms/LICENSE (MIT), "
        "tools/cli/LICENSE (MIT)). Add the licence at the root, or declare it in the root "
        "manifest."
    )
    assert changelog.outcome is Outcome.PARTIAL
    assert changelog.message.startswith("No changelog at the root; 2 of the 3 packages")
    for rule in ("license", "license-approved", "changelog"):
        assert result(clone, rule).message == result(hosted, rule).message, rule
