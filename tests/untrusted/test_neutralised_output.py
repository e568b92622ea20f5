"""A repository's control and bidirectional characters are shown as escapes, never acted on."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.untrusted.display import neutralise
from tests.conftest import RepoFactory
from tests.terminal import stderr_on_a_terminal

RETITLE = "\x1b]0;owned\x07"
"""An OSC sequence: a terminal that prints it takes `owned` as its window title."""
RIGHT_TO_LEFT = "\u202e"
HOSTILE_NAME = f"tool{RETITLE}-{RIGHT_TO_LEFT}gpj.exe"
ACTING = ("\x1b", "\x07", RIGHT_TO_LEFT)
README = "# Tool\n\nInstall it with pip install tool, then run tool --help to see the commands.\n"


@pytest.fixture
def entity(git_repo_factory: RepoFactory, tmp_path: Path) -> Path:
    root = tmp_path / "entity"
    git_repo_factory(root / HOSTILE_NAME, {"README.md": README})
    git_repo_factory(root / "plain", {"README.md": README})
    return root


@pytest.mark.parametrize("output_format", ["table", "csv", "html", "markdown", "sarif"])
def test_every_format_shows_escapes(entity: Path, output_format: str) -> None:
    result = CliRunner().invoke(
        main, ["scan", str(entity), "--format", output_format], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    for char in ACTING:
        assert char not in result.stdout
    shown = result.stdout
    if output_format == "markdown":
        shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", shown)  # every punctuation is escaped
    if output_format == "sarif":
        shown = shown.replace("\\\\", "\\")  # JSON escapes the backslash
    assert "tool\\x1b]0;owned\\x07-\\u202egpj.exe" in shown


def test_the_progress_line_on_a_terminal_shows_escapes(entity: Path, tmp_path: Path) -> None:
    text = stderr_on_a_terminal(
        [sys.executable, "-m", "ospo_scan", "scan", str(entity), "--output", "r.json"],
        tmp_path,
    )
    assert "scanning tool\\x1b]0;owned\\x07-\\u202egpj.exe" in text
    assert "\x07" not in text
    assert RIGHT_TO_LEFT not in text
    assert "\x1b]" not in text  # the only escape sequences left are the line's own `ESC [ K`


def test_neutralise_keeps_ordinary_text_and_line_breaks_where_asked() -> None:
    assert neutralise("Données ouvertes — 公開データ") == "Données ouvertes — 公開データ"
    assert neutralise("a\nb\tc") == "a\\x0ab\\x09c"
    assert neutralise("a\nb\tc", keep_line_breaks=True) == "a\nb\tc"
    assert neutralise("\x9b31m\u2028\u2066x\u2069") == "\\x9b31m\\u2028\\u2066x\\u2069"
