"""Rate limits, server faults and GraphQL limits: survived with nothing lost, or one clear line."""

from __future__ import annotations

import pytest

from ospo_scan.connectors.gitlab import GitLabConnector
from ospo_scan.connectors.gitlab.http import RequestLog
from ospo_scan.connectors.interface import RepoFailure
from ospo_scan.errors import ConnectorError
from ospo_scan.snapshot import Snapshot
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory, open_gitlab, read_all
from tests.connectors.gitlab.fake_model import FILE_MODE, Blob, FakeInstance, FakeProject
from tests.connectors.gitlab.groups import PUBLIC_TOP, digest, linked_project, nested_group

pytestmark = pytest.mark.usefixtures("no_token")


def clean_digest(fake_gitlab: FakeFactory, instance: FakeInstance, path: str) -> object:
    return digest(read_all(open_gitlab(fake_gitlab(instance), path)))


def test_429_with_retry_after_and_5xx_bursts_lose_nothing(fake_gitlab: FakeFactory) -> None:
    instance = nested_group()
    # Files no rule reads are not prefetched: reading them goes through the raw-file API.
    for path in ("Makefile", "docs/index.md"):
        instance.projects["top/a"].files[path] = Blob(FILE_MODE, b"all:\n")
    expected = clean_digest(fake_gitlab, instance, "top")
    fake = fake_gitlab(instance)
    fake.inject("/projects", 429, 1, Retry_After="1")
    fake.inject("/api/graphql", 429, 2, Retry_After="1")
    fake.inject("/api/graphql", 502, 3)
    fake.inject("/api/graphql", 503, 1)
    fake.inject("/raw", 500, 2)
    fake.inject("/raw", 504, 1)

    items = read_all(open_gitlab(fake, "top"))
    assert set(items) == PUBLIC_TOP
    assert digest(items) == expected
    statuses = [status for _, _, status in fake.requests]
    assert statuses.count(429) == 3
    assert sum(1 for s in statuses if s >= 500) == 7
    assert all(f.count == 0 for f in fake.faults)  # every injected fault was met and survived


def test_a_spent_rate_limit_budget_is_waited_for(fake_gitlab: FakeFactory) -> None:
    instance = nested_group()
    expected = clean_digest(fake_gitlab, instance, "top")
    fake = fake_gitlab(instance)
    fake.exhausted = 2
    log = RequestLog()

    items = read_all(open_gitlab(fake, "top", connector=GitLabConnector(request_log=log)))
    assert digest(items) == expected
    assert log.paused == 2
    assert log.rate_limited == 0  # waiting for the reset avoided any 429


def test_a_rate_limit_longer_than_allowed_fails_projects_not_the_scan(
    fake_gitlab: FakeFactory,
) -> None:
    fake = fake_gitlab(nested_group())
    fake.inject("/api/graphql", 429, 1000, Retry_After="3600")

    connector = GitLabConnector(concurrency=1)

    items = read_all(open_gitlab(fake, "top", connector=connector, max_wait=5.0))
    failures = {n: i for n, i in items.items() if isinstance(i, RepoFailure)}
    assert set(failures) == PUBLIC_TOP - {"top/empty"}
    assert all("asked to wait 3600 s" in f.reason for f in failures.values())
    assert isinstance(items["top/empty"], Snapshot)
    assert fake.count("/api/graphql") == 1  # the first refusal stops further attempts


def test_a_rate_limit_during_enumeration_is_one_clear_line(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    fake.inject("/groups/", 429, 1000, Retry_After="7200")

    with pytest.raises(ConnectorError) as caught:
        open_gitlab(fake, "top", max_wait=60.0)
    line = caught.value.one_line()
    assert "asked to wait 7200 s, more than the allowed 60 s" in line
    assert "\n" not in line


def test_persistent_server_errors_fail_the_projects_they_hit(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    fake.inject("/api/graphql", 502, 1000)
    connector = GitLabConnector(max_retries=2)

    items = read_all(open_gitlab(fake, "top", connector=connector))
    failures = [i for i in items.values() if isinstance(i, RepoFailure)]
    assert len(failures) == 4
    assert all("HTTP 502" in f.reason for f in failures)
    assert isinstance(items["top/empty"], Snapshot)
    assert fake.count("/api/graphql") % 3 == 0  # each query tried once and retried twice


def test_a_lower_complexity_limit_is_learnt_and_queries_split(fake_gitlab: FakeFactory) -> None:
    instance = nested_group()
    instance.add_project(linked_project())
    expected = clean_digest(fake_gitlab, instance, "top")
    fake = fake_gitlab(instance, complexity_limits=(45, 45), tell_limit=False)

    items = read_all(open_gitlab(fake, "top"))
    assert digest(items) == expected
    refused = [score for score in fake.complexity_scores if score > 45]
    assert refused  # GitLab refused some queries; the connector split them until they fitted


def many_projects(count: int) -> FakeInstance:
    instance = FakeInstance()
    for i in range(count):
        texts = {
            "README.md": f"# Project {i}\n\nUsage: run it.\n",
            "LICENSE": "MIT License\n",
            "CONTRIBUTING.md": "Merge requests welcome.\n",
            "docs/SECURITY.md": "security@example.org\n",
            "src/main.py": "pass\n",
        }
        instance.add_project(FakeProject.from_texts(f"many/g{i % 4}/p{i:02}", texts))
    return instance


def test_the_limit_the_instance_states_is_used_from_the_start(fake_gitlab: FakeFactory) -> None:
    instance = many_projects(40)
    expected = clean_digest(fake_gitlab, instance, "many")
    queries: dict[int, int] = {}
    for limit in (60, 200, 1000):
        fake = fake_gitlab(instance, complexity_limits=(limit, limit))
        assert digest(read_all(open_gitlab(fake, "many"))) == expected
        assert max(fake.complexity_scores) <= limit  # nothing refused
        queries[limit] = fake.count("/api/graphql")
    assert queries[60] > queries[200] > queries[1000]


def test_an_instance_without_branch_rules_leaves_protection_unknown(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    instance = nested_group()
    recent = fake_gitlab(instance)
    expected = digest(read_all(open_gitlab(recent, "top")))
    fake = fake_gitlab(instance, branch_rules=False)

    items = read_all(open_gitlab(fake, "top"))
    assert all(isinstance(i, Snapshot) for i in items.values())
    assert all(i.metadata.host.default_branch_protected is None for i in items.values())
    files = {name: seen[2] for name, seen in digest(items).items()}
    assert files == {name: seen[2] for name, seen in expected.items()}
    # One query refused for the unknown field, then the same queries without host facts.
    assert fake.count("/api/graphql") == recent.count("/api/graphql") + 1


def test_a_limit_below_the_smallest_query_fails_projects_with_the_reason(
    fake_gitlab: FakeFactory,
) -> None:
    fake = fake_gitlab(nested_group(), complexity_limits=(3, 3))

    items = read_all(open_gitlab(fake, "top"))
    failures = [i for i in items.values() if isinstance(i, RepoFailure)]
    assert len(failures) == 4
    assert all("refuses even the smallest query" in f.reason for f in failures)


def test_requests_stay_below_one_per_project(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(many_projects(60))
    items = read_all(open_gitlab(fake, "many"))
    assert all(isinstance(i, Snapshot) for i in items.values())
    for item in items.values():
        assert isinstance(item, Snapshot)
        assert item.read_bytes("docs/SECURITY.md") == b"security@example.org\n"
    assert len(fake.requests) / len(items) < 1.0
