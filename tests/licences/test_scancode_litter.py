"""scancode-toolkit's temporary directory does not outlive the process that made it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import os, sys
from ospo_scan.licences.scancode import licensedcode_cache
licensedcode_cache()
print(*sorted(os.listdir(sys.argv[1])))
"""


def test_no_scancode_directory_is_left_in_the_temporary_directory(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    environment.pop("SCANCODE_TEMP", None)
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(temporary)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    while_running = run.stdout.split()
    assert len(while_running) == 1
    assert while_running[0].startswith("scancode-tk-")  # scancode made it on import
    assert list(temporary.iterdir()) == []  # and it is gone once the process has ended
