"""A repository's control and bidirectional characters are shown as escapes, never acted on."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.untrusted.display import neutralise
from tests.conftest import RepoFactory

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
    controller, terminal = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "ospo_scan", "scan", str(entity), "--output", "r.json"],
            cwd=tmp_path,
            stderr=terminal,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=120,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal side is closed: everything has been read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    text = shown.decode("utf-8")
    assert "scanning tool\\x1b]0;owned\\x07-\\u202egpj.exe" in text
    assert "\x07" not in text
    assert RIGHT_TO_LEFT not in text
    assert "\x1b]" not in text  # the only escape sequences left are the line's own `ESC [ K`


def test_neutralise_keeps_ordinary_text_and_line_breaks_where_asked() -> None:
    assert neutralise("Données ouvertes — 公開データ") == "Données ouvertes — 公開データ"
    assert neutralise("a\nb\tc") == "a\\x0ab\\x09c"
    assert neutralise("a\nb\tc", keep_line_breaks=True) == "a\nb\tc"
    assert neutralise("\x9b31m\u2028\u2066x\u2069") == "\\x9b31m\\u2028\\u2066x\\u2069"
