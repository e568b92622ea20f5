"""Fixtures for the GitHub connector tests: a fake GitHub over real HTTP and a token for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ospo_scan.connectors.github import GitHubConnector
from ospo_scan.connectors.github.client import RetryPolicy
from ospo_scan.connectors.interface import EntitySource, ScanOptions, Target, TargetKind
from tests.connectors.github.fake_github import TOKEN, FakeGitHub
from tests.connectors.github.fake_graphql import Owners

FAST_RETRY = RetryPolicy(attempts=4, backoff=0.01, max_backoff=0.05, timeout=60)
"""Retries as the connector does them, with backoffs short enough for tests. The timeout is
long: on a busy machine the fake's schema check can take seconds, and a retry would add a
request the tests count (tests of timeouts set their own)."""

FakeFactory = Callable[..., FakeGitHub]


@pytest.fixture
def github_token(monkeypatch: pytest.MonkeyPatch) -> str:
    """GITHUB_TOKEN set to the token the fake accepts (and GH_TOKEN unset)."""
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    return TOKEN


@pytest.fixture
def fake_github(github_token: str) -> Iterator[FakeFactory]:
    """Starts fake GitHub servers; each must have seen only schema-valid traffic by the end."""
    started: list[FakeGitHub] = []

    def start(owners: Owners, **kwargs: object) -> FakeGitHub:
        fake = FakeGitHub(owners, **kwargs)  # type: ignore[arg-type]
        fake.__enter__()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.__exit__(None, None, None)
    for fake in started:
        fake.check_clean()


def open_github(
    fake: FakeGitHub,
    path: str,
    options: ScanOptions | None = None,
    connector: GitHubConnector | None = None,
) -> EntitySource:
    """Open `github:PATH` on the fake with the real connector (fast retries)."""
    options = options or ScanOptions()
    options = ScanOptions(
        visibility=options.visibility,
        github_url=fake.api_url,
        token_env=options.token_env,
        max_wait=options.max_wait,
        include=options.include,
        exclude=options.exclude,
    )
    connector = connector or GitHubConnector(retry=FAST_RETRY)
    return connector.open(Target(TargetKind.GITHUB, path, raw=f"github:{path}"), options)
