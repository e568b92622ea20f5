"""`ospo-scan fix`: the files that would make failing rules pass, planned, written or proposed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from ospo_scan.cli._common import EXIT_INCOMPLETE, EXIT_OK, configure_logging, fail, redact
from ospo_scan.cli._hosts import AnswerBounds, host_options, host_scan_options
from ospo_scan.config import DEFAULT_RULESET
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.fix.kinds import FIXABLE_RULES

if TYPE_CHECKING:
    from ospo_scan.connectors.interface import ApplyResult
    from ospo_scan.fix.run import PlannedRun


@click.command()
@click.argument("target")
@click.option(
    "--rules",
    "rule_list",
    default=None,
    metavar="ID,...",
    help=f"Only fix these rules (of: {', '.join(sorted(FIXABLE_RULES))}).",
)
@click.option("--write", is_flag=True, help="Write the files into local working trees.")
@click.option(
    "--open-pr",
    is_flag=True,
    help="Open (or update) one pull/merge request per repository on GitHub or GitLab.",
)
@click.option(
    "--licence",
    "licence",
    default=None,
    metavar="SPDX-ID",
    help="Add this licence where no licence is found (never added otherwise).",
)
@click.option(
    "--per-repository",
    is_flag=True,
    help="One file per repository, even where the organisation's .github repository would do.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--ruleset",
    "ruleset_spec",
    default=DEFAULT_RULESET,
    envvar="OSPO_SCAN_RULESET",
    help="Bundled ruleset id or path to a ruleset TOML file "
    f"(default: the entity profile's `ruleset`, else {DEFAULT_RULESET}).",
)
@click.option(
    "--entity-file",
    default=None,
    metavar="PATH",
    help="The entity profile (ospo-entity.toml) whose [contacts] fill the files.",
)
@host_options
@click.option("-v", "--verbose", is_flag=True, help="Log details and show tracebacks.")
@click.pass_context
def fix(
    ctx: click.Context,
    target: str,
    rule_list: str | None,
    write: bool,
    open_pr: bool,
    licence: str | None,
    per_repository: bool,
    output_format: str,
    ruleset_spec: str,
    entity_file: str | None,
    visibility: str,
    github_url: str | None,
    gitlab_url: str | None,
    token_env: str | None,
    max_wait: float,
    answer_deadline: float,
    scan_deadline: float,
    max_answer_mb: float,
    verbose: bool,
) -> None:
    """Plan, write or propose the files that make failing rules pass.

    The plan covers TARGET's failing rules; it is a dry run unless --write or --open-pr.

    Files are filled from the entity profile's [contacts]; a fix needing a contact the profile
    lacks is skipped, saying which key to add. Existing files are never changed.
    """
    from ospo_scan.config import load_ruleset
    from ospo_scan.fix.apply import open_requests, write_local
    from ospo_scan.fix.licence_text import canonical_licence_id
    from ospo_scan.fix.planner import FixOptions
    from ospo_scan.fix.run import plan_run

    configure_logging(verbose)
    results: list[ApplyResult] = []
    try:
        bounds = AnswerBounds(answer_deadline, scan_deadline, max_answer_mb)
        options = host_scan_options(visibility, github_url, gitlab_url, token_env, max_wait, bounds)
        if write and open_pr:
            raise UsageError("--write and --open-pr exclude each other")
        fix_options = FixOptions(
            rules=_rules(rule_list),
            licence=canonical_licence_id(licence) if licence else None,
            per_repository=per_repository,
        )
        chosen = ctx.get_parameter_source("ruleset_spec") is not ParameterSource.DEFAULT
        ruleset = load_ruleset(ruleset_spec) if chosen else None  # else the profile's, as scan
        run = plan_run(target, ruleset, options, fix_options, entity_file)
        if write:
            results = write_local(run)
        elif open_pr:
            results = open_requests(run, options)
        _show(
            run, results, applied=write or open_pr, output_format=output_format, token_env=token_env
        )
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code, verbose, token_env)
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INCOMPLETE, verbose, token_env)
    sys.exit(_exit_code(run, results))


def _rules(rule_list: str | None) -> frozenset[str] | None:
    if rule_list is None:
        return None
    wanted = frozenset(r.strip() for r in rule_list.split(",") if r.strip())
    unknown = sorted(wanted - FIXABLE_RULES)
    if unknown or not wanted:
        raise UsageError(
            f"fix mode cannot fix rule {unknown[0]!r}" if unknown else "--rules names no rule",
            hint=f"fixable rules: {', '.join(sorted(FIXABLE_RULES))}",
        )
    return wanted


def _show(
    run: PlannedRun,
    results: list[ApplyResult],
    *,
    applied: bool,
    output_format: str,
    token_env: str | None,
) -> None:
    """The plan and what was done; a token a host echoed back is never shown."""
    from ospo_scan.fix.render import plan_json, plan_text, results_text

    if output_format == "json":
        text = plan_json(run.plan, results)
    else:
        text = plan_text(run.plan, applied=applied)
        if applied:
            text += results_text(results)
    click.echo(redact(text, token_env), nl=False)


def _exit_code(run: PlannedRun, results: list[ApplyResult]) -> int:
    """3 when a repository could not be scanned or a change failed; else 0."""
    from ospo_scan.connectors.interface import ApplyStatus
    from ospo_scan.fix.planner import UNSCANNED

    unscanned = any(
        r.excluded is not None and r.excluded.startswith(UNSCANNED) for r in run.plan.repositories
    )
    failed = any(r.status in (ApplyStatus.FAILED, ApplyStatus.INCOMPLETE) for r in results)
    return EXIT_INCOMPLETE if unscanned or failed else EXIT_OK
