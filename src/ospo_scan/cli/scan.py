"""`ospo-scan scan`: targets in, a report out, and the exit code that says how it went."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from ospo_scan.cli._common import (
    EXIT_BELOW_THRESHOLD,
    EXIT_INCOMPLETE,
    EXIT_OK,
    configure_logging,
    fail,
    redact,
)
from ospo_scan.cli._history import history_option, store_path
from ospo_scan.cli._output import output_plan, write_outputs
from ospo_scan.cli._remember import remember
from ospo_scan.config import DEFAULT_RULESET, load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.formats import OutputFormat
from ospo_scan.history.checks import check_store
from ospo_scan.history.diff import Change
from ospo_scan.model import Report
from ospo_scan.scanner import Progress, Scanner, ScopePolicy


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--ruleset",
    "ruleset_spec",
    default=DEFAULT_RULESET,
    show_default=True,
    envvar="OSPO_SCAN_RULESET",
    help="Bundled ruleset id or path to a ruleset TOML file.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in OutputFormat]),
    default=None,
    envvar="OSPO_SCAN_FORMAT",
    help="Output format (default: table, or taken from --output's extension).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write the report to FILE; repeat to write several formats at once.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    envvar="OSPO_SCAN_FAIL_UNDER",
    help="Exit 1 when the entity score is below this.",
)
@click.option("--include-archived", is_flag=True, help="Count archived repositories in the score.")
@click.option("--include-forks", is_flag=True, help="Count forks in the score.")
@click.option(
    "--include", "include", multiple=True, metavar="GLOB", help="Only repositories matching."
)
@click.option(
    "--exclude", "exclude", multiple=True, metavar="GLOB", help="Skip repositories matching."
)
@click.option(
    "--visibility",
    type=click.Choice(["public", "private", "all"]),
    default="public",
    show_default=True,
)
@click.option("--github-url", default=None, help="GitHub Enterprise Server API root.")
@click.option("--gitlab-url", default=None, help="Self-managed GitLab instance URL.")
@click.option(
    "--token-env",
    default=None,
    metavar="NAME",
    help="Environment variable holding the host token (instead of GITHUB_TOKEN/GITLAB_TOKEN).",
)
@click.option(
    "--host-licence",
    is_flag=True,
    help="Also ask GitLab's own licence detection for each project of a group "
    "(one more request per project).",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(0),
    default=900.0,
    show_default=True,
    help="Seconds to wait at most for a host rate limit to reset.",
)
@history_option
@click.option(
    "--no-history",
    is_flag=True,
    help="Leave the history store alone: do not record this scan, and show no trends.",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 when a rule got worse for a repository since the previous recorded scan of "
    "the same entity and ruleset.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log details and show tracebacks.")
def scan(
    targets: tuple[str, ...],
    ruleset_spec: str,
    output_format: str | None,
    outputs: tuple[str, ...],
    fail_under: float | None,
    include_archived: bool,
    include_forks: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    visibility: str,
    github_url: str | None,
    gitlab_url: str | None,
    token_env: str | None,
    host_licence: bool,
    max_wait: float,
    history_path: str | None,
    no_history: bool,
    fail_on_regression: bool,
    verbose: bool,
) -> None:
    """Scan TARGET... (github:ORG[/REPO], gitlab:GROUP[/...], a URL or a local path)."""
    configure_logging(verbose)
    options = ScanOptions(
        visibility=visibility,
        github_url=github_url,
        gitlab_url=gitlab_url,
        token_env=token_env,
        max_wait=max_wait,
        host_licence=host_licence,
        include=include,
        exclude=exclude,
    )
    scope = ScopePolicy(include_archived, include_forks, include, exclude, visibility)
    history = None if no_history else store_path(history_path)
    try:
        plan = output_plan(output_format, outputs)
        if history is None and fail_on_regression:
            raise UsageError(
                "--fail-on-regression compares with the history: drop --no-history",
                hint="or compare two reports with `ospo-scan diff OLD NEW`",
            )
        if history is not None:
            check_store(history)  # refused before the scan rather than after it
        ruleset = load_ruleset(ruleset_spec)
        progress = _progress()
        try:
            report = Scanner(ruleset, options, scope=scope, progress=progress).scan(targets)
        finally:
            if progress is not None:
                click.echo("\r\033[K", err=True, nl=False)  # leave no progress line behind
        regressions: tuple[Change, ...] = ()
        if history is None:
            write_outputs(report, plan)
        else:
            regressions = remember(report, plan, history)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code, verbose, token_env)
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INCOMPLETE, verbose, token_env)
    sys.exit(_exit_code(report, fail_under, regressions if fail_on_regression else None))


def _exit_code(
    report: Report, fail_under: float | None, regressions: Sequence[Change] | None
) -> int:
    if report.has_errors:
        return EXIT_INCOMPLETE
    if fail_under is not None and (report.entity.score is None or report.entity.score < fail_under):
        return EXIT_BELOW_THRESHOLD
    if regressions:
        first = regressions[0]
        click.echo(
            f"ospo-scan: error: {len(regressions)} regression(s) since the previous scan, "
            f"e.g. {redact(first.repository)}: {first.rule} {first.old.value} -> "
            f"{first.new.value}",
            err=True,
        )
        for change in regressions:
            click.echo(
                f"  regression: {redact(change.repository)}: {change.rule} "
                f"{change.old.value} -> {change.new.value}",
                err=True,
            )
        return EXIT_BELOW_THRESHOLD
    return EXIT_OK


def _progress() -> Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        click.echo(f"\r\033[K{message}", err=True, nl=False)

    return show
