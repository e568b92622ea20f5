"""Report formats. Every formatter is a pure function `Report -> str`."""

from __future__ import annotations

import enum
from pathlib import PurePath

from ospo_scan._compat import assert_never
from ospo_scan.formats.interface import Formatter


class OutputFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    CSV = "csv"
    HTML = "html"
    BADGE = "badge"


_EXTENSIONS: dict[str, OutputFormat] = {
    ".json": OutputFormat.JSON,
    ".txt": OutputFormat.TABLE,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
    ".sarif": OutputFormat.SARIF,
    ".csv": OutputFormat.CSV,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
}

_COMPOUND_EXTENSIONS: dict[str, OutputFormat] = {
    ".badge.json": OutputFormat.BADGE,
    ".sarif.json": OutputFormat.SARIF,
}
"""Two-part extensions, checked before the last suffix alone (`ospo.badge.json` is a badge)."""


def formatter_for(output_format: OutputFormat) -> Formatter:
    """The formatter of a format; exhaustive over OutputFormat."""
    match output_format:
        case OutputFormat.TABLE:
            from ospo_scan.formats.table import format_table

            return format_table
        case OutputFormat.JSON:
            from ospo_scan.formats.json import format_json

            return format_json
        case OutputFormat.MARKDOWN:
            from ospo_scan.formats.markdown import format_markdown

            return format_markdown
        case OutputFormat.SARIF:
            from ospo_scan.formats.sarif import format_sarif

            return format_sarif
        case OutputFormat.CSV:
            from ospo_scan.formats.csv import format_csv

            return format_csv
        case OutputFormat.HTML:
            from ospo_scan.formats.html import format_html

            return format_html
        case OutputFormat.BADGE:
            from ospo_scan.formats.badge import format_badge

            return format_badge
        case _:
            assert_never(output_format)


def known_extensions() -> list[str]:
    """Every extension `format_for_path` recognises, two-part ones first."""
    return [*_COMPOUND_EXTENSIONS, *_EXTENSIONS]


def format_for_path(path: str) -> OutputFormat | None:
    """The format an output file's extension names, if any."""
    suffixes = [suffix.lower() for suffix in PurePath(path).suffixes]
    compound = _COMPOUND_EXTENSIONS.get("".join(suffixes[-2:]))
    if compound is not None:
        return compound
    return _EXTENSIONS.get(suffixes[-1] if suffixes else "")
