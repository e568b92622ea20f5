"""`ospo-scan diff [OLD NEW]`: what changed between two scans (report files or history ids)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo_scan.cli._common import EXIT_USAGE, fail
from ospo_scan.cli._history import history_option, load_report_or_scan, store_for_reading
from ospo_scan.errors import OspoScanError, UsageError

if TYPE_CHECKING:
    from ospo_scan.history.diff import Diff, ScanOutcomes
    from ospo_scan.history.store import HistoryStore


@click.command()
@click.argument("scans", nargs=-1, metavar="[OLD NEW]")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
)
@click.option("--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
@history_option
def diff(
    scans: tuple[str, ...], output_format: str, output: str | None, history_path: str | None
) -> None:
    """Compare two scans, from report files or the history store.

    OLD and NEW are report JSON files or history scan ids; without them, the last two recorded
    scans of the entity scanned last.
    """
    from ospo_scan.history.render import diff_json, diff_markdown, diff_table

    if len(scans) not in (0, 2):
        fail("diff takes two scans (OLD NEW) or none", EXIT_USAGE)
    try:
        store = store_for_reading(history_path)
        try:
            changes = _diff(scans, store)
        finally:
            if store is not None:
                store.close()
        render = {"table": diff_table, "markdown": diff_markdown, "json": diff_json}
        text = render[output_format](changes)
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)


def _diff(scans: tuple[str, ...], store: HistoryStore | None) -> Diff:
    from ospo_scan.history.diff import ScanOutcomes, diff_scans

    if scans:
        old, new = (_outcomes(argument, store) for argument in scans)
        return diff_scans(old, new)
    recorded = store.scans() if store is not None else []
    if store is None or not recorded:
        raise UsageError("no scans recorded yet", hint="run `ospo-scan scan`, or give OLD NEW")
    latest = recorded[-1]
    same = [r for r in recorded if (r.entity, r.ruleset) == (latest.entity, latest.ruleset)]
    if len(same) < 2:
        raise UsageError(
            f"only one scan of {latest.entity} is recorded",
            hint="scan it again, or give OLD NEW",
        )
    old_record, new_record = same[-2:]
    return diff_scans(
        ScanOutcomes(old_record, store.outcomes(old_record.id)),
        ScanOutcomes(new_record, store.outcomes(new_record.id)),
    )


def _outcomes(argument: str, store: HistoryStore | None) -> ScanOutcomes:
    from ospo_scan.history.diff import ScanOutcomes, report_outcomes

    if store is not None and argument.isdigit():
        record = store.scan(int(argument))
        if record is not None and not _is_file(argument):
            return ScanOutcomes(record, store.outcomes(record.id))
    report, scan_id = load_report_or_scan(argument, store)
    return report_outcomes(report, scan_id)


def _is_file(argument: str) -> bool:
    return Path(argument).exists()
