"""What GitHub tells the rules of Principles 4, 5 and 8 (issues and newcomer labels, tags, the
default branch's recent authors), asked in the one query that lists the repositories."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, RepoReport, RuleResult
from ospo_scan.scan.scanner import Scanner
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeCommit, FakeRepo

FILES = {"README.md": "# App\n"}


def days_ago(days: int) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def scan(fake_github: FakeFactory, *repos: FakeRepo) -> dict[str, RepoReport]:
    fake = fake_github({"un-org": ("Organization", {repo.name: repo for repo in repos})})
    report = Scanner(
        load_ruleset("un-ospo", load_plugins=False), ScanOptions(github_url=fake.api_url)
    ).scan(["github:un-org"])
    return {r.name.removeprefix("un-org/"): r for r in report.repositories}


def result(report: RepoReport, rule: str) -> RuleResult:
    return next(r for r in report.results if r.rule == rule)


@pytest.mark.parametrize(
    ("enabled", "labels", "expected"),
    [
        (True, {"good first issue": 3, "help wanted": 1}, Outcome.PASS),
        (True, {"Help Wanted": 2}, Outcome.PASS),
        (True, {"good first issue": 0, "help wanted": 0}, Outcome.PARTIAL),
        (True, {}, Outcome.PARTIAL),
        (False, {"good first issue": 4}, Outcome.FAIL),
    ],
    ids=["both", "case", "unused-labels", "no-labels", "disabled"],
)
def test_newcomer_issues(
    fake_github: FakeFactory, enabled: bool, labels: dict[str, int], expected: Outcome
) -> None:
    repo = FakeRepo("app", FILES, issues_enabled=enabled, labels=labels)
    found = result(scan(fake_github, repo)["app"], "newcomer-issues")
    assert found.outcome is expected
    if labels == {"good first issue": 3, "help wanted": 1}:
        assert found.message == (
            "Issues are enabled; 4 carry a newcomer label (good first issue, help wanted)."
        )


def test_tags_and_recent_authors_come_with_the_listing(fake_github: FakeFactory) -> None:
    team = FakeRepo(
        "team",
        FILES,
        tags=("v2.1.0", "v2.0.0"),
        commits=(
            FakeCommit(days_ago(3), "ada@un.example.org", "Ada", "ada"),
            FakeCommit(days_ago(9), "bo@un.example.org", "Bo", "bo"),
            FakeCommit(days_ago(20), "ada@home.example.org", "Ada", "ada"),  # one login
        ),
    )
    solo = FakeRepo(
        "solo",
        FILES,
        tags=("nightly",),
        commits=(
            FakeCommit(days_ago(2), "bot@example.org", "dependabot[bot]"),
            FakeCommit(days_ago(5), "cy@un.example.org", "Cy"),
            FakeCommit(days_ago(500), "di@un.example.org", "Di", "di"),  # outside the window
        ),
    )
    quiet = FakeRepo("quiet", FILES, commits=(FakeCommit(days_ago(400), "ed@example.org"),))
    fake = fake_github({"un-org": ("Organization", {r.name: r for r in (team, solo, quiet)})})
    report = Scanner(
        load_ruleset("un-ospo", load_plugins=False), ScanOptions(github_url=fake.api_url)
    ).scan(["github:un-org"])
    found = {r.name.removeprefix("un-org/"): r for r in report.repositories}

    assert result(found["team"], "versioned-releases").outcome is Outcome.PASS
    assert result(found["team"], "recent-committers").message.startswith("2 people committed")
    assert result(found["solo"], "versioned-releases").outcome is Outcome.PARTIAL
    solo_committers = result(found["solo"], "recent-committers")
    assert solo_committers.outcome is Outcome.FAIL
    assert solo_committers.message.startswith("One person made all 2 commit(s) since ")
    assert result(found["quiet"], "versioned-releases").outcome is Outcome.FAIL
    assert result(found["quiet"], "recent-committers").message.startswith("Nobody committed")
    # Listing the three repositories with all these facts is still one request (then one
    # batch of texts): no request per repository.
    assert fake.graphql_requests == 2


def test_a_window_beyond_what_was_read_is_judged_on_the_bound(fake_github: FakeFactory) -> None:
    commits = tuple(
        FakeCommit(days_ago(1 + n // 10), "ada@un.example.org", "Ada", "ada") for n in range(130)
    )
    found = result(
        scan(fake_github, FakeRepo("busy", FILES, commits=commits))["busy"], "recent-committers"
    )
    assert found.outcome is Outcome.FAIL
    assert found.message == "One person made all 100 most recent commits."
