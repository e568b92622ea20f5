"""The README cannot go stale: its rule catalogue and set-up commands are checked here."""

from __future__ import annotations

import re
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.formats.catalogue import END, START, rule_catalogue

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    """The shell blocks before the first section heading."""
    head = README.split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", head, re.DOTALL)]


def test_rule_catalogue_matches_the_registry() -> None:
    block = README.split(START, 1)[1].split(END, 1)[0].lstrip("\n")
    expected = rule_catalogue(load_ruleset(load_plugins=False))
    assert block == expected, (
        "README catalogue drifted: run `python -m ospo_scan.formats.catalogue README.md`"
    )


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "ospo-scan scan fixtures/" in commands[0]
    assert (ROOT / commands[0].split("ospo-scan scan ", 1)[1]).is_dir()
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _setup_commands()[1] in ci_lines


def test_readme_lists_every_exit_code() -> None:
    for code in range(4):
        assert f"| {code} |" in README


def test_the_readme_shows_the_demo_entitys_principles_as_a_scan_does() -> None:
    from ospo_scan.formats.table import format_table
    from ospo_scan.scan.scanner import Scanner

    report = Scanner(load_ruleset(load_plugins=False)).scan([str(ROOT / "fixtures/demo-agency")])
    table = format_table(report, 80)
    block = table.split("\n\n")[1]
    assert block.startswith("UN Open Source Principles 2024 (un-principles):")
    shown = README.split("<!-- demo-principles:start", 1)[1].split("<!-- demo-principles:end")[0]
    assert shown.split("```text\n", 1)[1].split("\n```", 1)[0] == block
