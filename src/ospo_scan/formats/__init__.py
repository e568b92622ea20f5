"""Report formats. Every formatter is a pure function `Report -> str`."""

from __future__ import annotations

import enum
from pathlib import PurePath

from ospo_scan._compat import assert_never
from ospo_scan.formats.interface import Formatter


class OutputFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


_EXTENSIONS: dict[str, OutputFormat] = {
    ".json": OutputFormat.JSON,
    ".txt": OutputFormat.TABLE,
}


def formatter_for(output_format: OutputFormat) -> Formatter:
    """The formatter of a format; exhaustive over OutputFormat."""
    match output_format:
        case OutputFormat.TABLE:
            from ospo_scan.formats.table import format_table

            return format_table
        case OutputFormat.JSON:
            from ospo_scan.formats.json import format_json

            return format_json
        case _:
            assert_never(output_format)


def format_for_path(path: str) -> OutputFormat | None:
    """The format an output file's extension names, if any."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower())
