"""Before a history store is opened for writing: is the file one, and one this version knows?

Nothing here writes: a file that is not an ospo-scan store is left exactly as it was, without
even a `-wal` or `-shm` file beside it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from ospo_scan.errors import UsageError
from ospo_scan.history.migrations import APPLICATION_ID, LATEST_VERSION

BUSY_TIMEOUT_SECONDS = 60.0
"""How long a scan waits for another one to finish writing before giving up."""

_SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(UsageError):
    """The history store cannot be used: not an ospo-scan store, too new, or unreadable."""


def check_store(path: Path) -> None:
    """Refuse, without writing anything, a file that is not an ospo-scan store of a known schema.

    A missing or empty file passes: it becomes a new store when a scan is recorded.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet; whether one can be created is for recording to find
    except OSError as exc:
        raise StoreError(f"cannot read history store {path}: {exc.strerror or exc}") from exc
    if not header:
        return
    if header != _SQLITE_HEADER:
        raise _not_a_store(path)
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as db:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"history store {path} is damaged or unreadable: {exc}") from exc
    if application_id != APPLICATION_ID and not (application_id == 0 and tables == 0):
        raise _not_a_store(path)
    if version > LATEST_VERSION:
        raise StoreError(
            f"history store {path} was written by a newer ospo-scan (schema {version}; "
            f"this version knows up to {LATEST_VERSION})",
            hint="upgrade ospo-scan, or give another --history",
        )


def _not_a_store(path: Path) -> StoreError:
    return StoreError(
        f"{path} is not an ospo-scan history store",
        hint="give another --history PATH, or --no-history",
    )
