"""The commit a GitHub scan read: the default branch's head, from the listing query itself."""

from __future__ import annotations

from ospo_scan.connectors.interface import RepoFailure
from ospo_scan.snapshot import Snapshot
from tests.connectors.github.conftest import FakeFactory, open_github
from tests.connectors.github.fake_repos import FakeRepo


def _repos() -> dict[str, FakeRepo]:
    return {
        "app": FakeRepo("app", {"README.md": "# App\n", "LICENSE": "MIT"}),
        "lib": FakeRepo("lib", {"README.md": "# Lib\n"}, default_branch="trunk"),
        "empty": FakeRepo("empty", {}),
    }


def test_each_snapshot_names_the_default_branch_head(fake_github: FakeFactory) -> None:
    repos = _repos()
    fake = fake_github({"un-org": ("Organization", repos)})
    items = {item.name: item for item in open_github(fake, "un-org").repositories}
    for name in ("app", "lib"):
        snapshot = items[f"un-org/{name}"]
        assert isinstance(snapshot, Snapshot)
        assert snapshot.metadata.commit == repos[name].head
        assert snapshot.metadata.default_branch == repos[name].default_branch
    assert repos["app"].head != repos["lib"].head
    empty = items["un-org/empty"]
    assert isinstance(empty, RepoFailure)
    assert empty.metadata.commit is None


def test_commits_cost_no_request_per_repository(fake_github: FakeFactory) -> None:
    counts = []
    for size in (2, 8):
        repos = {f"r{n}": FakeRepo(f"r{n}", {"README.md": f"# R{n}\n"}) for n in range(size)}
        fake = fake_github({f"org{size}": ("Organization", repos)})
        items = list(open_github(fake, f"org{size}").repositories)
        assert all(isinstance(i, Snapshot) and i.metadata.commit for i in items)
        counts.append(len(fake.requests))
    assert counts[0] == counts[1]
