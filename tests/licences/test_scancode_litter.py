"""scancode-toolkit's temporary directory does not outlive the process that made it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import RepoFactory

PROBE = """
import os, sys
from ospo_scan.licences.scancode import licensedcode_cache
licensedcode_cache()
for directory in sorted(os.listdir(sys.argv[1])):
    print(directory, *sorted(os.listdir(os.path.join(sys.argv[1], directory))))
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
    [while_running] = run.stdout.splitlines()  # one directory of ours, holding scancode's
    ours, scancodes = while_running.split(" ", 1)
    assert ours.startswith("ospo-scan-")
    assert scancodes.startswith("scancode-tk-")  # scancode made it on import
    assert list(temporary.iterdir()) == []  # and it is gone once the process has ended


EDITED_LICENCE = """Acme Community Licence, version 0.9

Permission is hereby granted to any person obtaining a copy of this software to use, copy and
modify it, subject to the condition that the copyright notice and this licence are kept with
every copy, that the software is not sold, and that changes are described in a notice.

The software is provided as is, without warranty of any kind; in no event shall the authors be
liable for any claim, damages or other liability arising from the software or its use.
"""


@pytest.mark.parametrize("terminate", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_scan_terminated_by_a_signal_leaves_no_scancode_directory(
    tmp_path: Path, git_repo_factory: RepoFactory, terminate: signal.Signals
) -> None:
    """A CI timeout or a cancelled job ends the scan with SIGTERM or SIGHUP, not at exit."""
    repo = git_repo_factory(tmp_path / "repo", {"LICENSE": EDITED_LICENCE})
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    environment.pop("SCANCODE_TEMP", None)
    command = [sys.executable, "-m", "ospo_scan", "scan", str(repo), "--no-history"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    try:
        for _ in range(1200):  # the edited licence sends the scan to scancode's full index
            # The earliest moment: scancode is being imported, its own directory maybe not made
            if any(temporary.iterdir()) or process.poll() is not None:
                break
            time.sleep(0.1)
        assert any(temporary.iterdir()), "the scan never reached scancode"
        process.send_signal(terminate)
        assert process.wait(timeout=60) == -terminate
    finally:
        process.kill()
        process.wait()
    assert list(temporary.iterdir()) == []
