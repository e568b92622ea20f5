"""What the commands that read or write history share: the store option and opening the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from ospo_scan.errors import UsageError

if TYPE_CHECKING:
    from ospo_scan.history.store import HistoryStore
    from ospo_scan.model import Report

F = TypeVar("F", bound=Callable[..., object])


def history_option(function: F) -> F:
    """`--history PATH` (or OSPO_SCAN_HISTORY): which store to use."""
    return click.option(
        "--history",
        "history_path",
        default=None,
        envvar="OSPO_SCAN_HISTORY",
        metavar="PATH",
        help="The history store (default: history.sqlite3 in the user data directory).",
    )(function)


def store_path(history_path: str | None) -> Path:
    from ospo_scan.history.location import default_store

    return Path(history_path).expanduser() if history_path else default_store()


def store_for_reading(history_path: str | None) -> HistoryStore | None:
    """The store, if it exists; StoreError when the file is not a usable store."""
    from ospo_scan.history.store import open_store

    return open_store(store_path(history_path), create=False)


def load_report_or_scan(argument: str, store: HistoryStore | None) -> tuple[Report, int]:
    """A report named by a JSON file path or a history scan id, with its scan id (0 for a file)."""
    from ospo_scan.report.loader import parse_report, read_report

    path = Path(argument)
    if path.exists() or not argument.isdigit():
        return read_report(path), 0
    scan_id = int(argument)
    text = store.report_json(scan_id) if store is not None else None
    if text is None:
        where = f"in {store.path}" if store is not None else "(no history store yet)"
        raise UsageError(f"no report file {argument} and no scan {scan_id} {where}")
    return parse_report(text, origin=f"scan {scan_id}"), scan_id
