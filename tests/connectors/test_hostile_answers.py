"""Hosts that answer, but in a way that would hold a scan forever or exhaust its memory: one byte
at a time, or without end. Each is that target's error row; the other targets keep their rows.

Real sockets on 127.0.0.1 and the real PyGithub / python-gitlab clients through the command
line; what is checked is the outcome, never how long anything took.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.connectors.hostile_host import HostileHost

DRIP_PAUSE = 0.25
"""Seconds between two bytes: far less than any read timeout, so only a deadline ends it."""
DRIP_FOR_AT_MOST = 40.0
"""The host gives up dripping after this, so that a client without a deadline still ends."""
STREAMED_MB = 40
"""What the endless host sends before it stops, far past the bound the tests set (1 MiB)."""


ANSWER_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-RateLimit-Remaining: 4999\r\n"
)


def _drip(host: HostileHost, connection: socket.socket) -> None:
    """One byte every DRIP_PAUSE seconds: the status line, the headers, then a body."""
    answer = ANSWER_HEAD + b"Content-Length: 100000\r\n\r\n" + b" " * 100_000
    started = time.monotonic()
    for index in range(len(answer)):
        if host.closed() or time.monotonic() - started > DRIP_FOR_AT_MOST:
            return
        host.send(connection, answer[index : index + 1])
        time.sleep(DRIP_PAUSE)


def _endless(host: HostileHost, connection: socket.socket) -> None:
    """A body with no length, sent as fast as the client reads it, STREAMED_MB in all."""
    host.send(connection, ANSWER_HEAD + b"Connection: close\r\n\r\n[")
    piece = b"0," * 32768
    for _ in range(STREAMED_MB * 1024 * 1024 // len(piece)):
        if host.closed():
            return
        host.send(connection, piece)


def _declared_huge(host: HostileHost, connection: socket.socket) -> None:
    """An answer that says it is 3 GB long."""
    host.send(connection, ANSWER_HEAD + b"Content-Length: 3000000000\r\n\r\n[0,")


@pytest.fixture
def hostile() -> Iterator[Any]:
    started: list[HostileHost] = []

    def start(answer: Any) -> HostileHost:
        host = HostileHost(answer)
        started.append(host)
        return host

    yield start
    for host in started:
        host.close()


def _target(host: HostileHost, kind: str) -> list[str]:
    if kind == "github":
        return ["github:un-org", "--github-url", f"http://127.0.0.1:{host.port}/api/v3"]
    return ["gitlab:top", "--gitlab-url", f"http://127.0.0.1:{host.port}"]


def _scan(
    tmp_path: Path, local: Path, target: list[str], *options: str
) -> tuple[int, str, dict[str, Any]]:
    report = tmp_path / "report.json"
    result = CliRunner(
        env={"GITHUB_TOKEN": "ghp_hostile_answer_token", "GITLAB_TOKEN": "glpat-hostile-answer"}
    ).invoke(
        main,
        ["scan", str(local), *target, *options, "--output", str(report), "--no-history"],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    document = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result.exit_code, result.stderr, document


@pytest.fixture
def local(tmp_path: Path, git_repo_factory: RepoFactory) -> Path:
    """A local repository scanned beside the hostile host: its row must survive."""
    return git_repo_factory(tmp_path / "local-app", {"README.md": "# App\n\nRun `app`.\n"})


def _rows(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in document["repositories"]}


@pytest.mark.parametrize("kind", ["github", "gitlab"])
@pytest.mark.parametrize(
    "deadline",
    [("--answer-deadline", "2"), ("--scan-deadline", "2")],
    ids=["answer-deadline", "scan-deadline"],
)
def test_a_host_dripping_its_answer_is_silent_once_the_deadline_passes(
    hostile: Any, tmp_path: Path, local: Path, kind: str, deadline: tuple[str, str]
) -> None:
    host = hostile(_drip)
    code, stderr, document = _scan(tmp_path, local, _target(host, kind), *deadline)
    assert code == 3, stderr
    rows = _rows(document)
    assert rows["local-app"]["status"] == "ok"  # the other target keeps its row
    (failed,) = [row for name, row in rows.items() if name != "local-app"]
    assert failed["status"] == "error"
    assert "within 2 s" in failed["error"] or "deadline for this host has passed" in failed["error"]
    assert host.connections <= 2  # given up as silent, not retried without end


@pytest.mark.parametrize("kind", ["github", "gitlab"])
@pytest.mark.parametrize("answer", [_endless, _declared_huge], ids=["streamed", "declared"])
def test_an_answer_past_the_size_bound_is_that_targets_error_row(
    hostile: Any, tmp_path: Path, local: Path, kind: str, answer: Any
) -> None:
    host = hostile(answer)
    code, stderr, document = _scan(tmp_path, local, _target(host, kind), "--max-answer-mb", "1")
    assert code == 3, stderr
    rows = _rows(document)
    assert rows["local-app"]["status"] == "ok"
    (failed,) = [row for name, row in rows.items() if name != "local-app"]
    assert failed["status"] == "error"
    assert "larger than 1 MiB" in failed["error"]
    assert host.sent < STREAMED_MB * 1024 * 1024  # the client stopped reading early
