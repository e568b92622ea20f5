"""Fixtures for the GitLab connector tests: a fake GitLab over real HTTP, and ways to open it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ospo_scan.connectors.gitlab import GitLabConnector
from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.snapshot import Snapshot
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_model import FakeInstance

TOKEN = "glpat-valid-token"
"""A maintainer's token on every project of the fake."""
REPORTER_TOKEN = "glpat-reporter-token"
"""A token of a user with the Reporter role only."""
ADMIN_TOKEN = "glpat-admin-token"
"""An administrator's token."""

FakeFactory = Callable[..., FakeGitLab]


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)


@pytest.fixture
def gitlab_token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    return TOKEN


@pytest.fixture
def fake_gitlab() -> Iterator[FakeFactory]:
    """Starts fake GitLab servers on 127.0.0.1, stopped at the end of the test; fails the test
    when GitLab's schema rejected any query they were sent."""
    started: list[FakeGitLab] = []

    def start(instance: FakeInstance, **kwargs: object) -> FakeGitLab:
        kwargs.setdefault("reporter_tokens", (REPORTER_TOKEN,))
        kwargs.setdefault("admin_tokens", (ADMIN_TOKEN,))
        fake = FakeGitLab(instance, tokens=(TOKEN,), **kwargs)  # type: ignore[arg-type]
        fake.__enter__()
        started.append(fake)
        return fake

    yield start
    problems: list[str] = []
    for fake in started:
        try:
            fake.__exit__(None, None, None)
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, problems


def open_gitlab(
    fake: FakeGitLab,
    path: str,
    *,
    connector: GitLabConnector | None = None,
    **options: object,
) -> EntitySource:
    """Open `gitlab:PATH` on the fake (given as `--gitlab-url`)."""
    scan_options = ScanOptions(gitlab_url=fake.url, **options)  # type: ignore[arg-type]
    target = Target(TargetKind.GITLAB, path, raw=f"gitlab:{path}")
    return (connector or GitLabConnector()).open(target, scan_options)


def read_all(source: EntitySource) -> dict[str, Snapshot | RepoFailure]:
    return {item.name: item for item in source.repositories}


def snapshot(items: dict[str, Snapshot | RepoFailure], name: str) -> Snapshot:
    item = items[name]
    assert isinstance(item, Snapshot), f"{name} could not be read: {item}"
    return item
