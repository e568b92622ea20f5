"""Scan progress on stderr: n/N and the time on a terminal, a line now and then in a CI log,
a line per repository with --verbose."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.cli._progress import ProgressDisplay
from ospo_scan.scan.scanner import ProgressUpdate
from tests.conftest import RepoFactory
from tests.terminal import stderr_on_a_terminal

README = "# Tool\n\nInstall it with pip install tool, then run tool --help to see the commands.\n"


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _feed(display: ProgressDisplay, clock: _Clock, times: list[float]) -> None:
    for done, at in enumerate(times, start=1):
        clock.now = 100.0 + at
        display(ProgressUpdate(f"repo-{done}", done, len(times)))


def test_a_terminal_line_shows_the_count_and_the_time_spent() -> None:
    written: list[str] = []
    clock = _Clock()
    display = ProgressDisplay(written.append, terminal=True, clock=clock)
    _feed(display, clock, [0.0, 65.5])
    display(ProgressUpdate("more\x1b]0;x\x07", 3, None))
    display.finish()
    assert written == [
        "\r\033[K[1/2] 0:00 scanning repo-1",
        "\r\033[K[2/2] 1:05 scanning repo-2",
        "\r\033[K[3] 1:05 scanning more\\x1b]0;x\\x07",
        "\r\033[K",
    ]


def test_a_log_gets_a_line_once_the_interval_has_passed() -> None:
    written: list[str] = []
    clock = _Clock()
    display = ProgressDisplay(written.append, terminal=False, interval=10.0, clock=clock)
    _feed(display, clock, [0.0, 3.0, 11.0, 12.0, 20.5, 21.5])
    display.finish()
    assert written == [
        "ospo-scan: progress: 3/6 repositories, 0:11 elapsed: repo-3\n",
        "ospo-scan: progress: 6/6 repositories, 0:21 elapsed: repo-6\n",
    ]


def test_a_log_interval_of_none_is_silent_and_of_zero_a_line_each() -> None:
    for interval, expected in ((None, 0), (0.0, 3)):
        written: list[str] = []
        clock = _Clock()
        display = ProgressDisplay(written.append, terminal=False, interval=interval, clock=clock)
        _feed(display, clock, [0.0, 0.0, 0.0])
        assert len(written) == expected


def test_verbose_shows_each_repository_of_a_local_scan(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    for name in ("alpha", "beta"):
        git_repo_factory(tmp_path / "entity" / name, {"README.md": README})
    result = CliRunner().invoke(
        main, ["scan", str(tmp_path / "entity"), "--no-history", "-v"], catch_exceptions=False
    )
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "progress" in line]
    assert [line.split(", ")[0] for line in lines] == [
        "ospo-scan: progress: 1/2 repositories",
        "ospo-scan: progress: 2/2 repositories",
    ]


def test_a_real_terminal_shows_how_far_the_scan_is(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    for name in ("alpha", "beta", "gamma"):
        git_repo_factory(tmp_path / "entity" / name, {"README.md": README})
    text = stderr_on_a_terminal(
        [sys.executable, "-m", "ospo_scan", "scan", str(tmp_path / "entity"), "--no-history"],
        tmp_path,
    )
    for done, name in enumerate(("alpha", "beta", "gamma"), start=1):
        assert f"[{done}/3] 0:" in text
        assert f" scanning {name}" in text
    assert text.endswith("\r\033[K")
