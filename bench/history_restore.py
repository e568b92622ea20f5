"""How long the Action's history restore takes as the history branch grows.

    python bench/history_restore.py [--repositories 200] [--kept 52,104,208]

For each count of kept reports it makes a bare repository whose history branch holds that many
weekly reports (gzipped, as the Action saves them) of an entity of --repositories repositories,
then times `action.history.restore` into a fresh runner directory: fetch, checkout and rebuild of
the store. Only the newest reports the trends use are read, so the time should stay flat as the
branch grows past them (it grew linearly when every kept report was parsed and validated).
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from history import build  # noqa: E402

from ospo_scan.action.history import HistoryPlace, restore  # noqa: E402
from ospo_scan.formats.json import format_json  # noqa: E402

_GIT_ENV = {
    "PATH": "/usr/bin:/bin",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


def _git(*arguments: str) -> None:
    subprocess.run(["git", *arguments], check=True, capture_output=True, env=_GIT_ENV)


def _branch(root: Path, kept: int, repositories: int, directory: str) -> Path:
    remote = root / "remote.git"
    _git("init", "--quiet", "--bare", str(remote))
    work = root / "work"
    _git("init", "--quiet", "--initial-branch", "ospo-scan-history", str(work))
    for week in range(kept):
        text = format_json(build(repositories, 12, week))
        path = work / directory / f"{week:04d}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    _git("-C", str(work), "add", "--all")
    _git("-C", str(work), "commit", "--quiet", "-m", "kept reports")
    _git("-C", str(work), "push", "--quiet", str(remote), "HEAD:ospo-scan-history")
    return remote


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--kept", default="52,104,208")
    arguments = parser.parse_args()
    print(f"entity of {arguments.repositories} repositories, 12 rules")
    for kept in (int(n) for n in arguments.kept.split(",")):
        with tempfile.TemporaryDirectory() as temp:
            root = Path(temp)
            runner = root / "runner"
            runner.mkdir()
            env = {"RUNNER_TEMP": str(runner), "PATH": "/usr/bin:/bin"}
            place = HistoryPlace.from_environment(
                {**env, "OSPO_SCAN_HISTORY_REPOSITORY": str(root / "remote.git")}, ("github:org",)
            )
            _branch(root, kept, arguments.repositories, place.directory)
            started = time.perf_counter()
            restored = restore(place, env)
            elapsed = time.perf_counter() - started
            print(f"{kept:5d} kept reports: restore {elapsed:6.2f} s  ({restored.note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
