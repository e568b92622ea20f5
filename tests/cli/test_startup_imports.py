"""`--version` and `--help` import only what they need: the command-line group, none of the
commands, none of the rulesets, licence data, connectors or their libraries; a command's own
`--help` imports that command's module and the options it shows, not the machinery it runs."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ospo_scan.cli import COMMANDS, main

SOURCE = Path(__file__).resolve().parents[2] / "src"

STARTUP_MODULES = {"ospo_scan", "ospo_scan.cli"}
"""The package's modules that `--version` and `--help` import, and no others."""

HEAVY = {
    "github",
    "gitlab",
    "jsonschema",
    "licensedcode",
    "license_expression",
    "platformdirs",
    "re2",
    "requests",
    "scancode",
    "sqlite3",
    "tabulate",
    "tomllib",
    "yaml",
}
"""Third-party and standard packages a command may need, each costly to import."""


def _imported(*arguments: str) -> set[str]:
    """Every module `python -m ospo_scan ARGUMENTS` imports, from `-X importtime`."""
    environment = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ospo_scan", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout
    names = {
        line.rpartition("|")[2].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return names - {"imported package"}


@pytest.mark.parametrize("arguments", [("--version",), ("--help",), ("-h",)])
def test_version_and_help_import_only_the_group(arguments: tuple[str, ...]) -> None:
    imported = _imported(*arguments)
    assert {name for name in imported if name.split(".")[0] == "ospo_scan"} == STARTUP_MODULES
    assert {name.split(".")[0] for name in imported} & HEAVY == set()


SETTINGS = {"platformdirs", "tomllib", "re2"}
"""What the group reads the settings files with before any command, `--help` included."""
ENGINE = ("licences", "rules", "connectors", "scan", "report", "history", "site", "survey")
"""The package's units that do a command's work, none needed to show its options."""
OPTIONS_FROM = {"survey": {"ospo_scan.survey", "ospo_scan.survey.formats"}}
"""The engine's modules a command's options are made of: the survey formats' names."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_s_help_imports_its_options_not_its_machinery(command: str) -> None:
    imported = _imported(command, "--help")
    assert {name.split(".")[0] for name in imported} & HEAVY <= SETTINGS
    engine = {name for name in imported if name.split(".")[1:2] and name.split(".")[1] in ENGINE}
    assert engine == OPTIONS_FROM.get(command, set())
    fix_machinery = {name for name in imported if name.startswith("ospo_scan.fix.")}
    assert fix_machinery <= {"ospo_scan.fix.kinds"}
    formatters = {name for name in imported if name.startswith("ospo_scan.formats.")}
    assert formatters <= {"ospo_scan.formats.interface"}


def test_the_import_list_is_read_from_python_s_own_report() -> None:
    imported = _imported("--version")
    assert {"click", "ospo_scan", "ospo_scan.cli"} <= imported


def test_the_group_lists_every_command_with_its_one_line_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listing = result.stdout.partition("Commands:\n")[2]
    shown = {line.split()[0]: " ".join(line.split()[1:]) for line in listing.splitlines()}
    assert shown == COMMANDS


def test_each_command_s_one_line_help_is_the_first_line_of_its_docstring() -> None:
    for name, summary in COMMANDS.items():
        command = getattr(importlib.import_module(f"ospo_scan.cli.{name}"), name)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert (command.help or "").splitlines()[0] == summary, name


def test_every_command_module_is_a_listed_command() -> None:
    package = SOURCE / "ospo_scan" / "cli"
    modules = {path.stem for path in package.glob("*.py") if not path.stem.startswith("_")}
    assert modules == set(COMMANDS)


def test_a_command_is_imported_when_it_is_invoked() -> None:
    result = CliRunner().invoke(main, ["rules", "--help"])
    assert result.exit_code == 0
    assert "List the ruleset's rules" in result.stdout
    rules = importlib.import_module("ospo_scan.cli.rules")
    assert inspect.getdoc(rules.rules) == "The rules a ruleset can select."


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["scna"])
    assert result.exit_code == 2
    assert "No such command 'scna'" in result.stderr
