"""What to fix first: the points an action promises are the points the fix recovers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.formats._priorities import fix_first
from ospo_scan.model import Report
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory

README = "# Tool\n\nUsage: run `tool --help` to see what it does for your data.\n"


def _scan(path: Path) -> Report:
    return Scanner(load_ruleset(load_plugins=False)).scan([str(path)])


def test_the_promised_points_are_recovered(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "alpha", {"README.md": README, "CHANGELOG.md": "## 1.0\n"})
    git_repo_factory(entity / "beta", {"README.md": README})
    # With an entity file a new `.github` directory is read as the defaults repository.
    (entity / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    before = _scan(entity)
    actions = {(a.rule, a.organisation_wide): a for a in fix_first(before, limit=20)}
    governance = actions[("governance", True)]
    assert governance.repositories == ("alpha", "beta")
    assert governance.describe() == (
        "add GOVERNANCE.md to the organisation's .github repository (governance, 2 repositories)"
    )
    changelog = actions[("changelog", False)]
    assert changelog.repositories == ("beta",)
    assert changelog.describe() == "fix changelog in beta"
    first = fix_first(before)
    assert first[0].organisation_wide
    assert all(a.organisation_wide for a in first[: sum(a.organisation_wide for a in first)])

    git_repo_factory(
        entity / ".github",
        {"GOVERNANCE.md": "# Governance\n\nThe OSPO board decides; maintainers review changes.\n"},
    )
    after_governance = _scan(entity)
    assert before.entity.score is not None
    assert after_governance.entity.score is not None
    gained = after_governance.entity.score - before.entity.score
    assert abs(gained - governance.points) < 0.1

    (entity / "beta" / "CHANGELOG.md").write_text("## 1.0\n", encoding="utf-8")
    after_changelog = _scan(entity)
    assert after_changelog.entity.score is not None
    gained = after_changelog.entity.score - after_governance.entity.score
    assert abs(gained - changelog.points) < 0.1


def test_a_gitlab_group_gets_no_organisation_wide_action(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "group"
    git_repo_factory(entity / "alpha", {"README.md": README})
    git_repo_factory(entity / "beta", {"README.md": README})
    report = _scan(entity)
    gitlab = replace(report, entity=replace(report.entity, source="gitlab"))
    assert not any(a.organisation_wide for a in fix_first(gitlab, limit=20))
    assert any(a.rule == "governance" for a in fix_first(gitlab, limit=20))
