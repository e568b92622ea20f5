"""`ospo-scan history`: the scans recorded in the history store."""

from __future__ import annotations

import click

from ospo_scan.cli._common import fail
from ospo_scan.cli._history import history_option, store_for_reading
from ospo_scan.errors import OspoScanError


@click.command()
@click.option("--entity", default=None, metavar="NAME", help="Only the scans of this entity.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@history_option
def history(entity: str | None, output_format: str, history_path: str | None) -> None:
    """List the recorded scans, oldest first."""
    from ospo_scan.history.render import history_json, history_table

    try:
        store = store_for_reading(history_path)
        if store is None:
            records = []
        else:
            with store:
                records = store.scans(entity)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)
    text = history_json(records) if output_format == "json" else history_table(records)
    click.echo(text, nl=False)
