"""The command line: a thin adapter over the Scanner. The only place errors become exit codes.

One module per command (`scan`, `rules`, ...); `_common` holds the exit codes, the one-line
failure and token redaction they share. `main` is the group that gathers them, importing a
command's module only when that command runs, so `--version` and `--help` start at once; a
command's module imports what its work needs inside the command's function, so that the
command's own `--help` starts at once too.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from ospo_scan import __version__

COMMANDS: dict[str, str] = {
    "diff": "Compare two scans, from report files or the history store.",
    "fix": "Plan, write or propose the files that make failing rules pass.",
    "history": "List the recorded scans, oldest first.",
    "merge": "Join the shards of one scan into the report of the whole.",
    "report": "Render a report again, in any format.",
    "rules": "The rules a ruleset can select.",
    "scan": "Scan repositories and score them against a ruleset.",
    "site": "Write a static site of every recorded audit.",
    "survey": "Survey entities from their reports and entity files.",
}
"""Each command's one-line help, the first line of its docstring, listed by `--help` without
importing the command (`tests/cli/test_startup_imports.py` checks the two agree)."""

_PARAMETERS = {"ruleset": "ruleset_spec", "format": "output_format"}
"""Settings-file names whose `scan` parameter is named differently."""


class LazyGroup(click.Group):
    """A group whose commands are imported by name when they are invoked; the listing in its
    help comes from `COMMANDS`, so `--help` imports none of them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(f"ospo_scan.cli.{cmd_name}"), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(sorted(COMMANDS.items()))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ospo-scan")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Open source compliance scanner for Open Source Program Offices.

    Settings may also come from OSPO_SCAN_* environment variables, from `[tool.ospo-scan]` in
    pyproject.toml in the current directory, and from your own config.toml (in the user
    configuration directory, or the file OSPO_SCAN_CONFIG names); the command line wins.
    Where a token is sent (--github-url, --gitlab-url, --token-env) is never read from the
    current directory.
    """
    from ospo_scan.cli._common import clean_up_when_terminated, fail
    from ospo_scan.config.settings import load_settings
    from ospo_scan.errors import OspoScanError
    from ospo_scan.untrusted.display import neutralise

    clean_up_when_terminated()
    try:
        settings, warnings = load_settings(Path.cwd())
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    for warning in warnings:
        click.echo(f"ospo-scan: warning: {neutralise(warning)}", err=True)
    if settings:
        ctx.default_map = {"scan": {_PARAMETERS.get(k, k): v for k, v in settings.items()}}
