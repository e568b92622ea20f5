"""Declared `file-contains` patterns run on RE2: linear in the text, refused when RE2 cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset
from ospo_scan.errors import ConfigError
from ospo_scan.model import Outcome
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.scanning import local_snapshot, result

CATASTROPHIC = r"^(\w+\s?)+:"
"""Exponential for a backtracking engine: 26 characters took 8.5 s and each one more doubles it."""


def _ruleset(tmp_path: Path, pattern: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\nextends = "un-ospo"\n\n[rules.labelled]\ntype = "file-contains"\n'
        f"paths = [\"NOTES*\"]\npattern = '{pattern}'\n",
        encoding="utf-8",
    )
    return path


def test_a_catastrophic_pattern_runs_in_linear_time(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    ruleset = load_ruleset(str(_ruleset(tmp_path, CATASTROPHIC)), load_plugins=False)
    # 60 characters: a backtracking engine would need about 2^34 times the 8.5 s measured at 26.
    hostile = git_repo_factory(tmp_path / "hostile", {"NOTES.md": "a" * 60 + "!\n"})
    fitting = git_repo_factory(tmp_path / "fitting", {"NOTES.md": "intro\nkey word: value\n"})

    hostile_result = result(evaluate_repository(local_snapshot(hostile), ruleset), "labelled")
    fitting_result = result(evaluate_repository(local_snapshot(fitting), ruleset), "labelled")

    assert hostile_result.outcome is Outcome.PARTIAL
    assert fitting_result.outcome is Outcome.PASS  # `^` still matches at each line's start
    assert CATASTROPHIC in fitting_result.message


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", "invalid escape sequence"),
        (r"licen(?=s)", "invalid perl operator"),
        ("(", "missing )"),
    ],
    ids=["backreference", "lookahead", "syntax"],
)
def test_a_pattern_re2_cannot_take_is_a_ruleset_error(
    tmp_path: Path, pattern: str, reason: str
) -> None:
    path = _ruleset(tmp_path, pattern)
    with pytest.raises(ConfigError) as caught:
        load_ruleset(str(path), load_plugins=False)
    line = caught.value.one_line()
    assert line.startswith(f"{path}:7: rules.labelled.pattern: ")
    assert "linear-time engine (RE2)" in line
    assert reason in line
    assert "(?m)" not in line

    scanned = CliRunner().invoke(main, ["scan", str(tmp_path), "--ruleset", str(path)])
    assert scanned.exit_code == 2
    assert scanned.stderr.count("\n") == 1
    assert f"{path}:7: rules.labelled.pattern" in scanned.stderr


def test_rules_show_says_what_a_file_contains_rule_does_when_the_pattern_is_absent(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    path = _ruleset(tmp_path, "^Owner:")
    ruleset = load_ruleset(str(path), load_plugins=False)
    repo = git_repo_factory(tmp_path / "app", {"NOTES.md": "No owner line here.\n"})

    found = result(evaluate_repository(local_snapshot(repo), ruleset), "labelled")
    shown = CliRunner().invoke(main, ["rules", "show", "labelled", "--ruleset", str(path)])

    assert found.outcome is Outcome.PARTIAL
    assert found.message == "NOTES.md does not match /^Owner:/."
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    assert "partial when: files match but none contains the pattern" in text
    assert "fails when: no regular file matches" in text
    assert "NOTES* (case-insensitive globs over the listed directories: the root, .github/" in text
