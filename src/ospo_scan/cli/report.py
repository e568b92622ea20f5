"""`ospo-scan report REPORT --format F`: a saved report rendered again, in any format."""

from __future__ import annotations

from pathlib import Path

import click

from ospo_scan.cli._common import fail
from ospo_scan.cli._history import history_option, load_report_or_scan, store_for_reading
from ospo_scan.cli._output import output_plan, write_outputs
from ospo_scan.errors import OspoScanError
from ospo_scan.formats import OutputFormat


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
@click.option(
    "--no-history",
    is_flag=True,
    help="Leave the history store alone: show no trends (a report file is read as it is).",
)
def report(
    source: str,
    output_format: str | None,
    outputs: tuple[str, ...],
    history_path: str | None,
    no_history: bool,
) -> None:
    """Render a report again, in any format.

    REPORT is a JSON report file or a history scan id.

    The HTML report of a scan recorded in the history store charts the entity's scans recorded
    before it, as the scan did; a report whose scan was not recorded (`scan --no-history`) shows
    no trends, as it showed none then.
    """
    from ospo_scan.history.trends import is_recorded, trends_for

    try:
        plan = output_plan(output_format, outputs)
        file_given = Path(source).exists()
        store = None if no_history and file_given else store_for_reading(history_path)
        try:
            loaded, _scan_id = load_report_or_scan(source, store)
            charted = store is not None and not no_history and is_recorded(store, loaded)
            trends = trends_for(store, loaded) if store is not None and charted else None
        finally:
            if store is not None:
                store.close()
        write_outputs(loaded, plan, trends)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
