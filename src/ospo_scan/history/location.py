"""Where the history store lives: `--history`, `OSPO_SCAN_HISTORY`, or the user data directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs

STORE_NAME = "history.sqlite3"


def default_store() -> Path:
    """The store in the platform's user data directory (e.g. ~/.local/share/ospo-scan)."""
    return Path(platformdirs.user_data_dir("ospo-scan", appauthor=False)) / STORE_NAME
