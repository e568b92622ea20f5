"""Running a command with its standard error on a real terminal (a pty), as a person sees it."""

from __future__ import annotations

import os
import pty
import subprocess
from collections.abc import Sequence
from pathlib import Path


def stderr_on_a_terminal(command: Sequence[str], cwd: Path) -> str:
    """What `command` writes to standard error when that is a terminal; it must exit 0."""
    controller, terminal = pty.openpty()
    try:
        subprocess.run(
            list(command),
            cwd=cwd,
            stderr=terminal,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=120,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal side is closed: everything has been read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    return shown.decode("utf-8")
