"""Dead hosts are given up quickly and once: refused, silent, or slower than --max-wait allows.

Real sockets on 127.0.0.1 and the real PyGithub / python-gitlab clients; what is checked is how
many attempts reached the host, never how long anything took.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.connectors.github import GitHubConnector
from ospo_scan.connectors.github.client import RetryPolicy
from ospo_scan.connectors.gitlab import GitLabConnector
from ospo_scan.connectors.gitlab.http import HostUnreachable, RequestLog
from ospo_scan.connectors.interface import RepoFailure, ScanOptions, Target, TargetKind
from ospo_scan.errors import ConnectorError
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.groups import PUBLIC_TOP, nested_group


class SilentHost:
    """Accepts connections and never answers; counts the connections."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            self._held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self._held:
            connection.close()


@pytest.fixture
def silent() -> Iterator[SilentHost]:
    host = SilentHost()
    yield host
    host.close()


@pytest.fixture
def refusing_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _github(
    url: str, retry: RetryPolicy, max_wait: float = 900.0
) -> tuple[GitHubConnector, ConnectorError]:
    connector = GitHubConnector(retry=retry)
    options = ScanOptions(github_url=url, max_wait=max_wait)
    with pytest.raises(ConnectorError) as caught:
        connector.open(Target(TargetKind.GITHUB, "un-org", raw="github:un-org"), options)
    return connector, caught.value


def test_github_refused_is_given_up_after_two_attempts(
    refusing_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_dead_host_token_000")
    retry = RetryPolicy(attempts=6, backoff=0.01, max_backoff=0.01)
    connector, error = _github(f"http://127.0.0.1:{refusing_port}/api/v3", retry)
    assert connector.client is not None
    assert connector.client.usage.requests == 2
    assert "could not reach GitHub (connection refused, 2 attempts)" in str(error)


def test_github_silent_host_is_given_up_after_two_timeouts(
    silent: SilentHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_dead_host_token_000")
    retry = RetryPolicy(attempts=6, backoff=0.01, max_backoff=0.01, timeout=1)
    _, error = _github(f"http://127.0.0.1:{silent.port}/api/v3", retry)
    assert silent.connections == 2
    assert "no answer within the timeout, 2 attempts" in str(error)


def test_github_retries_stop_when_the_scans_budget_is_spent(
    silent: SilentHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_dead_host_token_000")
    retry = RetryPolicy(attempts=6, backoff=5, max_backoff=5, timeout=1, silent_attempts=6)
    _github(f"http://127.0.0.1:{silent.port}/api/v3", retry, max_wait=3.0)
    assert silent.connections == 1  # a 5 s backoff does not fit in a 3 s budget


def _gitlab(url: str, log: RequestLog, max_wait: float = 900.0) -> None:
    connector = GitLabConnector(request_log=log, timeout=(1.0, 1.0))
    options = ScanOptions(gitlab_url=url, max_wait=max_wait)
    connector.open(Target(TargetKind.GITLAB, "top", raw="gitlab:top"), options)


def test_gitlab_refused_is_given_up_and_stays_given_up(
    refusing_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-dead-host-token")
    log = RequestLog()
    with pytest.raises(HostUnreachable, match=r"GitLab cannot be reached \(connection refused\)"):
        _gitlab(f"http://127.0.0.1:{refusing_port}", log)
    assert log.given_up is not None
    with pytest.raises(HostUnreachable):
        log.check_reachable()  # any later request of the scan fails at once


def test_gitlab_silent_host_is_given_up_after_two_timeouts(
    silent: SilentHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-dead-host-token")
    log = RequestLog()
    with pytest.raises(HostUnreachable, match="no answer within the timeout"):
        _gitlab(f"http://127.0.0.1:{silent.port}", log)
    assert silent.connections == 2


def test_gitlab_waits_share_one_budget_across_projects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    with FakeGitLab(nested_group()) as fake:
        connector = GitLabConnector(concurrency=1)
        source = connector.open(
            Target(TargetKind.GITLAB, "top", raw="gitlab:top"),
            ScanOptions(gitlab_url=fake.url, max_wait=2.5),
        )
        fake.inject("/api/graphql", 503, 1000, Retry_After="1")
        items = {item.name: item for item in source.repositories}
        refused = [s for _, p, s in fake.requests if p.endswith("/api/graphql") and s == 503]
    assert set(items) == PUBLIC_TOP
    failures = [i for i in items.values() if isinstance(i, RepoFailure)]
    assert failures
    assert all("allowed 2 s" in f.reason or "allowed 3 s" in f.reason for f in failures)
    assert len(refused) <= 3  # two 1 s waits fit in the budget; not eight retries per project


def test_a_refused_host_is_an_error_row_and_exit_3(refusing_port: int, tmp_path: Path) -> None:
    for target, option in (("gitlab:top", "--gitlab-url"), ("github:un-org", "--github-url")):
        url = f"http://127.0.0.1:{refusing_port}" + ("/api/v3" if "github" in option else "")
        report = tmp_path / "r.json"
        result = CliRunner(env={"GITLAB_TOKEN": "", "GITHUB_TOKEN": ""}).invoke(
            main, ["scan", target, option, url, "--output", str(report), "--no-history"]
        )
        assert result.exit_code == 3
        assert result.stderr.splitlines()[-1].startswith("ospo-scan: scan incomplete: ")
        assert "connection refused" in result.stderr  # the target's note, shown on stderr too
        rows = json.loads(report.read_text(encoding="utf-8"))["repositories"]
        assert [r["status"] for r in rows] == ["error"]
        assert "connection refused" in rows[0]["error"]
