"""`ospo-scan merge SHARD...`: the JSON reports of `scan --shard I/N` joined into one report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ospo_scan.cli._common import EXIT_INCOMPLETE, EXIT_OK, fail
from ospo_scan.cli._output import output_plan, write_outputs
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.formats import OutputFormat


@click.command()
@click.argument("shards", nargs=-1, required=True, metavar="SHARD...")
@click.option(
    "--ruleset",
    "ruleset_spec",
    default=None,
    help="The ruleset the shards were scanned with (default: theirs, when it is bundled).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in OutputFormat]),
    default=None,
    help="Output format (default: json, or taken from --output's extension).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write to FILE (- is standard output); repeat to write several formats at once.",
)
def merge(
    shards: tuple[str, ...],
    ruleset_spec: str | None,
    output_format: str | None,
    outputs: tuple[str, ...],
) -> None:
    """Join the shards of one scan into the report of the whole.

    The shards are JSON reports of `scan --shard I/N`; together they give the report the
    unsharded scan gives. A missing shard is an error row and exit 3.
    """
    from ospo_scan.config import load_ruleset
    from ospo_scan.report.loader import read_report
    from ospo_scan.report.merge import merge_shards

    try:
        plan = output_plan(output_format or (None if outputs else "json"), outputs)
        reports = [(path, read_report(Path(path))) for path in shards]
        spec = ruleset_spec or reports[0][1].ruleset.id
        try:
            ruleset = load_ruleset(spec)
        except OspoScanError as exc:
            if ruleset_spec is not None:
                raise
            raise UsageError(
                f"the shards' ruleset {spec!r} is not a bundled one",
                hint="give the ruleset file they were scanned with: --ruleset PATH",
            ) from exc
        merged = merge_shards(reports, ruleset)
        write_outputs(merged.report, plan)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    if merged.missing:
        click.echo(
            f"ospo-scan: shard(s) {', '.join(merged.missing)} missing: the merged "
            "report is incomplete and says so in error rows",
            err=True,
        )
        sys.exit(EXIT_INCOMPLETE)
    if merged.report.has_errors:
        click.echo(
            "ospo-scan: merged report incomplete: some repositories could not be "
            "scanned; see its error rows",
            err=True,
        )
        sys.exit(EXIT_INCOMPLETE)
    sys.exit(EXIT_OK)
