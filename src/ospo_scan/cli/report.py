"""`ospo-scan report REPORT --format F`: a saved report rendered again, in any format."""

from __future__ import annotations

import click

from ospo_scan.cli._common import fail
from ospo_scan.cli._history import history_option, load_report_or_scan, store_for_reading
from ospo_scan.cli._output import output_plan, write_outputs
from ospo_scan.errors import OspoScanError
from ospo_scan.formats import OutputFormat
from ospo_scan.history.trends import trends_for


@click.command()
@click.argument("source", metavar="REPORT")
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in OutputFormat]),
    default=None,
    help="Output format (default: table, or taken from --output's extension).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write to FILE; repeat to write several formats at once.",
)
@history_option
def report(
    source: str, output_format: str | None, outputs: tuple[str, ...], history_path: str | None
) -> None:
    """Render REPORT (a JSON report file, or a history scan id) again in any format.

    The HTML report charts the entity's scans recorded before this one, as the scan did.
    """
    try:
        plan = output_plan(output_format, outputs)
        store = store_for_reading(history_path)
        try:
            loaded, _scan_id = load_report_or_scan(source, store)
            trends = trends_for(store, loaded) if store is not None else None
        finally:
            if store is not None:
                store.close()
        write_outputs(loaded, plan, trends)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
