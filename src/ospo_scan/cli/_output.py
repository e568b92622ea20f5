"""Where a report goes: which format to which file or to standard output, and writing them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo_scan.errors import UsageError
from ospo_scan.formats import OutputFormat, format_for_path, formatter_for, known_extensions

if TYPE_CHECKING:
    from ospo_scan.history.records import Trends
    from ospo_scan.model import Report

OutputPlan = list[tuple[OutputFormat, str | None]]
"""(format, file) pairs; a None file is standard output."""

STDOUT = "-"
_GENERIC_TEXT = OutputFormat.TABLE
"""`.txt` says plain text, which every format but HTML is: it never contradicts --format."""


def output_plan(output_format: str | None, outputs: Sequence[str]) -> OutputPlan:
    """Which format goes where (None is standard output); a contradiction is a usage error."""
    explicit = OutputFormat(output_format) if output_format else None
    if not outputs:
        return [(explicit or OutputFormat.TABLE, None)]
    if list(outputs).count(STDOUT) > 1:
        raise UsageError("--output - (standard output) is given more than once")
    plan: OutputPlan = []
    for path in outputs:
        named = None if path == STDOUT else format_for_path(path)
        if explicit is not None and named not in (None, explicit, _GENERIC_TEXT):
            raise UsageError(
                f"--format {explicit.value} contradicts --output {path}, "
                f"whose extension means {named.value}",
                hint="drop --format to write each file in its extension's format",
            )
        fmt = explicit or named
        if fmt is None:
            if path != STDOUT:
                raise UsageError(
                    f"cannot tell the format of --output {path} from its extension",
                    hint="give --format, or use a known extension: "
                    + ", ".join(known_extensions()),
                )
            fmt = OutputFormat.TABLE
        plan.append((fmt, None if path == STDOUT else path))
    return plan


def render(
    report: Report, fmt: OutputFormat, trends: Trends | None = None, width: int | None = None
) -> str:
    """A report in one format; the HTML report also charts the trends it is given, and the
    table fits `width` columns (the table's default width when None)."""
    if fmt is OutputFormat.HTML:
        from ospo_scan.formats.html import format_html

        return format_html(report, trends)
    if fmt is OutputFormat.TABLE:
        from ospo_scan.formats.table import DEFAULT_WIDTH, format_table

        return format_table(report, width=DEFAULT_WIDTH if width is None else width)
    return formatter_for(fmt)(report)


def write_outputs(report: Report, plan: OutputPlan, trends: Trends | None = None) -> None:
    for fmt, path in plan:
        # The table fits the terminal it is shown on; a file gets the 80-column default.
        width = None
        if fmt is OutputFormat.TABLE:
            from ospo_scan.formats.table import DEFAULT_WIDTH

            columns = shutil.get_terminal_size().columns if path is None else DEFAULT_WIDTH
            width = max(columns, DEFAULT_WIDTH // 2)
        text = render(report, fmt, trends, width=width)
        if path is None:
            click.echo(text, nl=False)
            continue
        try:
            Path(path).write_text(text, encoding="utf-8", newline="")  # keep CSV's CRLF as is
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
