"""`ospo-scan scan`: targets in, a report out, and the exit code that says how it went."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ospo_scan.cli._common import (
    EXIT_BELOW_THRESHOLD,
    EXIT_INCOMPLETE,
    EXIT_OK,
    FiniteFloatRange,
    configure_logging,
    fail,
)
from ospo_scan.config import DEFAULT_RULESET, load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.display import neutralise
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.formats import OutputFormat, format_for_path, formatter_for
from ospo_scan.model import Report
from ospo_scan.scanner import Progress, Scanner, ScopePolicy
from ospo_scan.sharding import parse_shard


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
    type=FiniteFloatRange(0, 100),
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
    type=FiniteFloatRange(0),
    default=900.0,
    show_default=True,
    help="Seconds to wait at most for a host rate limit to reset.",
)
@click.option(
    "--shard",
    default=None,
    metavar="I/N",
    help="Scan only the I-th of N deterministic parts of the repositories "
    "(join the parts' JSON reports with `ospo-scan merge`).",
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
    shard: str | None,
    verbose: bool,
) -> None:
    """Scan TARGET... (github:ORG[/REPO], gitlab:GROUP[/...], a URL or a local path)."""
    configure_logging(verbose)
    try:
        part = parse_shard(shard) if shard else None
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    options = ScanOptions(
        visibility=visibility,
        github_url=github_url,
        gitlab_url=gitlab_url,
        token_env=token_env,
        max_wait=max_wait,
        host_licence=host_licence,
        include=include,
        exclude=exclude,
        shard=part,
    )
    scope = ScopePolicy(include_archived, include_forks, include, exclude, visibility)
    try:
        plan = _output_plan(output_format, outputs)
        ruleset = load_ruleset(ruleset_spec)
        progress = _progress()
        try:
            report = Scanner(ruleset, options, scope=scope, progress=progress).scan(targets)
        finally:
            if progress is not None:
                click.echo("\r\033[K", err=True, nl=False)  # leave no progress line behind
        _write(report, plan)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code, verbose, token_env)
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INCOMPLETE, verbose, token_env)
    sys.exit(_exit_code(report, fail_under))


def _exit_code(report: Report, fail_under: float | None) -> int:
    if report.has_errors:
        return EXIT_INCOMPLETE
    if fail_under is not None and (report.entity.score is None or report.entity.score < fail_under):
        return EXIT_BELOW_THRESHOLD
    return EXIT_OK


def _output_plan(
    output_format: str | None, outputs: Sequence[str]
) -> list[tuple[OutputFormat, str | None]]:
    explicit = OutputFormat(output_format) if output_format else None
    if not outputs:
        return [(explicit or OutputFormat.TABLE, None)]
    if explicit is not None and len(outputs) == 1:
        return [(explicit, outputs[0])]
    plan: list[tuple[OutputFormat, str | None]] = []
    for path in outputs:
        fmt = format_for_path(path)
        if fmt is None:
            raise UsageError(
                f"cannot tell the format of --output {path} from its extension",
                hint="give --format with a single --output, or use a known extension",
            )
        plan.append((fmt, path))
    return plan


def _write(report: Report, plan: Sequence[tuple[OutputFormat, str | None]]) -> None:
    for fmt, path in plan:
        text = formatter_for(fmt)(report)
        if path is None:
            click.echo(text, nl=False)
            continue
        try:
            Path(path).write_text(text, encoding="utf-8", newline="")  # keep CSV's CRLF as is
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _progress() -> Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        click.echo(f"\r\033[K{neutralise(message)}", err=True, nl=False)

    return show
