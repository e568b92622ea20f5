"""The GitHub connector under faults: 5xx bursts, dropped connections, rate limits and resets."""

from __future__ import annotations

import time

import pytest
from graphql import parse

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.github import GitHubConnector
from ospo_scan.connectors.github.client import RetryPolicy
from ospo_scan.connectors.github.fetch import BatchLimits
from ospo_scan.connectors.github.queries import OWNER_PAGE
from ospo_scan.connectors.interface import EntitySource, RepoFailure, ScanOptions
from ospo_scan.errors import ConnectorError
from ospo_scan.model import RepoStatus
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import Snapshot
from tests.connectors.github.conftest import FAST_RETRY, FakeFactory, open_github
from tests.connectors.github.fake_github import Budget, Fault
from tests.connectors.github.fake_graphql import query_cost
from tests.connectors.github.fake_repos import FakeRepo

PAGE_POINTS = query_cost(parse(OWNER_PAGE), {"owner": "un-org", "first": 100, "withDefaults": True})
"""What a page of up to 100 repositories costs in rate-limit points (3: the topics, tags and
history connections of 100 repositories)."""


def org(count: int = 4) -> dict[str, FakeRepo]:
    return {
        f"repo-{i}": FakeRepo(f"repo-{i}", {"README.md": f"# Repo {i}\n", "LICENSE": "MIT\n"})
        for i in range(count)
    }


def scanned(source: EntitySource) -> dict[str, Snapshot | RepoFailure]:
    return {item.name: item for item in source.repositories}


def test_a_burst_of_server_errors_is_retried(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    fake.faults.extend([Fault("status", 502), Fault("status", 503), Fault("status", 500)])
    connector = GitHubConnector(retry=FAST_RETRY)
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert len(items) == 4
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert [status for _, _, status in fake.requests[:4]] == [502, 503, 500, 200]
    assert connector.client is not None
    assert connector.client.usage.retries == 3


def test_a_dropped_connection_is_retried(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    fake.faults.extend([Fault("drop"), Fault("drop")])
    connector = GitHubConnector(retry=FAST_RETRY)
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.retries == 2


def test_secondary_rate_limits_are_waited_out(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    fake.faults.extend([Fault("secondary", 403, retry_after=1), Fault("secondary", 429, 1)])
    connector = GitHubConnector(retry=FAST_RETRY)
    started = time.monotonic()
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert time.monotonic() - started >= 2.0, "Retry-After was not honoured"
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.waited == 2.0


def test_a_spent_budget_is_waited_for_until_it_resets(fake_github: FakeFactory) -> None:
    # The page's points and one more per window: the page, the first batch of texts, then the
    # budget is spent and the second batch waits for the reset.
    points = PAGE_POINTS + 1
    fake = fake_github(
        {"un-org": ("Organization", org(4))},
        budget=Budget(limit=points, window=1.5, remaining=points, reset_at=time.time() + 1.5),
    )
    connector = GitHubConnector(retry=FAST_RETRY, limits=BatchLimits(objects=4))
    items = scanned(open_github(fake, "un-org", ScanOptions(max_wait=30), connector=connector))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert len(items) == 4
    assert connector.client is not None
    assert connector.client.usage.waited > 0


def test_a_reset_beyond_max_wait_stops_with_what_was_scanned(fake_github: FakeFactory) -> None:
    fake = fake_github(
        {"un-org": ("Organization", org(5))},
        budget=Budget(limit=2, window=3600, remaining=2, reset_at=time.time() + 3600),
    )
    connector = GitHubConnector(retry=FAST_RETRY, page_size=2, limits=BatchLimits(objects=4))
    items = scanned(open_github(fake, "un-org", ScanOptions(max_wait=5), connector=connector))
    # The first page (2 repositories) was listed and read; then the budget was spent.
    assert isinstance(items["un-org/repo-0"], Snapshot)
    assert isinstance(items["un-org/repo-1"], Snapshot)
    rest = items["un-org/*"]
    assert isinstance(rest, RepoFailure)
    assert rest.reason.startswith("3 more repositories were not listed: GitHub")
    assert "--max-wait" in rest.reason
    assert set(items) == {"un-org/repo-0", "un-org/repo-1", "un-org/*"}


def test_listed_repositories_fail_clearly_when_the_budget_runs_out(
    fake_github: FakeFactory,
) -> None:
    fake = fake_github(
        {"un-org": ("Organization", org(3))},
        budget=Budget(
            limit=PAGE_POINTS, window=3600, remaining=PAGE_POINTS, reset_at=time.time() + 3600
        ),
    )
    items = scanned(open_github(fake, "un-org", ScanOptions(max_wait=5)))
    assert len(items) == 3
    for item in items.values():
        assert isinstance(item, RepoFailure)
        assert "rate limit" in item.reason


def test_a_batch_that_keeps_failing_is_split(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(4))})
    retry = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01, timeout=5)
    connector = GitHubConnector(retry=retry)
    source = open_github(fake, "un-org", connector=connector)
    # The listing succeeded; the batch of texts for all four fails twice (given up), then its
    # halves are asked for separately and succeed.
    fake.faults.extend([Fault("status", 502), Fault("status", 502)])
    items = scanned(source)
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert [s for _, _, s in fake.requests[1:]] == [502, 502, 200, 200]


def test_a_repository_that_always_fails_is_reported_alone(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(2))})
    retry = RetryPolicy(attempts=1, backoff=0.01, max_backoff=0.01, timeout=5)
    source = open_github(fake, "un-org", connector=GitHubConnector(retry=retry))
    # The whole batch fails, then the first half (repo-0) fails again; repo-1 is read.
    fake.faults.extend([Fault("status", 502), Fault("status", 502)])
    items = scanned(source)
    failed = items["un-org/repo-0"]
    assert isinstance(failed, RepoFailure)
    assert failed.reason == "files could not be read: GitHub answered 502: Server Error"
    assert isinstance(items["un-org/repo-1"], Snapshot)


def test_a_page_github_keeps_failing_on_is_asked_for_in_halves(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(25))})
    retry = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01, timeout=5)
    connector = GitHubConnector(retry=retry, page_size=40)
    # The first page of 40 fails on both attempts (as a query too heavy for GitHub would).
    fake.faults.extend([Fault("status", 502), Fault("status", 502)])
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert len(items) == 25
    assert all(isinstance(i, Snapshot) for i in items.values())
    pages = [s for _, path, s in fake.requests[:5] if path == "/api/graphql"]
    assert pages[:3] == [502, 502, 200]


def test_a_response_that_never_comes_is_retried(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(2))})
    fake.faults.append(Fault("slow", retry_after=2))
    retry = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.01, timeout=1)
    connector = GitHubConnector(retry=retry)
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.retries == 1


def test_githubs_something_went_wrong_answer_is_retried(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(3))})
    fake.faults.extend([Fault("graphql-timeout"), Fault("graphql-timeout")])
    connector = GitHubConnector(retry=FAST_RETRY)
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert len(items) == 3
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.retries == 2


def test_a_429_without_advice_waits_a_minute_within_max_wait(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(2))})
    fake.faults.append(Fault("bare-429"))
    with pytest.raises(ConnectorError, match="secondary rate limit: it lifts in 60 s") as caught:
        open_github(fake, "un-org", ScanOptions(max_wait=30))
    assert caught.value.hint == "raise --max-wait, or scan again after the reset"


def test_a_graphql_secondary_limit_waits_retry_after_not_the_reset(
    fake_github: FakeFactory,
) -> None:
    fake = fake_github({"un-org": ("Organization", org(2))})
    fake.faults.append(Fault("graphql-secondary", retry_after=1))
    connector = GitHubConnector(retry=FAST_RETRY)
    # The primary budget resets in an hour; only the secondary limit's second may be waited.
    items = scanned(open_github(fake, "un-org", ScanOptions(max_wait=10), connector=connector))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.waited == 1.0


def test_a_503_with_retry_after_is_retried_when_it_says(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org(2))})
    fake.faults.append(Fault("unavailable", 503, retry_after=1))
    connector = GitHubConnector(retry=FAST_RETRY)
    items = scanned(open_github(fake, "un-org", connector=connector))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert connector.client is not None
    assert connector.client.usage.waited == 1.0


def test_a_scan_cut_short_by_the_rate_limit_reports_what_it_scanned(
    fake_github: FakeFactory,
) -> None:
    fake = fake_github(
        {"un-org": ("Organization", org(150))},
        budget=Budget(
            limit=PAGE_POINTS + 1,
            window=3600,
            remaining=PAGE_POINTS + 1,
            reset_at=time.time() + 3600,
        ),
    )
    options = ScanOptions(github_url=fake.api_url, max_wait=5)
    report = Scanner(load_ruleset("un-ospo", load_plugins=False), options).scan(["github:un-org"])
    scanned = [r for r in report.repositories if r.status is RepoStatus.OK]
    failed = {r.name: r.error for r in report.repositories if r.status is RepoStatus.ERROR}
    # The first page (100 repositories) was listed and read; the second was refused.
    assert len(scanned) == 100
    assert list(failed) == ["un-org/*"]
    assert (failed["un-org/*"] or "").startswith("50 more repositories were not listed")
    assert report.has_errors  # exit code 3


def test_an_incomplete_listing_survives_name_filters(fake_github: FakeFactory) -> None:
    fake = fake_github(
        {"un-org": ("Organization", org(150))},
        budget=Budget(
            limit=PAGE_POINTS + 1,
            window=3600,
            remaining=PAGE_POINTS + 1,
            reset_at=time.time() + 3600,
        ),
    )
    options = ScanOptions(github_url=fake.api_url, max_wait=5, include=("repo-1*",))
    report = Scanner(load_ruleset("un-ospo", load_plugins=False), options).scan(["github:un-org"])
    failed = [r.name for r in report.repositories if r.status is RepoStatus.ERROR]
    # Unlisted repositories might match the glob: the report must still say they were not seen.
    assert failed == ["un-org/*"]
    scanned = [r.name for r in report.repositories if r.status is RepoStatus.OK]
    assert scanned
    assert all(name.startswith("un-org/repo-1") for name in scanned)
    assert report.has_errors
