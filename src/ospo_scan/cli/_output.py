"""Where a report goes: which formats to which files, and writing them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ospo_scan.errors import UsageError
from ospo_scan.formats import OutputFormat, format_for_path, formatter_for
from ospo_scan.formats.html import format_html
from ospo_scan.history.records import Trends
from ospo_scan.model import Report

OutputPlan = list[tuple[OutputFormat, str | None]]
"""(format, file) pairs; a None file is standard output."""


def output_plan(output_format: str | None, outputs: Sequence[str]) -> OutputPlan:
    explicit = OutputFormat(output_format) if output_format else None
    if not outputs:
        return [(explicit or OutputFormat.TABLE, None)]
    if explicit is not None and len(outputs) == 1:
        return [(explicit, outputs[0])]
    plan: OutputPlan = []
    for path in outputs:
        fmt = format_for_path(path)
        if fmt is None:
            raise UsageError(
                f"cannot tell the format of --output {path} from its extension",
                hint="give --format with a single --output, or use a known extension",
            )
        plan.append((fmt, path))
    return plan


def render(report: Report, fmt: OutputFormat, trends: Trends | None = None) -> str:
    """A report in one format; the HTML report also charts the trends it is given."""
    if fmt is OutputFormat.HTML:
        return format_html(report, trends)
    return formatter_for(fmt)(report)


def write_outputs(report: Report, plan: OutputPlan, trends: Trends | None = None) -> None:
    for fmt, path in plan:
        text = render(report, fmt, trends)
        if path is None:
            click.echo(text, nl=False)
            continue
        try:
            Path(path).write_text(text, encoding="utf-8", newline="")  # keep CSV's CRLF as is
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
