"""`ospo-scan scan`: targets in, a report out, and the exit code that says how it went."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from ospo_scan.cli._common import (
    EXIT_BELOW_THRESHOLD,
    EXIT_INCOMPLETE,
    EXIT_OK,
    FiniteFloatRange,
    SourcedOption,
    configure_logging,
    fail,
    redact,
)
from ospo_scan.cli._history import history_option, store_path
from ospo_scan.cli._hosts import AnswerBounds, host_options, host_scan_options
from ospo_scan.cli._output import output_plan, write_outputs
from ospo_scan.cli._progress import LOG_INTERVAL, ProgressDisplay
from ospo_scan.config import DEFAULT_RULESET
from ospo_scan.config.profile import SURVEY_YEARS
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.formats import OutputFormat
from ospo_scan.untrusted.display import neutralise

if TYPE_CHECKING:
    from ospo_scan.history.diff import Change
    from ospo_scan.model import Report


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--ruleset",
    "ruleset_spec",
    cls=SourcedOption,
    default=DEFAULT_RULESET,
    envvar="OSPO_SCAN_RULESET",
    help="Bundled ruleset id or path to a ruleset TOML file "
    f"(default: the entity profile's `ruleset`, else {DEFAULT_RULESET}).",
)
@click.option(
    "--entity-file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="PATH",
    help="The entity profile (ospo-entity.toml) for the targets, host targets included; "
    "it replaces a local entity's own.",
)
@click.option(
    "--format",
    "output_format",
    cls=SourcedOption,
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
    help="Write the report to FILE (`-` is standard output); repeat to write several "
    "formats at once, each taken from its extension.",
)
@click.option(
    "--fail-under",
    cls=SourcedOption,
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
@host_options
@click.option(
    "--host-licence",
    is_flag=True,
    help="Also ask GitLab's own licence detection for each project of a group "
    "(one more request per project).",
)
@click.option(
    "--shard",
    default=None,
    metavar="I/N",
    help="Scan only the I-th of N deterministic parts of the repositories "
    "(join the parts' JSON reports with `ospo-scan merge`).",
)
@click.option(
    "--survey-year",
    type=click.IntRange(*SURVEY_YEARS),
    default=None,
    metavar="YEAR",
    help="The readiness survey year this scan counts for (default: the entity profile's "
    "`survey-year`, else the year the scan starts).",
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
@click.option(
    "--progress-interval",
    cls=SourcedOption,
    type=FiniteFloatRange(0),
    default=LOG_INTERVAL,
    show_default=True,
    envvar="OSPO_SCAN_PROGRESS_INTERVAL",
    metavar="SECONDS",
    help="When stderr is not a terminal (a CI log), a progress line at most this often; "
    "0 for none.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log details and show tracebacks.")
@click.pass_context
def scan(
    ctx: click.Context,
    targets: tuple[str, ...],
    ruleset_spec: str,
    entity_file: str | None,
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
    answer_deadline: float,
    scan_deadline: float,
    max_answer_mb: float,
    shard: str | None,
    survey_year: int | None,
    history_path: str | None,
    no_history: bool,
    fail_on_regression: bool,
    progress_interval: float,
    verbose: bool,
) -> None:
    """Scan repositories and score them against a ruleset.

    TARGET... is github:ORG[/REPO], gitlab:GROUP[/...], a URL or a local path.
    """
    # imported here, not above, so that `scan --help` starts at once
    from ospo_scan.config import load_ruleset
    from ospo_scan.config.entity import load_entity_profile
    from ospo_scan.scan.entities import counting_for
    from ospo_scan.scan.scanner import Scanner, ScopePolicy
    from ospo_scan.scan.sharding import parse_shard

    configure_logging(verbose)
    try:
        part = parse_shard(shard) if shard else None
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    scope = ScopePolicy(include_archived, include_forks, include, exclude, visibility)
    history = None if no_history else store_path(history_path)
    try:
        options = host_scan_options(
            visibility,
            github_url,
            gitlab_url,
            token_env,
            max_wait,
            AnswerBounds(answer_deadline, scan_deadline, max_answer_mb),
            host_licence=host_licence,
            include=include,
            exclude=exclude,
            shard=part,
        )
        plan = output_plan(output_format, outputs)
        if history is None and fail_on_regression:
            raise UsageError(
                "--fail-on-regression compares with the history: drop --no-history",
                hint="or compare two reports with `ospo-scan diff OLD NEW`",
            )
        if history is not None:
            from ospo_scan.history.checks import check_store

            check_store(history)  # refused before the scan rather than after it
        chosen = ctx.get_parameter_source("ruleset_spec") is not ParameterSource.DEFAULT
        ruleset = load_ruleset(ruleset_spec) if chosen else None
        profile = load_entity_profile(Path(entity_file)) if entity_file else None
        progress = ProgressDisplay(
            lambda text: click.echo(text, err=True, nl=False),
            terminal=sys.stderr.isatty() and not verbose,
            interval=0.0 if verbose else progress_interval or None,
        )
        try:
            scanner = Scanner(ruleset, options, scope=scope, progress=progress, profile=profile)
            report = scanner.scan(targets)
            if survey_year is not None:
                report = counting_for(report, survey_year)
        finally:
            progress.finish()
        regressions: tuple[Change, ...] = ()
        if history is None:
            write_outputs(report, plan)
        else:
            from ospo_scan.cli._remember import remember

            remembered = remember(report, plan, history)
            regressions = remembered.regressions
            for warning in remembered.warnings:
                shown = neutralise(redact(warning, token_env))
                click.echo(f"ospo-scan: warning: {shown}", err=True)
        _warn(report)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code, verbose, token_env)
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INCOMPLETE, verbose, token_env)
    code, reason = _exit_code(report, fail_under, regressions if fail_on_regression else ())
    if reason:
        click.echo(f"ospo-scan: {reason}", err=True)
    for change in regressions if fail_on_regression else ():
        click.echo(f"  regression: {_change(change)}", err=True)
    sys.exit(code)


def _exit_code(
    report: Report, fail_under: float | None, regressions: Sequence[Change]
) -> tuple[int, str | None]:
    """The exit code and, for any code but 0, the one line that says why."""
    if report.has_errors:
        failed = sum(r.error is not None for r in report.repositories)
        errored = report.summary.errors - failed
        parts = [
            _counted(failed, "repository or target", "repositories or targets")
            + " could not be scanned"
            if failed
            else "",
            _counted(errored, "rule result is an error", "rule results are errors")
            if errored
            else "",
        ]
        return EXIT_INCOMPLETE, (
            f"scan incomplete: {' and '.join(p for p in parts if p)}; see the report"
        )
    score = report.entity.score
    if fail_under is not None and (score is None or score < fail_under):
        shown = "no score (nothing could be scored)" if score is None else f"{score:.1f}"
        return EXIT_BELOW_THRESHOLD, (f"entity score {shown} is below --fail-under {fail_under:g}")
    if regressions:
        return EXIT_BELOW_THRESHOLD, (
            f"{len(regressions)} regression(s) since the previous scan, "
            f"e.g. {_change(regressions[0])}"
        )
    return EXIT_OK, None


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _change(change: Change) -> str:
    name = neutralise(redact(change.repository))
    return f"{name}: {change.rule} {change.old.value} -> {change.new.value}"


def _warn(report: Report) -> None:
    """What the report notes and warns about, on stderr too: it is easy to miss in a file."""
    for entity in report.entities or (report.entity,):
        for note in entity.notes:
            click.echo(f"ospo-scan: note: {neutralise(f'{entity.name}: {note}')}", err=True)
    for repo in report.repositories:
        for warning in repo.warnings:
            click.echo(f"ospo-scan: warning: {neutralise(f'{repo.name}: {warning}')}", err=True)
