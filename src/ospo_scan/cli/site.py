"""`ospo-scan site --history STORE... [INPUT...] --output DIR`: the static site of every
recorded audit."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import fail
from ospo_scan.config import DEFAULT_RULESET
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.untrusted.display import neutralise


@click.command()
@click.argument("inputs", nargs=-1, metavar="[INPUT...]")
@click.option(
    "--history",
    "stores",
    multiple=True,
    required=True,
    metavar="STORE",
    help="A history store whose audits the site shows; repeat for several.",
)
@click.option("--output", required=True, metavar="DIR", help="The site's directory.")
@click.option(
    "--include-private",
    is_flag=True,
    help="Also publish repositories that are not public (or whose visibility is unknown).",
)
@click.option(
    "--ruleset",
    "ruleset_spec",
    default=DEFAULT_RULESET,
    show_default=True,
    help="The ruleset whose `established` level counts principles as established.",
)
def site(
    inputs: tuple[str, ...],
    stores: tuple[str, ...],
    output: str,
    include_private: bool,
    ruleset_spec: str,
) -> None:
    """Write a static site of every recorded audit.

    The audits are those recorded in STORE... and the reports among INPUT...; entity files
    among INPUT... add survey answers. A directory among INPUT... is searched for both, as
    `survey` searches it. The site is written to DIR.

    Only public repositories are shown unless --include-private; a rebuild rewrites only the
    pages whose content changed."""
    from ospo_scan.config import load_ruleset
    from ospo_scan.site.audits import group_audits, open_stores
    from ospo_scan.site.build import build_site, previous_build, write_site
    from ospo_scan.site.figures import survey_of
    from ospo_scan.survey.inputs import collect

    try:
        ruleset = load_ruleset(ruleset_spec)
        established = next((v.minimum for v in ruleset.levels if v.name == "established"), None)
        collected = collect(inputs)
        for warning in collected.warnings:
            click.echo(f"ospo-scan: warning: {neutralise(warning)}", err=True)
        opened = open_stores([Path(s).expanduser() for s in stores], collected.reports)
        try:
            groups = group_audits(opened, include_private=include_private)
            if not groups:
                raise UsageError(
                    "no audit in the history stores or inputs",
                    hint="record scans with `ospo-scan scan --history STORE`",
                )
            survey = survey_of(groups, collected, established=established)
            previous = previous_build(Path(output))
            built = build_site(groups, survey, include_private=include_private, previous=previous)
            summary = write_site(built, Path(output))
        finally:
            for store in opened:
                store.close()
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    withheld = sum(len(g.withheld) for g in groups)
    click.echo(
        f"ospo-scan: site: {len(built.pages) + len(built.kept)} pages, "
        f"{len(summary.written)} written, "
        f"{len(summary.removed)} removed; {withheld} repositories not public left out",
        err=True,
    )
