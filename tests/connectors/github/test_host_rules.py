"""Host-only rules on repositories served by the fake GitHub, and on local clones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, RepoReport, RuleResult
from ospo_scan.rules.registry import builtin_rules
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeCommit, FakeRepo
from tests.scanning import local_snapshot

HOST_RULES = ("branch-protection", "description", "newcomer-issues")


def _days_ago(days: int) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _scan(fake_github: FakeFactory, repo: FakeRepo, ruleset: str = "un-ospo") -> RepoReport:
    fake = fake_github({"un-org": ("Organization", {repo.name: repo})})
    rules = load_ruleset(ruleset, load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan(
        [f"github:un-org/{repo.name}"]
    )
    (scanned,) = report.repositories
    return scanned


def _result(report: RepoReport, rule: str) -> RuleResult:
    return next(r for r in report.results if r.rule == rule)


def test_host_rules_are_registered_as_host_only() -> None:
    rules = builtin_rules()
    for rule_id in HOST_RULES:
        assert rules[rule_id].host_only


@pytest.mark.parametrize(
    ("protected", "hidden", "expected"),
    [
        (True, False, Outcome.PASS),
        (False, False, Outcome.FAIL),
        (False, True, Outcome.NOT_APPLICABLE),
    ],
)
def test_branch_protection(
    fake_github: FakeFactory, protected: bool, hidden: bool, expected: Outcome
) -> None:
    repo = FakeRepo("app", {"README.md": "# App\n"}, protected=protected, protection_hidden=hidden)
    found = _result(_scan(fake_github, repo), "branch-protection")
    assert found.outcome is expected
    if expected is Outcome.FAIL:
        assert found.message == "The main branch is not protected."


@pytest.mark.parametrize(
    ("pushed_at", "expected"),
    [(_days_ago(10), Outcome.PASS), (_days_ago(400), Outcome.FAIL)],
)
def test_recent_activity(
    fake_github: FakeFactory, pushed_at: str | None, expected: Outcome
) -> None:
    repo = FakeRepo("app", {"README.md": "# App\n"}, pushed_at=pushed_at)
    found = _result(_scan(fake_github, repo), "recent-activity")
    assert found.outcome is expected


def test_recent_activity_without_a_push_date_is_the_head_commits_date(
    fake_github: FakeFactory,
) -> None:
    commit = FakeCommit(_days_ago(3), "ada@un.example.org", "Ada", "ada")
    repo = FakeRepo("app", {"README.md": "# App\n"}, pushed_at=None, commits=(commit,))
    found = _result(_scan(fake_github, repo), "recent-activity")
    assert found.outcome is Outcome.PASS
    assert found.message.startswith("Last committed on ")


def test_recent_activity_window_is_a_ruleset_option(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    ruleset = tmp_path / "strict.toml"
    ruleset.write_text(
        'id = "strict"\nversion = "1"\nextends = "un-ospo"\n\n'
        "[rules.recent-activity]\noptions = { max_age_days = 5 }\n",
        encoding="utf-8",
    )
    repo = FakeRepo("app", {"README.md": "# App\n"}, pushed_at=_days_ago(10))
    found = _result(_scan(fake_github, repo, str(ruleset)), "recent-activity")
    assert found.outcome is Outcome.FAIL
    assert "more than 5 days" in found.message


@pytest.mark.parametrize(
    ("description", "topics", "expected"),
    [
        ("Water points", ("water",), Outcome.PASS),
        ("Water points", (), Outcome.PARTIAL),
        (None, ("water",), Outcome.PARTIAL),
        (None, (), Outcome.FAIL),
    ],
)
def test_description(
    fake_github: FakeFactory, description: str | None, topics: tuple[str, ...], expected: Outcome
) -> None:
    repo = FakeRepo("app", {"README.md": "# App\n"}, description=description, topics=topics)
    assert _result(_scan(fake_github, repo), "description").outcome is expected


def test_host_rules_do_not_apply_to_local_clones(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    report = evaluate_repository(local_snapshot(repo), load_ruleset("un-ospo", load_plugins=False))
    for rule_id in HOST_RULES:
        found = _result(report, rule_id)
        assert found.outcome is Outcome.NOT_APPLICABLE, rule_id
        assert found.score is None
    # Recent activity is read from the clone's own history instead: committed in January 2024.
    activity = _result(report, "recent-activity")
    assert activity.outcome is Outcome.FAIL
    assert activity.message.startswith("Last committed on 2024-01-15")
