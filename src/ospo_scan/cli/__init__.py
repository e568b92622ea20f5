"""The command line: a thin adapter over the Scanner. The only place errors become exit codes.

One module per command (`scan`, `rules`, ...); `_common` holds the exit codes, the one-line
failure and token redaction they share. `main` is the group that gathers them.
"""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan import __version__
from ospo_scan.cli._common import clean_up_when_terminated, fail
from ospo_scan.cli.diff import diff
from ospo_scan.cli.fix import fix
from ospo_scan.cli.history import history
from ospo_scan.cli.merge import merge
from ospo_scan.cli.report import report
from ospo_scan.cli.rules import rules
from ospo_scan.cli.scan import scan
from ospo_scan.cli.site import site
from ospo_scan.cli.survey import survey
from ospo_scan.config.settings import load_settings
from ospo_scan.errors import OspoScanError
from ospo_scan.untrusted.display import neutralise

_PARAMETERS = {"ruleset": "ruleset_spec", "format": "output_format"}
"""Settings-file names whose `scan` parameter is named differently."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    clean_up_when_terminated()
    try:
        settings, warnings = load_settings(Path.cwd())
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    for warning in warnings:
        click.echo(f"ospo-scan: warning: {neutralise(warning)}", err=True)
    if settings:
        ctx.default_map = {"scan": {_PARAMETERS.get(k, k): v for k, v in settings.items()}}


main.add_command(scan)
main.add_command(rules)
main.add_command(history)
main.add_command(diff)
main.add_command(report)
main.add_command(fix)
main.add_command(survey)
main.add_command(merge)
main.add_command(site)
