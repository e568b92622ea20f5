"""Without a token: public repositories through the REST API, within GitHub's 60 requests/hour."""

from __future__ import annotations

import pytest

from ospo_scan.connectors.interface import EntitySource, RepoFailure, ScanOptions
from ospo_scan.errors import ConnectorError
from ospo_scan.snapshot import EntryKind, Snapshot
from tests.connectors.github.conftest import FakeFactory, open_github
from tests.connectors.github.fake_github import Budget
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.github.test_github_equivalence import REPOSITORIES


def _items(source: EntitySource) -> dict[str, Snapshot | RepoFailure]:
    return {item.name: item for item in source.repositories}


def _view(snapshot: Snapshot) -> dict[str, object]:
    """Everything rules can see of a snapshot, except host facts only GraphQL gives."""
    reads = {
        entry.path: snapshot.read_bytes(entry.path)
        for entries in snapshot.listings.values()
        for entry in entries
        if entry.kind is EntryKind.FILE
    }
    meta = snapshot.metadata
    return {
        "listings": dict(snapshot.listings),
        "reads": reads,
        "warnings": sorted(snapshot.warnings),
        "defaults": snapshot.org_defaults.name if snapshot.org_defaults else None,
        "metadata": (meta.archived, meta.fork, meta.visibility, meta.description, meta.topics),
        "pushed_at": meta.pushed_at,
        "branch": meta.default_branch,
    }


def _repos() -> dict[str, FakeRepo]:
    repos = {name: FakeRepo(name, files) for name, files in REPOSITORIES.items()}
    repos["complete"].description = "Health data toolkit"
    repos["complete"].topics = ("health",)
    repos["private-tool"] = FakeRepo("private-tool", {"README.md": "# Secret\n"}, private=True)
    repos["nothing-yet"] = FakeRepo("nothing-yet", {})
    return repos


def test_without_a_token_the_snapshots_are_those_of_a_token_scan(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _repos())})
    with_token = _items(open_github(fake, "un-org"))
    monkeypatch.delenv("GITHUB_TOKEN")
    source = open_github(fake, "un-org")
    anonymous = _items(source)

    assert set(anonymous) == set(with_token)
    assert "un-org/private-tool" not in anonymous
    for name, item in with_token.items():
        other = anonymous[name]
        if isinstance(item, RepoFailure):
            assert isinstance(other, RepoFailure)
            assert other.reason == item.reason
            continue
        assert isinstance(other, Snapshot), other
        assert _view(other) == _view(item), name
        assert other.metadata.host.default_branch_protected is None
    assert source.defaults_repository == "un-org/.github"
    (note,) = source.notes
    assert "60 requests an hour without a token" in note
    anonymous_requests = [r for r in fake.requests if r[1] != "/api/graphql"]
    assert len(anonymous_requests) <= 60


def test_without_a_token_one_repository(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _repos())})
    monkeypatch.delenv("GITHUB_TOKEN")
    items = _items(open_github(fake, "un-org/complete"))
    complete = items["un-org/complete"]
    assert isinstance(complete, Snapshot)
    assert set(items) == {"un-org/complete"}
    assert complete.org_defaults is not None
    with pytest.raises(ConnectorError, match="no public GitHub repository un-org/private-tool"):
        open_github(fake, "un-org/private-tool")


def test_without_a_token_the_budget_runs_out_clearly(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _repos())})
    fake.anonymous_budget = Budget(limit=12, remaining=12)
    monkeypatch.delenv("GITHUB_TOKEN")
    items = _items(open_github(fake, "un-org", ScanOptions(max_wait=5)))
    scanned = [i for i in items.values() if isinstance(i, Snapshot)]
    stopped = [i for i in items.values() if isinstance(i, RepoFailure)]
    assert scanned, "the budget allowed some repositories"
    assert stopped, "the budget did not allow all of them"
    for failure in stopped:
        assert "rate limit" in failure.reason
        assert "--max-wait" in failure.reason


def test_without_a_token_private_repositories_cannot_be_asked_for(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _repos())})
    monkeypatch.delenv("GITHUB_TOKEN")
    with pytest.raises(ConnectorError, match="private repositories cannot be read without"):
        open_github(fake, "un-org", ScanOptions(visibility="all"))
