"""What kinds of file a working tree holds, counted by extension without reading any file.

The walk never follows a symbolic link, never enters `.git`, a submodule, a hidden directory
or a directory of installed or built dependencies (`node_modules`, `.venv`, `target`, ...), and
stops after `MAX_COUNTED_FILES` files. The walk happens only when a rule asks.
"""

from __future__ import annotations

import os
from pathlib import Path

from ospo_scan.connectors.interface import FileTally
from ospo_scan.connectors.local.files import escaped_name
from ospo_scan.snapshot import NOT_COUNTED_DIRECTORIES, FileTypes

MAX_COUNTED_FILES = 20_000
"""Files counted per repository; a larger tree is judged on the first ones met."""


def count_file_types(root: Path, limit: int = MAX_COUNTED_FILES) -> FileTypes | None:
    """Files per extension in the tree at `root`, at most `limit` of them; None when it cannot
    be walked."""
    tally = FileTally()
    seen = 0
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if _descends(entry.path, name):
                            pending.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        tally.add(escaped_name(Path(entry.path).relative_to(root).as_posix()))
                        seen += 1
                        if seen >= limit:
                            return tally.file_types(complete=False)
        except OSError:
            if directory == root:
                return None
    return tally.file_types()


def _descends(path: str, name: str) -> bool:
    """Whether to count a directory's files: not hidden, not dependencies, not a submodule."""
    if name.startswith(".") or name in NOT_COUNTED_DIRECTORIES:
        return False
    return not os.path.lexists(Path(path) / ".git")
